"""A .pdf with a text layer (pdfplumber): per page, tables found by their ruling lines
and the words outside them, in reading order (top to bottom). A wide gap between words
on one line becomes two spaces (it may separate a label from its value); a tall gap
between lines becomes a blank line (a new paragraph). A PDF without any text is a scan:
the author is told to run OCR first."""

from __future__ import annotations

import io
import itertools
import logging
from collections.abc import Sequence
from typing import Any

from generator.importer.read.normalize import cell_text

PARAGRAPH_GAP = 1.8  # a line gap this many times the text height starts a new paragraph
WORD_GAP = 1.2  # a gap this many times the text height between words is a column break


def lines(data: bytes) -> list[str]:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # its font warnings mean nothing to an author
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    from generator.importer.read import ReadError

    out: list[str] = []
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                chars += len(page.chars)
                out.extend(_page_lines(page))
                out.append("")
    except PDFPasswordIncorrect as exc:
        raise ReadError("这个 PDF 设有密码：请先取消密码保护再导入。") from exc
    except Exception as exc:  # pdfminer raises many types for broken files
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise ReadError("这个 PDF 设有密码：请先取消密码保护再导入。") from exc
        raise ReadError(f"无法打开 PDF 文件（{type(exc).__name__}）：文件已损坏或不完整。") from exc
    if not chars:
        raise ReadError(
            "这个 PDF 没有文字层（可能是扫描件或图片）："
            "请先用 OCR 软件识别成文字（或另存为带文字的 PDF、Word），再导入。"
        )
    return out


def _page_lines(page: Any) -> list[str]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    blocks: list[tuple[float, list[str]]] = []
    for table in tables:
        rows = ["\t".join(cell_text(c or "") for c in row) for row in table.extract()]
        blocks.append((table.bbox[1], ["", *[r for r in rows if r.strip("\t ")], ""]))
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    words = outside.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
    blocks.extend(_text_blocks(words))
    blocks.sort(key=lambda b: b[0])
    return [line for _, block in blocks for line in block]


def _inside(obj: dict[str, Any], boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _text_blocks(words: list[dict[str, Any]]) -> list[tuple[float, list[str]]]:
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        height = word["bottom"] - word["top"]
        if rows and abs((rows[-1][0]["top"] + rows[-1][0]["bottom"]) / 2 - (word["top"] + word["bottom"]) / 2) <= max(
            2, height / 2
        ):
            rows[-1].append(word)
        else:
            rows.append([word])
    blocks: list[tuple[float, list[str]]] = []
    bottom = None
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        height = max(w["bottom"] - w["top"] for w in row)
        text = row[0]["text"]
        for a, b in itertools.pairwise(row):
            gap = b["x0"] - a["x1"]
            text += ("  " if gap > WORD_GAP * height else " ") + b["text"]
        top = row[0]["top"]
        lead: list[str] = [""] if bottom is not None and top - bottom > PARAGRAPH_GAP * height else []
        blocks.append((top, [*lead, text]))
        bottom = max(w["bottom"] for w in row)
    return blocks
