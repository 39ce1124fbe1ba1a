"""Stage 2b: converted values of one disclosure → its typed body, with the consistency checks
a careful reader would do by hand (lines add up to totals, a 成本指标 equals the budget,
dates in order)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.corpus import fields as F
from generator.corpus.convert import Reader
from generator.corpus.errors import Problem
from generator.corpus.load import Map, Node
from generator.corpus.model import (
    Body,
    Evaluator,
    Funding,
    FundingLine,
    Indicator,
    Kind,
    Money,
    ProjectText,
    SelfEvaluation,
    SpendingPart,
    TargetTable,
)
from generator.corpus.money import indicator_money, yuan_text
from generator.corpus.project_evaluation import project_evaluation


def build_body(kind: Kind, v: dict[str, Any], node: Map, r: Reader) -> Body | None:
    """Build the kind's body; None if required parts were missing (already reported)."""
    if kind is Kind.PROJECT:
        return _project(v, node, r)
    if kind is Kind.TARGETS:
        return _targets(v, node, r)
    if kind is Kind.PROJECT_EVALUATION:
        return project_evaluation(v, node, r)
    return _self_evaluation(v, node, r)


def _project(v: dict[str, Any], node: Map, r: Reader) -> ProjectText | None:
    funding = _funding(v.get("资金安排"), node.items.get("资金安排"), r)
    if "项目名称" not in v or funding is None:
        return None
    targets = v.get("绩效目标") or {}
    indicators = targets.get("绩效指标", ())
    _check_cost(indicators, funding.total, "资金安排合计", "绩效目标.绩效指标", r)
    return ProjectText(
        project_name=v["项目名称"],
        basis=v.get("立项依据", ()),
        implementer=v.get("项目实施单位") or None,
        overview=v.get("项目基本概况", ()),
        content=v.get("项目实施内容", ()),
        funding=funding,
        plan=v.get("项目实施计划", ()),
        results=v.get("项目实施成效", ()),
        target_text=targets.get("年度目标") or None,
        indicators=indicators,
    )


def _funding(v: dict[str, Any] | None, node: Node | None, r: Reader) -> Funding | None:
    if v is None or node is None:
        return None
    lines = tuple(
        FundingLine(line["名称"], line["金额"], line.get("说明") or None)
        for line in v.get("明细", [])
        if "名称" in line and "金额" in line
    )
    total: Money | None = v.get("合计")
    if total is None and not lines:
        if "合计" not in _keys(node) and not v.get("明细"):  # an empty 明细 list states nothing either
            r.error(node, "资金安排", "资金安排里至少要写“合计”或“明细”之一")
        return None
    if lines and len(lines) == len(v.get("明细", [])):
        summed = sum((line.amount.yuan for line in lines), Decimal(0))
        if total is not None and summed != total.yuan:
            r.error(
                node.items["合计"] if isinstance(node, Map) else node,
                "资金安排.合计",
                f"明细之和 {yuan_text(summed)} 元与合计 {yuan_text(total.yuan)} 元不相等"
                f"（相差 {yuan_text(abs(summed - total.yuan))} 元）",
            )
        if total is None:
            total = Money(summed, f"{yuan_text(summed)}元（明细之和）", r.src(node))
    if total is None:
        return None
    return Funding(total, "合计" in v, v.get("资金来源") or None, lines, v.get("说明") or None)


def _check_cost(indicators: tuple[Indicator, ...], budget: Money, what: str, prefix: str, r: Reader) -> None:
    """A 成本指标 stated in money must equal the budget (seed 000: 535,000.00 = 535000元)."""
    seen: dict[tuple[str, str], int] = {}
    for ind in indicators:
        labels = (ind.label1 or ind.level1, ind.label2 or ind.level2)
        seen[labels] = index = seen.get(labels, 0) + 1
        if ind.level2 != "成本指标":
            continue
        amount = indicator_money(ind.value, ind.measure_unit)
        if amount is None or ind.value.op not in (None, "="):
            continue
        if amount != budget.yuan:
            path = f"{prefix}.{labels[0]}.{labels[1]}[{index}].指标值"
            message = f"成本指标“{ind.name}”的金额 {yuan_text(amount)} 元与{what} {yuan_text(budget.yuan)} 元不相等"
            r.problems.append(Problem(ind.src, path, message))


def _targets(v: dict[str, Any], node: Map, r: Reader) -> TargetTable | None:
    info = v.get("基本信息") or {}
    budget = info.get("本年度预算金额")
    if "项目名称" not in v or budget is None or "绩效指标" not in v:
        return None
    start, end = info.get("开始日期"), info.get("结束日期")
    if start is not None and end is not None and start.key() > end.key():
        info_node = node.items["基本信息"]
        at = info_node.items["结束日期"] if isinstance(info_node, Map) else info_node
        r.error(at, "基本信息.结束日期", f"结束日期 {end.iso} 早于开始日期 {start.iso}")
    total = info.get("项目总金额")
    if total is not None and total.yuan < budget.yuan:
        r.error(
            node.items["基本信息"], "基本信息.本年度预算金额",
            f"本年度预算金额 {yuan_text(budget.yuan)} 元大于项目总金额 {yuan_text(total.yuan)} 元",
        )  # fmt: skip
    _check_cost(v["绩效指标"], budget, "本年度预算金额", "绩效指标", r)
    basis = v.get("立项依据") or {}
    return TargetTable(
        project_name=v["项目名称"],
        budget=budget,
        info=_info_rows(info),
        total_amount=total,
        start=start,
        end=end,
        necessity=v.get("立项必要性") or None,
        feasibility=v.get("实施可行性") or None,
        content=v.get("项目实施内容") or None,
        long_term=v.get("中长期目标") or None,
        annual_target=v.get("年度绩效目标") or None,
        policy_basis=basis.get("政策依据") or None,
        other_basis=basis.get("其他依据") or None,
        other_notes=v.get("其他说明") or None,
        indicators=v["绩效指标"],
        funding_source=info.get("资金来源") or None,
    )


def _info_rows(info: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """基本信息 in the template's order, as display text (money in 万元 as the author wrote it)."""
    rows = []
    basic = next(f for f in F.TARGETS if f.key == "基本信息")
    for field in basic.children:
        value = info.get(field.key)
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            text = "是" if value else "否"
        elif isinstance(value, Money):
            text = f"{yuan_text(value.yuan)} 元"
        elif hasattr(value, "iso"):
            text = value.iso
        else:
            text = str(value)
        rows.append((field.key, text))
    return tuple(rows)


def _self_evaluation(v: dict[str, Any], node: Map, r: Reader) -> SelfEvaluation | None:
    money = v.get("预算收支") or {}
    spending = money.get("支出合计")
    if spending is None:
        return None
    parts = []
    money_node = node.items.get("预算收支")
    for i, p in enumerate(money.get("支出构成", []), 1):
        if "名称" not in p or "金额" not in p:
            continue
        category = p["名称"] if p["名称"] in F.SPENDING_CATEGORIES else F.SPENDING_ALIASES.get(p["名称"])
        if category is None:
            message = f"支出类别“{p['名称']}”不认识，只能是：{'、'.join(F.SPENDING_CATEGORIES)}"
            r.problems.append(Problem(p["金额"].src, f"预算收支.支出构成[{i}].名称", message))
            continue
        parts.append(SpendingPart(category, p["名称"], p["金额"], p.get("说明") or None))
    if parts and len(parts) == len(money.get("支出构成", [])):
        summed = sum((p.amount.yuan for p in parts), Decimal(0))
        if summed != spending.yuan:
            at = money_node.items["支出合计"] if isinstance(money_node, Map) else money_node
            r.error(
                at, "预算收支.支出合计",
                f"支出构成之和 {yuan_text(summed)} 元与支出合计 {yuan_text(spending.yuan)} 元不相等"
                f"（相差 {yuan_text(abs(summed - spending.yuan))} 元）",
            )  # fmt: skip
    seen: set[str] = set()
    for p in parts:
        if p.category in seen:
            r.problems.append(Problem(p.amount.src, "预算收支.支出构成", f"“{p.category}”写了两次"))
        seen.add(p.category)
    team = tuple(
        Evaluator(m.get("角色") or None, m["姓名"], m.get("职务") or None, m.get("单位") or None)
        for m in v.get("评价小组", [])
        if "姓名" in m
    )
    return SelfEvaluation(
        project_name=v.get("项目名称") or None,
        evaluator_org=v.get("评价机构") or None,
        report_date=v.get("报告日期"),
        team=team,
        income=money.get("收入合计"),
        spending=spending,
        parts=tuple(parts),
        body=v.get("正文", ()),
    )


def _keys(node: Node) -> set[str]:
    return set(node.items) if isinstance(node, Map) else set()
