"""Accessibility touches applied to every built page.

Wide tables sit in `<div class="gk-scroll">` boxes that scroll sideways on phones. A box
that scrolls must be reachable by keyboard and named (WCAG 2.1.1; axe-core rule
scrollable-region-focusable), so each box gets tabindex="0", role="region" and an
aria-label: the table's caption, else the nearest heading above it, else 表格. Doing it
here, on the HTML of each page, covers every template's tables in one place.

Markdown tables (the 数据下载 page) get the same box and the site's table class; Material
would otherwise wrap them, from its script, in a scroll box no keyboard can reach.
"""

from __future__ import annotations

import html
import logging
import re

log = logging.getLogger(__name__)

_BOX = re.compile(r'<div class="gk-scroll">')
_MD_TABLE = re.compile(r"<table>(.*?)</table>", re.S)  # Python-Markdown's tables carry no attribute
_TABLE_END = re.compile(r"</table>")
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)
_TAG = re.compile(r"<[^>]+>")
_PERMALINK = "¶"
FALLBACK_LABEL = "表格"


def _plain(fragment: str) -> str:
    """Text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""
    text = html.unescape(_TAG.sub("", fragment)).replace(_PERMALINK, "")
    return " ".join(text.split())


def _label(page_html: str, start: int) -> str:
    end = _TABLE_END.search(page_html, start)
    inside = page_html[start : end.start() if end else len(page_html)]
    caption = _CAPTION.search(inside)
    if caption and _plain(caption.group(1)):
        return _plain(caption.group(1))
    headings = list(_HEADING.finditer(page_html, 0, start))
    if headings and _plain(headings[-1].group(2)):
        return _plain(headings[-1].group(2))
    return FALLBACK_LABEL


def label_scroll_boxes(page_html: str) -> str:
    """Make every table scroll box focusable and named; labels are unique on the page."""
    page_html = _MD_TABLE.sub(r'<div class="gk-scroll">\n<table class="gk-table gk-md">\1</table>\n</div>', page_html)
    seen: dict[str, int] = {}
    out: list[str] = []
    last = 0
    for match in _BOX.finditer(page_html):
        label = _label(page_html, match.end())
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            label = f"{label}（{seen[label]}）"
        out.append(page_html[last : match.start()])
        out.append(f'<div class="gk-scroll" tabindex="0" role="region" aria-label="{html.escape(label)}">')
        last = match.end()
    out.append(page_html[last:])
    return "".join(out)
