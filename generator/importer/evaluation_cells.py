"""Rows of cells out of the lines of a 项目支出绩效自评表, and which cells are the form's labels.

A line is cut into cells at tabs, `|` or runs of spaces (a line of single spaces is cut
there too unless it holds a `：`, which marks `label：value` text); inside a cell,
`总分：97.3 自评等级：优` is cut before each label. `label_of` knows a label cell
(`项 目 名 称`, `主管部门（单位）`) and a `label：value` cell. `segments` gives one run of
rows per form: a 项目名称 row after a table starts the next form, with the title lines
(and a sheet's name) above it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from generator.importer.evaluation_funds import fund_columns
from generator.importer.evaluation_rows import header_at
from generator.importer.read import Line
from generator.importer.rows import split_row
from generator.importer.text import squash
from generator.importer.vocabulary import EVAL_ASIDES, EVAL_LABELS, MONEY_UNIT_LINE, form_word, term_key

_WORDS = sorted({w for t in EVAL_LABELS for w in t.words} | set(EVAL_ASIDES), key=len, reverse=True)
_INLINE = re.compile(rf"(?:{'|'.join(re.escape(w) for w in _WORDS)})\s*(?:[（(][^）)]*[)）])?\s*[:：]")
_INLINE_LABEL = re.compile(r"^(?P<label>[^:：]{1,24}?)\s*[:：]\s*(?P<value>.*)$", re.S)
Row = tuple[Line, list[str]]


def _split_labels(cell: str) -> list[str]:
    """`总分：97.3 自评等级：优` → `总分：97.3`, `自评等级：优`."""
    starts = [m.start() for m in _INLINE.finditer(cell) if m.start() > 0 and not cell[m.start() - 1].isalnum()]
    starts = [s for s in starts if cell[:s].strip()]
    cuts = [0, *starts, len(cell)]
    return [cell[a:b].strip() for a, b in itertools.pairwise(cuts) if cell[a:b].strip()]


def cells_of(text: str, pipes: bool) -> list[str]:
    text = re.sub(r"^ *#{1,6} +", "", text)  # a Markdown heading: `# 标题` (leading tabs are empty cells)
    if "\t" in text or text.count("|") >= (1 if pipes else 2) or re.search(r"\S {2,}\S", text):
        cells = split_row(text, pipes)
    elif re.search(r"[:：]", text):
        cells = [text.strip()]
    else:
        cells = split_row(text)
    return [piece for cell in cells for piece in (_split_labels(cell) if cell else [""])]


def label_of(cell: str) -> tuple[str, str | None] | None:
    """(key, inline value or None) when `cell` is a label of the form (or an aside such as 备注)."""
    if (key := term_key(cell, EVAL_LABELS)) is not None:
        return key, None
    if form_word(cell) in EVAL_ASIDES:
        return f"!{form_word(cell)}", None
    m = _INLINE_LABEL.match(cell.strip())
    if m is None:
        return None
    key = term_key(m["label"], EVAL_LABELS) or (
        f"!{form_word(m['label'])}" if form_word(m["label"]) in EVAL_ASIDES else None
    )
    return (key, m["value"].strip()) if key else None


def segments(rows: Sequence[Row]) -> list[Sequence[Row]]:
    """One run of rows per form: a 项目名称 row after a table starts the next form (with its title lines)."""
    cuts = [0]
    seen_table = False
    for i, (_line, cells) in enumerate(rows):
        if fund_columns(cells) is not None or header_at([c for _, c in rows[i : i + 2]], 0) is not None:
            seen_table = True
            continue
        first = next((c for c in cells if c.strip()), "")
        found = label_of(first) if first else None
        if seen_table and found is not None and found[0] == "项目名称":
            cut = i
            while cut > cuts[-1] + 1 and _title_like(rows[cut - 1]):
                cut -= 1
            cuts.append(cut)
            seen_table = False
    return [rows[a:b] for a, b in zip(cuts, [*cuts[1:], len(rows)], strict=True)]


def _title_like(row: Row) -> bool:
    line, cells = row
    if line.blank:
        return True
    filled = [c for c in cells if c.strip()]
    return len(filled) == 1 and label_of(filled[0]) is None and len(squash(line.text)) <= 60  # a title, a sheet name


def unit_line(cells: Sequence[str]) -> re.Match[str] | None:
    filled = [c for c in cells if c.strip()]
    return MONEY_UNIT_LINE.match(squash(filled[0])) if len(filled) == 1 else None


def one_cell(line: Line, cells: Sequence[str]) -> Line:
    """A title written as a row of one filled cell (`| 标题 | | |`) as the plain line it stands for."""
    filled = [c for c in cells if c.strip()]
    return Line(line.no, filled[0].strip()) if len(filled) == 1 else line
