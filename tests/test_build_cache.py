"""The run's build cache (generator/site/cache.py): a build with a used cache gives the bytes of a cold one.

Each case edits what every data file may show — not a disclosure, which the cache is keyed by
anyway — and compares the docs folder generated with the session's cache against one generated
with a fresh cache (cold), in the same process: nothing is kept outside the cache object.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

from generator.corpus.validate import check_tree
from generator.data.xlsx import members_time
from generator.site.cache import BuildCache
from generator.site.generate import generate

from .conftest import CONTENT


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(content: Path, out: Path, cache: BuildCache) -> dict[str, bytes]:
    result = check_tree(content, cache.check)
    assert result.corpus is not None, result.errors
    generate(result.corpus, content, out, raw=result.raw, cache=cache)
    return tree(out)


def rename_site(content: Path) -> None:
    site = content / "site.yml"
    text = site.read_text(encoding="utf-8")
    assert "网站名称: 预算重点领域信息公开" in text
    site.write_text(text.replace("网站名称: 预算重点领域信息公开", "网站名称: 改名后的公开网站"), encoding="utf-8")


def test_a_cached_build_after_a_site_wide_change_equals_a_cold_one(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    cache = BuildCache()
    first = build(content, tmp_path / "warm", cache)
    rename_site(content)
    warm = build(content, tmp_path / "warm", cache)
    cold = build(content, tmp_path / "cold", BuildCache())
    assert sorted(warm) == sorted(cold)
    assert [rel for rel in cold if warm[rel] != cold[rel]] == []
    workbooks = [rel for rel in cold if rel.endswith(".xlsx")]
    assert len(workbooks) >= 7 and all(first[rel] != cold[rel] for rel in workbooks)  # the edit reached them all


def test_an_edit_changes_only_the_workbooks_that_hold_it(tmp_path: Path) -> None:
    """A workbook is dated by its newest disclosure (xlsx.members_time), not by the build: one
    disclosure's new text changes the whole set's, its year's and its unit's workbooks, no other."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    first = build(content, tmp_path / "a", BuildCache())
    result = check_tree(content)
    assert result.corpus is not None
    d = next(d for d in result.corpus.disclosures if d.src_path == "2020/panlongqu-xinfangju/xinfang-chutu-jingfei.yml")
    path = content / d.src_path
    path.write_text(path.read_text(encoding="utf-8").replace("项目名称: ", "项目名称: 改", 1), encoding="utf-8")
    second = build(content, tmp_path / "b", BuildCache())
    changed = {rel for rel in first if rel.endswith(".xlsx") and first[rel] != second.get(rel)}
    assert changed == {
        "data/gongkai-all.xlsx",
        f"data/years/gongkai-{d.year}.xlsx",
        f"data/units/gongkai-{d.unit.slug}.xlsx",
    }


def test_each_workbook_is_dated_by_its_newest_disclosure(tmp_path: Path) -> None:
    """Not by the build or SOURCE_DATE_EPOCH (which would change every workbook on every commit)."""
    files = build(CONTENT, tmp_path / "out", BuildCache())
    result = check_tree(CONTENT)
    assert result.corpus is not None
    stamps = {}
    for rel in ["data/gongkai-all.xlsx", *(f"data/years/gongkai-{y}.xlsx" for y in result.corpus.years)]:
        with zipfile.ZipFile(io.BytesIO(files[rel])) as z:
            core = z.read("docProps/core.xml").decode()
        stamps[rel] = re.search(r"<dcterms:created[^>]*>([^<]+)<", core).group(1)  # type: ignore[union-attr]
    for y in result.corpus.years:
        newest = members_time(d for d in result.corpus.disclosures if d.year == y)
        assert stamps[f"data/years/gongkai-{y}.xlsx"] == newest.isoformat() + "Z"
    assert stamps["data/gongkai-all.xlsx"] == members_time(result.corpus.disclosures).isoformat() + "Z"
    assert len(set(stamps.values())) > 1  # the years differ from the whole set
