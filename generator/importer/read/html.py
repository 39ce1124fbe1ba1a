"""An .html page as saved from a government site: the article found, the rest set apart.

The article is the element holding most of the page's non-link text (paragraphs and
tables), widened to its parents while they add little more (the title and the
`发布时间` line above the text). Everything outside it (site name, menus, breadcrumb,
footer) is returned as dropped lines for the report. `<table>` rows become lines of
tab-separated cells on the table's grid (rowspan and colspan expanded, the covered
cells empty); a table that holds another table is page layout and is read as blocks.
"""

from __future__ import annotations

import re
from typing import Any

from generator.importer.read.normalize import cell_text

BLOCKS = {
    *("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header", "footer"),
    *("nav", "dl", "dt", "dd", "blockquote", "pre", "center", "form", "main", "aside", "table"),
}
SKIP = {"script", "style", "noscript", "template", "iframe", "object", "svg", "head", "select", "button", "input"}
WIDEN = 0.1  # go up to the parent while it adds at most this share of text, or a title's worth
TITLE_ALLOWANCE = 60
HEADED, HEADED_ALLOWANCE = 0.5, 300  # … and more when the parent holds the article's title


def lines(text: str) -> tuple[list[str], list[str]]:
    import lxml.html

    if not text.strip():
        return [], []
    root = lxml.html.document_fromstring(text)
    for el in list(root.iter(*SKIP)):
        if el.getparent() is not None:
            el.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    article = _article(body)
    out: list[str] = []
    _blocks(article, out)
    dropped: list[str] = []
    _outside(body, article, set(article.iterancestors()), dropped)
    return out, [d for d in dropped if d.strip()]


def _text_len(el: Any, links: int = 0) -> int:
    """Characters of text in `el`, less `links` times those inside its links."""
    in_links = sum(len(re.sub(r"\s+", "", "".join(a.itertext()))) for a in el.iter("a")) if links else 0
    return max(len(re.sub(r"\s+", "", "".join(el.itertext()))) - links * in_links, 0)


def _article(body: Any) -> Any:
    scores: dict[Any, float] = {}
    for el in body.iter("p", "td", "li", "div", "span", "font", "h1", "h2", "h3", "table", "pre"):
        if _chrome_named(el):
            continue
        own = len(re.sub(r"\s+", "", (el.text or "") + "".join(c.tail or "" for c in el)))
        if el.tag == "table":
            own = _text_len(el, links=2)
        parent = el.getparent()
        for depth, anc in enumerate((parent, parent.getparent() if parent is not None else None)):
            if anc is not None and anc is not body and not _chrome_named(anc):
                scores[anc] = scores.get(anc, 0) + own / (depth + 1) + (own if _content_named(anc) else 0)
    if not scores:
        return body
    best = max(scores, key=lambda e: scores[e])
    length = _text_len(best)
    while best is not body and best.getparent() is not None and best.getparent() is not body:
        parent = best.getparent()
        wider = _text_len(parent)
        titled = _has_title(parent, best)
        allowance = max(length * (HEADED if titled else WIDEN), HEADED_ALLOWANCE if titled else TITLE_ALLOWANCE)
        links = _text_len(parent) - _text_len(parent, links=1) - (length - _text_len(best, links=1))
        if wider - length > allowance or _chrome_named(parent) or links * 2 >= wider - length > 0:
            break  # the parent adds too much, or mostly links (a menu beside the article)
        best, length = parent, wider
    return best


def _has_title(parent: Any, inner: Any) -> bool:
    """Does `parent` hold a heading (h1–h3, or an element named *title*) outside `inner`?"""
    for el in parent.iter():
        if el is inner:
            continue
        heading = el.tag in ("h1", "h2", "h3") or "title" in _name(el).lower()
        if heading and not any(a is inner for a in el.iterancestors()):
            return True
    return False


_CHROME_NAME = re.compile(r"nav|menu|foot|header|top|crumb|banner|copyright|side|bottom|share|search|login|link", re.I)
_CONTENT_NAME = re.compile(r"article|content|zoom|detail|trs_?editor|text|con_?main|wz", re.I)


def _name(el: Any) -> str:
    return f"{el.get('id') or ''} {el.get('class') or ''}"


def _chrome_named(el: Any) -> bool:
    parent = el.getparent()
    return bool(_CHROME_NAME.search(_name(el)) or (parent is not None and _CHROME_NAME.search(_name(parent))))


def _content_named(el: Any) -> bool:
    return bool(_CONTENT_NAME.search(_name(el)))


def _inline(el: Any) -> str:
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.tag == "br":
            parts.append("\n")
        elif isinstance(node.tag, str) and node.tag not in SKIP:
            parts.append(node.text or "")
            for child in node:
                walk(child)
                parts.append(child.tail or "")

    walk(el)
    return "".join(parts)


def _blocks(el: Any, out: list[str]) -> None:
    """Append `el`'s text: a line per block (and a blank after a paragraph), a table's rows."""
    if el.tag == "table" and not _layout_table(el):
        out.extend(["", *_table_rows(el), ""])
        return
    if not any(isinstance(c.tag, str) and c.tag in BLOCKS | {"tr", "td", "th", "tbody"} for c in el.iter()
               if c is not el):  # fmt: skip
        text = _inline(el)
        out.extend(t for t in text.split("\n"))
        out.append("")
        return
    buffer = el.text or ""
    for child in el:
        if not isinstance(child.tag, str):
            buffer += child.tail or ""
            continue
        if child.tag in BLOCKS or child.tag in ("tr", "td", "th", "tbody", "thead", "tfoot"):
            if buffer.strip():
                out.extend([*buffer.split("\n"), ""])
            buffer = ""
            _blocks(child, out)
        elif child.tag == "br":
            buffer += "\n"
        else:
            buffer += _inline(child)
        buffer += child.tail or ""
    if buffer.strip():
        out.extend([*buffer.split("\n"), ""])


def _layout_table(table: Any) -> bool:
    """A table used for page layout: it holds another table, or a cell holds several paragraphs."""
    if table.find(".//table") is not None:
        return True
    return any(sum(1 for b in cell.iter("p", "div", "h1", "h2", "h3", "ul") if b is not cell) >= 3
               for cell in table.iter("td", "th"))  # fmt: skip


def _table_rows(table: Any) -> list[str]:
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.iter("tr")]
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            span_r, span_c = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            for dr in range(span_r):
                for dc in range(span_c):
                    grid[(r + dr, c + dc)] = ""
            grid[(r, c)] = cell_text(_inline(cell)).replace("\t", " ")
            c += span_c
            width = max(width, c)
    out = []
    for r in range(len(rows)):
        cells = [grid.get((r, c), "") for c in range(width)]
        if any(x.strip() for x in cells):
            out.append("\t".join(cells))
    return out


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 200))
    except ValueError:
        return 1


def _outside(node: Any, article: Any, ancestors: set[Any], dropped: list[str]) -> None:
    """The text of `node` outside `article` (whose ancestors are given), one entry per block."""
    if node is article:
        return
    if node not in ancestors:
        text = re.sub(r"[ \t]*\n\s*", " ", _inline(node)).strip()
        if text:
            dropped.append(text)
        return
    buffer = node.text or ""
    for child in node:
        if isinstance(child.tag, str):
            if buffer.strip():
                dropped.append(buffer.strip())
            buffer = ""
            _outside(child, article, ancestors, dropped)
        buffer += child.tail or ""
    if buffer.strip():
        dropped.append(buffer.strip())
