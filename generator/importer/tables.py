"""Tables read by meaning: the header row(s) found, each column given a role by its header
text (`vocabulary.COLUMNS`), each data row's cells matched to those columns.

Rows come in as lists of cells. A header is the first row (or two rows: a spanning
`指标值` over `比较符 | 数值`) that names at least two columns. A data row with fewer cells
than the header omitted its leading (merged) cells; one with more was cut under a header
cell that spans several columns. Either way the row is fitted at the offset where its
cells agree best with the columns (a 一级 label under 一级指标, `≥` under 比较符, a number
under 指标值 …). `fit` returns the cells by role, or None when the row cannot be read
with confidence: the caller then keeps the row whole under 未识别.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.corpus import fields as F
from generator.importer.text import join_pieces, squash
from generator.importer.vocabulary import DIRECTIONS, MEASURES, OPERATORS, column_role

KEY_ROLES = {"name", "value", "l1", "l2"}
LEVEL2_PARENT = {l2: l1 for l1, l2s in F.LEVEL1.items() for l2 in l2s}
NUMBER = re.compile(r"^[≥≤=<>＜＞≧≦]?=?\s*[-+]?\d[\d,]*(?:\.\d+)?\s*(?:%|％)?$")
VALUE = re.compile(r"^(?:[≥≤=<>＜＞≧≦]=?|大于等于|小于等于|不低于|不少于|不高于|不超过)?\s*[-+]?\d")
MAX_LABEL_NOISE = 6  # a non-label in a 一级/二级 cell this short is OCR noise; longer, the row is misread


def canon1(label: str) -> str | None:
    s = squash(label)
    return s if s in F.LEVEL1 else F.LEVEL1_ALIASES.get(s)


def canon2(label: str) -> str | None:
    s = squash(label)
    return s if s in LEVEL2_PARENT else F.LEVEL2_ALIASES.get(s)


def is_op(cell: str) -> bool:
    return squash(cell) in OPERATORS and bool(squash(cell))


def is_measure(cell: str) -> bool:
    return squash(cell) in MEASURES


def is_direction(cell: str) -> bool:
    return squash(cell) in DIRECTIONS


def is_value(cell: str) -> bool:
    return bool(VALUE.match(cell.strip()))


def kind_of(cell: str) -> str:
    """What a data cell looks like: l1, l2, op, measure, direction, number, value, text or empty."""
    s = cell.strip()
    if not s:
        return "empty"
    if canon1(s) and not canon2(s):
        return "l1"
    if canon2(s):
        return "l2"
    if is_op(s):
        return "op"
    if is_measure(s):
        return "measure"
    if is_direction(s):
        return "direction"
    if NUMBER.match(s):
        return "number"
    if is_value(s):
        return "value"
    return "text"


# How well a cell of a kind sits in a column of a role (absent: 0).
_FIT = {
    ("l1", "l1"): 3, ("l2", "l2"): 3, ("l1", "l2"): 1, ("l2", "l1"): 1, ("l1", "indicator"): 1,
    ("l2", "indicator"): 1, ("op", "op"): 3, ("measure", "unit"): 3, ("direction", "direction"): 3,
    ("number", "value"): 2, ("value", "value"): 2, ("number", "weight"): 2, ("text", "name"): 2,
    ("text", "value"): 1, ("text", "explanation"): 1, ("text", "basis"): 1, ("text", "target"): 1,
    ("text", "project"): 1, ("number", "budget"): 1, ("op", "value"): 1, ("measure", "value"): 1,
}  # fmt: skip
_MISFIT = {"l1", "l2", "op", "measure", "direction"}  # kinds that must not stand in another role


def _score(roles: Sequence[str], cells: Sequence[str]) -> int:
    score = 0
    for role, cell in zip(roles, cells, strict=True):
        kind = kind_of(cell)
        if kind == "empty":
            continue
        gain = _FIT.get((kind, role), 0)
        if gain == 0 and (kind in _MISFIT or role in ("l1", "l2", "op", "unit", "weight")):
            gain = -3
        if role == "name" and kind in ("number", "op", "measure"):
            gain = -4
        if role == "":
            gain = -1
        score += gain
    return score


@dataclass
class Header:
    roles: list[str]  # per column; "" for a column without a known header
    labels: list[str]  # the header text of each column
    rows: int  # how many rows the header takes


def header_roles(cells: Sequence[str]) -> list[str | None]:
    return [column_role(c) if c.strip() else None for c in cells]


def header_cells(cells: Sequence[str]) -> list[str]:
    """A header cell that is two header words with a space (`一级指标 二级指标`) is two columns;
    one word with a space inside (`本年度 绩效指标`) stays one."""
    out: list[str] = []
    for cell in cells:
        parts = cell.split()
        if len(parts) > 1 and column_role(cell, exact=True) is None and all(column_role(p, exact=True) for p in parts):
            out.extend(parts)
        else:
            out.append(cell)
    return out


def is_header(cells: Sequence[str]) -> bool:
    """Does this row name at least two columns, one of them 三级指标, 指标值, 一级 or 二级?"""
    roles = header_roles(cells)
    known = [r for r in roles if r]
    unknown = sum(1 for c, r in zip(cells, roles, strict=True) if c.strip() and not r)
    data = sum(1 for c in cells if kind_of(c) in ("l1", "l2", "number", "value", "op"))
    return len(known) >= 2 and bool(KEY_ROLES & set(known)) and unknown <= len(known) and data == 0


def _sub_header(cells: Sequence[str]) -> bool:
    """A second header row: only header words (or empty cells), e.g. `| | | 比较符 | 数值 |`."""
    roles = header_roles(cells)
    words = [c for c in cells if c.strip()]
    return bool(words) and all(r for c, r in zip(cells, roles, strict=True) if c.strip())


def find_header(rows: Sequence[Sequence[str]]) -> tuple[int, Header] | None:
    """(index of the first header row, the header) for the first header in `rows`."""
    for i, row in enumerate(rows):
        cells = header_cells(row)
        while cells and not cells[-1].strip():
            cells.pop()
        if not is_header(cells):
            continue
        roles = [r or "" for r in header_roles(cells)]
        labels = [c.strip() for c in cells]
        if i + 1 < len(rows) and _sub_header(rows[i + 1]) and not is_header_complete(roles, rows[i + 1]):
            roles, labels = _merge(roles, labels, rows[i + 1])
            return i, Header(roles, labels, 2)
        return i, Header(roles, labels, 1)
    return None


def is_header_complete(roles: Sequence[str], below: Sequence[str]) -> bool:
    """True when the row below repeats the header (a table split over two pages) instead of refining it."""
    return [r for r in header_roles(below) if r] == [r for r in roles if r]


def _merge(roles: list[str], labels: list[str], below: Sequence[str]) -> tuple[list[str], list[str]]:
    """Combine a header row with its sub-header row: the lower word wins, a spanning upper word
    covers the empty cells to its right."""
    width = max(len(roles), len(below))
    upper = [*roles, *[""] * (width - len(roles))]
    upper_labels = [*labels, *[""] * (width - len(labels))]
    last, last_label = "", ""
    out, out_labels = [], []
    for c in range(width):
        if upper_labels[c]:
            last, last_label = upper[c], upper_labels[c]
        lower = below[c].strip() if c < len(below) else ""
        role = column_role(lower) if lower else None
        out.append(role or (upper[c] if upper_labels[c] else last))
        out_labels.append(lower or last_label)
    return out, out_labels


def fit(header: Header, cells: Sequence[str]) -> dict[str, list[str]] | None:
    """The row's non-empty cells grouped by role, or None when the row cannot be placed with confidence.

    A cell under a column without a known header is kept under `?<header text>`.
    """
    cells = [c.strip() for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    n, m = len(header.roles), len(cells)
    if m == 0:
        return {}
    if m <= n:
        options = [list(range(k, k + m)) for k in range(n - m, -1, -1)]
    else:
        options = [[*range(j + 1), *[j] * (m - n), *range(j + 1, n)] for j in range(n)]
    columns = max(options, key=lambda o: _score([header.roles[c] for c in o], cells))  # ties: rightmost offset
    out: dict[str, list[str]] = {}
    for c, cell in zip(columns, cells, strict=True):
        if cell:
            role = _role_for(header.roles[c], cell)
            out.setdefault(f"?{header.labels[c]}" if role == "?" else role, []).append(cell)
    return out if _confident(out) else None


def _role_for(role: str, cell: str) -> str:
    """A cell under a spanning 指标值 (or a column without header) by what it is: `≥`, `%`, a direction."""
    kind = kind_of(cell)
    if role in ("value", "", "indicator"):
        if kind == "op":
            return "op"
        if kind == "measure":
            return "unit"
        if kind == "direction":
            return "direction"
    if role == "indicator":
        return "l1" if kind == "l1" else "l2" if kind == "l2" else "?"
    return role or "?"


def _confident(out: dict[str, list[str]]) -> bool:
    """Placed only when it has a name and a value that look like a name and a value."""
    if not out.get("name") and not out.get("value"):
        return not any(k.startswith("?") for k in out)  # a row of labels only (一级/二级 on a line of their own)
    names, values = out.get("name", []), out.get("value", [])
    if len(names) != 1 or not values:
        return False
    if kind_of(names[0]) in ("op", "measure", "number"):
        return False
    if kind_of(names[0]) in ("l1", "l2") and not (out.get("l1") or out.get("l2")):
        return False  # a label where the name should be: the row is shifted
    if all(kind_of(v) in ("op", "measure") for v in values):
        return False
    for role in ("l1", "l2"):
        for cell in out.get(role, []):
            bad = canon1(cell) is None if role == "l1" else canon2(cell) is None
            if bad and len(squash(cell)) > MAX_LABEL_NOISE:
                return False
    return all(len(out.get(r, [])) <= 1 for r in ("l1", "l2", "op", "unit"))


def value_text(out: dict[str, list[str]]) -> str:
    """`≥` + `95` → `≥95`; a value split over cells is joined."""
    value = ""
    for cell in out.get("value", []):
        value = join_pieces(value, cell)
    op = out.get("op", [""])[0]
    symbol = OPERATORS.get(squash(op), "") if op else ""
    if symbol and not value.startswith(tuple(k for k in OPERATORS if k)):
        value = f"{symbol}{value}"
    return value
