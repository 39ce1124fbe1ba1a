"""The 完成情况 table (`results`): one row per indicator of a 项目支出绩效自评表, beside its target.

Each row is a line of the target-beside-result table on the 自评表's page (corpus/accountability.py
`Comparison`): the target promised (the 绩效目标表's or 项目文本's 指标值; the 自评表's own 年度指标值
when no target was found), the result, the score, and whether the target was met (完成 / 未完成 /
无法判断). Rows of either side without a partner are kept, and say so in 对照情况. The row belongs to
the 自评表 (网址, 源文件) and names the target's page and line too.
"""

from __future__ import annotations

from decimal import Decimal

from generator.corpus.accountability import ComparedRow, Comparison, Verdict
from generator.corpus.model import IndicatorValue
from generator.data.columns import DECIMAL, FILE, ID, INT, KIND, NAME, REGION, TEXT, UNIT, URL, YEAR, Row, Table, col

MATCHED = "目标与自评均有"
TARGET_ONLY = "自评表未填报"
RESULT_ONLY = "目标中没有"
NO_TARGET = "未找到目标"
VERDICTS = tuple(v.value for v in Verdict)
PAIRINGS = (MATCHED, TARGET_ONLY, RESULT_ONLY, NO_TARGET)

RESULTS = Table(
    "results",
    "完成情况",
    "项目支出绩效自评表的每条三级指标一行：目标值（取自同一单位、年度、项目的绩效目标表或项目文本）、"
    "实际完成值、分值、得分和是否完成。完成率 = 完成 ÷（完成 + 未完成），“无法判断”的指标不计入。",
    (
        YEAR,
        KIND,
        UNIT,
        REGION,
        NAME,
        col("序号", INT, "指标在对照表中的顺序，从 1 开始（按一级、二级指标分组，目标在前）"),
        col("一级指标", ID, "规范的一级指标：产出指标、效益指标 或 满意度指标"),
        col("二级指标", ID, "规范的二级指标，如 数量指标、社会效益指标"),
        col("三级指标", TEXT, "三级指标名称，原文照录（两边都有时取目标的写法）"),
        col("目标值", TEXT, "承诺的指标值：绩效目标表（或项目文本）中的指标值；未找到目标的，为自评表的年度指标值"),
        col("目标比较符", ID, "从目标值拆出的比较符：≥ ≤ = > <；没有则为空"),
        col("目标数值", DECIMAL, "从目标值拆出的数值；文字型指标值为空"),
        col("目标数值单位", ID, "从目标值拆出的单位，如 次、%、万元"),
        col("自评表年度指标值", TEXT, "自评表中写的年度指标值，仅在与目标值写法不同时填写"),
        col("实际完成值", TEXT, "自评表的实际完成值，原文照录；自评表未填报则为空"),
        col("实际数值", DECIMAL, "从实际完成值拆出的数值"),
        col("实际数值单位", ID, "从实际完成值拆出的单位"),
        col("分值", DECIMAL, "该指标的分值"),
        col("得分", DECIMAL, "该指标的得分"),
        col(
            "是否完成",
            ID,
            "完成、未完成 或 无法判断（由目标值的比较符、数值与实际数值比较得出；"
            "文字型、单位不同或缺一方的为无法判断）",
        ),
        col("偏差原因", TEXT, "偏差原因分析及改进措施，原文照录"),
        col(
            "对照情况",
            ID,
            f"{MATCHED}、{TARGET_ONLY}（目标中有、自评表没有）、{RESULT_ONLY}（自评表有、目标中没有）"
            f"或 {NO_TARGET}（该自评表没有对照上目标）",
        ),
        col("目标网址", ID, "该自评表对照的绩效目标表或项目文本在本网站的网址；未找到目标则为空"),
        col("目标源文件", ID, "目标值所在的 YAML 文件；目标中没有这条指标则为空"),
        col("目标源文件行号", INT, "目标值在目标源文件中的行号"),
        URL,
        FILE,
        col("源文件行号", INT, "实际完成值在自评表源文件中的行号"),
    ),
)


def _pairing(c: Comparison, row: ComparedRow) -> str:
    if c.target is None:
        return NO_TARGET
    if row.matched:
        return MATCHED
    return TARGET_ONLY if row.actual is None else RESULT_ONLY


def _parts(value: IndicatorValue | None) -> tuple[str | None, Decimal | None, str | None]:
    return (None, None, None) if value is None else (value.op, value.number, value.unit)


def result_rows(c: Comparison, base: Row) -> list[Row]:
    """The rows of one 自评表's comparison; `base` holds the cells shared with its 公开文本 row."""
    rows = []
    for i, r in enumerate(c.rows, 1):
        op, number, unit = _parts(r.target)
        _, actual, actual_unit = _parts(r.actual)
        row = dict(base)
        row.update(
            {
                "序号": i,
                "一级指标": r.level1,
                "二级指标": r.level2,
                "三级指标": r.name,
                "目标值": r.target.text if r.target is not None else None,
                "目标比较符": op,
                "目标数值": number,
                "目标数值单位": unit,
                "自评表年度指标值": r.restated,
                "实际完成值": r.actual.text if r.actual is not None else None,
                "实际数值": actual,
                "实际数值单位": actual_unit,
                "分值": r.points.value if r.points is not None else None,
                "得分": r.score.value if r.score is not None else None,
                "是否完成": r.verdict.value,
                "偏差原因": r.deviation,
                "对照情况": _pairing(c, r),
                "目标网址": c.target.url if c.target is not None else None,
                "目标源文件": r.target_src.path if r.target_src is not None else None,
                "目标源文件行号": (r.target_src.line or None) if r.target_src is not None else None,
                "源文件行号": (r.result_src.line or None) if r.result_src is not None else None,
            }
        )
        rows.append({name: row[name] for name in RESULTS.names})
    return rows
