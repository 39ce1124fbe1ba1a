"""The index parts merged on disk into one Pagefind index (generator/search/merged.py), without a browser.

The merged index holds every part's pages and words (the browser side, that it finds what
the parts find and loads one index: test_search_parts_browser.py); it is the same bytes
however the pages were cut into parts built apart; an index of a layout the merge does not
know is left as parts, with a message.
"""

from __future__ import annotations

import gzip
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import cbor2
import pytest

from generator.corpus.model import Corpus
from generator.search.index import build_index, finish_bundle
from generator.search.merged import slim_fragment
from generator.search.stable import SIGNATURE
from generator.store import open_store

pytestmark = pytest.mark.slow


def _load(path: Path) -> object:
    return cbor2.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE) :])


def _listing(site: Path) -> dict[str, Any]:
    return dict(json.loads((site / "pagefind/parts.json").read_text(encoding="utf-8")))


def _merged_words(site: Path) -> dict[str, int]:
    """{word: pages} of the merged index."""
    folder = site / "pagefind" / str(_listing(site)["merged"])
    (info,) = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))["languages"].values()
    meta = _load(folder / f"pagefind.{info['hash']}.pf_meta")
    assert isinstance(meta, list)
    out: dict[str, int] = {}
    for _from, _to, name in meta[2]:
        chunk = _load(folder / "index" / f"{name}.pf_index")
        assert isinstance(chunk, list)
        for word, pages, _ in chunk[0]:
            assert word not in out  # each word once, in one index file
            out[word] = len(pages)
    return out


def _part_words(site: Path) -> dict[str, int]:
    """{word: pages} summed over the parts."""
    out: dict[str, int] = {}
    for chunk in sorted(site.glob("pagefind/parts/*/index/*.pf_index")):
        content = _load(chunk)
        assert isinstance(content, list)
        for word, pages, _ in content[0]:
            out[word] = out.get(word, 0) + len(pages)
    return out


def test_the_merged_index_holds_every_part_word_and_page(corpus: Corpus, bundled_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(bundled_site / "pagefind", site / "pagefind")
    listing = _listing(site)
    assert listing["merged"] == f"merged-{listing['tag']}"
    assert _merged_words(site) == _part_words(site)
    folder = site / "pagefind" / str(listing["merged"])
    fragments = sorted(p.stem for p in (folder / "fragment").glob("*.pf_fragment"))
    pages = int(str(listing["pages"])) + len(listing["parts"])  # and a document of words each
    assert len(fragments) == pages and "0" in fragments
    assert len(listing["skip"]) == len(listing["parts"])
    order = json.loads((site / "pagefind/sort-year.json").read_text(encoding="utf-8"))
    ids = order["order"].replace(",", " ").split()
    assert ids and set(ids) <= set(fragments) and not set(ids) & set(listing["skip"])


def test_the_merged_index_does_not_depend_on_the_cut(corpus: Corpus, bundled_site: Path, tmp_path: Path) -> None:
    """Parts of at most two pages, merged: the same words, pages and counts as the whole build's parts."""
    small = tmp_path / "small"
    shutil.copytree(bundled_site, small, ignore=lambda d, names: ["pagefind"] if Path(d) == bundled_site else [])
    build_index(corpus, small, part_pages=2)
    whole = _merged_words(bundled_site)
    cut = _merged_words(small)
    sentinel = {w for w, n in cut.items() if n != whole.get(w)}  # words of the document of words: once per part
    assert sorted(cut) == sorted(whole)
    assert sentinel and all(w.isascii() for w in sentinel)  # only pinyin words differ, by those documents


def test_a_rebuilt_merge_is_byte_identical(bundled_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(bundled_site / "pagefind", site / "pagefind")
    folder = site / "pagefind" / str(_listing(site)["merged"])
    before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    finish_bundle(site)
    after = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before


def test_an_index_the_merge_does_not_know_stays_in_parts(
    bundled_site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = tmp_path / "site"
    shutil.copytree(bundled_site / "pagefind", site / "pagefind")
    chunk = sorted(site.glob("pagefind/parts/2020/index/*.pf_index"))[0]
    chunk.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps([[["word", [], ["unexpected"]]]])))
    with caplog.at_level(logging.WARNING):
        finish_bundle(site)
    assert "merged" not in _listing(site)
    assert not list(site.glob("pagefind/merged-*"))
    assert "搜索索引未能合并为一个" in caplog.text


def test_a_slim_fragment_has_one_character_per_pair_and_no_match_only_meta() -> None:
    fragment = {
        "url": "/2020/a/",
        "content": "一 、 项目 目名 名称 称 信访 访处 处突 突 53.50 万元 元 xfj",
        "word_count": 14,
        "filters": {"年度": ["2020"]},
        "meta": {"title": "信访 访处", "py": "xinfang", "pyx": "plq", "d": '{"name":"x"}'},
        "anchors": [],
    }
    packed = gzip.compress(SIGNATURE + json.dumps(fragment, ensure_ascii=False).encode())
    slim = json.loads(gzip.decompress(slim_fragment(packed))[len(SIGNATURE) :])
    assert slim["content"] == "一 、 项 目 名 称 信 访 处 突 53.50 万 元 xfj"
    assert len(slim["content"].split()) == len(str(fragment["content"]).split())  # the words keep their places
    assert slim["meta"] == {"d": '{"name":"x"}'}
    assert {k: v for k, v in slim.items() if k not in ("content", "meta")} == {
        k: v for k, v in fragment.items() if k not in ("content", "meta")
    }


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_merge_from_the_build_cache_is_the_merge_made_anew(
    corpus: Corpus, bundled_site: Path, tmp_path: Path
) -> None:
    """With the store, a part's words and fragments are prepared once and a merge of the same parts
    is taken whole; each way the merged bundle is the bytes of a merge without the store. A part
    that changed is prepared again (its entry file is its key), the others are reused."""
    site = tmp_path / "site"
    shutil.copytree(bundled_site, site, ignore=lambda d, names: ["pagefind"] if Path(d) == bundled_site else [])
    build_index(corpus, site, part_pages=2)  # several parts
    plain = _tree(site / "pagefind")
    store = open_store(tmp_path / "store")
    assert store is not None
    finish_bundle(site, store=store)  # fills: one entry per part and one of the merge
    parts = len(_listing(site)["parts"])
    assert store.stats.written == parts + 1 and _tree(site / "pagefind") == plain
    store.begin()
    finish_bundle(site, store=store)  # the whole merge from the store
    assert (store.stats.hits, store.stats.written) == (1, 0) and _tree(site / "pagefind") == plain

    # one part changed (its entry file names other files): prepared again, the other parts from the store
    entry = sorted(site.glob("pagefind/parts/*/pagefind-entry.json"))[0]
    before = entry.read_bytes()
    entry.write_bytes(before.replace(b'"version"', b'"version" ', 1))
    assert entry.read_bytes() != before
    store.begin()
    finish_bundle(site, store=store)
    assert store.stats.hits == parts - 1 and store.stats.written == 2  # the changed part, the new merge
    entry.write_bytes(before)
    finish_bundle(site)
    assert _tree(site / "pagefind") == plain


def test_a_part_of_a_site_is_not_merged_until_the_parts_are(corpus: Corpus, bundled_site: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(bundled_site, site, ignore=lambda d, names: ["pagefind"] if Path(d) == bundled_site else [])
    build_index(corpus, site, merge=False)
    assert "merged" not in _listing(site) and not list(site.glob("pagefind/merged-*"))
    finish_bundle(site)  # as `gongkai merge` finishes the merged parts
    assert _tree(site / "pagefind") == _tree(bundled_site / "pagefind")
