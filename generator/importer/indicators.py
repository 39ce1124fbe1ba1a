"""绩效指标 tables: rows (`rows.py`) → 一级 → 二级 → 三级 rows, labels carried down.

With a header, each row is fitted to the columns by `tables.fit`; without one, the
columns are inferred from where the 一级/二级 labels stand. Merged 一级/二级 cells come
out empty (or are omitted) and take the label above (or, before the first label, the
one below, as OCR puts a merged label on its middle row); a group whose label was
carried so is marked 待核对. The 一级 label follows from the 二级 label when that cell is
empty. A short non-label in a label cell (OCR noise) is reported and the row still read;
a row that cannot be read with confidence goes whole to 未识别, its cells joined by ` | `.

A `项目名称` column starts a new part at each new project: one draft per project.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from generator.corpus import fields as F
from generator.corpus.money import parse_indicator
from generator.importer.draft import Node, Path_
from generator.importer.read import Line
from generator.importer.rows import Row, split_row, to_rows
from generator.importer.tables import LEVEL2_PARENT, Header, canon1, canon2, find_header, fit, is_op, value_text
from generator.importer.text import Tracker, join_pieces, squash, tidy

__all__ = ["Row", "Table", "canon1", "canon2", "parse_table", "split_row", "starts_table"]

ROW_KEYS = {"unit": "计量单位", "explanation": "指标值说明", "basis": "依据", "weight": "权重"}
GUESSED_EXTRAS = ("explanation", "basis", "weight")
CARRIED = "原表第{}行起的一级/二级指标单元格为空或省略，按上一行归类"


@dataclass
class Table:
    """The result: the 绩效指标 node, its doubts (paths relative to it), and the table's other cells.

    `parts` holds one Table per project when the table has a 项目名称 column naming several.
    """

    node: dict[str, Node] = field(default_factory=dict)
    doubts: dict[Path_, str] = field(default_factory=dict)
    project: str | None = None
    target: str | None = None
    budget: str | None = None
    count: int = 0
    first: int = 0  # the line this project's rows start at
    parts: list[Table] = field(default_factory=list)


def starts_table(text: str) -> bool:
    """Is this line an indicator table's header row (or a row with a 一级 label in its first cells)?"""
    from generator.importer.tables import header_cells, is_header

    cells = split_row(text)
    if is_header(header_cells(cells)):
        return True
    return len(cells) >= 3 and any(canon1(c) for c in cells[:2])


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
        roles[i] = rest.pop(0) if rest else ""
    return roles


def parse_table(lines: Sequence[Line], tracker: Tracker, budget: Decimal | None = None) -> Table:
    """Read an indicator table; its lines are marked used, or left for the caller to report.

    Rows above a header row are not indicators (they stay unplaced); without a header
    every row is read and the columns are inferred from where the labels stand.
    """
    rows = to_rows(lines)
    table = Table()
    found = find_header([r.cells for r in rows])
    header = found[1] if found else None
    data = rows[found[0] + found[1].rows :] if found else rows
    if found:
        for r in rows[found[0] : found[0] + found[1].rows]:
            tracker.use(r.nos)
    guessed = header is None
    if (
        header is None
        and data
        and all(r.loose for r in data)
        and any(canon1(c) or canon2(c) for r in data for c in r.cells)
    ):
        header, guessed = (
            Header(["l1", "l2", "name", "value"], ["一级指标", "二级指标", "三级指标", "指标值"], 1),
            False,
        )
    if header is None:
        roles = infer_roles(data)
        header = Header(roles, [""] * len(roles), 1) if roles else None
    if header is None:
        return table
    _Builder(table, header, guessed, tracker, budget).run(data)
    return table


class _Builder:
    def __init__(self, table: Table, header: Header, guessed: bool, tracker: Tracker, budget: Decimal | None):
        self.table, self.header, self.guessed, self.tracker, self.budget = table, header, guessed, tracker, budget
        self.part = table
        table.parts.append(table)
        self.l1: str | None = None
        self.l2: str | None = None
        self.keys1: dict[str, str] = {}
        self.keys2: dict[tuple[str, str], str] = {}
        self.pending: list[tuple[Row, dict[str, str]]] = []
        self.loose_doubt: str | None = None
        self.labelled = False  # the current row gave its own 二级 label

    def cells(self, row: Row) -> dict[str, str] | None:
        if row.loose:
            return self.loose_cells(row)
        fitted = fit(self.header, row.cells)
        if fitted is None:
            return None
        out: dict[str, str] = {}
        for role, cells in fitted.items():
            for cell in cells:
                out[role] = join_pieces(out[role], cell) if role in out else cell
        if fitted.get("value"):
            out["value"] = value_text(fitted)
        op = out.pop("op", None)
        if op and not is_op(op):  # `定性` in a 指标性质 column: kept as a note
            label = self.header.labels[self.header.roles.index("op")] if "op" in self.header.roles else "指标性质"
            out["explanation"] = "；".join([*([out["explanation"]] if "explanation" in out else []), f"{label}：{op}"])
        return out

    def loose_cells(self, row: Row) -> dict[str, str]:
        """Space-separated: leading known labels are 一级/二级, the last word the value, the rest the name."""
        words = list(row.cells)
        out: dict[str, str] = {}
        if words and "l1" in self.header.roles and canon1(words[0]):
            out["l1"] = words.pop(0)
        if words and "l2" in self.header.roles and canon2(words[0]):
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
            self.whole(row)

    def whole(self, row: Row) -> None:
        """The row could not be read with confidence: all of it goes to 未识别, as one piece."""
        self.tracker.reject(row.nos[0], " | ".join(c for c in row.cells if c.strip()))
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
        if cells is None:
            self.whole(row)
            return
        self.project(row, cells)
        self.part.target = self.part.target or (tidy(cells["target"]) if "target" in cells else None)
        self.part.budget = self.part.budget or (tidy(cells["budget"]) if "budget" in cells else None)
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
        self.labelled = bool(l2)
        if l2:
            self.keys2.setdefault((LEVEL2_PARENT[l2], l2), squash(cells["l2"]))
            self.l2 = l2
            self.flush_pending()
        elif new1 and len(F.LEVEL1[new1]) == 1:
            self.l2 = F.LEVEL1[new1][0]
            self.keys2.setdefault((new1, self.l2), self.l2)
            self.labelled = True
        self.tracker.use(row.nos)
        if "name" not in cells and "value" not in cells:
            for key in [k for k in cells if k.startswith("?")]:
                self.tracker.reject(row.nos[0], cells[key])
            return
        if self.l2 is None:
            self.pending.append((row, cells))
        else:
            self.add(row, cells, None, carried=not self.labelled)

    def project(self, row: Row, cells: dict[str, str]) -> None:
        """A new name in the 项目名称 column starts the next project's part."""
        name = tidy(cells["project"]) if "project" in cells else None
        if name is None or (self.part.project and squash(name) == squash(self.part.project)):
            return
        if self.part.project is not None:
            self.part = Table(first=row.nos[0])
            self.table.parts.append(self.part)
            self.l1 = self.l2 = None
            self.keys1, self.keys2 = {}, {}
        self.part.project = name
        self.part.first = self.part.first or row.nos[0]

    def flush_pending(self) -> None:
        for row, cells in self.pending:
            self.add(row, cells, "原表此行的一级/二级指标单元格为空，按下方第一个标签归类")
        self.pending.clear()

    def add(self, row: Row, cells: dict[str, str], doubt: str | None, carried: bool = False) -> None:
        assert self.l2 is not None
        l1 = LEVEL2_PARENT[self.l2]
        if "name" not in cells or "value" not in cells:
            self.whole(row)
            return
        item: dict[str, Node] = {"名称": tidy(cells["name"]), "指标值": tidy(cells["value"])}
        extra = [f"指标方向：{cells['direction']}"] if "direction" in cells else []
        extra += [f"{k[1:]}：{v}" if k[1:] else v for k, v in cells.items() if k.startswith("?")]
        if extra:
            cells["explanation"] = "；".join([*([cells["explanation"]] if "explanation" in cells else []), *extra])
        unit_doubt = self.cost_unit(item["指标值"]) if self.l2 == "成本指标" and "unit" not in cells else None
        for role, key in ROW_KEYS.items():
            if role in cells:
                item[key] = tidy(cells[role])
            elif role == "unit" and unit_doubt:
                item[key] = unit_doubt[0]
        k1 = self.keys1.setdefault(l1, l1)
        k2 = self.keys2.setdefault((l1, self.l2), self.l2)
        group = self.part.node.setdefault(k1, {})
        assert isinstance(group, dict)
        items = group.setdefault(k2, [])
        assert isinstance(items, list)
        path: Path_ = (k1, k2, len(items))
        items.append(item)
        self.part.count += 1
        if doubt or self.loose_doubt:
            self.part.doubts[path] = doubt or str(self.loose_doubt)
        if carried:
            self.part.doubts.setdefault((k1, k2), CARRIED.format(row.nos[0]))
        if unit_doubt:
            self.part.doubts[(*path, "计量单位")] = unit_doubt[1]
        if self.guessed and any(k in item for k in ("指标值说明", "依据", "权重")):
            self.part.doubts[()] = "原表没有表头：三级指标、指标值之后的各列依次按 指标值说明、依据、权重 填写，请核对"

    def cost_unit(self, text: Node) -> tuple[str, str] | None:
        """(unit, reason) when a bare cost figure equals the project budget in 元 or 万元."""
        value = parse_indicator(str(text))
        if value.number is None or value.unit or self.budget is None:
            return None
        for unit, factor in (("元", 1), ("万元", 10_000)):
            if value.number * factor == self.budget:
                return unit, f"原表未写单位，按项目预算金额推断为{unit}"
        return None
