"""The search index in parts, in Chromium: other cuts of the same pages give the same results.

Three sites of the bundled content, each searched through its 搜索 page: the whole build
(parts 2022, 2020, units); the same site with its index built by two processes apart
(2020 alone; 2022 and the units), put together and finished with `finish_bundle`; and one
cut into parts of at most two pages (six Pagefind indexes). Sorted results must be the
same, in the same order, across parts; ranked results the same pages, and a page named by
the phrase typed first. (Beyond that, ranks from parts of one or two pages are not comparable
with those of one index: each part weighs words by its own pages.)
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from generator.corpus.validate import check_tree
from generator.search.index import FINISH_FILES, build_index, finish_bundle

from .browser_helpers import CHROMIUM, chromium, serve, settle_search
from .site_helpers import CONTENT

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 chromium：apt-get install chromium"),
]

# (query string, what must match: "order" all of it; "name" the same pages, the one named first; "pages")
QUERIES = [
    ("q=信访处突", "name"),
    ("q=盘龙区信访局", "name"),
    ("q=劝返", "pages"),
    ("q=xfj", "pages"),
    ("q=楚雄 劝返", "pages"),
    ("q=信访&年度=2020", "pages"),
    ("q=信访&sort=amount:desc", "order"),
    ("q=信访&sort=amount:asc", "order"),
    ("q=信访&sort=year:asc", "order"),
    ("q=信访处突&sort=year:desc", "order"),
    ("类型=项目文本", "order"),  # browsing a filter without a query: newest year first
]


def _bare(bundled_site: Path, dest: Path) -> Path:
    shutil.copytree(bundled_site, dest, ignore=lambda d, names: ["pagefind"] if Path(d) == bundled_site else [])
    return dest


@pytest.fixture(scope="module")
def sites(bundled_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """{name: base URL} of the whole build, the one finished from parts built apart, and the small cut."""
    result = check_tree(CONTENT)
    assert result.corpus is not None
    corpus = result.corpus
    tmp = tmp_path_factory.mktemp("search-parts")
    one = _bare(bundled_site, tmp / "one")
    two = _bare(bundled_site, tmp / "two")
    build_index(corpus, one, years={2020}, units=False)
    build_index(corpus, two, years={2022}, units=True)
    apart = _bare(bundled_site, tmp / "apart")
    for site in (one, two):
        shutil.copytree(site / "pagefind", apart / "pagefind", dirs_exist_ok=True)
    for rel in FINISH_FILES:
        (apart / rel).unlink()
    finish_bundle(apart)
    small = _bare(bundled_site, tmp / "small")
    # each year and the units cut into parts of at most 2 pages
    groups = [sum(d.year == y for d in corpus.disclosures) for y in corpus.years] + [len(corpus.units)]
    assert len(build_index(corpus, small, part_pages=2).parts) == sum(-(-n // 2) for n in groups)
    with ExitStack() as stack:
        yield {
            name: stack.enter_context(serve(path))
            for name, path in (("whole", bundled_site), ("apart", apart), ("small", small))
        }


@pytest.fixture(scope="module")
def tabs(sites: dict[str, str]) -> Iterator[dict[str, Any]]:
    """One browser tab per site, reused for every query (a fresh tab costs a second each)."""
    with chromium() as browser:
        out = {}
        for name, base in sites.items():
            page = browser.new_page()
            page.gk_base, page.gk_errors = base, []
            page.on("pageerror", lambda e, errors=page.gk_errors: errors.append(str(e)))
            out[name] = page
        yield out


def _results(page: Any, query: str) -> list[tuple[str, str, str]]:
    qs = "&".join("=".join(quote(x) for x in kv.split("=", 1)) for kv in query.split("&"))
    page.goto(f"{page.gk_base}search/?{qs}")
    settle_search(page)
    more = page.locator("[data-gk-more]")
    while more.is_visible():  # every result, not only the first page of ten
        shown = page.locator(".gk-result").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.gk-result').length > {shown}")
    rows = page.evaluate(
        """() => [...document.querySelectorAll('.gk-result')].map((li) => [
            li.querySelector('.gk-result__title a').textContent,
            li.querySelector('.gk-result__title a').getAttribute('href'),
            li.querySelector('.gk-result__facts').textContent])"""
    )
    assert page.gk_errors == []
    return [(title, urlsplit(href).path, facts) for title, href, facts in rows]


@pytest.mark.parametrize(("query", "same"), QUERIES)
def test_parts_built_apart_or_cut_small_find_what_the_whole_build_finds(
    tabs: dict[str, Any], query: str, same: str
) -> None:
    whole = _results(tabs["whole"], query)
    assert whole, query
    assert _results(tabs["apart"], query) == whole  # the same bundle, byte for byte
    small = _results(tabs["small"], query)
    if same == "order":
        assert small == whole
    else:
        assert sorted(small) == sorted(whole)
    if same == "name":
        assert small[0] == whole[0] and query.removeprefix("q=") in small[0][0]


def test_amount_order_runs_across_parts(tabs: dict[str, Any]) -> None:
    """Six parts of at most two pages: Pagefind's own merged sort would interleave them."""
    rows = _results(tabs["small"], "q=经费&sort=amount:desc")
    amounts = [float(re.search(r"([\d.]+) 万元", facts)[1]) for _, _, facts in rows]  # type: ignore[index]
    years = {facts.split(" · ")[1] for _, _, facts in rows}
    assert len(amounts) >= 5 and years == {"2020年", "2022年"}
    assert amounts == sorted(amounts, reverse=True)
