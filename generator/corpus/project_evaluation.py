"""The 项目支出绩效自评表 kind: converted values → `ProjectEvaluation`, with the checks a careful
reader of the form does by hand.

- 执行率 = 全年执行数 ÷ 全年预算数, to the decimal places printed (rounded half up, or cut off:
  units print both);
- 得分 ≤ 分值 on every row that has both (the money row and each indicator);
- an 一级 heading's weight (`产出指标(50分)`) = the sum of its rows' 分值;
- 年度资金总额 = the sum of the rows 其中 (本年财政拨款, 上年结转资金, 其他资金), per column;
- 总分 = the sum of every 得分; 自评等级 agrees with 总分 (fields.GRADES).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from generator.corpus import fields as F
from generator.corpus.convert import Reader, split_weight
from generator.corpus.errors import Problem
from generator.corpus.load import Map
from generator.corpus.model import FundRow, Money, ProjectEvaluation, ResultRow, Score
from generator.corpus.money import yuan_text

_SCORES = ("分值", "执行率", "得分")
_MONEY_COLUMNS = (("年初预算数", "initial"), ("全年预算数", "budget"), ("全年执行数", "spent"))


def number_text(value: Decimal) -> str:
    """A score as people write it: 10, 9.5, 0.25 (no trailing zeros, no exponent)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def grade_of(total: Decimal) -> str:
    """自评等级 of a 总分: 90 and above 优, 80–90 良, 60–80 中, below 60 差."""
    return next(grade for grade, lowest in F.GRADES if total >= lowest)


def project_evaluation(v: dict[str, Any], node: Map, r: Reader) -> ProjectEvaluation | None:
    money = v.get("项目资金") or {}
    total_row = money.get(F.FUND_TOTAL) or {}
    if "项目名称" not in v or "全年执行数" not in total_row or "全年预算数" not in total_row:
        return None
    if "绩效指标" not in v or "总分" not in v:
        return None
    funds = _funds(money)
    rows: tuple[ResultRow, ...] = v["绩效指标"]
    for fund in funds:
        _check_rate(fund, r)
        _check_score(fund.points, fund.score, f"项目资金.{fund.label}", r)
    unread = {p.key_path.rsplit(".", 1)[-1] for p in r.problems}  # figures that could not be read
    if not any(p.key_path.startswith("项目资金.") and p.key_path.rsplit(".", 1)[-1] not in _SCORES for p in r.problems):
        _check_parts(funds, r)
    _check_rows(rows, node, r, weights="分值" not in unread)
    total: Score = v["总分"]
    if "得分" not in unread:  # a sum over figures that could not all be read would mislead
        _check_total(total, funds, rows, r)
    grade: str | None = v.get("自评等级")
    if grade is not None and grade != grade_of(total.value):
        at = node.items["自评等级"]
        message = (
            f"自评等级“{grade}”与总分 {number_text(total.value)} 不符，应为“{grade_of(total.value)}”"
            "（90 分及以上为优，80–90 分为良，60–80 分为中，60 分以下为差）"
        )
        r.error(at, "自评等级", message)
    goal = v.get("年度总体目标") or {}
    name_node = node.items["项目名称"]
    return ProjectEvaluation(
        project_name=v["项目名称"],
        name_src=r.src(name_node),
        department=v.get("主管部门") or None,
        implementer=v.get("实施单位") or None,
        funds=funds,
        goal_planned=goal.get("预期目标") or None,
        goal_actual=goal.get("实际完成情况") or None,
        indicators=rows,
        total_score=total,
        grade=grade,
    )


def _funds(money: dict[str, Any]) -> tuple[FundRow, ...]:
    """The rows of 项目资金 in form order."""
    out = []
    for label in (F.FUND_TOTAL, *F.FUND_PARTS):
        row = money.get(label)
        if row is None:
            continue
        out.append(
            FundRow(
                label=label,
                initial=row.get("年初预算数"),
                budget=row.get("全年预算数"),
                spent=row.get("全年执行数"),
                rate=row.get("执行率"),
                points=row.get("分值"),
                score=row.get("得分"),
            )
        )
    return tuple(out)


def expected_rates(spent: Decimal, budget: Decimal, places: int) -> tuple[Decimal, ...]:
    """执行率 in percent at `places` decimals, rounded half up and cut off (both are printed)."""
    exact = spent * 100 / budget
    step = Decimal(1).scaleb(-places)
    return tuple(exact.quantize(step, rounding=mode) for mode in (ROUND_HALF_UP, ROUND_DOWN))


def _check_rate(fund: FundRow, r: Reader) -> None:
    rate, budget, spent = fund.rate, fund.budget, fund.spent
    if rate is None or budget is None or spent is None:
        return
    path = f"项目资金.{fund.label}.执行率"
    if budget.yuan == 0:
        r.problems.append(Problem(rate.src, path, "全年预算数为 0，无法计算执行率；请把执行率留空"))
        return
    rounded, _ = candidates = expected_rates(spent.yuan, budget.yuan, rate.places)
    if rate.percent not in candidates:
        message = (
            f"执行率“{rate.text}”与全年执行数 ÷ 全年预算数不符："
            f"{yuan_text(spent.yuan)} 元 ÷ {yuan_text(budget.yuan)} 元 = {rounded}%"
        )
        r.problems.append(Problem(rate.src, path, message))


def _check_score(points: Score | None, score: Score | None, path: str, r: Reader) -> None:
    if points is not None and score is not None and score.value > points.value:
        message = f"得分 {number_text(score.value)} 大于分值 {number_text(points.value)}"
        r.problems.append(Problem(score.src, f"{path}.得分", message))


def _check_parts(funds: tuple[FundRow, ...], r: Reader) -> None:
    """Per money column: 年度资金总额 = the sum of the parts that state it (when any does)."""
    total, parts = funds[0], funds[1:]
    for column, attr in _MONEY_COLUMNS:
        given: list[Money] = [m for p in parts if (m := getattr(p, attr)) is not None]
        whole: Money | None = getattr(total, attr)
        if not given or whole is None:
            continue
        summed = sum((m.yuan for m in given), Decimal(0))
        if summed != whole.yuan:
            message = (
                f"年度资金总额的{column} {yuan_text(whole.yuan)} 元与其中各项之和 {yuan_text(summed)} 元不相等"
                f"（相差 {yuan_text(abs(summed - whole.yuan))} 元）"
            )
            r.problems.append(Problem(whole.src, f"项目资金.{F.FUND_TOTAL}.{column}", message))


def row_paths(rows: Iterable[ResultRow]) -> list[tuple[ResultRow, str]]:
    """Each row with its key path as the author wrote it: 绩效指标.产出指标(50分).数量指标[2]."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for row in rows:
        labels = (row.label1 or row.level1, row.label2 or row.level2)
        seen[labels] = index = seen.get(labels, 0) + 1
        out.append((row, f"绩效指标.{labels[0]}.{labels[1]}[{index}]"))
    return out


def _check_rows(rows: tuple[ResultRow, ...], node: Map, r: Reader, weights: bool) -> None:
    points: dict[str, list[Decimal]] = {}
    for row, path in row_paths(rows):
        _check_score(row.points, row.score, path, r)
        if row.points is not None:
            points.setdefault(row.level1, []).append(row.points.value)
    tree = node.items.get("绩效指标")
    if not isinstance(tree, Map) or not weights:
        return
    for key, (line, col) in tree.keys.items():
        bare, weight = split_weight(key)
        level1 = bare if bare in F.LEVEL1 else F.LEVEL1_ALIASES.get(bare.strip())
        if weight is None or level1 is None or not points.get(level1):
            continue
        summed = sum(points[level1], Decimal(0))
        if summed != weight:
            message = (
                f"一级指标“{bare}”标明 {number_text(weight)} 分，其下各三级指标的分值之和为 {number_text(summed)} 分"
            )
            r.error_at(line, col, f"绩效指标.{key}", message)


def _check_total(total: Score, funds: tuple[FundRow, ...], rows: tuple[ResultRow, ...], r: Reader) -> None:
    money = sum((f.score.value for f in funds if f.score is not None), Decimal(0))
    indicators = sum((row.score.value for row in rows if row.score is not None), Decimal(0))
    if money + indicators != total.value:
        message = (
            f"总分 {number_text(total.value)} 与各项得分之和 {number_text(money + indicators)} 不相等"
            f"（项目资金 {number_text(money)}，绩效指标 {number_text(indicators)}）"
        )
        r.problems.append(Problem(total.src, "总分", message))
