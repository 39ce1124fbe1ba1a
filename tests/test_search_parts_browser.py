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

import json
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
    # the same small parts, searched as parts (merged in the browser): what the page does
    # when they could not be merged on disk (search/merged.py, MergeUnsupported)
    unmerged = tmp / "unmerged"
    shutil.copytree(small, unmerged)
    finish_bundle(unmerged, merge=False)
    assert "merged" not in json.loads((unmerged / "pagefind/parts.json").read_text(encoding="utf-8"))
    with ExitStack() as stack:
        yield {
            name: stack.enter_context(serve(path))
            for name, path in (("whole", bundled_site), ("apart", apart), ("small", small), ("unmerged", unmerged))
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
    for cut in ("small", "unmerged"):
        small = _results(tabs[cut], query)
        if same == "order":
            assert small == whole, cut
        else:
            assert sorted(small) == sorted(whole), cut
        if same == "name":
            assert small[0] == whole[0] and query.removeprefix("q=") in small[0][0], cut


@pytest.mark.parametrize("cut", ["small", "unmerged"])
def test_amount_order_runs_across_parts(tabs: dict[str, Any], cut: str) -> None:
    """Six parts of at most two pages: Pagefind's own merged sort would interleave them."""
    rows = _results(tabs[cut], "q=经费&sort=amount:desc")
    amounts = [float(re.search(r"([\d.]+) 万元", facts)[1]) for _, _, facts in rows]  # type: ignore[index]
    years = {facts.split(" · ")[1] for _, _, facts in rows}
    assert len(amounts) >= 5 and years == {"2020年", "2022年"}
    assert amounts == sorted(amounts, reverse=True)


# What a first query may fetch (issue 15: ≤ 20 requests at 10,000 disclosures; BENCHMARKS.md).
# Index files: one per index word of the query at most (its pairs, or its pinyin word).
BUDGET_QUERIES = [("信访", 1), ("xfj", 1), ("xinfangju", 1), ("盘龙区信访局", 5), ("劝返", 1)]
_FIRST_JS = """() => {
  const first = window.__gkFirst;
  return performance.getEntriesByType('resource')
    .filter((e) => e.responseEnd <= first).map((e) => new URL(e.name).pathname);
}"""
_WATCH_JS = """(() => {
  window.__gkFirst = null;
  new MutationObserver(() => {
    const list = document.querySelector('[data-gk-results]');
    const empty = document.querySelector('[data-gk-empty]');
    if (window.__gkFirst === null && list && (list.children.length || (empty && !empty.hidden))) {
      window.__gkFirst = performance.now();
    }
  }).observe(document, {childList: true, subtree: true, attributes: true});
})();"""


@pytest.mark.parametrize(("query", "words"), BUDGET_QUERIES)
def test_a_first_query_loads_one_index_whatever_the_parts(
    tabs: dict[str, Any], sites: dict[str, str], query: str, words: int
) -> None:
    """Six parts on disk, one index in the browser: one entry file, one file list, one
    WebAssembly, one script, an index file per query word and a fragment per result shown."""
    context = tabs["small"].context.browser.new_context()  # an empty cache
    try:
        context.add_init_script(_WATCH_JS)
        page = context.new_page()
        page.goto(f"{sites['small']}search/?q={quote(query)}")
        page.wait_for_function("() => window.__gkFirst !== null", timeout=20_000)
        fetched = [p for p in page.evaluate(_FIRST_JS) if "/pagefind/" in p or "/gk-search" in p]
    finally:
        context.close()

    def count(pattern: str) -> int:
        return sum(1 for p in fetched if re.search(pattern, p))

    assert not [p for p in fetched if "/pagefind/parts/" in p]  # no part is loaded
    assert count(r"/pagefind-entry\.json$") == count(r"\.pf_meta$") == count(r"\.pagefind$") == 1
    assert count(r"/pagefind\.js$") == count(r"/parts\.json$") == count(r"/gk-search[^/]*\.js$") == 1
    assert count(r"\.pf_filter$") == 0  # the filter counts come after the first results
    assert 0 < count(r"\.pf_index$") <= words
    assert count(r"\.pf_fragment$") <= 10  # the first screen's results
    assert len(fetched) <= 20
