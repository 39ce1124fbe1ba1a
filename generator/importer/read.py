"""Stage 1 of `gongkai import`: a .txt or .docx file → numbered, normalized lines.

Normalization keeps every character an author would want to keep and only undoes
what PDF extraction and OCR add: Windows line ends, no-break and full-width spaces,
Markdown bold markers, and LaTeX-like percent figures (`$\\geq 95\\%$` → `≥95%`).
Tabs and inner spaces are kept: they may separate table cells (`text.tidy` removes
OCR spaces from prose later). Control characters become U+FFFD so that garbled input
stays visible in the draft instead of breaking the YAML writer.

A .docx is flattened in document order: each paragraph becomes a line followed by
a blank line; each table row becomes one line with its cells separated by tabs,
the continuation of a vertically merged cell left empty and a horizontally merged
cell written once.
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt", ".text", ".md", "")
DOCX_SUFFIXES = (".docx",)
UNSUPPORTED = {
    ".doc": "Word 97-2003（.doc）",
    ".wps": "WPS（.wps）",
    ".pdf": "PDF",
    ".xls": "Excel",
    ".xlsx": "Excel",
}


CJK_CLASS = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"  # Han, CJK punctuation, full-width forms
_CJK_RE = re.compile(rf"[{CJK_CLASS}]")


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


class ReadError(Exception):
    """The file cannot be turned into text; `message` is for the author, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Line:
    """One line of the input after normalization; `no` is 1-based."""

    no: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def read_lines(path: Path) -> list[Line]:
    """Read `path` as .txt or .docx; raises ReadError with a Chinese message on failure."""
    suffix = path.suffix.lower()
    if suffix in UNSUPPORTED:
        raise ReadError(f"暂不支持 {UNSUPPORTED[suffix]} 文件：请先在 Word 或 WPS 中另存为 .docx 或 .txt 后再导入。")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"无法读取文件：{exc.strerror or exc}") from exc
    raw = docx_lines(data) if suffix in DOCX_SUFFIXES else decode_text(data).split("\n")
    return [Line(i, normalize_line(t)) for i, t in enumerate(raw, 1)]


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030; otherwise a ReadError."""
    if data.startswith(b"PK\x03\x04"):
        raise ReadError("这是一个压缩包或 Word（.docx）文件，不是纯文本：如果是 Word 文件，请把扩展名改为 .docx。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8-sig":
            log.info("按 %s 编码读取", encoding.upper())
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise ReadError("无法识别文件编码：既不是 UTF-8 也不是 GB18030（GBK）。请用记事本或 WPS 另存为 UTF-8 编码后重试。")


def docx_lines(data: bytes) -> list[str]:
    """Flatten a .docx: paragraphs (each followed by a blank line) and table rows (tab-separated)."""
    import io

    try:
        from docx import Document
        from docx.table import Table

        document = Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.append("")
                lines.extend(_table_rows(block))
                lines.append("")
            else:
                lines.extend(block.text.split("\n"))
                lines.append("")
        return lines
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError("无法打开 .docx 文件：文件已损坏，或不是 Word 2007 及以后版本的文档。") from exc
    except Exception as exc:  # python-docx raises its own types for broken packages
        log.debug("python-docx failed: %r", exc)
        raise ReadError(f"无法打开 .docx 文件：{type(exc).__name__}，文件可能已损坏。") from exc


def _table_rows(table: object) -> list[str]:
    from docx.table import Table, _Cell

    assert isinstance(table, Table)
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = [""] * row.grid_cols_before
        for tc in row._tr.tc_lst:
            if tc.vMerge == "continue":
                cells.append("")
            else:
                cells.append(_cell_text(_Cell(tc, table)))
        if any(c.strip() for c in cells):
            rows.append("\t".join(c.replace("\t", " ") for c in cells))
    return rows


_LATEX = re.compile(r"\$([^$\n]{1,40})\$")
_LATEX_SYMBOLS = {
    r"\geqslant": "≥", r"\leqslant": "≤", r"\geq": "≥", r"\leq": "≤", r"\ge": "≥", r"\le": "≤",
    r"\%": "%", r"\times": "×", r"\pm": "±", r"\sim": "～", r"\cdot": "·", r"\approx": "≈",
    r"\neq": "≠", r"\ne": "≠",
}  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_BOLD = re.compile(r"^\s*\*\*|\*\*\s*$")


def normalize_line(text: str) -> str:
    """Undo PDF/OCR artefacts on one line; see the module docstring."""
    text = _CONTROL.sub("\ufffd", text)
    text = text.replace("\u00a0", " ").replace("\u3000", " ").replace("\u200b", "")
    text = _BOLD.sub("", text)
    text = _LATEX.sub(_latex, text)
    return text.strip(" ")


def _latex(m: re.Match[str]) -> str:
    body = m.group(1)
    for source, symbol in _LATEX_SYMBOLS.items():
        body = body.replace(source, symbol)
    body = body.replace("{", "").replace("}", "").replace(" ", "")
    return m.group(0) if "\\" in body or not body else body


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
    return join_wrapped(parts)


def join_wrapped(parts: list[str]) -> str:
    """Join pieces of one logical text: no separator between Chinese characters, else one space."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(part[0])):
            out += " "
        out += part
    return out
