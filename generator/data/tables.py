"""The open-data tables: one declaration of every column, and the rows of each table.

One declaration (`TABLES`) drives every format and the data dictionary, so CSV,
JSON, XLSX and the Fiscal Data Package cannot drift apart:

- 公开文本 (`disclosures`): one row per disclosure, with its headline amount and counts;
- 资金明细 (`lines`): one row per funding line (项目文本 资金安排.明细, 自评报告 支出构成);
  a disclosure without lines gets one row for its total, numbered 0, so that summing
  the table by unit and year gives the disclosed totals;
- 绩效指标 (`indicators`): one row per third-level indicator of a 项目文本 or 绩效目标表;
- 完成情况 (`results`, declared in results.py): one row per indicator of a 项目支出绩效自评表,
  beside the target it reports on (target, actual, score, met).

Cells are typed Python values (money as Decimal 元); the writers decide how each
kind is spelled in a format. Rows are ordered by year, region, unit, kind and URL,
never by anything that changes between builds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from generator.corpus import privacy
from generator.corpus.accountability import Comparison, compare, link
from generator.corpus.model import (
    Date,
    Disclosure,
    Indicator,
    Kind,
    Money,
    ProjectEvaluation,
    ProjectText,
    SelfEvaluation,
    TargetTable,
)
from generator.corpus.money import CENT
from generator.data.columns import (
    DATE,
    DECIMAL,
    FILE,
    ID,
    INT,
    KIND,
    LINE,
    MONEY,
    NAME,
    REGION,
    TEXT,
    UNIT,
    URL,
    YEAR,
    Column,
    Row,
    Table,
    Value,
    col,
)
from generator.data.results import RESULTS, result_rows

log = logging.getLogger(__name__)

# What other modules use (the column types of columns.py and the RESULTS table of results.py included).
__all__ = [
    "DATE",
    "DECIMAL",
    "DISCLOSURES",
    "ID",
    "INDICATORS",
    "INT",
    "KIND_ORDER",
    "LINES",
    "MONEY",
    "PHASE",
    "RESULTS",
    "SHARED",
    "TABLES",
    "TABLE_ALIASES",
    "TEXT",
    "TOTAL_LINE",
    "Column",
    "Row",
    "Rows",
    "Table",
    "Value",
    "comparison_of",
    "dictionary_rows",
    "disclosure_row",
    "indicator_rows",
    "line_rows",
    "masked",
    "ordered",
    "rows_of",
    "table_rows",
]


KIND_ORDER = {Kind.PROJECT: 0, Kind.TARGETS: 1, Kind.SELF_EVALUATION: 2, Kind.PROJECT_EVALUATION: 3}
PHASE = {Kind.PROJECT: "预算", Kind.TARGETS: "预算", Kind.SELF_EVALUATION: "决算", Kind.PROJECT_EVALUATION: "决算"}
TOTAL_LINE = "（合计，原文未列明细）"

_SOURCE = col("资金来源", TEXT, "资金来源，如 一般公共预算；原文未写则为空")
_PHASE = col("阶段", ID, "预算：项目文本、绩效目标表的安排数；决算：整体绩效自评报告、项目支出绩效自评表的实际支出数")

DISCLOSURES = Table(
    "disclosures",
    "公开文本",
    "每份公开文本一行：类型、单位、年度、名称和金额。",
    (
        YEAR,
        KIND,
        UNIT,
        NAME,
        col("金额（元）", MONEY, "该公开文本的代表金额，单位元，精确到分；口径见“金额口径”"),
        col(
            "金额口径",
            ID,
            "金额取自哪一项：资金安排合计（项目文本）、本年度预算金额（绩效目标表）、支出合计（自评报告）、"
            "全年执行数（项目支出绩效自评表）",
        ),
        _PHASE,
        _SOURCE,
        REGION,
        col("省份", ID, "地区第一级（省、自治区、直辖市）"),
        col("地市", ID, "地区第二级（市、州、盟）；未写则为空"),
        col("区县", ID, "地区第三级（县、区、县级市、旗）；未写则为空"),
        col("单位原文名称", TEXT, "公开文本中写的单位名称（可能是别名）"),
        col("统一社会信用代码", ID, "单位的统一社会信用代码；档案未写则为空"),
        col("标题", TEXT, "原文标题；未写则为空"),
        col("项目总金额（元）", MONEY, "绩效目标表：项目总金额，单位元；其他类型为空"),
        col("收入合计（元）", MONEY, "整体绩效自评报告：收入合计，单位元；其他类型为空"),
        col("人员经费（元）", MONEY, "整体绩效自评报告：支出构成中的人员经费，单位元"),
        col("公用经费（元）", MONEY, "整体绩效自评报告：支出构成中的公用经费，单位元"),
        col("项目支出（元）", MONEY, "整体绩效自评报告：支出构成中的项目支出，单位元"),
        col("明细条数", INT, "原文列出的资金明细（项目文本）或支出构成（自评报告）条数"),
        col("绩效指标条数", INT, "三级绩效指标条数"),
        col("开始日期", DATE, "绩效目标表：项目开始日期"),
        col("结束日期", DATE, "绩效目标表：项目结束日期"),
        col("发布日期", DATE, "原文发布日期，格式 2022-03-01 或 2022-03；未写则为空"),
        col("原文链接", ID, "原文所在网页地址；未写则为空"),
        URL,
        FILE,
    ),
)

LINES = Table(
    "lines",
    "资金明细",
    "每笔资金一行：项目文本的资金安排明细、自评报告的支出构成。"
    "原文未列明细的，以合计金额记一行（序号为 0），因此按单位、年度求和即得公开的总额。"
    "注意：预算和决算口径不同，汇总时请按“阶段”分开。",
    (
        YEAR,
        KIND,
        UNIT,
        REGION,
        NAME,
        _SOURCE,
        _PHASE,
        col("序号", INT, "明细在原文中的顺序，从 1 开始；0 表示原文未列明细、本行为合计"),
        col("明细名称", TEXT, "资金用途，如 会议费；自评报告为支出项名称"),
        col("明细类别", ID, "自评报告支出构成的规范类别：人员经费、公用经费 或 项目支出；其他为空"),
        col("金额（元）", MONEY, "金额，单位元，精确到分"),
        col("说明", TEXT, "原文中的说明；未写则为空"),
        URL,
        FILE,
        LINE,
    ),
)

INDICATORS = Table(
    "indicators",
    "绩效指标",
    "每条三级绩效指标一行，含一级、二级指标和指标值。",
    (
        YEAR,
        KIND,
        UNIT,
        REGION,
        NAME,
        col("序号", INT, "指标在原文中的顺序，从 1 开始"),
        col("一级指标", ID, "规范的一级指标：产出指标、效益指标 或 满意度指标"),
        col("二级指标", ID, "规范的二级指标，如 数量指标、社会效益指标"),
        col("三级指标", TEXT, "三级指标名称，原文照录"),
        col("指标值", TEXT, "指标值，原文照录，如 >=30次、持续向好"),
        col("比较符", ID, "从指标值拆出的比较符：≥ ≤ = > <；没有则为空"),
        col("数值", DECIMAL, "从指标值拆出的数值；文字型指标值为空"),
        col("数值单位", ID, "从指标值拆出的单位，如 次、%、万元"),
        col("计量单位", ID, "原表单独一列的计量单位"),
        col("指标值说明", TEXT, "指标值说明"),
        col("依据", TEXT, "指标值设定依据"),
        col("权重", ID, "权重或分值"),
        col("原文一级指标", ID, "原文中一级指标的写法（与规范名称不同时）"),
        col("原文二级指标", ID, "原文中二级指标的写法（与规范名称不同时）"),
        URL,
        FILE,
        LINE,
    ),
)

TABLES = (DISCLOSURES, LINES, INDICATORS, RESULTS)
# Columns a 资金明细 or 绩效指标 row repeats from its disclosure (and a nested JSON item leaves out).
SHARED = ("年度", "类型", "单位", "地区", "名称", "资金来源", "阶段", "网址", "源文件")
TABLE_ALIASES = {t.title: t for t in TABLES} | {t.name: t for t in TABLES}


def ordered(disclosures: Iterable[Disclosure]) -> list[Disclosure]:
    """The export order: year, region, unit, kind, then URL (unique)."""
    return sorted(disclosures, key=lambda d: (d.year, d.unit.region, d.unit.slug, KIND_ORDER[d.kind], d.url))


def _money(m: Money | None) -> Decimal | None:
    return None if m is None else m.yuan.quantize(CENT)


def _date(d: Date | None) -> str | None:
    return None if d is None else d.iso


def _level(region: tuple[str, ...], i: int) -> str | None:
    return region[i] if len(region) > i else None


def _counts(d: Disclosure) -> tuple[int, int]:
    body = d.body
    if isinstance(body, ProjectText):
        return len(body.funding.lines), len(body.indicators)
    if isinstance(body, TargetTable | ProjectEvaluation):
        return 0, len(body.indicators)
    return len(body.parts), 0


def disclosure_row(d: Disclosure) -> Row:
    body = d.body
    lines, indicators = _counts(d)
    row: Row = {
        "年度": d.year,
        "类型": d.kind.value,
        "单位": d.unit.name,
        "名称": d.name,
        "金额（元）": _money(d.headline),
        "金额口径": d.headline_label,
        "阶段": PHASE[d.kind],
        "资金来源": _funding_source(d),
        "地区": "/".join(d.unit.region),
        "省份": _level(d.unit.region, 0),
        "地市": _level(d.unit.region, 1),
        "区县": _level(d.unit.region, 2),
        "单位原文名称": d.unit_label,
        "统一社会信用代码": d.unit.credit_code,
        "标题": d.title,
        "项目总金额（元）": _money(body.total_amount) if isinstance(body, TargetTable) else None,
        "收入合计（元）": _money(body.income) if isinstance(body, SelfEvaluation) else None,
        "人员经费（元）": _money(_part(body, "人员经费")),
        "公用经费（元）": _money(_part(body, "公用经费")),
        "项目支出（元）": _money(_part(body, "项目支出")),
        "明细条数": lines,
        "绩效指标条数": indicators,
        "开始日期": _date(body.start) if isinstance(body, TargetTable) else None,
        "结束日期": _date(body.end) if isinstance(body, TargetTable) else None,
        "发布日期": _date(d.published),
        "原文链接": d.source_url,
        "网址": d.url,
        "源文件": d.src_path,
    }
    return row


def _funding_source(d: Disclosure) -> str | None:
    if isinstance(d.body, ProjectText):
        return d.body.funding.source
    if isinstance(d.body, TargetTable):
        return d.body.funding_source
    return None


def _part(body: object, category: str) -> Money | None:
    if not isinstance(body, SelfEvaluation):
        return None
    # Several parts may share a category (人员经费 and 人员经费支出 both normalise to 人员经费).
    parts = [p.amount for p in body.parts if p.category == category]
    if not parts:
        return None
    return Money(sum((p.yuan for p in parts), Decimal(0)), "", parts[0].src)


def _shared(full: Row, table: Table) -> Row:
    """The disclosure-level cells a line or indicator row repeats."""
    return {name: full[name] for name in table.names if name in SHARED}


def line_rows(d: Disclosure, full: Row | None = None) -> list[Row]:
    """资金明细 rows of one disclosure (one row numbered 0 for the total when it has no lines)."""
    base = _shared(full or disclosure_row(d), LINES)
    body = d.body
    rows: list[Row] = []
    if isinstance(body, ProjectText):
        for i, line in enumerate(body.funding.lines, 1):
            rows.append(_line(base, i, line.name, None, line.amount, line.note))
    elif isinstance(body, SelfEvaluation):
        for i, part in enumerate(body.parts, 1):
            rows.append(_line(base, i, part.label, part.category, part.amount, part.note))
    if not rows:
        rows.append(_line(base, 0, TOTAL_LINE, None, d.headline, None))
    return rows


def _line(base: Row, i: int, name: str, category: str | None, amount: Money, note: str | None) -> Row:
    row = dict(base)
    row.update(
        {
            "序号": i,
            "明细名称": name,
            "明细类别": category,
            "金额（元）": _money(amount),
            "说明": note,
            "源文件行号": amount.src.line or None,
        }
    )
    return {n: row[n] for n in LINES.names}


def _indicators(d: Disclosure) -> tuple[Indicator, ...]:
    body = d.body
    return body.indicators if isinstance(body, ProjectText | TargetTable) else ()


def indicator_rows(d: Disclosure, full: Row | None = None) -> list[Row]:
    base = _shared(full or disclosure_row(d), INDICATORS)
    rows = []
    for i, ind in enumerate(_indicators(d), 1):
        row = dict(base)
        row.update(
            {
                "序号": i,
                "一级指标": ind.level1,
                "二级指标": ind.level2,
                "三级指标": ind.name,
                "指标值": ind.value.text,
                "比较符": ind.value.op,
                "数值": ind.value.number,
                "数值单位": ind.value.unit,
                "计量单位": ind.measure_unit,
                "指标值说明": ind.explanation,
                "依据": ind.basis,
                "权重": ind.weight,
                "原文一级指标": ind.label1,
                "原文二级指标": ind.label2,
                "源文件行号": ind.src.line or None,
            }
        )
        rows.append({name: row[name] for name in INDICATORS.names})
    return rows


@dataclass(frozen=True)
class Rows:
    """One disclosure's rows in each table, computed once."""

    disclosure: Row
    lines: list[Row]
    indicators: list[Row]
    results: list[Row] = field(default_factory=list)

    def of(self, table: Table) -> list[Row]:
        if table is DISCLOSURES:
            return [self.disclosure]
        if table is RESULTS:
            return self.results
        return self.lines if table is LINES else self.indicators


def comparison_of(d: Disclosure, comparison: Comparison | None) -> Comparison | None:
    """A 自评表's comparison as given (linked across the corpus), else the 自评表 alone; None for other kinds."""
    if not isinstance(d.body, ProjectEvaluation):
        return None
    return comparison if comparison is not None else Comparison(d, None, compare((), d.body.indicators))


def rows_of(d: Disclosure, mask: bool = False, comparison: Comparison | None = None) -> Rows:
    """All rows of one disclosure; free text masked when `mask` (隐私脱敏: 是).

    `comparison`: a 自评表's link to its target (`accountability.link` over the corpus); without it,
    the 完成情况 rows compare the 自评表 with its own 年度指标值 only."""
    full = disclosure_row(d)
    linked = comparison_of(d, comparison)
    results = result_rows(linked, _shared(full, RESULTS)) if linked is not None else []
    rows = Rows(full, line_rows(d, full), indicator_rows(d, full), results)
    if not mask:
        return rows
    return Rows(
        masked(DISCLOSURES, rows.disclosure),
        [masked(LINES, r) for r in rows.lines],
        [masked(INDICATORS, r) for r in rows.indicators],
        [masked(RESULTS, r) for r in rows.results],
    )


def table_rows(table: Table, disclosures: Iterable[Disclosure], mask: bool = False) -> list[Row]:
    """All rows of `table` for `disclosures`, in export order (自评表 linked to their targets among them)."""
    chosen = ordered(disclosures)
    links = link(chosen)
    return [row for d in chosen for row in rows_of(d, mask, links.of_result(d)).of(table)]


def masked(table: Table, row: Row) -> Row:
    """Mask phone numbers, ID numbers and e-mail addresses in free-text cells (隐私脱敏: 是)."""
    out = dict(row)
    for c in table.columns:
        value = out.get(c.name)
        if c.kind == TEXT and isinstance(value, str):
            out[c.name] = privacy.mask(value)
    return out


def dictionary_rows() -> list[list[str]]:
    """The data dictionary as rows: 表, 字段, 类型, 说明."""
    kinds = {TEXT: "文字", ID: "文字", INT: "整数", MONEY: "金额（元，两位小数）", DECIMAL: "数值", DATE: "日期"}
    return [[t.title, c.name, kinds[c.kind], c.description] for t in TABLES for c in t.columns]
