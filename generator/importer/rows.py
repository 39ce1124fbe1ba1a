"""Table rows out of text lines: the layouts in which documents write a table.

- one row per line, cells separated by tabs or `|` (Word/Excel/HTML/PDF tables as the
  readers flatten them, Markdown); runs of two or more spaces, single spaces as a fallback;
- one cell per line, each led by a tab, rows separated by blank lines (PDF exports such
  as seed 000: `\\t数量`, blank, `指标` continues the cell);
- one cell per line or per paragraph (a Word table pasted as text, cells ending in `|`):
  the header's cells on lines of their own give the width; rows are separated by blank
  lines when only rows are, else they are cut where the next 一级/二级 label begins or
  the width is reached.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.importer.read import Line
from generator.importer.tables import canon1, canon2, kind_of
from generator.importer.text import join_pieces
from generator.importer.vocabulary import column_role


@dataclass
class Row:
    cells: list[str]
    nos: list[int] = field(default_factory=list)
    loose: bool = False  # split at spaces: merged (empty) cells left no trace, so read by vocabulary


def split_row(text: str, pipes: bool = False) -> list[str]:
    """The cells of one line; `pipes`: the table is written with `|`, so one `|` separates two cells."""
    if "\t" in text:
        return [c.strip() for c in text.split("\t")]
    if text.count("|") >= (1 if pipes else 2):
        return [c.strip() for c in text.strip().strip("|").split("|")]
    if re.search(r"\S {2,}\S", text):
        return [c.strip() for c in re.split(r" {2,}", text.strip())]
    return [c for c in text.split(" ") if c]


def _single(text: str) -> str | None:
    """The cell of a line that holds one cell (`产出指标|` or `产出指标`), else None."""
    s = text.strip()
    if "\t" in s or s.count("|") >= 2 or re.search(r"\S {2,}\S", s):
        return None
    return s[:-1].strip() if s.endswith("|") else s


def to_rows(lines: Sequence[Line]) -> list[Row]:
    content = [ln for ln in lines if not ln.blank or ln.text.startswith("\t")]
    cell_per_line = sum(1 for ln in content if ln.text.startswith("\t") and ln.text.count("\t") == 1)
    if content and cell_per_line * 2 > len(content):
        return _cell_rows(lines)
    stream = _stream_start(lines)
    pipes = sum(1 for ln in content if "|" in ln.text) * 2 > len(content)
    rows: list[Row] = []
    for i, ln in enumerate(lines):
        if stream is not None and i >= stream:
            return rows + _stream_rows(lines[stream:])
        if ln.blank or re.fullmatch(r"[\s|:：\-—+=]+", ln.text):
            continue  # a Markdown separator row
        loose = "\t" not in ln.text and ln.text.count("|") < (1 if pipes else 2)
        rows.append(Row(split_row(ln.text, pipes), [ln.no], loose))
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


STREAM_MIN = 3  # this many header words, one per line, start a one-cell-per-line table


def _stream_start(lines: Sequence[Line]) -> int | None:
    """Where a header written one cell per line begins (`一级指标` / `二级指标` / `三级指标` / …)."""
    run: list[int] = []
    for i, ln in enumerate(lines):
        if ln.blank:
            continue
        cell = _single(ln.text)
        if cell and column_role(cell) and kind_of(cell) not in ("l1", "l2"):
            run.append(i)
            if len(run) >= STREAM_MIN:
                return run[0]
        else:
            run = []
    return None


def _stream_rows(lines: Sequence[Line]) -> list[Row]:
    cells: list[tuple[Line, str, bool]] = []  # (line, cell, a blank line before it)
    gap = False
    for ln in lines:
        if ln.blank:
            gap = True
            continue
        cell = _single(ln.text)
        cells.append((ln, cell if cell is not None else ln.text.strip(), gap))
        gap = False
    width = 0
    while width < len(cells) and column_role(cells[width][1]) and kind_of(cells[width][1]) not in ("l1", "l2"):
        width += 1
    header = Row([c for _, c, _ in cells[:width]], [ln.no for ln, _, _ in cells[:width]])
    body = cells[width:]
    gaps = [g for _, _, g in body]
    by_blank = any(gaps) and not all(gaps[1:])  # blank lines between rows only
    value_last = column_role(header.cells[-1]) == "value" if header.cells else False
    rows: list[Row] = [header]
    current = Row([])
    for n, (ln, cell, gap) in enumerate(body):
        if current.cells and _row_ends(current, cell, gap if by_blank else None, width, value_last):
            rows.append(current)
            current = Row([])
        current.cells.append(cell)
        current.nos.append(ln.no)
        if not by_blank and len(current.cells) >= width and n + 1 < len(body):
            rows.append(current)
            current = Row([])
    if current.cells:
        rows.append(current)
    return rows


def _row_ends(row: Row, nxt: str, gap: bool | None, width: int, value_last: bool) -> bool:
    """Does the cell `nxt` start a new row? At a blank line (when only rows are separated so),
    at the table's width, after a value when 指标值 is the last column, or at a 一级/二级 label
    once the row has its name and value."""
    if gap is not None:
        return gap
    if len(row.cells) >= width:
        return True
    if value_last and len(row.cells) >= 2 and kind_of(row.cells[-1]) in ("number", "value"):
        return True
    unlabelled = sum(1 for c in row.cells if not (canon1(c) or canon2(c)))
    return bool(canon1(nxt) or canon2(nxt)) and unlabelled >= 2
