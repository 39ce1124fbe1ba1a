"""Property-based fuzzing of the validator with disclosure-shaped YAML.

Hypothesis builds documents from the format's own field declarations (generator/fields.py):
the right keys with values of every type (valid and invalid money, dates, years, lists where
text belongs, maps where lists belong, nulls, payloads), unknown keys, missing required
keys, written in block or flow style. For every document `check_tree` must return either a
corpus or located problems — never raise — and a corpus it accepts must render to pages and
data files without error. The example count is bounded (CI runs are derandomized).
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from generator.corpus import fields as F
from generator.corpus.errors import Problem
from generator.corpus.validate import check_tree
from generator.data.downloads import data_files
from generator.site.render import render_site

from .conftest import assert_judged

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

UNIT_NAME = "通海县信访局"  # the unit profile of tests/fixtures/base

texts = st.one_of(
    st.sampled_from(
        ["", " ", "会议费", "信访工作经费", "无", "<script>alert(1)</script>", "{{ x }}", "a | b", "13879227100"]
    ),
    st.text(max_size=40),
)
moneys = st.sampled_from(
    [
        "3万元",
        "0.5万元",
        "535,000.00元",
        "1.2亿元",
        "３万元",
        "3",
        "-5元",
        "0元",
        "1e9万元",
        "万元",
        "9" * 40 + "元",
        "3万",
        "",
    ]
)
dates = st.sampled_from(["2022-01-01", "2022年1月1日", "2023-06", "2023年6月", "2022-02-30", "2022-13-01", "明天", ""])
years = st.sampled_from(["2022", "2021", "1999", "2101", "二〇二二", "22", "abc"])
yesno = st.sampled_from(["是", "否", "yes", "maybe", ""])
kinds = st.sampled_from([*F.KINDS, "项目", "其他"])
level1 = st.sampled_from([*F.LEVEL1, *F.LEVEL1_ALIASES, "未知指标", "产出指标(50分)", "效益（30）"])
level2 = st.sampled_from([*itertools.chain.from_iterable(F.LEVEL1.values()), *F.LEVEL2_ALIASES, "未知"])
wrong: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.integers(-5, 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(st.just("x"), max_size=2),
    st.dictionaries(st.sampled_from(["a", "名称"]), st.just("y"), max_size=2),
)
# Values the validator accepts, so that whole documents are accepted often enough to reach
# the renderer (cross-field rules such as totals still fail some of them, as they should).
VALID = {
    F.TEXT: st.one_of(
        st.sampled_from(["会议费", "信访工作经费", "<b>x</b> | {{ y }}"]), st.text(min_size=1, max_size=20)
    ),
    F.MONEY: st.sampled_from(["3万元", "0.5万元", "535,000.00元", "１２元"]),
    F.DATE: st.sampled_from(["2022-01-01", "2022年1月1日", "2022-12-31"]),
    F.MONTH: st.sampled_from(["2022-03-01", "2023-06", "2023年6月"]),
    F.YEAR: st.sampled_from(["2022", "2021"]),
    F.YESNO: st.sampled_from(["是", "否"]),
    F.SCORE: st.just("0"),  # every 得分 0 = 总分 0, whose 自评等级 is 差
    F.PERCENT: st.just("100%"),
    F.GRADE: st.just("差"),
    F.VERSION: st.just("1"),
}


def value_for(field: F.Field, depth: int, valid: bool) -> st.SearchStrategy[Any]:
    """A strategy for `field`'s value: valid ones, or mostly the right shape and sometimes any other."""
    right = _right(field, depth, valid)
    if valid:
        return right
    return st.one_of(right, right, right, wrong) if depth < 4 else st.one_of(right, wrong)


def _right(field: F.Field, depth: int, valid: bool) -> st.SearchStrategy[Any]:
    t = field.type
    if valid and t in VALID:
        return VALID[t]
    simple = {
        F.TEXT: texts,
        F.MONEY: moneys,
        F.DATE: dates,
        F.MONTH: dates,
        F.YEAR: years,
        F.YESNO: yesno,
        F.KIND: kinds,
        F.SCORE: st.sampled_from(["10", "9.5", "9.5分", "九", "-1", ""]),
        F.PERCENT: st.sampled_from(["95.00%", "100%", "95", "abc", ""]),
        F.GRADE: st.sampled_from(["优", "良", "中", "差", "甲"]),
        F.VERSION: st.sampled_from(["1", "2", "99", "0", "abc", ""]),
    }
    if t in simple:
        return simple[t]
    text = VALID[F.TEXT] if valid else texts
    if t == F.TEXTS:
        return st.lists(text, min_size=int(valid), max_size=3)
    if t == F.LONGTEXT:
        item = (
            st.fixed_dictionaries({"标题": text, "内容": text})
            if valid
            else st.fixed_dictionaries({}, optional={"标题": texts, "内容": texts})
        )
        return st.one_of(text, st.lists(item, max_size=3))
    if t == F.MAP:
        return mapping(field.children, depth + 1, valid)
    if t == F.LIST:
        return st.lists(mapping(field.children[0].children, depth + 1, valid), max_size=3)
    if t in (F.INDICATORS, F.RESULTS):
        row = mapping(field.children[0].children, depth + 1, valid)
        if valid:
            return st.sampled_from(list(F.LEVEL1)).flatmap(
                lambda l1: st.fixed_dictionaries(
                    {
                        l1: st.dictionaries(
                            st.sampled_from(F.LEVEL1[l1]), st.lists(row, min_size=1, max_size=3), min_size=1, max_size=2
                        )
                    }
                )
            )
        return st.dictionaries(level1, st.dictionaries(level2, st.lists(row, max_size=3), max_size=2), max_size=3)
    if t == F.SECTIONS:
        return sections(depth, text)
    raise AssertionError(t)


def sections(depth: int, text: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    leaf = st.fixed_dictionaries({"标题": text}, optional={"内容": text})
    if depth > 3:
        return st.lists(leaf, max_size=2)
    child = st.fixed_dictionaries(
        {"标题": text}, optional={"内容": text, "小节": st.deferred(lambda: sections(depth + 1, text))}
    )
    return st.lists(child, max_size=3)


def mapping(spec: tuple[F.Field, ...], depth: int = 0, valid: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    required = {f.key: value_for(f, depth, valid) for f in spec if f.required}
    optional: dict[str, st.SearchStrategy[Any]] = {f.key: value_for(f, depth, valid) for f in spec if not f.required}
    if valid:
        return st.fixed_dictionaries(required, optional=optional)
    optional["不认识的键"] = texts
    optional["名称 "] = texts  # a near miss
    full = st.fixed_dictionaries(required, optional=optional)
    return st.one_of(full, full, full, st.fixed_dictionaries({}, optional={**required, **optional}))


@st.composite
def disclosures(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(list(F.KINDS)))
    valid = draw(st.booleans())
    common = tuple(f for f in F.COMMON if f.key not in ("类型", "单位", "原文链接"))
    doc = {
        "类型": kind if valid else draw(st.one_of(st.just(kind), kinds)),
        "单位": UNIT_NAME if valid else draw(st.one_of(st.just(UNIT_NAME), st.just(UNIT_NAME), texts)),
        **draw(mapping(common, 0, valid)),
        **draw(mapping(F.KINDS[kind], 0, valid)),
    }
    if draw(st.booleans()):
        doc["原文链接"] = draw(
            st.sampled_from(["https://www.example.gov.cn/a.html", "javascript:alert(1)", "www.x.cn"])
        )
    return doc


def dump(doc: Any, block: bool) -> str:
    if not block:
        return json.dumps(doc, ensure_ascii=False)  # JSON is YAML in flow style
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


_counter = itertools.count()


def check_document(root: Path, rel_dir: str, text: str) -> None:
    """Write `text` as a new file (never a re-used path: the validator caches by file) and check."""
    for old in root.rglob("fuzz-*.yml"):
        old.unlink()
    rel = f"{rel_dir}/fuzz-{next(_counter)}.yml"
    (root / rel).write_text(text, encoding="utf-8")
    result = check_tree(root)  # must not raise
    # A unit profile may repeat the base's unit: the repeat is then reported in the base's files.
    assert_judged(result, root, rel, errors_only_in_new=rel_dir != "units")
    assert all(isinstance(p, Problem) for p in [*result.errors, *result.warnings])
    if result.corpus is not None:
        pages = render_site(result.corpus)  # what the validator accepts, the site can show
        data = data_files(result.corpus)
        for d in result.corpus.disclosures:
            assert f"{d.url}index.md" in pages
        assert data


@FUZZ
@given(doc=disclosures(), block=st.booleans())
def test_any_disclosure_shaped_yaml_gives_a_corpus_or_located_problems(
    base_content: Path, doc: dict[str, Any], block: bool
) -> None:
    check_document(base_content, "2022", dump(doc, block))


@FUZZ
@given(doc=st.booleans().flatmap(lambda v: mapping(F.UNIT.children, 0, v)), block=st.booleans())
def test_any_unit_profile_gives_a_corpus_or_located_problems(
    base_content: Path, doc: dict[str, Any], block: bool
) -> None:
    check_document(base_content, "units", dump(doc, block))


@FUZZ
@given(doc=st.booleans().flatmap(lambda v: mapping(F.SITE.children, 0, v)), block=st.booleans())
def test_any_site_settings_give_a_corpus_or_located_problems(
    base_content: Path, doc: dict[str, Any], block: bool
) -> None:
    site = base_content / "site.yml"
    site.unlink(missing_ok=True)
    text = dump(doc, block)
    site.write_text(text, encoding="utf-8")
    result = check_tree(base_content)
    assert_judged(result, base_content, "site.yml")
    if result.corpus is not None:
        assert render_site(result.corpus)


def test_the_strategies_reach_accepted_documents_of_each_kind(base_content: Path) -> None:
    """Not a vacuous property: the generator also produces documents the validator accepts."""
    for kind in F.KINDS:
        found = find(
            disclosures(),
            functools.partial(_accepted, base_content, kind),
            settings=settings(database=None, derandomize=True, max_examples=1000, phases=[Phase.generate]),
        )
        assert found["类型"] == kind


def _accepted(root: Path, kind: str, doc: dict[str, Any]) -> bool:
    if doc.get("类型") != kind:
        return False
    for old in root.rglob("fuzz-*.yml"):
        old.unlink()
    (root / "2022" / f"fuzz-{next(_counter)}.yml").write_text(dump(doc, block=True), encoding="utf-8")
    return check_tree(root).corpus is not None
