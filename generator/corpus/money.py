"""Money and indicator values: exact Decimal 元 parsed from what authors type.

Authors write `535000元`, `535,000.00元`, `58.5万元`, `1.2亿元`, with half- or full-width
digits and punctuation. Everything is stored as Decimal 元 with at most two decimals
(分); a bare number is an error, since the seeds use both 元 and 万元.
"""

from __future__ import annotations

import re
from decimal import Decimal

from generator.corpus.errors import ContentError
from generator.corpus.model import IndicatorValue

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，＋－＝＜＞％　",
    "0123456789.,+-=<>% ",
)
_UNIT_FACTORS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_MONEY = re.compile(rf"^(?P<sign>[+-]?)(?P<cny>[¥￥])?\s*(?P<num>{_NUMBER})\s*(?P<unit>元|万元|亿元)?$")
CENT = Decimal("0.01")
_CENT_PLACES = {"元": 2, "万元": 6, "亿元": 10}  # decimal places that are still whole 分


def normalize(text: str) -> str:
    """Full-width digits/punctuation → ASCII; trim; drop inner spaces around numbers."""
    return text.translate(_FULLWIDTH).strip()


def parse_money(text: str) -> Decimal:
    """Parse an amount with its unit into exact 元. Raises ContentError in plain Chinese."""
    raw = normalize(text).replace(" ", "")
    m = _MONEY.match(raw)
    if m is None:
        raise ContentError(f"无法识别的金额“{text}”，请写成“535000元”“535,000.00元”或“53.5万元”")
    if m["sign"] == "-":
        raise ContentError(f"金额不能为负数：“{text}”")
    unit = m["unit"] or ("元" if m["cny"] else None)
    if unit is None:
        raise ContentError(f"金额“{text}”缺少单位：是元还是万元？请写成“{m['num']}元”或“{m['num']}万元”")
    digits = m["num"].replace(",", "")
    whole, _, fraction = digits.partition(".")
    if len(whole) > 15:  # beyond 999 万亿: a typo, and beyond exact 28-digit Decimal arithmetic
        raise ContentError(f"金额“{text}”过大，请核对")
    if len(fraction.rstrip("0")) > _CENT_PLACES[unit]:
        raise ContentError(f"金额“{text}”换算成元后超过两位小数（精确到分）")
    value = Decimal(f"{whole}.{fraction.rstrip('0') or '0'}") * _UNIT_FACTORS[unit]  # ≤ 25 digits: exact
    return value.quantize(CENT)


def format_money(yuan: Decimal, unit: str = "元") -> str:
    """The inverse of parse_money: `535000.00` → `535,000.00元` (or in 万元/亿元, exact)."""
    value = yuan / _UNIT_FACTORS[unit]
    text = format(value.normalize(), "f") if unit != "元" else f"{yuan.quantize(CENT):,.2f}"
    return f"{text}{unit}"


def yuan_text(yuan: Decimal) -> str:
    """`535000` → `535,000.00` (the exact figure, two decimals, thousands separators)."""
    return f"{yuan.quantize(CENT):,.2f}"


def wan_text(yuan: Decimal) -> str:
    """`535000` → `53.50` (万元, two decimals, rounded half-up for display only)."""
    from decimal import ROUND_HALF_UP

    return f"{(yuan / _UNIT_FACTORS['万元']).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


_OPS = {
    "≥": "≥", ">=": "≥", "≧": "≥", "≤": "≤", "<=": "≤", "≦": "≤",
    ">": ">", "<": "<", "=": "=", "==": "=",
}  # fmt: skip
_INDICATOR = re.compile(
    rf"^(?P<op>>=|<=|==|≥|≤|≧|≦|>|<|=)?\s*(?P<num>[+-]?{_NUMBER})\s*(?P<unit>[^\d\s.,+\-]{{1,8}})?$"
)


def parse_indicator(text: str) -> IndicatorValue:
    """Split an indicator value into operator/number/unit where it has that shape.

    `>=30次` → (≥, 30, 次); `=17.6万元` → (=, 17.6, 万元); `60` → (None, 60, None);
    `持续向好` → text only. The author's text is always kept as written.
    """
    raw = normalize(text).replace(" ", "")
    m = _INDICATOR.match(raw)
    if m is None:
        return IndicatorValue(text=text)
    number = Decimal(m["num"].replace(",", ""))
    op = _OPS[m["op"]] if m["op"] else None
    return IndicatorValue(text=text, op=op, number=number, unit=m["unit"])


def indicator_money(value: IndicatorValue, measure_unit: str | None) -> Decimal | None:
    """The amount in 元 an indicator states, if its unit (or 计量单位) is a money unit."""
    unit = value.unit or (measure_unit.strip() if measure_unit else None)
    if value.number is None or unit not in _UNIT_FACTORS:
        return None
    return value.number * _UNIT_FACTORS[unit]
