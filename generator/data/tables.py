"""The open-data tables: one declaration of every column, and the rows of each table.

One declaration (`TABLES`) drives every format and the data dictionary, so CSV,
JSON, XLSX and the Fiscal Data Package cannot drift apart:

- 公开文本 (`disclosures`): one row per disclosure, with its headline amount and counts;
- 资金明细 (`lines`): one row per funding line (项目文本 资金安排.明细, 自评报告 支出构成);
  a disclosure without lines gets one row for its total, numbered 0, so that summing
  the table by unit and year gives the disclosed totals;
- 绩效指标 (`indicators`): one row per third-level indicator.

Cells are typed Python values (money as Decimal 元); the writers decide how each
kind is spelled in a format. Rows are ordered by year, region, unit, kind and URL,
never by anything that changes between builds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from generator.corpus import privacy
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

log = logging.getLogger(__name__)

# Column value kinds: how each is typed in JSON, CSV, XLSX and Table Schema.
TEXT = "text"  # free text written by authors (masked when 隐私脱敏 is on)
ID = "id"  # identifiers, names and codes (never masked)
INT = "integer"
MONEY = "money"  # exact 元, two decimals
DECIMAL = "decimal"  # a parsed number of any precision
DATE = "date"  # ISO date, or year-month when the author gave only the month

Value = str | int | Decimal | None
Row = dict[str, Value]

KIND_ORDER = {Kind.PROJECT: 0, Kind.TARGETS: 1, Kind.SELF_EVALUATION: 2, Kind.PROJECT_EVALUATION: 3}
PHASE = {Kind.PROJECT: "预算", Kind.TARGETS: "预算", Kind.SELF_EVALUATION: "决算", Kind.PROJECT_EVALUATION: "决算"}
TOTAL_LINE = "（合计，原文未列明细）"


@dataclass(frozen=True)
class Column:
    name: str  # the Chinese header: CSV/XLSX header and JSON key
    kind: str
    description: str  # the data dictionary entry


@dataclass(frozen=True)
class Table:
    name: str  # ASCII resource name, used in file names
    title: str
    description: str
    columns: tuple[Column, ...]

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _c(name: str, kind: str, description: str) -> Column:
    return Column(name, kind, description)


_YEAR = _c("年度", INT, "预算年度")
_KIND = _c("类型", ID, "公开文本类型：项目文本、绩效目标表、整体绩效自评报告 或 项目支出绩效自评表")
_UNIT = _c("单位", TEXT, "预算单位名称（以单位档案中的名称为准）")  # TEXT: masked too
_REGION = _c("地区", ID, "单位所在地区，从省到县逐级用“/”连接，如 云南省/昆明市/盘龙区")
_NAME = _c("名称", TEXT, "项目名称；整体绩效自评报告为报告标题")
_SOURCE = _c("资金来源", TEXT, "资金来源，如 一般公共预算；原文未写则为空")
_PHASE = _c("阶段", ID, "预算：项目文本、绩效目标表的安排数；决算：整体绩效自评报告、项目支出绩效自评表的实际支出数")
_URL = _c("网址", ID, "本网站上该公开文本页面的相对网址，可作为每份公开文本的唯一编号")
_FILE = _c("源文件", ID, "数据所在的 YAML 文件（相对 content/ 文件夹）")
_LINE = _c("源文件行号", INT, "该行数据在源文件中的行号，便于核对")

DISCLOSURES = Table(
    "disclosures",
    "公开文本",
    "每份公开文本一行：类型、单位、年度、名称和金额。",
    (
        _YEAR,
        _KIND,
        _UNIT,
        _NAME,
        _c("金额（元）", MONEY, "该公开文本的代表金额，单位元，精确到分；口径见“金额口径”"),
        _c(
            "金额口径",
            ID,
            "金额取自哪一项：资金安排合计（项目文本）、本年度预算金额（绩效目标表）、支出合计（自评报告）、"
            "全年执行数（项目支出绩效自评表）",
        ),
        _PHASE,
        _SOURCE,
        _REGION,
        _c("省份", ID, "地区第一级（省、自治区、直辖市）"),
        _c("地市", ID, "地区第二级（市、州、盟）；未写则为空"),
        _c("区县", ID, "地区第三级（县、区、县级市、旗）；未写则为空"),
        _c("单位原文名称", TEXT, "公开文本中写的单位名称（可能是别名）"),
        _c("统一社会信用代码", ID, "单位的统一社会信用代码；档案未写则为空"),
        _c("标题", TEXT, "原文标题；未写则为空"),
        _c("项目总金额（元）", MONEY, "绩效目标表：项目总金额，单位元；其他类型为空"),
        _c("收入合计（元）", MONEY, "整体绩效自评报告：收入合计，单位元；其他类型为空"),
        _c("人员经费（元）", MONEY, "整体绩效自评报告：支出构成中的人员经费，单位元"),
        _c("公用经费（元）", MONEY, "整体绩效自评报告：支出构成中的公用经费，单位元"),
        _c("项目支出（元）", MONEY, "整体绩效自评报告：支出构成中的项目支出，单位元"),
        _c("明细条数", INT, "原文列出的资金明细（项目文本）或支出构成（自评报告）条数"),
        _c("绩效指标条数", INT, "三级绩效指标条数"),
        _c("开始日期", DATE, "绩效目标表：项目开始日期"),
        _c("结束日期", DATE, "绩效目标表：项目结束日期"),
        _c("发布日期", DATE, "原文发布日期，格式 2022-03-01 或 2022-03；未写则为空"),
        _c("原文链接", ID, "原文所在网页地址；未写则为空"),
        _URL,
        _FILE,
    ),
)

LINES = Table(
    "lines",
    "资金明细",
    "每笔资金一行：项目文本的资金安排明细、自评报告的支出构成。"
    "原文未列明细的，以合计金额记一行（序号为 0），因此按单位、年度求和即得公开的总额。"
    "注意：预算和决算口径不同，汇总时请按“阶段”分开。",
    (
        _YEAR,
        _KIND,
        _UNIT,
        _REGION,
        _NAME,
        _SOURCE,
        _PHASE,
        _c("序号", INT, "明细在原文中的顺序，从 1 开始；0 表示原文未列明细、本行为合计"),
        _c("明细名称", TEXT, "资金用途，如 会议费；自评报告为支出项名称"),
        _c("明细类别", ID, "自评报告支出构成的规范类别：人员经费、公用经费 或 项目支出；其他为空"),
        _c("金额（元）", MONEY, "金额，单位元，精确到分"),
        _c("说明", TEXT, "原文中的说明；未写则为空"),
        _URL,
        _FILE,
        _LINE,
    ),
)

INDICATORS = Table(
    "indicators",
    "绩效指标",
    "每条三级绩效指标一行，含一级、二级指标和指标值。",
    (
        _YEAR,
        _KIND,
        _UNIT,
        _REGION,
        _NAME,
        _c("序号", INT, "指标在原文中的顺序，从 1 开始"),
        _c("一级指标", ID, "规范的一级指标：产出指标、效益指标 或 满意度指标"),
        _c("二级指标", ID, "规范的二级指标，如 数量指标、社会效益指标"),
        _c("三级指标", TEXT, "三级指标名称，原文照录"),
        _c("指标值", TEXT, "指标值，原文照录，如 >=30次、持续向好"),
        _c("比较符", ID, "从指标值拆出的比较符：≥ ≤ = > <；没有则为空"),
        _c("数值", DECIMAL, "从指标值拆出的数值；文字型指标值为空"),
        _c("数值单位", ID, "从指标值拆出的单位，如 次、%、万元"),
        _c("计量单位", ID, "原表单独一列的计量单位"),
        _c("指标值说明", TEXT, "指标值说明"),
        _c("依据", TEXT, "指标值设定依据"),
        _c("权重", ID, "权重或分值"),
        _c("原文一级指标", ID, "原文中一级指标的写法（与规范名称不同时）"),
        _c("原文二级指标", ID, "原文中二级指标的写法（与规范名称不同时）"),
        _URL,
        _FILE,
        _LINE,
    ),
)

TABLES = (DISCLOSURES, LINES, INDICATORS)
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

    def of(self, table: Table) -> list[Row]:
        if table is DISCLOSURES:
            return [self.disclosure]
        return self.lines if table is LINES else self.indicators


def rows_of(d: Disclosure, mask: bool = False) -> Rows:
    """All rows of one disclosure; free text masked when `mask` (隐私脱敏: 是)."""
    full = disclosure_row(d)
    rows = Rows(full, line_rows(d, full), indicator_rows(d, full))
    if not mask:
        return rows
    return Rows(
        masked(DISCLOSURES, rows.disclosure),
        [masked(LINES, r) for r in rows.lines],
        [masked(INDICATORS, r) for r in rows.indicators],
    )


def table_rows(table: Table, disclosures: Iterable[Disclosure], mask: bool = False) -> list[Row]:
    """All rows of `table` for `disclosures`, in export order."""
    return [row for d in ordered(disclosures) for row in rows_of(d, mask).of(table)]


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
