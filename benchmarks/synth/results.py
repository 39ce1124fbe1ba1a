"""项目支出绩效自评表 for the synthetic 绩效目标表: the same project, unit and year, each target row
reported with an actual value, a score and, when missed, a reason.

Drawn from their own random stream (`random.Random(seed + RESULTS_SEED)`), after the tree's other
documents are composed, so the files of the other kinds are byte-identical to a tree without them.
About 85% of the numeric targets are met; text targets (持续向好) get a text result, which the site
counts as 无法判断; the 成本指标 reports what was spent (执行率 80–100%), so a target written as
"=<budget>" is often not met, as on real forms.
"""

from __future__ import annotations

import random
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from benchmarks.synth.docs import Doc, money
from benchmarks.synth.yaml_text import Value
from generator.corpus import fields as F
from generator.corpus.money import parse_indicator, parse_money
from generator.corpus.project_evaluation import expected_rates, grade_of, number_text

SHARE_RESULTS = 0.5  # of the 绩效目标表s get a 自评表
RESULTS_SEED = 16_000_002  # added to the tree's seed: the stream of the 自评表s
MET = 0.85
_REASONS = (
    "受{why}影响，部分工作推进慢于计划；下一步将加强调度，确保按期完成。",
    "年初目标设定偏高，实际{why}；今后将结合往年完成情况科学设定指标值。",
    "因{why}，该项工作未能全部完成，已纳入下一年度工作计划。",
)
_SAVED = "项目实施中节约了部分资金，结余资金已按规定收回财政。"
_WHYS = ("人员调整", "项目审批时间较长", "部分事项涉及多个部门协调", "天气等客观因素", "上级政策调整")
_TEXT_RESULTS = ("已完成", "按计划完成", "达到预期目标")


def _points(n: int) -> list[int]:
    """90 points over `n` rows (the money row has the other 10), the first rows taking the remainder."""
    base, extra = divmod(90, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def _actual(rng: random.Random, text: str, measure: str | None, spent_text: str | None) -> tuple[str, bool | None]:
    """The 实际完成值 of a target and whether it was met (None: a text value, not judged)."""
    if spent_text is not None:  # the 成本指标: what was spent (an exact "=<budget>" is missed when money was left)
        return spent_text, None
    value = parse_indicator(text)
    if value.number is None:
        return rng.choice(_TEXT_RESULTS), None
    unit = value.unit or ""
    op = value.op or "≥"
    met = rng.random() < MET
    want = value.number
    if want == 0:  # 重大群体性事件发生数 =0起: none happened, or one did
        return f"{0 if met or op not in ('=', '≤', '<') else 1}{unit}", met or op not in ("=", "≤", "<")
    percent = unit == "%" or (not unit and measure == "%")
    tenths = Decimal("0.1")
    if op in ("≤", "<"):  # met: 60–90% of the limit; missed: 110–150%, above it even after rounding
        ratio = Decimal(rng.choice((6, 7, 8, 9)) if met else rng.choice((11, 12, 15))) / 10
        got = (want * ratio).quantize(tenths, ROUND_DOWN if met else ROUND_UP)
        if op == "<" and met and got >= want:
            got = want - 1
    elif not met:  # ≥, >, = missed: 70–90% of the target, below it after rounding down
        got = (want * Decimal(rng.choice((7, 8, 9))) / 10).quantize(Decimal(1), ROUND_DOWN)
    elif op == "=":
        got = want
    else:
        got = want + (1 if op == ">" else rng.randint(0, 3))
    if percent and met:
        got = min(got, Decimal(100)) if op != "=" else got
    return f"{number_text(got)}{unit}", met


def project_evaluation(rng: random.Random, target: Doc) -> Doc:
    """A 自评表 reporting on `target` (a synthetic 绩效目标表 document)."""
    info = target["基本信息"]
    assert isinstance(info, dict)
    budget_text = str(info["本年度预算金额"])
    budget = parse_money(budget_text)
    cents = int(budget * 100)
    spent_cents = cents * rng.randint(80, 100) // 100
    style = "wan" if cents % 10000 == 0 and spent_cents % 10000 == 0 else "yuan"
    spent = Decimal(spent_cents) / 100
    rate = expected_rates(spent, budget, 2)[0]
    money_score = (Decimal(10) * rate / 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
    year = int(str(target["年度"]))

    tree = target["绩效指标"]
    assert isinstance(tree, dict)
    rows = [(l1, l2, row) for l1, by2 in tree.items() for l2, items in by2.items() for row in items]
    points = _points(len(rows))
    out: dict[str, dict[str, list[Value]]] = {}
    total = money_score
    for (l1, l2, row), p in zip(rows, points, strict=True):
        assert isinstance(row, dict)
        cost = F.LEVEL2_ALIASES.get(str(l2), str(l2)) == "成本指标"
        text = str(row["指标值"])
        measure = row.get("计量单位")
        spent_text = _spent(spent_cents, row) if cost else None
        actual, met = _actual(rng, text, str(measure) if measure else None, spent_text)
        if cost and parse_indicator(text).op == "=":
            met = spent_cents == cents
        score = Decimal(p) if met is not False else Decimal(p) - Decimal(rng.randint(1, max(1, p // 2)))
        item: Doc = {"名称": row["名称"], "年度指标值": text}
        if "计量单位" in row:
            item["计量单位"] = row["计量单位"]
        item.update({"实际完成值": actual, "分值": str(p), "得分": number_text(score)})
        if met is False:
            reason = _SAVED if cost else rng.choice(_REASONS).format(why=rng.choice(_WHYS))
            item["偏差原因分析及改进措施"] = reason
        out.setdefault(str(l1), {}).setdefault(str(l2), []).append(item)
        total += score
    doc: Doc = {
        "类型": "项目支出绩效自评表",
        "单位": target["单位"],
        "年度": target["年度"],
        "标题": f"{target['单位']}{year}年度项目支出绩效自评表",
        "发布日期": f"{year + 1}-{rng.randint(4, 8):02d}",
        "项目名称": target["项目名称"],
        "主管部门": target["单位"],
        "实施单位": target["单位"],
        "项目资金": {
            F.FUND_TOTAL: {
                "年初预算数": money(cents, style),
                "全年预算数": money(cents, style),
                "全年执行数": money(spent_cents, style),
                "分值": "10",
                "执行率": f"{rate}%",
                "得分": number_text(money_score),
            }
        },
        "年度总体目标": {
            "预期目标": target["年度绩效目标"],
            "实际完成情况": f"项目资金执行率{rate}%，"
            + rng.choice(("各项绩效目标基本完成。", "大部分绩效目标已完成。")),
        },
        "绩效指标": {k1: dict(v) for k1, v in out.items()},
        "总分": number_text(total),
        "自评等级": grade_of(total),
    }
    return doc


def _spent(spent_cents: int, row: Doc) -> str:
    """The 成本指标's result: what was spent, in the target's own unit (万元 when it can be, else 元)."""
    in_yuan = row.get("计量单位") == "元"
    if in_yuan:
        return money(spent_cents, "comma").removesuffix("元")
    return money(spent_cents, "wan" if spent_cents % 10000 == 0 else "yuan")
