"""Display helpers for the site: money, changes, escaped text, relative URLs.

Every function that takes author text returns `Markup` that is already escaped, so the
templates (autoescaped) never double-escape it and never let it through unescaped.
Author text is never treated as a template or as Markdown.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup, escape

from generator.corpus.money import CENT, wan_text, yuan_text
from generator.corpus.privacy import mask, strip_invisible

# Characters Python-Markdown treats specially in inline text; a backslash makes them literal.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!<&])")
# Page titles go into Material templates that print them unescaped (header, <title>, aria-label),
# so the few characters HTML cares about are swapped for their full-width look-alikes there.
_TITLE_SAFE = str.maketrans({"&": "＆", "<": "＜", ">": "＞", '"': "＂", "'": "＇"})


def wan(yuan: Decimal) -> str:
    """`535000` → `53.50` (万元, two decimals)."""
    return wan_text(yuan)


def yuan(value: Decimal) -> str:
    """`535000` → `535,000.00` (exact 元)."""
    return yuan_text(value)


def percent(part: Decimal, whole: Decimal) -> str:
    """Share of a whole, one decimal: `74.06%`; `—` when the whole is zero."""
    if whole == 0:
        return "—"
    return f"{(part * 100 / whole).quantize(CENT, rounding=ROUND_HALF_UP)}%"


def change(previous: Decimal, current: Decimal) -> str:
    """Signed difference in 万元 and in percent: `+12.30 万元（+23.00%）`."""
    diff = current - previous
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    text = f"{sign}{wan(abs(diff))} 万元"
    if previous != 0:
        pct = (abs(diff) * 100 / previous).quantize(CENT, rounding=ROUND_HALF_UP)
        text += f"（{sign}{pct}%）"
    return text


class TextFilter:
    """Turns author text into escaped HTML, masking private data when the site asks for it."""

    def __init__(self, mask: bool) -> None:
        self.mask = mask

    def plain(self, text: str | None) -> str:
        """The text as the site shows it (masked if configured), not yet escaped."""
        if text is None:
            return ""
        return mask(text) if self.mask else strip_invisible(text)

    def inline(self, text: str | None) -> Markup:
        """Escaped text for inside an HTML element; line breaks become <br>."""
        shown = self.plain(text).strip()
        if "\n" not in shown:  # most values: one line (this runs ~60 times per page)
            return escape(shown)
        return Markup("<br>\n").join(escape(line.strip()) for line in shown.split("\n"))

    def paragraphs(self, text: str | None) -> Markup:
        """Blank-line separated paragraphs → <p> elements (no blank lines inside the HTML block)."""
        paras = [p for p in re.split(r"\n\s*\n", self.plain(text).strip()) if p.strip()]
        return Markup("\n").join(Markup("<p>{}</p>").format(self.inline(p)) for p in paras)

    def heading(self, text: str | None) -> Markup:
        """Text for a Markdown heading line: escaped for HTML and for Markdown, on one line."""
        one_line = " ".join(self.plain(text).split())
        return Markup(_MD_SPECIAL.sub(lambda m: _md_escape(m[1]), one_line))

    def title(self, text: str | None) -> str:
        """Text for a page title in front matter (see _TITLE_SAFE)."""
        return " ".join(self.plain(text).split()).translate(_TITLE_SAFE)


def _md_escape(ch: str) -> str:
    if ch == "<":
        return "&lt;"
    if ch == "&":
        return "&amp;"
    return "\\" + ch


def rel(from_url: str, to_url: str) -> str:
    """Relative link between two site URLs ('' is the home page), e.g. '../../units/x/'.

    `from_url` is a directory URL ('units/x/') or a file ('source/a.yml.html'); so is `to_url`,
    which may carry a '#fragment'. Pure string work: this runs for every link of every page.
    """
    if to_url.startswith("#"):
        return to_url
    target, sep, frag = to_url.partition("#")
    base = from_url.split("/")[:-1]
    parts = target.split("/")
    n = 0
    while n < len(base) and n < len(parts) - 1 and base[n] == parts[n]:
        n += 1
    path = "../" * (len(base) - n) + "/".join(parts[n:])
    return (path or "./") + sep + frag
