"""The persistent store (generator/store): entries by key, checked on read, foreign folders, pruning;
and the check's judgements kept in it (corpus/validate.py CheckCache.store)."""

from __future__ import annotations

import io
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from generator.corpus.validate import CheckCache, check_tree
from generator.store import FORMAT, MARKER, open_store, pack_folder, unpack_folder

from .conftest import CONTENT


def test_an_entry_is_read_back_and_a_damaged_one_is_a_miss(tmp_path: Path) -> None:
    store = open_store(tmp_path / "c")
    assert store is not None
    name = store.key_of("page", b"x")
    assert store.get(name) is None
    store.put(name, "页面".encode() * 100)
    assert store.get(name) == "页面".encode() * 100
    path = store._path(name)
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # one flipped byte in the body
    path.write_bytes(bytes(data))
    assert store.get(name) is None and not path.exists()  # detected, deleted, never trusted
    assert store.stats.corrupt == 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0" * 40)  # not even compressed data
    assert store.get(name) is None


def test_keys_differ_with_every_part_and_with_the_code(tmp_path: Path) -> None:
    store = open_store(tmp_path / "c")
    assert store is not None
    assert store.key_of("a", "bc") != store.key_of("ab", "c")
    other = open_store(tmp_path / "c")
    assert other is not None
    other.code = b"another gongkai"
    assert store.key_of("a") != other.key_of("a")


def test_a_foreign_folder_is_not_used_and_another_format_is_started_again(tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "todo.txt").write_text("别删", encoding="utf-8")
    assert open_store(mine) is None
    assert (mine / "todo.txt").read_text(encoding="utf-8") == "别删"  # left alone

    old = tmp_path / "old"
    store = open_store(old)
    assert store is not None
    name = store.key_of("x")
    store.put(name, b"old bytes")
    (old / MARKER).write_text("gongkai-cache 0\n", encoding="utf-8")
    again = open_store(old)
    assert again is not None and again.get(name) is None
    assert (old / MARKER).read_text(encoding="utf-8").strip() == FORMAT


def test_prune_keeps_this_runs_entries_and_drops_the_oldest(tmp_path: Path) -> None:
    store = open_store(tmp_path / "c")
    assert store is not None
    old = [store.key_of("old", str(i)) for i in range(5)]
    for i, name in enumerate(old):
        store.put(name, os.urandom(1000))
        stamp = time.time() - 10_000 + i
        os.utime(store._path(name), (stamp, stamp))
    store.begin()
    new = store.key_of("new")
    store.put(new, os.urandom(1000))
    store.get(old[1])  # used in this run
    store.prune(bound=3500)
    kept = {n for n in [*old, new] if store._path(n).exists()}
    assert kept == {new, old[1], old[4]}  # this run's two, then the newest old one while within 3,500 bytes
    assert store.size() <= 3500


def test_the_checks_judgements_survive_the_process(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    store = open_store(tmp_path / "c")
    first = CheckCache(store=store)
    cold = check_tree(content, first)
    assert first.judged == cold.files - 1  # every file but site.yml judged
    again = CheckCache(store=open_store(tmp_path / "c"))  # a fresh process: nothing in memory
    warm = check_tree(content, again)
    assert again.judged == 0
    assert warm.corpus == cold.corpus and warm.warnings == cold.warnings
    edited = next(content.glob("2022/*/*.yml"))
    edited.write_text(edited.read_text(encoding="utf-8").replace("信访", "来访", 1), encoding="utf-8")
    third = CheckCache(store=open_store(tmp_path / "c"))
    assert check_tree(content, third).corpus == check_tree(content).corpus
    assert third.judged == 1  # only the edited file judged again


def test_a_folder_is_packed_and_unpacked_whole(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "a" / "b").mkdir(parents=True)
    (src / "a" / "b" / "x.pf").write_bytes(b"\0\1\2")
    (src / "页.html").write_text("页", encoding="utf-8")
    out = tmp_path / "out"
    assert unpack_folder(pack_folder(src), out)
    assert pack_folder(out) == pack_folder(src)  # the same paths and bytes
    assert not unpack_folder(b"\5\0\0\0../xx" + b"\0" * 8, tmp_path / "evil")  # no path out of the folder


def test_an_unchanged_tree_converts_only_the_nav_pages_and_runs_no_pagefind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.structure.pages import Page

    from generator.commands.build import build_site
    from generator.plugin.page_cache import PageCache, _CachedPage
    from generator.search import parts

    from .site_helpers import make_config

    config = make_config(tmp_path, CONTENT)
    assert build_site(config, tmp_path / "one", out=io.StringIO(), cache_dir=tmp_path / "c") == 0
    rendered: list[str] = []  # pages MkDocs converted and templated (by Python-Markdown or fast_page.py)
    finish = PageCache.finish

    def counted(cache: PageCache, output: str, page: Page) -> str:
        if not isinstance(page, _CachedPage):
            rendered.append(page.file.src_uri)
        return finish(cache, output, page)

    def no_pagefind(*args: Any) -> None:
        raise AssertionError("Pagefind ran")

    monkeypatch.setattr(PageCache, "finish", counted)
    monkeypatch.setattr(parts, "run_pagefind", no_pagefind)
    assert build_site(config, tmp_path / "two", out=io.StringIO(), cache_dir=tmp_path / "c") == 0
    assert sorted(rendered) == [
        "about/index.md",
        "data/index.md",
        "index.md",
        "regions/index.md",
        "results/index.md",
        "units/index.md",
        "years/index.md",
    ]
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two


def test_values_are_named_by_content_and_anything_else_is_refused() -> None:
    from decimal import Decimal

    from generator.corpus.model import Money, Source
    from generator.store import Unkeyable, value_digest

    a = (Money(Decimal("1.50"), "1.5元", Source("a.yml", 1, 2)), {"k": [1, "x"]}, frozenset({"甲", "乙"}))
    b = (Money(Decimal("1.50"), "1.5元", Source("a.yml", 1, 2)), {"k": [1, "x"]}, frozenset({"乙", "甲"}))
    assert value_digest(a, {}) == value_digest(b, {})
    assert value_digest(Decimal("1.5"), {}) != value_digest(Decimal("1.50"), {})  # shown differently
    assert value_digest((1,), {}) != value_digest([1], {}) != value_digest(("1",), {})
    assert value_digest(Source("a.yml", 1, 2), {}) != value_digest(Source("a.yml", 1, 3), {})
    with pytest.raises(Unkeyable):
        value_digest(object(), {})


def test_a_fresh_process_renders_only_the_pages_an_edit_touched(tmp_path: Path) -> None:
    from generator.site.cache import BuildCache
    from generator.site.generate import generate

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)

    def run(out: str, store: bool) -> tuple[dict[str, bytes], int]:
        opened = open_store(tmp_path / "c") if store else None
        cache = BuildCache(store=opened)
        result = check_tree(content, cache.check)
        assert result.corpus is not None
        if opened is not None:
            opened.begin()
        generate(result.corpus, content, tmp_path / out, raw=result.raw, cache=cache)
        files = {
            p.relative_to(tmp_path / out).as_posix(): p.read_bytes() for p in (tmp_path / out).rglob("*") if p.is_file()
        }
        return files, opened.stats.misses if opened is not None else -1

    run("first", True)
    assert run("second", True)[1] == 0
    edited = content / "2022" / "lushanshi-xinfangju" / "xinfang-weiwen-gongzuo-jingfei.yml"
    text = edited.read_text(encoding="utf-8")
    assert "成立了庐山市信访工作领导小组" in text
    edited.write_text(text.replace("成立了庐山市信访工作领导小组", "成立了庐山市来访工作领导小组"), encoding="utf-8")
    warm, misses = run("third", True)
    # pages: the disclosure, its source view, the unit, unit-year and year pages that list it;
    # data: its fragments and the three workbooks holding it (all, its year, its unit)
    assert 0 < misses <= 12
    cold, _ = run("cold", False)
    assert warm == cold
