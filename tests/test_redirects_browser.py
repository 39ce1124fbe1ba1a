"""Old addresses in a real browser and for LinkChecker (issue 17's acceptance).

The test repository (tests/history_helpers.py: a moved and renamed project, a renamed unit, a
rename chain, a pinned 网址, an old address taken by new content) is built with `gongkai build`.
Then every page address of every earlier commit — worked out by checking and rendering each
commit's content on its own, not from the history stage — is opened in Chromium on 127.0.0.1
and must end on the page of today that holds that content (or on the page that has the address
now). LinkChecker, started from the home page and every redirect page, finds no broken link. The
404 page offers a search for the words of a missing address.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.commands.build import build_site
from generator.corpus.model import Corpus
from generator.corpus.validate import check_tree
from generator.history import History
from generator.site.render import render_site

from .browser_helpers import BROWSER_MARKS, axe_source, axe_violations, open_tab, serve, settle_search
from .history_helpers import COMMITS, MOVED, OLD, edits_repo
from .site_helpers import build, make_config
from .test_links import CONFIG, LINKCHECKER, summary

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]

RENAMED = {OLD.removeprefix("content/"): MOVED.removeprefix("content/")}  # a file's path → its path today


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the repository's content folder, the built site)."""
    tmp = tmp_path_factory.mktemp("redirects")
    content = edits_repo(tmp / "repo")
    code, messages, site = build(tmp / "build", content)
    assert code == 0, messages
    return content, site


def _corpus(content: Path) -> Corpus:
    result = check_tree(content)
    assert result.corpus is not None, [str(p) for p in result.errors]
    return result.corpus


def _pages(corpus: Corpus) -> set[str]:
    return {path.removesuffix("index.md") for path in render_site(corpus) if path.endswith("index.md")}


def old_addresses(tmp: Path, today: Corpus) -> dict[str, str]:
    """Every page address of every earlier commit → the page of today it must reach."""
    now = {d.src_path: d.url for d in today.disclosures} | {u.src.path: u.url for u in today.units}
    slug = {u.src.path: u.slug for u in today.units}
    current = _pages(today)
    expected: dict[str, str] = {}
    for n in range(1, len(COMMITS)):
        corpus = _corpus(edits_repo(tmp / f"commit{n}", n))
        owner = {d.url: d.src_path for d in corpus.disclosures} | {u.url: u.src.path for u in corpus.units}
        folders = {f"{d.year}/{d.unit.slug}/": (d.year, d.unit.src.path) for d in corpus.disclosures}
        for url in _pages(corpus):
            if url in current:
                target = url  # still a page (or the page of the content that has the address now)
            elif url in owner:
                target = now[RENAMED.get(owner[url], owner[url])]
            else:
                year, unit = folders[url]  # the unit's year folder
                target = f"{year}/{slug[unit]}/"
            expected.setdefault(url, target)
    return expected


def test_every_old_address_reaches_todays_page(built: tuple[Path, Path], browser: Any, tmp_path: Path) -> None:
    content, site = built
    today = _corpus(content)
    expected = old_addresses(tmp_path, today)
    moved = {old: new for old, new in expected.items() if old != new}
    assert len(moved) == 5  # project (twice: a chain), targets table, unit, the unit's year folder
    with serve(site) as base, open_tab(browser, base, {"width": 1280, "height": 800}) as tab:
        for old, new in sorted(expected.items()):
            response = tab.page.goto(base + old, wait_until="load")
            assert response.status == 200, old  # a page or a redirect page, not 404
            tab.page.wait_for_url(base + new)
            assert "页面未找到" not in tab.page.title(), old
        tab.check_clean()
    # the pinned 网址 survived the rename of its project; the sitemap lists only today's pages
    pinned = next(d for d in today.disclosures if d.src_path == "2022/mubiao.yml")
    assert pinned.url.endswith("/mubiao-guding/") and pinned.name == "信访目标管理经费"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = {loc.removeprefix("https://test.example.gov.cn/") for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)}
    assert not listed & set(moved) and {d.url for d in today.disclosures} <= listed


def test_redirect_pages_are_not_searched(built: tuple[Path, Path]) -> None:
    """The search bundle's pages (every Pagefind fragment of every index part) are today's pages only."""
    content, site = built
    today = _corpus(content)
    found = set()
    for fragment in site.glob("pagefind/parts/*/fragment/*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        found.add(data["url"].lstrip("/"))
    found.discard("gk-search-words/")  # the words list of the header search (search/index.py), not a result
    assert found == {d.url for d in today.disclosures} | {u.url for u in today.units}


def test_no_broken_link_from_any_redirect(built: tuple[Path, Path], tmp_path: Path) -> None:
    _, site = built
    starts = [p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")]
    redirects = [u for u in starts if b'http-equiv="refresh"' in (site / u / "index.html").read_bytes()]
    assert len(redirects) == 5
    config = tmp_path / "linkcheckerrc"
    config.write_text(CONFIG, encoding="utf-8")
    with _serve_site(site) as base:
        run = subprocess.run(
            [str(LINKCHECKER), "-f", str(config), "--no-status", "-o", "text", base, *(base + u for u in redirects)],
            capture_output=True,
            text=True,
            timeout=600,
        )
    output = run.stdout + run.stderr
    checked, warnings, errors = summary(output)
    assert (run.returncode, warnings, errors) == (0, 0, 0), output[-4000:]
    assert checked > len(starts)


@contextmanager
def _serve_site(site: Path) -> Iterator[str]:
    """The site on 127.0.0.1 as a web server serves it: a missing address gets 404.html (status 404)."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            page = site / "404.html"
            if code != 404 or not page.is_file():
                return super().send_error(code, message, explain)
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("LinkChecker", "local test server")
            self.end_headers()
            self.wfile.write(body)

        def end_headers(self) -> None:
            self.send_header("LinkChecker", "local test server")
            super().end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_404_searches_the_words_of_the_address(built: tuple[Path, Path], browser: Any) -> None:
    _, site = built
    missing = "2022/tonghaixian-renmin-xinfangju/xinfang-zhuanxiang-jingfei-gengzhen/"  # a letter short
    with _serve_site(site) as base, open_tab(browser, base, {"width": 375, "height": 812}) as tab:
        response = tab.page.goto(base + missing, wait_until="load")
        assert response.status == 404 and "页面未找到" in tab.page.title()
        tab.page.wait_for_selector("[data-gk-notfound-searches] a")
        own = "xinfang zhuanxiang jingfei gengzhen"
        assert tab.page.input_value("#gk-notfound-q") == own
        links = tab.page.eval_on_selector_all("[data-gk-notfound-searches] a", "as => as.map(a => a.href)")
        queries = [parse_qs(urlsplit(href).query)["q"][0] for href in links]
        assert queries == [own, "tonghaixian renmin xinfangju " + own]
        assert all(urlsplit(href).path == "/search/" for href in links)
        tab.page.click("[data-gk-notfound-searches] a >> nth=0")
        settle_search(tab.page)
        found = tab.page.eval_on_selector_all("[data-gk-results] a", "as => as.map(a => a.getAttribute('href'))")
        assert any("xinfang-zhuanxiang-jingfei-gengzheng" in (href or "") for href in found), found
        tab.check_clean()


def test_built_in_parts_the_same_site(
    built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`gongkai build --parts 2` of the test repository: part 1 writes the redirect pages, the merge
    joins them without a conflict, and the site is the whole build's, byte for byte."""
    from .test_parts import tree

    content, _ = built
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    code, messages, whole = build(tmp_path / "whole", content)
    assert code == 0, messages
    walks = tmp_path / "walks"  # the parts are forked processes: each walk leaves a line here
    from generator.history import read_history as read

    def counted(folder: Path) -> History:
        with walks.open("a") as f:
            f.write("walk\n")
        return read(folder)

    monkeypatch.setattr("generator.history.cache.read_history", counted)
    out = io.StringIO()
    assert build_site(make_config(tmp_path, content), tmp_path / "site", out=out, parts=2) == 0, out.getvalue()
    assert "已合并 2 个分片" in out.getvalue()
    assert walks.read_text().splitlines() == ["walk"]  # once, before the parts were forked
    merged = tree(tmp_path / "site")
    assert merged == tree(whole)
    assert sum(b'http-equiv="refresh"' in (tmp_path / "site" / rel).read_bytes() for rel in merged) == 5


def test_redirect_page_is_accessible(built: tuple[Path, Path], browser: Any) -> None:
    """What a reader whose browser does not follow the refresh sees: axe-core finds nothing (any impact)."""
    _, site = built
    old = "2022/tonghaixian-xinfangju/xinfang-zhuanxiang-jingfei/"
    html = (site / old / "index.html").read_text(encoding="utf-8")
    still = re.sub(r'<meta http-equiv="refresh"[^>]*>', "", html)
    assert still != html
    with serve(site) as base, open_tab(browser, base, {"width": 375, "height": 812}) as tab:
        tab.page.route(base + old, lambda r: r.fulfill(body=still, content_type="text/html; charset=utf-8"))
        tab.goto(old)
        assert axe_violations(tab.page, axe_source(), ("minor", "moderate", "serious", "critical")) == []
        assert tab.page.get_by_role("link", name="通海县人民信访局 2022年项目文本：信访专项经费（更正）").is_visible()
        tab.check_clean()
