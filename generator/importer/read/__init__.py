"""Stage 1 of `gongkai import`: a file → a `Document` of numbered, normalized lines.

Every file type comes out the same way, so the stages after this one never ask what
the file was: prose is one line per paragraph (wrapped PDF lines stay as they are),
a table row is one line with its cells separated by tabs. A merged cell is written
in its first grid cell; the cells it covers are left empty, so every row of a table
has as many cells as the table has columns.

  text.py   .txt (UTF-8 or GB18030)          docx.py  .docx (python-docx)
  xlsx.py   .xlsx (openpyxl, every sheet)    pdf.py   .pdf with a text layer (pdfplumber)
  html.py   .html as saved from a government page: the article, its chrome listed apart

Normalization keeps every character an author would want to keep and only undoes
what PDF extraction and OCR add (see `normalize.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.importer.read.normalize import CJK_CLASS, Line, is_cjk, normalize_line

__all__ = [
    "CJK_CLASS",
    "SUFFIXES",
    "Document",
    "Line",
    "ReadError",
    "is_cjk",
    "normalize_line",
    "read_document",
    "read_lines",
]

SUFFIXES = (".txt", ".text", ".md", ".docx", ".xlsx", ".xlsm", ".pdf", ".html", ".htm")
UNSUPPORTED = {
    ".doc": "Word 97-2003（.doc）",
    ".wps": "WPS（.wps）",
    ".xls": "Excel 97-2003（.xls）",
    ".et": "WPS 表格（.et）",
}


class ReadError(Exception):
    """The file cannot be turned into text; `message` is for the author, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Document:
    """What a file says: its lines, and the page chrome left out of them (site name, menus…)."""

    lines: list[Line]
    dropped: list[str] = field(default_factory=list)


def read_document(path: Path) -> Document:
    """Read `path` by its suffix; raises ReadError with a Chinese message on any failure."""
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise ReadError(
            f"暂不支持 {UNSUPPORTED[suffix]} 文件：请先在 Word、Excel 或 WPS 中另存为 .docx、.xlsx 或 .txt 后再导入。"
        )
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise ReadError("这是一个文件夹，不是文件。") from exc
    except OSError as exc:
        raise ReadError(f"无法读取文件：{exc.strerror or exc}") from exc
    raw, dropped = _raw_lines(suffix, data)
    lines = [Line(i, normalize_line(t)) for i, t in enumerate(raw, 1)]
    return Document(lines, [normalize_line(t) for t in dropped if t.strip()])


def read_lines(path: Path) -> list[Line]:
    """The lines of `path` (page chrome of an .html file left out)."""
    return read_document(path).lines


def _raw_lines(suffix: str, data: bytes) -> tuple[list[str], list[str]]:
    from generator.importer.read import docx, html, pdf, text, xlsx

    try:
        if suffix == ".docx":
            return docx.lines(data), []
        if suffix in (".xlsx", ".xlsm"):
            return xlsx.lines(data), []
        if suffix == ".pdf":
            return pdf.lines(data), []
        if suffix in (".html", ".htm"):
            return html.lines(text.decode(data, html=True))
        return text.decode(data).split("\n"), []
    except ReadError:
        raise
    except RecursionError as exc:
        raise ReadError("文件结构嵌套过深，无法读取。") from exc
    except Exception as exc:  # a broken file of any type must give a message, never a traceback
        raise ReadError(f"无法打开文件：{type(exc).__name__}，文件可能已损坏或不是它的扩展名所说的类型。") from exc
