"""Personal data in published text: find it (for warnings) and mask it (for the site).

Seeds carry personal mobile numbers and names. `gongkai check` warns on mobile
numbers, 18-digit resident ID numbers (checksum-validated, GB 11643) and e-mail
addresses; the site shows them masked unless site.yml says `隐私脱敏: 否`
(138****7100) while the YAML keeps the original.
"""

from __future__ import annotations

import re

MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])([0-9]{4})([0-9]{4})(?![0-9])")
ID_CARD = re.compile(
    r"(?<![0-9])([1-9][0-9]{5})((?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{2}[0-9]{3})([0-9Xx])(?![0-9Xx])"
)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")

# Invisible format characters: bidi embeddings/overrides/isolates (U+202E shows text reversed,
# so "001" can read "100") and zero-width characters (a number split by U+200B slips past the
# patterns above and would be published unmasked). The validator warns and removes them from
# the model; the site removes them from raw text too (fmt.TextFilter.plain), before masking.
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_INVISIBLE_NAMES = {
    "\u202e": "从右向左覆盖",
    "\u202d": "从左向右覆盖",
    "\u202a": "从左向右嵌入",
    "\u202b": "从右向左嵌入",
    "\u202c": "方向格式结束",
    "\u200e": "从左向右标记",
    "\u200f": "从右向左标记",
    "\u200b": "零宽空格",
    "\u200c": "零宽不连字",
    "\u200d": "零宽连字",
    "\u2060": "零宽不换行",
    "\ufeff": "零宽不换行空格/BOM",
    "\u00ad": "软连字符",
}

_CANDIDATE = re.compile(r"[0-9]{11}|@")  # every finding below contains one of these
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


_CONFIRM = "请确认可以公开（网站上默认部分隐去；site.yml 写“隐私脱敏: 否”时原样公开）"


def id_checksum_ok(number: str) -> bool:
    """GB 11643-1999 check digit of an 18-character resident ID number."""
    total = sum(int(c) * w for c, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def _ids(text: str) -> list[re.Match[str]]:
    return [m for m in ID_CARD.finditer(text) if id_checksum_ok(m.group(0))]


def strip_invisible(text: str) -> str:
    """`text` without invisible format characters (see INVISIBLE)."""
    return INVISIBLE.sub("", text) if INVISIBLE.search(text) else text


def find_invisible(text: str) -> str | None:
    """A plain-Chinese warning naming the invisible characters in `text`, or None."""
    found = sorted(set(INVISIBLE.findall(text)))
    if not found:
        return None
    names = "、".join(f"U+{ord(c):04X}（{_INVISIBLE_NAMES.get(c, '不可见格式字符')}）" for c in found)
    return f"含有看不见的控制字符 {names}，可能让文字显示错乱或逃过隐私检查；网站和数据中已删去，请在原文中删除"


def find_personal_data(text: str) -> list[str]:
    """Plain-Chinese warnings for each kind of personal data found in `text`."""
    text = strip_invisible(text)
    if not _CANDIDATE.search(text):
        return []
    found = []
    for m in MOBILE.finditer(text):
        found.append(f"含有手机号码“{m.group(0)}”，{_CONFIRM}")
    for m in _ids(text):
        found.append(f"含有身份证号码“{m.group(0)[:6]}…”，{_CONFIRM}")
    for m in EMAIL.finditer(text):
        found.append(f"含有电子邮箱“{m.group(0)}”，{_CONFIRM}")
    return found


def mask(text: str) -> str:
    """Mask personal data for publication: 13879227100 → 138****7100 (invisible characters removed)."""
    if not text:
        return text
    text = strip_invisible(text)
    for m in reversed(_ids(text)):
        s = m.group(0)
        text = text[: m.start()] + s[:6] + "*" * 8 + s[14:] + text[m.end() :]
    text = MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return EMAIL.sub(lambda m: m.group(0)[0] + "***@" + m.group(0).split("@", 1)[1], text)
