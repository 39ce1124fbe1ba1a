"""Slugs: ASCII pinyin, polyphonic characters read in context, deterministic collisions."""

from __future__ import annotations

import pytest

from generator.corpus.slugs import initial, slugify, unique


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("盘龙区信访局", "panlongqu-xinfangju"),
        ("楚雄州信访局", "chuxiongzhou-xinfangju"),
        ("信访工作经费", "xinfang-gongzuo-jingfei"),
        ("重庆市", "chongqingshi"),
        ("长宁区", "changningqu"),
        ("长治市", "changzhishi"),
        ("单县", "shanxian"),
        ("银行行长", "yinhang-hangzhang"),
        ("2022年信访处突经费", "2022-nian-xinfang-chutu-jingfei"),
        ("《信访条例》宣传", "xinfang-tiaoli-xuanchuan"),
        ("<script>", "script"),
        ("……", "x"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_slug_is_ascii_and_bounded() -> None:
    slug = slugify("通海县社会矛盾纠纷调处督导中心工作经费专项资金" * 3)
    assert slug.isascii() and len(slug) <= 60 and not slug.endswith("-")


def test_initial() -> None:
    assert initial("楚雄州信访局") == "C"
    assert initial("庐山市信访局") == "L"
    assert initial("123") == "#"


def test_collisions_are_qualified_then_numbered_in_key_order() -> None:
    items = [("b.yml", "xinfangju"), ("a.yml", "xinfangju"), ("c.yml", "caizhengju")]
    qualified = {"a.yml": "lushanshi-xinfangju", "b.yml": "wuningxian-xinfangju"}
    assert unique(items, qualified.__getitem__) == {
        "a.yml": "lushanshi-xinfangju",
        "b.yml": "wuningxian-xinfangju",
        "c.yml": "caizhengju",
    }
    same = unique([("b", "x"), ("a", "x")], lambda k: "y")
    assert same == {"a": "y", "b": "y-2"}
