"""The run's build cache (generator/site/cache.py): a build with a used cache gives the bytes of a cold one.

Each case edits what every data file may show — not a disclosure, which the cache is keyed by
anyway — and compares the docs folder generated with the session's cache against one generated
with a fresh cache (cold), in the same process: nothing is kept outside the cache object.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.corpus.validate import check_tree
from generator.site.cache import BuildCache
from generator.site.generate import generate

from .conftest import CONTENT

EPOCH = 1_700_000_000


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(content: Path, out: Path, cache: BuildCache, epoch: int | None) -> dict[str, bytes]:
    result = check_tree(content, cache.check)
    assert result.corpus is not None, result.errors
    generate(result.corpus, content, out, raw=result.raw, epoch=epoch, cache=cache)
    return tree(out)


def rename_site(content: Path) -> None:
    site = content / "site.yml"
    text = site.read_text(encoding="utf-8")
    assert "网站名称: 预算重点领域信息公开" in text
    site.write_text(text.replace("网站名称: 预算重点领域信息公开", "网站名称: 改名后的公开网站"), encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "epochs"),
    [(rename_site, (EPOCH, EPOCH)), (None, (EPOCH, EPOCH + 86_400)), (None, (EPOCH, None))],
    ids=["网站名称 renamed", "SOURCE_DATE_EPOCH changed", "SOURCE_DATE_EPOCH unset"],
)
def test_a_cached_build_after_a_site_wide_change_equals_a_cold_one(
    tmp_path: Path, edit: object, epochs: tuple[int, int | None]
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    cache = BuildCache()
    first = build(content, tmp_path / "warm", cache, epochs[0])
    if callable(edit):
        edit(content)
    warm = build(content, tmp_path / "warm", cache, epochs[1])
    cold = build(content, tmp_path / "cold", BuildCache(), epochs[1])
    assert sorted(warm) == sorted(cold)
    assert [rel for rel in cold if warm[rel] != cold[rel]] == []
    workbooks = [rel for rel in cold if rel.endswith(".xlsx")]
    assert len(workbooks) >= 7 and all(first[rel] != cold[rel] for rel in workbooks)  # the edit reached them all
