"""Money and indicator parsing: exact, round-trips, and only ever raises ContentError."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.corpus.errors import ContentError
from generator.corpus.money import (
    format_money,
    indicator_money,
    parse_indicator,
    parse_money,
    wan_text,
    yuan_text,
)


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("535000元", "535000.00"),
        ("535,000.00元", "535000.00"),
        ("58.5万元", "585000.00"),
        ("1.2亿元", "120000000.00"),
        ("０.４９万元", "4900.00"),
        ("５３５，０００．００元", "535000.00"),
        (" 3 万元 ", "30000.00"),
        ("¥1,234.5", "1234.50"),
        ("2846343.88元", "2846343.88"),
    ],
)
def test_parse_money(text: str, yuan: str) -> None:
    assert parse_money(text) == Decimal(yuan)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("535000", "金额“535000”缺少单位：是元还是万元？请写成“535000元”或“535000万元”"),
        ("-1元", "金额不能为负数：“-1元”"),
        ("1.001元", "金额“1.001元”换算成元后超过两位小数（精确到分）"),
        ("五万元", "无法识别的金额“五万元”，请写成“535000元”“535,000.00元”或“53.5万元”"),
        ("1,00元", "无法识别的金额“1,00元”，请写成“535000元”“535,000.00元”或“53.5万元”"),
    ],
)
def test_parse_money_errors(text: str, message: str) -> None:
    with pytest.raises(ContentError) as info:
        parse_money(text)
    assert info.value.message == message


amounts = st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2, allow_nan=False)


@given(amounts, st.sampled_from(["元", "万元", "亿元"]))
def test_money_round_trip(yuan: Decimal, unit: str) -> None:
    assert parse_money(format_money(yuan, unit)) == yuan


@settings(max_examples=300)
@given(st.text(max_size=30))
def test_money_parser_raises_only_content_errors(text: str) -> None:
    try:
        value = parse_money(text)
    except ContentError:
        return
    assert value >= 0 and value == value.quantize(Decimal("0.01"))


def test_display() -> None:
    assert yuan_text(Decimal("535000")) == "535,000.00"
    assert wan_text(Decimal("535000")) == "53.50"
    assert wan_text(Decimal("2846343.88")) == "284.63"


@pytest.mark.parametrize(
    ("text", "op", "number", "unit"),
    [
        (">=30次", "≥", "30", "次"),
        ("≥95%", "≥", "95", "%"),
        ("＞＝95％", "≥", "95", "%"),  # full-width operator pair and percent sign
        ("<=2小时", "≤", "2", "小时"),
        ("＜2小时", "<", "2", "小时"),
        ("=17.6万元", "=", "17.6", "万元"),
        ("=100%", "=", "100", "%"),
        ("60", None, "60", None),
        ("535,000.00", None, "535000.00", None),
        ("持续向好", None, None, None),
        ("2020年1月至12月", None, None, None),
    ],
)
def test_parse_indicator(text: str, op: str | None, number: str | None, unit: str | None) -> None:
    value = parse_indicator(text)
    assert value.text == text
    assert value.op == op
    assert value.number == (Decimal(number) if number else None)
    assert value.unit == unit


def test_indicator_money() -> None:
    assert indicator_money(parse_indicator("=17.6万元"), None) == Decimal("176000")
    assert indicator_money(parse_indicator("535,000.00"), "元") == Decimal("535000")
    assert indicator_money(parse_indicator(">=30次"), None) is None


ops = st.sampled_from(["", ">=", "<=", "≥", "≤", ">", "<", "="])
units = st.sampled_from(["", "次", "件", "%", "小时", "万元", "元"])


@given(ops, st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False), units)
def test_indicator_round_trip(op: str, number: Decimal, unit: str) -> None:
    text = f"{op}{number}{unit}"
    value = parse_indicator(text)
    assert value.text == text
    assert value.number == number
    assert value.unit == (unit or None)
    assert (value.op is None) == (op == "")


@settings(max_examples=300)
@given(st.text(max_size=30))
def test_indicator_parser_never_raises(text: str) -> None:
    assert parse_indicator(text).text == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9" * 40 + "元", f"金额“{'9' * 40}元”过大，请核对"),
        ("1." + "0" * 35 + "1元", f"金额“1.{'0' * 35}1元”换算成元后超过两位小数（精确到分）"),
        ("1.00000000001亿元", "金额“1.00000000001亿元”换算成元后超过两位小数（精确到分）"),
    ],
)
def test_parse_money_beyond_exact_arithmetic(text: str, message: str) -> None:
    """Found by the validator fuzz test: 40 digits raised decimal.InvalidOperation; long decimals were rounded."""
    with pytest.raises(ContentError) as info:
        parse_money(text)
    assert info.value.message == message


def test_parse_money_largest_and_finest() -> None:
    assert parse_money("999,999,999,999,999元") == Decimal("999999999999999.00")
    assert parse_money("1.0000000001亿元") == Decimal("100000000.01")
    assert parse_money("0.49123万元") == Decimal("4912.30")
