"""Old addresses that never break (site/redirects.py): the redirect pages `generate()` writes from the
history of a test repository with a moved and renamed project, a renamed unit, a rename chain, a
pinned 网址 and an old address taken by new content (tests/history_helpers.py); `gongkai check`'s
warning for that; what a site built without history keeps. The browser and LinkChecker tests of
the built site are in tests/test_redirects_browser.py."""

from __future__ import annotations

import io
import logging
import shutil
from pathlib import Path

import lxml.html
import pytest

from generator.commands.check import run_check
from generator.corpus.model import Corpus
from generator.corpus.validate import check_tree
from generator.history import History, PastAddress, read_history
from generator.site.generate import generate
from generator.site.parts import plan
from generator.site.redirects import old_addresses

from .history_helpers import edits_repo

PROJECT = "2022/tonghaixian-renmin-xinfangju/xinfang-zhuanxiang-jingfei-gengzheng/"
PINNED = "2022/tonghaixian-renmin-xinfangju/mubiao-guding/"
UNIT = "units/tonghaixian-renmin-xinfangju/"
REUSED = "2022/tonghaixian-renmin-xinfangju/xinfang-zhuanxiang-jingfei/"  # the new project's page
MOVES = {
    "2022/tonghaixian-xinfangju/xinfang-zhuanxiang-gongzuo-jingfei-zhuanxiang-zijin/": PROJECT,  # A → D, not A → B
    "2022/tonghaixian-xinfangju/xinfang-zhuanxiang-jingfei/": PROJECT,
    "2022/tonghaixian-xinfangju/xinfang-mubiao-jingfei/": PINNED,
    "units/tonghaixian-xinfangju/": UNIT,
    "2022/tonghaixian-xinfangju/": "2022/tonghaixian-renmin-xinfangju/",  # the renamed unit's year folder
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return edits_repo(tmp_path_factory.mktemp("edits") / "repo")


@pytest.fixture(scope="module")
def corpus(repo: Path) -> Corpus:
    result = check_tree(repo)
    assert result.corpus is not None, [str(p) for p in result.errors]
    return result.corpus


@pytest.fixture(scope="module")
def history(repo: Path) -> History:
    return read_history(repo)


def _redirects(docs: Path) -> dict[str, lxml.html.HtmlElement]:
    """The redirect pages of a generated docs folder, by old URL."""
    out = {}
    for path in sorted(docs.rglob("index.html")):
        if b'http-equiv="refresh"' in path.read_bytes():
            out[path.parent.relative_to(docs).as_posix() + "/"] = lxml.html.fromstring(path.read_bytes())
    return out


def _target(old: str, page: lxml.html.HtmlElement) -> str:
    """Where a redirect page leads, as a site URL (its links are relative to the old address)."""
    from posixpath import join, normpath

    refresh = page.xpath("//meta[@http-equiv='refresh']/@content")[0]
    assert refresh.startswith("0; url=")
    link = refresh.removeprefix("0; url=")
    assert page.xpath("//main//a/@href")[0] == link  # the visible link, for readers without redirects
    return normpath(join(old, link)) + "/"


def test_every_old_address_leads_to_todays_page(tmp_path: Path, repo: Path, corpus: Corpus, history: History) -> None:
    generated = generate(corpus, repo, tmp_path, history=history)
    pages = _redirects(tmp_path)
    assert {old: _target(old, page) for old, page in pages.items()} == MOVES
    assert generated.redirects == frozenset(MOVES)
    page = pages["2022/tonghaixian-xinfangju/xinfang-zhuanxiang-jingfei/"]
    assert page.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert page.xpath("//link[@rel='canonical']/@href") == [
        "../../tonghaixian-renmin-xinfangju/xinfang-zhuanxiang-jingfei-gengzheng/"
    ]
    assert page.xpath("//body/@data-pagefind-ignore") == ["all"]
    assert page.xpath("//html/@lang") == ["zh"]  # as every page of the site (Material's language: zh)
    assert "通海县人民信访局 2022年项目文本：信访专项经费（更正）" in page.xpath("string(//main)")
    # no old address shadows a page of today: the reused one and the pinned one are pages
    for url in (REUSED, PINNED, PROJECT, UNIT):
        assert (tmp_path / url / "index.md").is_file() and not (tmp_path / url / "index.html").exists()


def test_same_commit_same_bytes(tmp_path: Path, repo: Path, corpus: Corpus, history: History) -> None:
    generate(corpus, repo, tmp_path / "a", history=history)
    generate(corpus, repo, tmp_path / "b", history=read_history(repo))
    for old in MOVES:
        assert (tmp_path / "a" / old / "index.html").read_bytes() == (tmp_path / "b" / old / "index.html").read_bytes()


def test_an_old_address_never_shadows_a_page(corpus: Corpus) -> None:
    """A history that says a page's file once had the address of today's year folder, or of
    another disclosure: those stay pages; an address no page has today leads on."""
    project = next(d for d in corpus.disclosures if d.src_path == "2022/tonghai/xinfang.yml")
    history = History(
        True,
        addresses=(
            PastAddress("2022/tonghaixian-renmin-xinfangju/", project.src_path, 3),  # a year folder of today
            PastAddress(PINNED, project.src_path, 4),  # another disclosure's page
            PastAddress("2021/gone/", project.src_path, 2),
        ),
    )
    found = old_addresses(corpus, history)
    assert "2022/tonghaixian-renmin-xinfangju/" not in found.targets and PINNED not in found.targets
    assert found.targets["2021/gone/"] == PROJECT
    assert found.note is None


def test_reused_address_warned_by_check_and_build(repo: Path, caplog: pytest.LogCaptureFixture) -> None:
    out = io.StringIO()
    assert run_check(repo, out=out) == 0
    warning = f"2022/new.yml:1:1: 警告：本页的网址 {REUSED} 以前是 2022/tonghai/xinfang.yml 的网址"
    assert warning in out.getvalue() and "1 条警告" in out.getvalue()
    strict = io.StringIO()
    assert run_check(repo, strict=True, out=strict) == 1 and warning in strict.getvalue()
    alone = io.StringIO()
    assert run_check(repo, out=alone, history=False) == 0 and "警告" not in alone.getvalue()


def test_build_logs_the_reused_address_once(
    tmp_path: Path, repo: Path, corpus: Corpus, history: History, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="generator.site.generate"):
        generate(corpus, repo, tmp_path, history=history)
    found = [r for r in caplog.records if REUSED in r.getMessage()]
    assert len(found) == 1 and found[0].levelno == logging.INFO
    assert found[0].getMessage().startswith("内容警告：2022/new.yml:1:1: 警告：")


def test_without_history_the_derivable_redirects_stay(
    tmp_path: Path, repo: Path, caplog: pytest.LogCaptureFixture
) -> None:
    plain = tmp_path / "content"
    shutil.copytree(repo, plain)
    result = check_tree(plain)
    assert result.corpus is not None
    history = read_history(plain)
    assert not history.available
    with caplog.at_level(logging.INFO, logger="generator.site.generate"):
        generated = generate(result.corpus, plain, tmp_path / "docs", history=history)
    kept = {"units/tonghaixian-xinfangju/": UNIT, "2022/tonghaixian-xinfangju/": "2022/tonghaixian-renmin-xinfangju/"}
    pages = _redirects(tmp_path / "docs")
    assert {old: _target(old, page) for old, page in pages.items()} == kept  # from the unit's 别名
    assert generated.redirects == frozenset(kept)
    notes = [r.getMessage() for r in caplog.records if "旧网址跳转不完整" in r.getMessage()]
    assert len(notes) == 1 and (history.reason or "?") in notes[0] and "2 个跳转页" in notes[0]
    # and not said again when there is a history
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="generator.site.generate"):
        generate(result.corpus, repo, tmp_path / "again", history=read_history(repo))
    assert not [r for r in caplog.records if "旧网址跳转不完整" in r.getMessage()]


def test_redirects_are_part_ones(tmp_path: Path, repo: Path, corpus: Corpus, history: History) -> None:
    """In a site built in parts, part 1 writes every redirect page; every part knows them (for its sitemap)."""
    first, second = plan(corpus, 2)
    one = generate(corpus, repo, tmp_path / "one", first, history=history)
    two = generate(corpus, repo, tmp_path / "two", second, history=history)
    assert set(_redirects(tmp_path / "one")) == set(MOVES) and _redirects(tmp_path / "two") == {}
    assert one.redirects == two.redirects == frozenset(MOVES)
