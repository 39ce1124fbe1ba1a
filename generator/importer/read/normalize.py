"""One line of input, and the normalization every reader applies to it.

Windows line ends, no-break and full-width spaces, Markdown bold markers and LaTeX-like
percent figures (`$\\geq 95\\%$` → `≥95%`) are undone. Tabs and inner spaces are kept:
they may separate table cells (`text.tidy` removes OCR spaces from prose later).
Control characters become U+FFFD so that garbled input stays visible in the draft
instead of breaking the YAML writer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CJK_CLASS = r"\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"  # Han, CJK punctuation, full-width forms
_CJK_RE = re.compile(rf"[{CJK_CLASS}]")


def is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


@dataclass(frozen=True)
class Line:
    """One line of the input after normalization; `no` is 1-based."""

    no: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


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
    text = text.replace("\u00a0", " ").replace("\u3000", " ").replace("\u200b", "").replace("\ufeff", "")
    text = _BOLD.sub("", text)
    text = _LATEX.sub(_latex, text)
    return text.strip(" ")


def _latex(m: re.Match[str]) -> str:
    body = m.group(1)
    for source, symbol in _LATEX_SYMBOLS.items():
        body = body.replace(source, symbol)
    body = body.replace("{", "").replace("}", "").replace(" ", "")
    return m.group(0) if "\\" in body or not body else body


def cell_text(text: str) -> str:
    """A table cell as one line: its inner line breaks and tabs become spaces (between Chinese: nothing)."""
    out = ""
    for part in (p.strip() for p in re.split(r"[\r\n\t]+", text)):
        if not part:
            continue
        if out and not (is_cjk(out[-1]) or is_cjk(part[0])):
            out += " "
        out += part
    return out
