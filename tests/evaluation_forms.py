"""项目支出绩效自评表 documents made to order: a `Form` (what the form says) laid out by a `Layout`
(how a unit prints it) as a grid of cells with merged ranges, then written as .txt (tabs, `|`,
runs of spaces), .xlsx, .docx or .html. `expected(form, layout)` is the draft the importer must
make of it. Used by the property tests (tests/test_import_evaluation.py) and by the fixture
builders (tests/import_fixtures.py), so each fixture is one point of the space the tests explore.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MONEY = ("年初预算数", "全年预算数", "全年执行数")
FUND_COLUMNS = (*MONEY, "分值", "执行率", "得分")
WORDS = {"l1": "一级指标", "l2": "二级指标", "name": "三级指标", "target": "年度指标值", "actual": "实际完成值",
         "points": "分值", "score": "得分", "deviation": "偏差原因分析及改进措施", "": "绩效指标"}  # fmt: skip
FULL = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (inclusive)


@dataclass(frozen=True)
class Indicator:
    l1: str
    l2: str
    name: str
    target: str
    actual: str
    points: str
    score: str
    deviation: str = ""


@dataclass(frozen=True)
class Form:
    project: str
    indicators: tuple[Indicator, ...]
    funds: dict[str, dict[str, str]]  # row → column → figure (bare, in 万元)
    unit: str = "示例县信访局"
    department: str = "示例县信访局"
    year: int = 2022
    planned: str = "规范来访接待，信访事项及时受理率达到100%。"
    actual: str = "全年接待来访326批次，信访事项及时受理率100%。"
    total: str = "97.3"
    points_total: str | None = "100"
    grade: str | None = "优"
    remark: str | None = None

    @property
    def title(self) -> str:
        return f"{self.unit}{self.year}年度项目支出绩效自评表"


@dataclass(frozen=True)
class Layout:
    fund_order: tuple[str, ...] = FUND_COLUMNS
    row_order: tuple[str, ...] = ("target", "actual", "points", "score", "deviation")
    label_column: bool = True  # a first column 项目资金 / 绩效指标 spanning its block
    two_row_fund: bool = False  # `项目资金（万元）` on a row of its own above the column names
    two_row_rows: str = "none"  # none | value (指标值 over 年度/实际) | levels (绩效指标 over 一级/二级/三级)
    appropriation: str = "本年财政拨款"  # or 当年财政拨款
    unit_in: str = "header"  # header | line | cells | none
    fullwidth: bool = False
    spaced: bool = False  # `项 目 名 称`
    merged: bool = True  # repeated 一级/二级 cells merged (blank) or written on every row
    weights: bool = True  # 产出指标(50分)
    total_style: str = "grid"  # grid (under 分值/得分) | short (总分 | 100 | 97.3)
    grade_style: str = "inline"  # inline (in the 总分 row) | row | none
    goal_style: str = "header"  # header (labels over the texts) | side (label beside each text)

    @property
    def columns(self) -> list[str]:
        return [*([""] if self.label_column else []), "l1", "l2", "name", *self.row_order]


def rate(spent: Decimal, budget: Decimal) -> str:
    """执行率 as the form prints it: two decimals, rounded half up."""
    return f"{(spent * 100 / budget).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def weights(form: Form) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for row in form.indicators:
        out[row.l1] = out.get(row.l1, Decimal(0)) + Decimal(row.points)
    return out


def _num(text: str, layout: Layout) -> str:
    return text.translate(FULL) if layout.fullwidth else text


def _spaced(word: str, layout: Layout) -> str:
    return " ".join(word) if layout.spaced and len(word) <= 4 else word


class _Grid:
    def __init__(self, width: int) -> None:
        self.width = width
        self.rows: list[list[str]] = []
        self.merges: list[Merge] = []

    def __call__(self, cells: dict[int, str]) -> int:
        self.rows.append([cells.get(c, "") for c in range(self.width)])
        return len(self.rows) - 1


def grid(form: Form, layout: Layout) -> tuple[list[list[str]], list[Merge]]:
    """The form as rows of cells, all as wide, and the merged ranges."""
    cols = layout.columns
    width = len(cols)
    add = _Grid(width)
    merges = add.merges

    r = add({0: form.title})
    merges.append((r, 0, r, width - 1))
    if layout.unit_in == "line":
        r = add({0: "金额单位：万元"})
        merges.append((r, 0, r, width - 1))
    r = add({0: _spaced("项目名称", layout), 1: form.project})
    merges.append((r, 1, r, width - 1))
    mid = width // 2
    r = add({0: _spaced("主管部门", layout), 1: form.department, mid: _spaced("实施单位", layout), mid + 1: form.unit})
    merges.append((r, 1, r, mid - 1))
    _funds(form, layout, add, merges, width)
    _goal(form, layout, add, merges, width, mid)
    _rows(form, layout, add, merges, cols)
    _total(form, layout, add, cols)
    if form.remark:
        r = add({0: "备注", 1: form.remark})
        merges.append((r, 1, r, width - 1))
    return add.rows, merges


def _funds(form: Form, layout: Layout, add: _Grid, merges: list[Merge], width: int) -> None:
    first = width - len(layout.fund_order)
    label = "项目资金（万元）" if layout.unit_in == "header" else "项目资金"
    top = add({0: label}) if layout.two_row_fund else None
    head = {first + i: c for i, c in enumerate(layout.fund_order)}
    start = add(head | ({} if layout.two_row_fund else {0: label}))
    at = 1 if layout.label_column else 0
    for key, values in form.funds.items():
        name = key if key == "年度资金总额" else f"其中：{layout.appropriation}" if key == "本年财政拨款" else key
        cells = {at: name}
        for i, column in enumerate(layout.fund_order):
            value = values.get(column, "—")
            if column in MONEY and value != "—":
                value = _num(value, layout) + ("万元" if layout.unit_in == "cells" else "")
            elif value != "—":
                value = _num(value, layout)
            cells[first + i] = value
        end = add(cells)
        if at < first - 1:
            merges.append((end, at, end, first - 1))
    if at == 1:
        merges.append((start, 0, end, 0))
    if top is not None:
        merges.append((top, 0, top, width - 1))


def _goal(form: Form, layout: Layout, add: _Grid, merges: list[Merge], width: int, mid: int) -> None:
    if layout.goal_style == "header":
        a = add({0: "年度总体目标", 1: "预期目标", mid: "实际完成情况"})
        b = add({1: form.planned, mid: form.actual})
        merges.extend(
            [(a, 0, b, 0), (a, 1, a, mid - 1), (b, 1, b, mid - 1), (a, mid, a, width - 1), (b, mid, b, width - 1)]
        )
    else:
        a = add({0: "年度总体目标", 1: "预期目标", 2: form.planned})
        b = add({1: "实际完成情况", 2: form.actual})
        merges.extend([(a, 0, b, 0), (a, 2, a, width - 1), (b, 2, b, width - 1)])


def _rows(form: Form, layout: Layout, add: _Grid, merges: list[Merge], cols: list[str]) -> None:
    at = {c: i for i, c in enumerate(cols)}
    if layout.two_row_rows == "value":
        t, a = at["target"], at["actual"]
        top = add({i: WORDS[c] for i, c in enumerate(cols) if c not in ("target", "actual")} | {min(t, a): "指标值"})
        add({t: WORDS["target"], a: WORDS["actual"]})
        merges.append((top, min(t, a), top, max(t, a)))
        merges.extend((top, i, top + 1, i) for i, c in enumerate(cols) if c not in ("target", "actual", ""))
        start = top
    elif layout.two_row_rows == "levels":
        levels = ("l1", "l2", "name")
        top = add({i: WORDS[c] for i, c in enumerate(cols) if c not in (*levels, "")} | {at["l1"]: "绩效指标"})
        add({at[c]: WORDS[c] for c in levels})
        merges.append((top, at["l1"], top, at["name"]))
        merges.extend((top, i, top + 1, i) for i, c in enumerate(cols) if c not in levels)
        start = top
    else:
        start = add({i: WORDS[c] for i, c in enumerate(cols)})
    w = weights(form)
    spans: dict[str, list[int]] = {}
    previous: tuple[str, str] | None = None
    for row in form.indicators:
        l1 = f"{row.l1}({w[row.l1]}分)" if layout.weights else row.l1
        cells = {at["name"]: row.name, at["target"]: row.target, at["actual"]: row.actual}
        cells |= {at["points"]: _num(row.points, layout), at["score"]: _num(row.score, layout)}
        cells[at["deviation"]] = row.deviation
        new1 = previous is None or previous[0] != row.l1
        new2 = new1 or previous is None or previous[1] != row.l2
        if new1 or not layout.merged:
            cells[at["l1"]] = l1
        if new2 or not layout.merged:
            cells[at["l2"]] = row.l2
        r = add(cells)
        for key, new in ((f"1{row.l1}", new1), (f"2{row.l1}{row.l2}", new2)):
            if new:
                spans[key] = [r, r]
            spans[key][1] = r
        previous = (row.l1, row.l2)
    if layout.merged:
        for key, (a, b) in spans.items():
            c = at["l1"] if key[0] == "1" else at["l2"]
            if b > a:
                merges.append((a, c, b, c))
    if layout.label_column:
        merges.append((start, 0, len(add.rows) - 1, 0))


def _total(form: Form, layout: Layout, add: _Grid, cols: list[str]) -> None:
    at = {c: i for i, c in enumerate(cols)}
    grade = form.grade if layout.grade_style != "none" else None
    if layout.total_style == "grid":
        cells = {0: "总分", at["score"]: _num(form.total, layout)}
        if form.points_total:
            cells[at["points"]] = _num(form.points_total, layout)
        free = [i for i in range(len(cols) - 1, 0, -1) if i not in cells]
        if grade and layout.grade_style == "inline" and free and free[0] == len(cols) - 1:
            cells[free[0]] = f"自评等级：{grade}"
            grade = None
    else:
        figures = [*([form.points_total] if form.points_total else []), form.total]
        cells = {0: "总分", **{i + 1: _num(f, layout) for i, f in enumerate(figures)}}
        if grade and layout.grade_style == "inline":
            cells |= {len(figures) + 1: "自评等级", len(figures) + 2: grade}
            grade = None
    add(cells)
    if grade:
        add({0: "自评等级", 1: grade})


# -- files -------------------------------------------------------------------------------------


def text(rows: list[list[str]], style: str, wrap: int | None = None) -> str:
    """tabs: every cell; pipes: `| a | b |`; spaces: the filled cells, two spaces apart. `wrap`
    (spaces): a row's last cell longer than that goes on over lines of its own, as a PDF's text does."""
    lines = []
    for n, row in enumerate(rows):
        if style == "tabs":
            lines.append("\t".join(row).rstrip("\t"))
        elif style == "pipes":
            lines.append("| " + " | ".join(row) + " |")
        else:
            filled = [c for c in row if c]
            pieces = _wrapped(filled[-1], wrap) if wrap and n and len(filled) > 1 else [filled[-1]]
            lines.append("    ".join([*filled[:-1], pieces[0]]))
            lines.extend(pieces[1:])
    return "\n".join(lines) + "\n"


def _wrapped(cell: str, width: int) -> list[str]:
    """`cell` cut into lines of about `width` characters, each cut beside a Chinese character.

    A tail without a Chinese character is never cut off: a line of nothing but a number or a
    comma between rows reads as a page number or stray mark (kept under 未识别), and a real PDF's
    wrapped text can't be told from one."""
    out, start = [], 0
    for i in range(width, len(cell), width):
        if not re.search("[\u4e00-\u9fff]", cell[i:]):
            break
        if "\u4e00" <= cell[i - 1] <= "\u9fff" or "\u4e00" <= cell[i] <= "\u9fff" or cell[i - 1] in "，。；":
            out.append(cell[start:i])
            start = i
    return [*out, cell[start:]]


def _typed(cell: str) -> tuple[object, str | None]:
    """A cell as a budget system stores it: figures as numbers, percentages as fractions shown as %."""
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?%", cell):
        places = len(cell[:-1].split(".")[1]) if "." in cell else 0
        return float(Decimal(cell[:-1]) / 100), "0." + "0" * places + "%" if places else "0%"
    if re.fullmatch(r"[0-9]+", cell):
        return int(cell), None
    if re.fullmatch(r"[0-9]+\.[0-9]+", cell) and not cell.endswith("0"):
        return float(cell), None
    return cell or None, None


def xlsx(rows: list[list[str]], merges: list[Merge], numbers: bool = False) -> bytes:
    """`numbers`: figures stored as numbers and percentages as formatted fractions, as exported sheets do."""
    return workbook([("自评表", rows, merges)], numbers)


def workbook(sheets: list[tuple[str, list[list[str]], list[Merge]]], numbers: bool = False) -> bytes:
    """One sheet per (title, rows, merges)."""
    from openpyxl import Workbook

    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for title, rows, merges in sheets:
        _sheet(wb.create_sheet(title), rows, merges, numbers)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(ws: Any, rows: list[list[str]], merges: list[Merge], numbers: bool) -> None:
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            typed, shape = _typed(value) if numbers else (value or None, None)
            if typed is not None:
                ws.cell(r, c, typed)
            if shape:
                ws.cell(r, c).number_format = shape
    for r0, c0, r1, c1 in merges:
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)


def docx(rows: list[list[str]], merges: list[Merge]) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph(rows[0][0])
    body = rows[1:]
    table = doc.add_table(rows=len(body), cols=len(body[0]))
    for r, row in enumerate(body):
        for c, value in enumerate(row):
            if value:
                table.cell(r, c).text = value
    for r0, c0, r1, c1 in merges:
        if r0 > 0 and (r0, c0) != (r1, c1):
            table.cell(r0 - 1, c0).merge(table.cell(r1 - 1, c1))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def html_page(rows: list[list[str]], merges: list[Merge], ruled: bool = False) -> str:
    """A page with the form as a table; `ruled`: cell borders drawn (for a PDF printed from it)."""
    anchors = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merges}
    covered = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    covered -= set(anchors)
    style = "<style>table{border-collapse:collapse}td{border:1px solid #000;padding:2px}</style>" if ruled else ""
    out = [f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>自评表</title>{style}</head><body>"]
    out.append(f"<article><h1>{html.escape(rows[0][0])}</h1><table>")
    for r, row in enumerate(rows[1:], 1):
        cells = []
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            span = anchors.get((r, c), (1, 1))
            attrs = (f" rowspan='{span[0]}'" if span[0] > 1 else "") + (f" colspan='{span[1]}'" if span[1] > 1 else "")
            cells.append(f"<td{attrs}>{html.escape(value)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table></article></body></html>")
    return "\n".join(out)


# -- what the importer must make of it ---------------------------------------------------------


def expected(form: Form, layout: Layout) -> dict[str, object]:
    """The draft's values (without 待核对 comments) for `form` in `layout`."""
    funds: dict[str, object] = {}
    for key, values in form.funds.items():
        name = layout.appropriation if key == "本年财政拨款" else key
        funds[name] = {
            column: _num(values[column], layout) + ("万元" if column in MONEY else "")
            for column in FUND_COLUMNS
            if column in values and values[column] != "—"
        }
    w = weights(form)
    tree: dict[str, dict[str, list[dict[str, str]]]] = {}
    for row in form.indicators:
        l1 = f"{row.l1}({w[row.l1]}分)" if layout.weights else row.l1
        item = {"名称": row.name, "年度指标值": row.target, "实际完成值": row.actual}
        item |= {"分值": _num(row.points, layout), "得分": _num(row.score, layout)}
        if row.deviation:
            item["偏差原因分析及改进措施"] = row.deviation
        tree.setdefault(l1, {}).setdefault(row.l2, []).append(item)
    data: dict[str, object] = {
        "类型": "项目支出绩效自评表",
        "单位": form.unit,
        "年度": str(form.year),
        "标题": form.title,
        "项目名称": form.project,
        "主管部门": form.department,
        "实施单位": form.unit,
        "项目资金": funds,
        "年度总体目标": {"预期目标": form.planned, "实际完成情况": form.actual},
        "绩效指标": tree,
        "总分": _num(form.total, layout),
    }
    if form.grade and layout.grade_style != "none":
        data["自评等级"] = form.grade
    return data


# -- the forms of the fixtures (tests/import_fixtures.py) --------------------------------------

SAMPLE = Form(
    project="信访接待服务经费项目",
    funds={
        "年度资金总额": {"年初预算数": "20", "全年预算数": "20", "全年执行数": "18.6", "分值": "10", "执行率": "93.00%",
                         "得分": "9.3"},
        "本年财政拨款": {"年初预算数": "18", "全年预算数": "18", "全年执行数": "16.74", "执行率": "93.00%"},
        "上年结转资金": {"年初预算数": "2", "全年预算数": "2", "全年执行数": "1.86", "执行率": "93.00%"},
    },
    planned="规范来访接待，信访事项及时受理率达到100%，按期办结率不低于95%，来访群众满意度不低于90%。",
    actual="全年接待来访326批次，开展联合接访12次；信访事项及时受理率100%，按期办结率93%，来访群众满意度92.5%。",
    indicators=(
        Indicator("产出指标", "数量指标", "接待群众来访批次", ">=300批次", "326批次", "10", "10"),
        Indicator("产出指标", "数量指标", "开展联合接访次数", ">=12次", "12次", "10", "10"),
        Indicator("产出指标", "质量指标", "信访事项及时受理率", "=100%", "100%", "10", "10"),
        Indicator("产出指标", "质量指标", "信访事项按期办结率", "≥95%", "93%", "10", "8",
                  "3件信访事项涉及多个部门，协调时间较长，未能按期办结；下一步建立跨部门限时办理机制。"),
        Indicator("产出指标", "成本指标", "信访接待服务经费", "≤20万元", "18.6万元", "10", "10"),
        Indicator("效益指标", "社会效益指标", "全县信访秩序", "持续向好", "持续向好，全年未发生群体性事件", "15", "15"),
        Indicator("效益指标", "可持续影响指标", "信访积案化解率", "≥80%", "85%", "15", "15"),
        Indicator("满意度指标", "服务对象满意度指标", "来访群众满意度", "≥90%", "92.5%", "10", "10"),
    ),
    total="97.3",
)  # fmt: skip
SECOND = Form(
    project="信访法律援助服务项目",
    funds={
        "年度资金总额": {"年初预算数": "6", "全年预算数": "5", "全年执行数": "5", "分值": "10", "执行率": "100.00%",
                         "得分": "10"},
        "本年财政拨款": {"年初预算数": "6", "全年预算数": "5", "全年执行数": "5", "执行率": "100.00%"},
    },
    planned="聘请律师参与接访，为信访群众提供法律咨询不少于200人次。",
    actual="律师参与接访48天，提供法律咨询236人次，引导12件信访事项转入法定途径。",
    indicators=(
        Indicator("产出指标", "数量指标", "法律咨询人次", "≥200人次", "236人次", "30", "30"),
        Indicator("产出指标", "时效指标", "律师接访天数", "≥48天", "48天", "20", "20"),
        Indicator("效益指标", "社会效益指标", "信访事项转入法定途径件数", "≥10件", "12件", "30", "30"),
        Indicator("满意度指标", "服务对象满意度指标", "咨询群众满意度", "≥90%", "88%", "10", "8",
                  "部分咨询群众诉求超出法律途径，对答复不满意；下一步与司法所联合回访。"),
    ),
    total="98",
    remark="本年度预算在年中调减1万元。",
)  # fmt: skip
