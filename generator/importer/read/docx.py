"""A .docx flattened in document order: each paragraph a line followed by a blank line,
each table row one line of tab-separated cells on the table's grid (a merged cell in its
first grid cell, the cells it covers empty)."""

from __future__ import annotations

import io
import logging
import zipfile

from generator.importer.read.normalize import cell_text

log = logging.getLogger(__name__)


def lines(data: bytes) -> list[str]:
    from docx import Document
    from docx.table import Table

    from generator.importer.read import ReadError

    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError("无法打开 .docx 文件：文件已损坏，或不是 Word 2007 及以后版本的文档。") from exc
    except Exception as exc:  # python-docx raises its own types for broken packages
        log.debug("python-docx failed: %r", exc)
        raise ReadError(f"无法打开 .docx 文件：{type(exc).__name__}，文件可能已损坏。") from exc
    out: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            out.append("")
            out.extend(_table_rows(block))
            out.append("")
        else:
            out.extend(block.text.split("\n"))
            out.append("")
    return out


def _table_rows(table: object) -> list[str]:
    from docx.table import Table, _Cell

    assert isinstance(table, Table)
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = [""] * row.grid_cols_before
        for tc in row._tr.tc_lst:
            text = "" if tc.vMerge == "continue" else _cell_text(_Cell(tc, table))
            cells.extend([text.replace("\t", " ")] + [""] * (tc.grid_span - 1))
        if any(c.strip() for c in cells):
            rows.append("\t".join(cells))
    return rows


def _cell_text(cell: object) -> str:
    """A cell's paragraphs joined as one text; a table nested in the cell is flattened into it."""
    from docx.table import Table, _Cell

    assert isinstance(cell, _Cell)
    parts: list[str] = []
    for block in cell.iter_inner_content():
        if isinstance(block, Table):
            parts.extend(" ".join(_cell_text(c) for c in row.cells) for row in block.rows)
        else:
            parts.extend(block.text.split("\n"))
    return cell_text("\n".join(parts))
