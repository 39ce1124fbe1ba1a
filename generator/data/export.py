"""`gongkai export` and the JSON/CSV writers: the validated corpus as open data.

A JSON record is a disclosure's 公开文本 row plus its 资金明细 and 绩效指标 rows without
the columns they share with it (see `tables`). Money is exact: a string with
two decimals ("535000.00") in JSON and CSV, never a float. CSV is UTF-8 with a BOM
(RFC 4180 line ends) so spreadsheets show Chinese correctly. Output is deterministic.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable, Sequence
from decimal import Decimal

from generator.corpus import privacy
from generator.corpus.accountability import Comparison, link
from generator.corpus.model import (
    Corpus,
    Disclosure,
    LongText,
    ProjectEvaluation,
    ProjectText,
    ReportSection,
    TargetTable,
)
from generator.corpus.money import CENT
from generator.data.tables import (
    DECIMAL,
    DISCLOSURES,
    INDICATORS,
    LINES,
    MONEY,
    RESULTS,
    SHARED,
    TABLES,
    Column,
    Row,
    Rows,
    Table,
    Value,
    dictionary_rows,
    ordered,
    rows_of,
    table_rows,
)

log = logging.getLogger(__name__)

# --- JSON ---------------------------------------------------------------------------------------


def json_value(column: Column, value: Value) -> Value:
    """The JSON form of a cell: money and decimals as exact strings, integers as numbers."""
    if value is None:
        return None
    if column.kind == MONEY:
        return format(Decimal(value).quantize(CENT), "f")
    if column.kind == DECIMAL:
        return format(Decimal(value), "f")
    return value


def _json_row(table: Table, row: Row, skip: frozenset[str] = frozenset()) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for c in table.columns:
        if c.name in skip:
            continue
        value = row[c.name]
        out[c.name] = json_value(c, value) if value is not None and c.kind in _NUMERIC else value
    return out


_NUMERIC = (MONEY, DECIMAL)


NESTED = {LINES.title: LINES, INDICATORS.title: INDICATORS, RESULTS.title: RESULTS}


def nested_skip(table: Table) -> frozenset[str]:
    """Columns a nested line/indicator item leaves out because the disclosure record has them."""
    return frozenset(name for name in table.names if name in SHARED)


def record(
    d: Disclosure,
    mask: bool = False,
    full: bool = False,
    rows: Rows | None = None,
    comparison: Comparison | None = None,
) -> dict[str, object]:
    """One disclosure as a JSON object: its 公开文本 row + 资金明细 + 绩效指标 + 完成情况 (+ 正文 when `full`);
    `comparison`: a 自评表's link to its target (see `tables.rows_of`)."""
    rows = rows or rows_of(d, mask, comparison)
    rec: dict[str, object] = dict(_json_row(DISCLOSURES, rows.disclosure))
    for key, table in NESTED.items():
        skip = nested_skip(table)
        rec[key] = [_json_row(table, r, skip) for r in rows.of(table)]
    if full:
        text = _full_text(d)
        rec["正文"] = _mask_tree(text) if mask else text
    return rec


def dataset_head(corpus: Corpus) -> dict[str, object]:
    """Everything of a data set's JSON document except its records."""
    return {
        "数据集": corpus.site.name,
        "说明": "金额单位为元，以字符串表示的精确小数（两位小数）；字段含义见“数据字典”。",
        "数据字典": dictionary(),
    }


def dataset(corpus: Corpus, disclosures: Iterable[Disclosure] | None = None, full: bool = False) -> dict[str, object]:
    """The JSON document of a data set: what it is, its data dictionary, and its records."""
    chosen = ordered(corpus.disclosures if disclosures is None else disclosures)
    mask = corpus.site.mask_private
    links = link(corpus.disclosures)  # a 自评表's target may be outside `disclosures`
    records = [record(d, mask=mask, full=full, comparison=links.of_result(d)) for d in chosen]
    return {**dataset_head(corpus), "公开文本": records}


# How the CSV files differ from the JSON and XLSX (the data dictionary says it, in both its forms).
CSV_NOTE = (
    "CSV 文件中，以 = + - @ 或制表符、回车开头的文字单元格前加了一个英文单引号（'），"
    "以免电子表格把它当作公式执行（如 =HYPERLINK(…)）；使用数据时去掉这个单引号即为原文。"
    "JSON 和 XLSX 中的文字与原文完全相同。"
)


def dictionary() -> dict[str, dict[str, object]]:
    """The data dictionary: per table, its description (with how its CSV guards formulas) and every column's meaning."""
    return {
        t.title: {"说明": f"{t.description} {CSV_NOTE}", "字段": {c.name: c.description for c in t.columns}}
        for t in TABLES
    }


def json_text(obj: object) -> str:
    """Compact deterministic JSON: insertion order, Chinese kept as is (C encoder, no indentation)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def to_json(obj: object) -> bytes:
    """`json_text` as UTF-8 with a trailing newline: the bytes of every JSON file."""
    return (json_text(obj) + "\n").encode("utf-8")


def join_dataset(corpus: Corpus, records: Iterable[bytes]) -> bytes:
    """The same bytes as `to_json(dataset(...))`, spliced from records already in `json_text` form (UTF-8)."""
    head = json_text(dataset_head(corpus))[:-1] + ',"公开文本":['
    return head.encode("utf-8") + b",".join(records) + b"]}\n"


# --- CSV ----------------------------------------------------------------------------------------


# A spreadsheet runs a cell that begins with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"  # put before such a text cell: spreadsheets show the text, never run it


def csv_cell(value: Value) -> Value:
    """A text cell as a spreadsheet must read it: one that would start a formula gets a leading `'`.

    Only text columns pass through here (amounts and numbers are written by `json_value`), so
    the guard never touches a figure; JSON and XLSX keep the text exactly as typed."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return FORMULA_GUARD + value
    return value


def csv_text(table: Table, rows: Iterable[Row]) -> str:
    """CSV lines (RFC 4180, CRLF) of `rows`, without header; text that would start a formula is guarded."""
    numeric = {c.name: c for c in table.columns if c.kind in _NUMERIC}
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        # csv writes None as an empty field and str() of everything else.
        writer.writerow(
            [json_value(numeric[name], row[name]) if name in numeric else csv_cell(row[name]) for name in table.names]
        )
    return buf.getvalue()


def join_csv(table: Table, parts: Iterable[bytes]) -> bytes:
    """A CSV file in UTF-8 with a BOM: header of Chinese column names, then the `csv_text` parts (UTF-8)."""
    return ("\ufeff" + csv_text_header(table)).encode("utf-8") + b"".join(parts)


def csv_text_header(table: Table) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(table.names)
    return buf.getvalue()


def to_csv(table: Table, rows: Sequence[Row]) -> bytes:
    """CSV (RFC 4180, CRLF) in UTF-8 with a BOM, header row of Chinese column names."""
    return join_csv(table, [csv_text(table, rows).encode("utf-8")])


def dictionary_csv() -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["表", "字段", "类型", "说明"])
    writer.writerows(dictionary_rows())
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# --- Full text (per-disclosure JSON) ------------------------------------------------------------


def _long(text: LongText) -> list[dict[str, str | None]]:
    return [{"标题": item.title, "内容": item.body} for item in text]


def _sections(sections: tuple[ReportSection, ...]) -> list[dict[str, object]]:
    return [{"标题": s.title, "内容": s.body, "小节": _sections(s.children)} for s in sections]


def _full_text(d: Disclosure) -> dict[str, object]:
    body = d.body
    if isinstance(body, ProjectText):
        return {
            "立项依据": _long(body.basis),
            "项目实施单位": body.implementer,
            "项目基本概况": _long(body.overview),
            "项目实施内容": _long(body.content),
            "资金安排说明": body.funding.note,
            "项目实施计划": _long(body.plan),
            "项目实施成效": _long(body.results),
            "年度目标": body.target_text,
        }
    if isinstance(body, TargetTable):
        return {
            "基本信息": dict(body.info),
            "立项必要性": body.necessity,
            "实施可行性": body.feasibility,
            "项目实施内容": body.content,
            "中长期目标": body.long_term,
            "年度绩效目标": body.annual_target,
            "政策依据": body.policy_basis,
            "其他依据": body.other_basis,
            "其他说明": body.other_notes,
        }
    if isinstance(body, ProjectEvaluation):
        return {
            "主管部门": body.department,
            "实施单位": body.implementer,
            "预期目标": body.goal_planned,
            "实际完成情况": body.goal_actual,
        }
    return {
        "项目名称": body.project_name,
        "评价机构": body.evaluator_org,
        "报告日期": body.report_date.iso if body.report_date else None,
        "评价小组": [{"角色": e.role, "姓名": e.name, "职务": e.title, "单位": e.org} for e in body.team],
        "报告正文": _sections(body.body),
    }


def _mask_tree(value: object) -> object:
    if isinstance(value, str):
        return privacy.mask(value)
    if isinstance(value, list):
        return [_mask_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: _mask_tree(v) for k, v in value.items()}
    return value


# --- `gongkai export` ---------------------------------------------------------------------------


def export_bytes(
    corpus: Corpus, fmt: str, table: Table = DISCLOSURES, full: bool = False, epoch: int | None = None
) -> bytes:
    """The whole data set in one format: JSON (nested records), CSV (one table) or XLSX (all tables,
    stamped with `epoch`, SOURCE_DATE_EPOCH, else the content's newest date)."""
    if fmt == "json":
        return to_json(dataset(corpus, full=full))
    mask = corpus.site.mask_private
    if fmt == "csv":
        return to_csv(table, table_rows(table, corpus.disclosures, mask=mask))
    if fmt == "xlsx":
        from generator.data.xlsx import content_time, workbook

        rows = {t.name: table_rows(t, corpus.disclosures, mask=mask) for t in TABLES}
        return workbook(rows, content_time(corpus, epoch), corpus.site.name)
    raise ValueError(f"不支持的格式：{fmt}")
