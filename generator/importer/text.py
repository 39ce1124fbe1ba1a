"""Shared text helpers for the importer: outline markers, prose paragraphs, money in sentences,
and the `Tracker` that guarantees no input line is silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from generator.corpus.errors import ContentError
from generator.corpus.money import parse_money
from generator.importer.read import CJK_CLASS, Line, is_cjk

_TIGHT = rf"{CJK_CLASS}0-9%≥≤"
_SPACES = re.compile(rf"(?<=[{_TIGHT}])[ \t]+(?=[{_TIGHT}])")

CN_DIGITS = "一二三四五六七八九十"
# Outline markers, outermost first: 一、  （一）  1.  （1）  ①
MARK_L1 = re.compile(rf"^[{CN_DIGITS}]+\s*[、.．]\s*")
MARK_L2 = re.compile(rf"^[（(]\s*[{CN_DIGITS}]+\s*[)）]\s*[、.．]?\s*")
MARK_L3 = re.compile(r"^\d{1,2}\s*[.．、](?!\d)\s*")
MARK_L4 = re.compile(r"^(?:[（(]\d{1,2}[)）]|[①-⑳])\s*")
MARKERS = (MARK_L1, MARK_L2, MARK_L3, MARK_L4)
TERMINAL = "。！？；：…!?;:"  # a line ending so ends its paragraph at a blank line
SENTENCE_END = "。！？!?"  # … and even without a blank line
LABEL_LINE = re.compile(rf"^[{CJK_CLASS}A-Za-z（）()/]{{2,12}}\s*[:：]")
HEADING_MAX = 20  # a numbered line this short is a heading, not the start of a wrapped paragraph
WRAP_MIN = 24  # a line this long that stops mid-sentence before a blank line was cut by a page break


def tidy(text: str) -> str:
    """Remove OCR spaces between Chinese characters and digits (never between two digits); trim."""

    def repl(m: re.Match[str]) -> str:
        before, after = text[m.start() - 1], text[m.end()]
        return m.group(0) if before.isdigit() and after.isdigit() else ""

    return _SPACES.sub(repl, text).strip()


def squash(text: str) -> str:
    """All whitespace removed: for comparing labels such as `数量\\n\\n指标` or `所属 单位/处室`."""
    return re.sub(r"\s+", "", text)


def marker(text: str) -> re.Match[str] | None:
    for pattern in MARKERS:
        m = pattern.match(text)
        if m:
            return m
    return None


def strip_marker(text: str) -> str:
    m = marker(text)
    return text[m.end() :].strip() if m else text.strip()


def has_content(text: str) -> bool:
    """False for lines with no letter, digit or Chinese character (`...`, `——`)."""
    return any(ch.isalnum() for ch in text)


@dataclass
class Para:
    """A prose paragraph rebuilt from one or more input lines."""

    text: str
    first: int
    last: int


def join_pieces(a: str, b: str) -> str:
    if a and b and not (is_cjk(a[-1]) or is_cjk(b[0])):
        return f"{a} {b}"
    return a + b


def _continues(prev: str, nxt: str, gap: bool) -> bool:
    """Does `nxt` continue the sentence `prev` was cut in (a PDF line or page break)?"""
    if marker(nxt) or not prev or prev[-1] in (TERMINAL if gap else SENTENCE_END):
        return False
    if LABEL_LINE.match(prev) and LABEL_LINE.match(nxt):
        return False
    if marker(prev) and len(prev) <= HEADING_MAX:  # `1.实施计划`: a numbered heading line, not a wrapped one
        return False
    return not gap or len(prev) >= WRAP_MIN


def paragraphs(lines: Sequence[Line]) -> list[Para]:
    """Prose paragraphs: wrapped lines and sentences cut by page breaks are joined again."""
    out: list[Para] = []
    gap = False
    for line in lines:
        if line.blank:
            gap = True
            continue
        text = line.text.replace("\t", " ").strip()
        if out and _continues(out[-1].text, text, gap):
            out[-1].text = join_pieces(out[-1].text, text)
            out[-1].last = line.no
        else:
            out.append(Para(text, line.no, line.no))
        gap = False
    for p in out:
        p.text = tidy(p.text)
    return out


def prose(lines: Sequence[Line]) -> str:
    """Paragraphs separated by blank lines, as written into a literal block."""
    return "\n\n".join(p.text for p in paragraphs(lines))


# Money inside sentences: `30.58万元`, `535000元`, `535,000.00元`, `3 万元`.
MONEY_IN_TEXT = re.compile(r"(?<![\d.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>亿元|万元|元)")


@dataclass(frozen=True)
class MoneyHit:
    start: int
    end: int
    text: str  # normalized: `3万元`
    yuan: Decimal


def find_money(text: str) -> list[MoneyHit]:
    hits: list[MoneyHit] = []
    for m in MONEY_IN_TEXT.finditer(text):
        amount = f"{m['num']}{m['unit']}"
        try:
            yuan = parse_money(amount)
        except ContentError:
            continue
        hits.append(MoneyHit(m.start(), m.end(), amount, yuan))
    return hits


@dataclass(frozen=True)
class Chunk:
    """Input text the importer could not place: lines `first`–`last`."""

    first: int
    last: int
    text: str

    @property
    def where(self) -> str:
        return f"第{self.first}行" if self.first == self.last else f"第{self.first}–{self.last}行"


class Tracker:
    """Records which input lines were placed in a draft; the rest become 未识别 chunks."""

    def __init__(self, lines: Sequence[Line]) -> None:
        self.lines = list(lines)
        self.used: set[int] = {ln.no for ln in lines if not has_content(ln.text)}
        self.extra: list[Chunk] = []

    def use(self, nos: Iterable[int]) -> None:
        self.used.update(nos)

    def use_lines(self, lines: Iterable[Line]) -> None:
        self.used.update(ln.no for ln in lines)

    def reject(self, no: int, text: str) -> None:
        """A piece of a line (e.g. one garbled table cell) that could not be placed."""
        self.extra.append(Chunk(no, no, text))

    def unplaced(self, lines: Sequence[Line] | None = None) -> list[Chunk]:
        """Unused non-blank lines (of `lines`, default all), grouped into runs, plus rejected pieces."""
        chunks: list[Chunk] = []
        run: list[Line] = []
        for line in [*(self.lines if lines is None else lines), None]:
            if line is not None and line.blank:
                continue
            if line is not None and line.no not in self.used:
                if run and line.no - run[-1].no > 2:
                    chunks.append(_chunk(run))
                    run = []
                run.append(line)
                continue
            if run:
                chunks.append(_chunk(run))
                run = []
        nos = {ln.no for ln in (self.lines if lines is None else lines)}
        chunks.extend(c for c in self.extra if c.first in nos)
        return sorted(chunks, key=lambda c: c.first)


def _chunk(run: list[Line]) -> Chunk:
    return Chunk(run[0].no, run[-1].no, "\n".join(ln.text.replace("\t", " ").strip() for ln in run))
