"""ASCII pinyin slugs for URLs: 盘龙区信访局 → panlongqu-xinfangju.

pypinyin's phrase dictionary picks the reading of polyphonic characters in context
(重庆 → chongqing, 银行行长 → yinhang-hangzhang). Chinese is cut into two-character
chunks (most words have two), with a cut after administrative suffixes such as 区/县
so a region prefix stays together. Slugs are a pure function of the text, so the
same content gives the same URL in every build; collisions are resolved by the
callers in a fixed order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from pypinyin import Style, lazy_pinyin

_ADMIN_SUFFIX = set("省市州县区旗盟")
MAX_LEN = 60


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _per_char(run: str) -> Any:
    """pypinyin's `errors` hook: keep a non-Han run as one item per character."""
    return list(run)


@lru_cache(maxsize=65536)
def syllables(text: str) -> tuple[str, ...]:
    """One lower-case ASCII item per character of `text` (pinyin for Han, itself otherwise)."""
    out: list[str] = lazy_pinyin(text, style=Style.NORMAL, errors=_per_char)
    if len(out) != len(text):  # pragma: no cover - defensive: fall back to per-character
        out = [lazy_pinyin(c, style=Style.NORMAL, errors=_per_char)[0] for c in text]
    return tuple(s.lower() for s in out)


def _chunks(text: str) -> list[str]:
    """Split into words: runs of Han characters in pairs, ASCII runs whole."""
    pinyin = syllables(text)
    words: list[str] = []
    han: list[int] = []  # indices of the current Han run

    def flush() -> None:
        pairs = [han[i : i + 2] for i in range(0, len(han), 2)]
        if len(pairs) > 1 and len(pairs[-1]) == 1:
            last = pairs.pop()
            pairs[-1] = pairs[-1] + last
        words.extend("".join(pinyin[i] for i in p) for p in pairs)
        han.clear()

    ascii_run = ""
    for i, ch in enumerate(text):
        if _is_han(ch):
            if ascii_run:
                words.append(ascii_run)
                ascii_run = ""
            han.append(i)
            if ch in _ADMIN_SUFFIX and len(han) >= 3 and i < 8:
                flush()
        else:
            flush()
            if ch.isascii() and ch.isalnum():
                ascii_run += ch.lower()
            elif ascii_run:
                words.append(ascii_run)
                ascii_run = ""
    flush()
    if ascii_run:
        words.append(ascii_run)
    return [re.sub(r"[^a-z0-9]", "", w) for w in words if w]


def slugify(text: str, fallback: str = "x") -> str:
    """`信访工作经费` → `xinfang-gongzuo-jingfei`; at most 60 characters, cut between words."""
    out = ""
    for word in _chunks(text):
        if not word:
            continue
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > MAX_LEN:
            break
        out = candidate
    return out or fallback


def initial(text: str) -> str:
    """The A–Z letter a name files under (its first syllable's initial), '#' if none."""
    for s in syllables(text):
        if s and "a" <= s[0] <= "z":
            return s[0].upper()
    return "#"


def unique(items: Iterable[tuple[str, str]], qualify: Callable[[str], str]) -> dict[str, str]:
    """Assign each key its base slug; where bases collide, qualify, then number, in key order.

    `items` are (key, base slug); `qualify(key)` gives a more specific slug for a key
    (e.g. prefixed with its county). Keys must be stable (a file path), so the result
    is the same in every build.
    """
    pairs = sorted(items)
    by_base: dict[str, list[str]] = {}
    for key, base in pairs:
        by_base.setdefault(base, []).append(key)
    result: dict[str, str] = {}
    for base, keys in by_base.items():
        if len(keys) == 1:
            result[keys[0]] = base
            continue
        for key in keys:
            result[key] = qualify(key)
    taken: dict[str, int] = {}
    for key in sorted(result):
        slug = result[key]
        n = taken.get(slug, 0) + 1
        taken[slug] = n
        if n > 1:
            result[key] = f"{slug}-{n}"
    return result
