"""绩效指标 tables: text rows → 一级 → 二级 → rows, with merged label cells carried down.

Three layouts are read:
- one row per line, cells separated by tabs or `|` (Word/Excel/Markdown exports,
  and the flattened tables of a .docx); several spaces or single spaces as a fallback;
- one cell per line, each led by a tab, rows separated by blank lines (PDF exports
  such as seed 000: `\\t数量`, blank, `指标` continues the cell);
Merged 一级/二级 cells come out empty and take the label above (or, before the first
label, the one below, as OCR puts a merged label on its middle row). The 一级 label
follows from the 二级 label when that cell is empty. A label cell that is neither
empty nor a known label (OCR noise) is treated as empty and reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from generator.corpus import fields as F
from generator.corpus.money import parse_indicator
from generator.importer.draft import Node, Path_
from generator.importer.read import Line
from generator.importer.text import Tracker, join_pieces, squash, tidy

LEVEL2_PARENT = {l2: l1 for l1, l2s in F.LEVEL1.items() for l2 in l2s}
HEADER_WORDS = (  # checked in order: 指标值说明 before 指标值
    ("指标值设定依据及数据来源", "basis"), ("绩效指标值设定依据", "basis"), ("指标值说明", "explanation"),
    ("指标说明", "explanation"), ("评（扣）分标准", "explanation"), ("数据来源", "basis"), ("设定依据", "basis"),
    ("依据", "basis"), ("一级指标", "l1"), ("二级指标", "l2"), ("三级指标", "name"), ("计量单位", "unit"),
    ("度量单位", "unit"), ("指标性质", "op"), ("比较符", "op"), ("指标值", "value"), ("目标值", "value"),
    ("权重", "weight"), ("分值", "weight"), ("年度绩效目标", "target"), ("项目年度绩效目标", "target"),
    ("绩效目标", "target"), ("年度目标", "target"), ("项目名称", "project"),
)  # fmt: skip
OPERATORS = {
    "≥": "≥", "≤": "≤", "=": "=", ">": ">", "<": "<", ">=": ">=", "<=": "<=", "＝": "=", "＞": ">", "＜": "<",
    "≧": "≥", "≦": "≤", "大于等于": "≥", "小于等于": "≤", "等于": "=", "大于": ">", "小于": "<",
}  # fmt: skip
ROW_KEYS = {"unit": "计量单位", "explanation": "指标值说明", "basis": "依据", "weight": "权重"}
GUESSED_EXTRAS = ("explanation", "basis", "weight")


def canon1(label: str) -> str | None:
    s = squash(label)
    return s if s in F.LEVEL1 else F.LEVEL1_ALIASES.get(s)


def canon2(label: str) -> str | None:
    s = squash(label)
    return s if s in LEVEL2_PARENT else F.LEVEL2_ALIASES.get(s)


@dataclass
class Row:
    cells: list[str]
    nos: list[int]
    loose: bool = False  # split at spaces: merged (empty) cells left no trace, so read by vocabulary


@dataclass
class Table:
    """The result: the 绩效指标 node, its doubts (paths relative to it), and the table's other cells."""

    node: dict[str, Node] = field(default_factory=dict)
    doubts: dict[Path_, str] = field(default_factory=dict)
    project: str | None = None
    target: str | None = None
    count: int = 0


def split_row(text: str) -> list[str]:
    if "\t" in text:
        return [c.strip() for c in text.split("\t")]
    if text.count("|") >= 2:
        return [c.strip() for c in text.strip().strip("|").split("|")]
    if re.search(r"\S {2,}\S", text):
        return [c.strip() for c in re.split(r" {2,}", text.strip())]
    return [c for c in text.split(" ") if c]


def to_rows(lines: Sequence[Line]) -> list[Row]:
    content = [ln for ln in lines if not ln.blank or ln.text.startswith("\t")]
    cell_per_line = sum(1 for ln in content if ln.text.startswith("\t") and ln.text.count("\t") == 1)
    if content and cell_per_line * 2 > len(content):
        return _cell_rows(lines)
    rows = []
    for ln in content:
        if ln.blank or re.fullmatch(r"[\s|:：\-—]+", ln.text):
            continue  # a Markdown separator row
        loose = "\t" not in ln.text and ln.text.count("|") < 2
        rows.append(Row(split_row(ln.text), [ln.no], loose))
    return rows


def _cell_rows(lines: Sequence[Line]) -> list[Row]:
    rows: list[Row] = []
    gap = True
    for ln in lines:
        if ln.text.startswith("\t"):  # a cell, possibly empty
            if gap or not rows:
                rows.append(Row([], []))
            rows[-1].cells.append(ln.text.strip())
        elif ln.blank:
            gap = True
            continue
        elif rows and rows[-1].cells:
            rows[-1].cells[-1] = join_pieces(rows[-1].cells[-1], ln.text.strip())
        else:
            rows.append(Row([ln.text.strip()], []))
        rows[-1].nos.append(ln.no)
        gap = False
    return rows


def header_roles(row: Row) -> list[str] | None:
    """Column roles if `row` is a header row (it names 三级指标 or 一级指标 and 指标值)."""
    words = [w for cell in row.cells for w in (cell.split() or [""])]
    roles = []
    for w in words:
        s = squash(w)
        roles.append(next((role for word, role in HEADER_WORDS if word in s), "" if not s else "?"))
    if "name" in roles or ("l1" in roles and "value" in roles):
        return roles
    return None


def infer_roles(rows: Sequence[Row]) -> list[str] | None:
    """Column roles of a table without header, from where the 一级/二级 labels stand."""
    width = max((len(r.cells) for r in rows), default=0)
    l1 = [sum(1 for r in rows if i < len(r.cells) and canon1(r.cells[i])) for i in range(width)]
    l2 = [sum(1 for r in rows if i < len(r.cells) and canon2(r.cells[i])) for i in range(width)]
    if not any(l1) and not any(l2):
        return None
    c1 = max(range(width), key=lambda i: l1[i]) if any(l1) else None
    c2 = max((i for i in range(width) if i != c1), key=lambda i: l2[i])
    if c1 is None or c1 > c2:
        c1 = c2 - 1 if c2 > 0 else None
    roles = [""] * width
    before = c1 if c1 is not None else c2
    for i, role in zip(range(before - 1, -1, -1), ("target", "project"), strict=False):
        roles[i] = role
    if c1 is not None:
        roles[c1] = "l1"
    roles[c2] = "l2"
    rest = ["name", "value", *GUESSED_EXTRAS]
    for i in range(c2 + 1, width):
        roles[i] = rest.pop(0) if rest else "?"
    return roles


def parse_table(lines: Sequence[Line], tracker: Tracker, budget: Decimal | None = None) -> Table:
    """Read an indicator table; its lines are marked used, or left for the caller to report.

    Rows above a header row are not indicators (they stay unplaced); without a header
    every row is read and the columns are inferred from where the labels stand.
    """
    rows = to_rows(lines)
    table = Table()
    at = next((i for i, row in enumerate(rows) if header_roles(row) is not None), None)
    roles = header_roles(rows[at]) if at is not None else None
    data = rows[at + 1 :] if at is not None else rows
    if at is not None:
        tracker.use(rows[at].nos)
    guessed = roles is None
    if (
        roles is None
        and data
        and all(r.loose for r in data)
        and any(canon1(c) or canon2(c) for r in data for c in r.cells)
    ):
        roles, guessed = ["l1", "l2", "name", "value"], False
    roles = roles or infer_roles(data)
    if roles is None:
        return table
    _Builder(table, roles, guessed, tracker, budget).run(data)
    return table


class _Builder:
    def __init__(self, table: Table, roles: list[str], guessed: bool, tracker: Tracker, budget: Decimal | None):
        self.table, self.roles, self.guessed, self.tracker, self.budget = table, roles, guessed, tracker, budget
        self.l1: str | None = None
        self.l2: str | None = None
        self.keys1: dict[str, str] = {}
        self.keys2: dict[tuple[str, str], str] = {}
        self.pending: list[tuple[Row, dict[str, str]]] = []
        self.loose_doubt: str | None = None

    def cells(self, row: Row) -> dict[str, str]:
        if row.loose:
            return self.loose_cells(row)
        out: dict[str, str] = {}
        for role, cell in zip(self.roles, row.cells, strict=False):
            if role and role != "?" and cell.strip():
                out.setdefault(role, cell.strip())
            elif role == "?" and cell.strip():
                out["?"] = join_pieces(out.get("?", ""), cell.strip())
        return out

    def loose_cells(self, row: Row) -> dict[str, str]:
        """Space-separated: leading known labels are 一级/二级, the last word the value, the rest the name."""
        words = list(row.cells)
        out: dict[str, str] = {}
        if words and "l1" in self.roles and canon1(words[0]):
            out["l1"] = words.pop(0)
        if words and "l2" in self.roles and canon2(words[0]):
            out["l2"] = words.pop(0)
        if len(words) >= 2:
            out["value"] = words.pop()
            out["name"] = " ".join(words)
            if len(words) > 1:
                self.loose_doubt = "原文以空格分列，请核对三级指标名称和指标值的分界"
        elif words:
            out["?"] = words[0]
        return out

    def run(self, rows: Sequence[Row]) -> None:
        for row in rows:
            self.row(row)
        for row, _ in self.pending:
            self.tracker.reject(row.nos[0], " ".join(c for c in row.cells if c))
            self.tracker.use(row.nos)

    def label(self, row: Row, cells: dict[str, str], role: str, canon: Callable[[str], str | None]) -> str | None:
        raw = cells.get(role)
        if raw is None:
            return None
        value = canon(raw)
        if value is None:
            self.tracker.reject(row.nos[0], raw)
        return value

    def row(self, row: Row) -> None:
        self.loose_doubt = None
        cells = self.cells(row)
        self.table.project = self.table.project or (tidy(cells["project"]) if "project" in cells else None)
        self.table.target = self.table.target or (tidy(cells["target"]) if "target" in cells else None)
        l1 = self.label(row, cells, "l1", canon1)
        l2 = self.label(row, cells, "l2", canon2)
        if l2 and l1 and LEVEL2_PARENT[l2] != l1:
            self.tracker.reject(row.nos[0], cells["l1"])
            l1 = None
        new1 = l1 or (LEVEL2_PARENT[l2] if l2 else None)
        if new1:
            self.keys1.setdefault(new1, squash(cells["l1"]) if l1 else new1)
            if new1 != self.l1:
                self.l2 = None
            self.l1 = new1
        if l2:
            self.keys2.setdefault((LEVEL2_PARENT[l2], l2), squash(cells["l2"]))
            self.l2 = l2
            self.flush_pending()
        elif new1 and len(F.LEVEL1[new1]) == 1:
            self.l2 = F.LEVEL1[new1][0]
            self.keys2.setdefault((new1, self.l2), self.l2)
        self.tracker.use(row.nos)
        if "name" not in cells and "value" not in cells:
            return
        if self.l2 is None:
            self.pending.append((row, cells))
        else:
            self.add(row, cells, None)

    def flush_pending(self) -> None:
        for row, cells in self.pending:
            self.add(row, cells, "原表此行的一级/二级指标单元格为空，按下方第一个标签归类")
        self.pending.clear()

    def add(self, row: Row, cells: dict[str, str], doubt: str | None) -> None:
        assert self.l2 is not None
        l1 = LEVEL2_PARENT[self.l2]
        if "name" not in cells or "value" not in cells:
            self.tracker.reject(row.nos[0], " ".join(c for c in row.cells if c))
            return
        value = tidy(cells["value"])
        op = cells.get("op", "").strip()
        if op in OPERATORS and not value.startswith(tuple(OPERATORS)):
            value = f"{OPERATORS[op]}{value}"  # a separate 指标性质 column: `≥` + `100`
        elif op and op not in OPERATORS:
            cells["explanation"] = join_pieces(cells.get("explanation", ""), f"指标性质：{op}")
        item: dict[str, Node] = {"名称": tidy(cells["name"]), "指标值": value}
        unit_doubt = self.cost_unit(item["指标值"]) if self.l2 == "成本指标" and "unit" not in cells else None
        for role, key in ROW_KEYS.items():
            if role in cells:
                item[key] = tidy(cells[role])
            elif role == "unit" and unit_doubt:
                item[key] = unit_doubt[0]
        if "?" in cells:
            self.tracker.reject(row.nos[0], cells["?"])
        k1 = self.keys1.setdefault(l1, l1)
        k2 = self.keys2.setdefault((l1, self.l2), self.l2)
        group = self.table.node.setdefault(k1, {})
        assert isinstance(group, dict)
        items = group.setdefault(k2, [])
        assert isinstance(items, list)
        path: Path_ = (k1, k2, len(items))
        items.append(item)
        self.table.count += 1
        if doubt or self.loose_doubt:
            self.table.doubts[path] = doubt or str(self.loose_doubt)
        if unit_doubt:
            self.table.doubts[(*path, "计量单位")] = unit_doubt[1]
        if self.guessed and any(k in item for k in ("指标值说明", "依据", "权重")):
            self.table.doubts[()] = "原表没有表头：三级指标、指标值之后的各列依次按 指标值说明、依据、权重 填写，请核对"

    def cost_unit(self, text: Node) -> tuple[str, str] | None:
        """(unit, reason) when a bare cost figure equals the project budget in 元 or 万元."""
        value = parse_indicator(str(text))
        if value.number is None or value.unit or self.budget is None:
            return None
        for unit, factor in (("元", 1), ("万元", 10_000)):
            if value.number * factor == self.budget:
                return unit, f"原表未写单位，按项目预算金额推断为{unit}"
        return None
