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

from pypinyin import Style, lazy_pinyin, load_phrases_dict
from pypinyin.seg.mmseg import seg as mmseg

from generator.corpus.privacy import mask

_ADMIN_SUFFIX = set("省市州县区旗盟")
_SUFFIX = _ADMIN_SUFFIX | set("局厅委办")
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")

# Place names whose reading pypinyin's phrase dictionary gets wrong (长 is cháng in these, 单 is shàn).
_PLACE_READINGS = {
    "长宁": "cháng níng",
    "长治": "cháng zhì",
    "长阳": "cháng yáng",
    "长垣": "cháng yuán",
    "长葛": "cháng gě",
    "长岭": "cháng lǐng",
    "长丰": "cháng fēng",
    "长顺": "cháng shùn",
    "长海": "cháng hǎi",
    "长泰": "cháng tài",
    "长武": "cháng wǔ",
    "单县": "shàn xiàn",
}
load_phrases_dict({k: [[p] for p in v.split()] for k, v in _PLACE_READINGS.items()})
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


def _han_words(run: str) -> list[str]:
    """Cut a run of Han characters into words for a readable slug.

    Words of pypinyin's phrase dictionary stay whole (信访, 社会); a suffix such as 区 or 局
    right after a word joins it (信访局); other single characters are paired (处突, 经费),
    a last lone one joining the pair before it (盘龙区).
    """
    words: list[str] = []
    singles: list[str] = []

    def flush() -> None:
        pairs = ["".join(singles[i : i + 2]) for i in range(0, len(singles), 2)]
        if len(pairs) > 1 and len(pairs[-1]) == 1:
            last = pairs.pop()
            pairs[-1] += last
        words.extend(pairs)
        singles.clear()

    for token in mmseg.cut(run):
        if len(token) > 1:
            flush()
            words.append(token)
        elif token in _SUFFIX and not singles and words and len(words[-1]) > 1:
            words[-1] += token
        else:
            singles.append(token)
            if token in _ADMIN_SUFFIX and len(singles) >= 2:
                flush()
    flush()
    return words


def region_pieces(run: str) -> list[str]:
    """Cut a Han run after a leading place name (重庆市|长寿区|信访局), so each piece is read
    on its own: pypinyin alone reads 重庆市长寿区 with 市长 (shìzhǎng) as a word."""
    pieces = []
    start = 0
    for i, ch in enumerate(run):
        if ch in _ADMIN_SUFFIX and i - start >= 2 and i < 12:
            pieces.append(run[start : i + 1])
            start = i + 1
    pieces.append(run[start:])
    return [p for p in pieces if p]


def _chunks(text: str) -> list[str]:
    """Split into words: Han runs by place names and `_han_words`, ASCII runs as they are."""
    words: list[str] = []
    for run in _RUNS.findall(text):
        if not _is_han(run[0]):
            words.append(run.lower())
            continue
        for piece in region_pieces(run):
            pinyin = syllables(piece)
            at = 0
            for word in _han_words(piece):
                words.append("".join(pinyin[at : at + len(word)]))
                at += len(word)
    return [re.sub(r"[^a-z0-9]", "", w) for w in words if w]


def slugify(text: str, fallback: str = "x") -> str:
    """`信访工作经费` → `xinfang-gongzuo-jingfei`; at most 60 characters, cut between words.

    Personal data is masked first (privacy.mask), whatever 隐私脱敏 says: a mobile number
    in a project name must not end up in its URL, file names, sitemap and feed.
    """
    out = ""
    for word in _chunks(mask(text)):
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
