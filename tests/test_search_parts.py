"""The search index in parts (generator/search/parts.py), without a browser.

Which part a page goes to (year, units, cut at PART_PAGES by sorted URL), the global sort
orders, and the bundle that separately built parts give once put together and finished
(`finish_bundle`): the same bytes as one whole build. The browser side: test_search_parts_browser.py.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from generator.corpus.model import Corpus
from generator.search.index import FINISH_FILES, build_index, finish_bundle
from generator.search.parts import (
    PART_PAGES,
    SearchIndexError,
    _weight,
    is_finish_file,
    part_group,
    part_order,
    sort_order,
    split_group,
)

URLS = [f"2021/unit-{i:04d}/project/" for i in range(5)]


def test_a_year_up_to_the_cap_is_one_part_named_after_it() -> None:
    assert split_group("2021", reversed(URLS), part_pages=5) == {"2021": URLS}
    assert split_group("units", ["units/b/", "units/a/", "units/a/"]) == {"units": ["units/a/", "units/b/"]}
    assert split_group("2021", []) == {}
    assert PART_PAGES == 2000


def test_a_year_over_the_cap_is_cut_by_sorted_url_into_nearly_equal_parts() -> None:
    urls = [f"2023/u{i:05d}/p/" for i in range(2 * PART_PAGES + 1)]
    shuffled = urls[:]
    random.Random(7).shuffle(shuffled)
    parts = split_group("2023", shuffled)
    assert list(parts) == ["2023-1", "2023-2", "2023-3"]
    assert [len(p) for p in parts.values()] == [1333, 1334, 1334]
    assert [u for p in parts.values() for u in p] == urls  # sorted, each page once
    assert split_group("2023", urls) == parts  # whatever order the pages come in
    assert list(split_group("units", URLS, part_pages=2)) == ["units-1", "units-2", "units-3"]
    with pytest.raises(ValueError):
        split_group("2021", URLS, part_pages=0)


def test_part_names_and_load_order() -> None:
    assert [part_group(n) for n in ("2021", "2021-2", "units", "units-10")] == ["2021", "2021", "units", "units"]
    names = ["units", "2020", "2022-10", "2022-9", "2021", "units-2", "other"]
    assert part_order(names) == ["2022-9", "2022-10", "2021", "2020", "units", "units-2", "other"]


def test_sort_order_is_by_number_with_ties_by_url() -> None:
    entries = [
        ("10", "2021/a/", "a"),
        ("9.00", "2022/b/", "b"),
        ("9", "2021/c/", "c"),
        ("100000.50", "2020/d/", "d"),
        ("9", "2020/e/", "e"),
        ("n/a", "2020/f/", "f"),
    ]
    assert sort_order(entries) == [["e", "c", "b"], ["a"], ["d"], ["f"]]
    assert sort_order([]) == []


def _bare_site(bundled_site: Path, dest: Path) -> Path:
    """A copy of the built bundled site without its search index."""
    shutil.copytree(bundled_site, dest, ignore=lambda d, names: ["pagefind"] if Path(d) == bundled_site else [])
    return dest


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_parts_built_apart_and_finished_equal_the_whole_build(
    corpus: Corpus, bundled_site: Path, tmp_path: Path
) -> None:
    whole = _files(bundled_site / "pagefind")
    one = _bare_site(bundled_site, tmp_path / "one")
    two = _bare_site(bundled_site, tmp_path / "two")
    assert build_index(corpus, one, years={2020}, units=False).parts == ("2020",)
    assert build_index(corpus, two, years={2022}, units=True).parts == ("2022", "units")
    # each part site is searchable on its own: its own part list
    assert json.loads((one / "pagefind/parts.json").read_text(encoding="utf-8"))["parts"] == ["2020"]

    merged = tmp_path / "merged"
    for site in (one, two):
        for rel, data in _files(site / "pagefind").items():
            target = merged / "pagefind" / rel
            if is_finish_file(f"pagefind/{rel}"):
                continue
            if target.exists():  # pagefind.js: the same file from either run
                assert target.read_bytes() == data, rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    assert not (merged / "pagefind/parts.json").exists()
    finish_bundle(merged)
    together = _files(merged / "pagefind")
    assert sorted(together) == sorted(whole)
    assert [rel for rel in whole if together[rel] != whole[rel]] == []


@pytest.mark.slow
def test_finish_files_are_what_finish_bundle_writes(bundled_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(bundled_site / "pagefind", site / "pagefind")
    before = _files(site)
    for rel in FINISH_FILES:
        (site / rel).unlink()
    finish_bundle(site)
    assert _files(site) == before
    year = json.loads((site / "pagefind/sort-year.json").read_text(encoding="utf-8"))
    amount = json.loads((site / "pagefind/sort-amount.json").read_text(encoding="utf-8"))
    assert year["prefix"] == amount["prefix"] == ""  # the merged index's page names: 0, 1, … in base 36
    assert len(year["order"].split(",")) == 2  # two years: 2020, then 2022
    assert len(amount["order"].replace(",", " ").split()) == 8  # the eight disclosures; units have no amount
    weights = json.loads((site / "pagefind/parts.json").read_text(encoding="utf-8"))["weights"]
    assert sorted(weights) == ["2020", "2022", "units"]
    assert weights["units"] > 1.2 and 0.8 < weights["2022"] < 1  # short unit pages: ranked up to the whole


@pytest.mark.slow
def test_small_parts_are_indexed_apart_and_replaced_by_group(
    corpus: Corpus, bundled_site: Path, tmp_path: Path
) -> None:
    site = _bare_site(bundled_site, tmp_path / "site")
    stats = build_index(corpus, site, part_pages=2)
    assert stats.parts == ("2020", "2022-1", "2022-2", "2022-3", "2022-4", "units-1", "units-2", "units-3")
    bundle = site / "pagefind"
    listing = json.loads((bundle / "parts.json").read_text(encoding="utf-8"))
    assert listing["parts"] == ["2022-1", "2022-2", "2022-3", "2022-4", "2020", "units-1", "units-2", "units-3"]
    for name in listing["parts"]:
        entry = json.loads((bundle / "parts" / name / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"]["und"]["page_count"] <= 2 + 1  # one Pagefind run never saw more (+ the words)
    assert listing["pages"] == len(corpus.disclosures) + len(corpus.units) == stats.pages

    units = _files(bundle / "parts" / "units-1")
    # the 2022 pages again, in one part: its old cut goes, the other groups' parts stay as they were
    assert build_index(corpus, site, years={2022}, units=False).parts == ("2022",)
    listing = json.loads((bundle / "parts.json").read_text(encoding="utf-8"))
    assert listing["parts"] == ["2022", "2020", "units-1", "units-2", "units-3"]
    assert _files(bundle / "parts" / "units-1") == units
    assert sorted(p.name for p in (bundle / "parts").iterdir()) == sorted(listing["parts"])


def test_part_weight_puts_page_length_on_the_whole_corpus() -> None:
    assert _weight(1500, 1500) == 1.0  # a part like the whole: ranked as it is
    assert _weight(300, 1500) == round(2.4 / (1 + 1.4 * (0.25 + 0.75 * 0.2)), 4) == 1.5385
    assert _weight(3000, 1500) < 1


def test_finish_bundle_without_parts(tmp_path: Path) -> None:
    finish_bundle(tmp_path)
    listing = json.loads((tmp_path / "pagefind/parts.json").read_text(encoding="utf-8"))
    assert listing["parts"] == [] and listing["pages"] == 0
    assert json.loads((tmp_path / "pagefind/sort-amount.json").read_text(encoding="utf-8"))["order"] == ""


@pytest.mark.slow
def test_a_part_without_its_sort_values_is_a_message(bundled_site: Path, tmp_path: Path) -> None:
    shutil.copytree(bundled_site / "pagefind", tmp_path / "pagefind")
    (tmp_path / "pagefind/parts/2020/sort-values.json").unlink()
    with pytest.raises(SearchIndexError, match="搜索索引分片 2020 缺少排序数据"):
        finish_bundle(tmp_path)
