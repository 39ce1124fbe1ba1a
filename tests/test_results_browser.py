"""The list of indicators not met (results/<年度>/) in Chromium: without JavaScript every indicator is
there with its region and unit anchors; with it, the 地区 / 单位 form filters the list, says how many
are shown, keeps the choice in the address, and reads it back. axe at phone and desktop width."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from benchmarks.synth import synthesize
from generator.corpus.accountability import Verdict, link
from generator.corpus.model import Corpus
from generator.corpus.validate import check_tree

from .browser_helpers import BROWSER_MARKS, DESKTOP, PHONE, axe_source, axe_violations, open_tab, serve
from .site_helpers import build

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Corpus, str]]:
    tmp = tmp_path_factory.mktemp("results")
    content = tmp / "content"
    synthesize(90, content, seed=5, years=range(2023, 2025))
    corpus = check_tree(content).corpus
    assert corpus is not None
    code, messages, site = build(tmp / "build", content)
    assert code == 0, messages
    with serve(site) as url:
        yield corpus, url


def unmet_by_unit(corpus: Corpus, year: int) -> Counter[str]:
    return Counter(
        c.result.unit.slug
        for c in link(corpus.disclosures).comparisons
        if c.result.year == year
        for row in c.rows
        if row.verdict is Verdict.UNMET
    )


def busiest_year(corpus: Corpus) -> int:
    return max(corpus.years, key=lambda y: len(unmet_by_unit(corpus, y)))


def rows_shown(page: Any) -> int:
    return int(
        page.evaluate(
            "() => [...document.querySelectorAll('table.gk-unmet tbody tr')].filter((r) => r.checkVisibility()).length"
        )
    )


def test_without_javascript_every_indicator_is_listed_with_anchors(browser: Any, synth: tuple[Corpus, str]) -> None:
    corpus, url = synth
    year = busiest_year(corpus)
    counts = unmet_by_unit(corpus, year)
    assert len(counts) >= 2, "the synthetic year should list several units"
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{url}results/{year}/")
        assert not page.locator("[data-gk-results-filter]").is_visible()  # the form needs the script
        assert rows_shown(page) == sum(counts.values())
        for slug, n in counts.items():
            block = page.locator(f"#u-{slug}")
            assert block.count() == 1 and f"（{n} 项）" in block.inner_text()
            assert page.locator(f'table.gk-results-units a[href="#u-{slug}"]').inner_text() == str(n)
        for href in page.eval_on_selector_all("a[href^='#r-']", "(els) => els.map((a) => a.getAttribute('href'))"):
            assert page.locator(href).count() == 1, href  # every region link lands on a block
    finally:
        context.close()


def test_the_form_filters_by_region_and_unit_and_keeps_it_in_the_address(
    browser: Any, synth: tuple[Corpus, str]
) -> None:
    corpus, url = synth
    year = busiest_year(corpus)
    counts = unmet_by_unit(corpus, year)
    units = {u.slug: u for u in corpus.units}
    slug, n = counts.most_common()[-1]
    province = units[slug].region[0]
    in_province = sum(v for s, v in counts.items() if units[s].region[0] == province)
    with open_tab(browser, url, PHONE) as tab:
        tab.goto(f"results/{year}/")
        page = tab.page
        status = page.locator("[data-gk-results-status]")
        assert page.locator("[data-gk-results-filter]").is_visible()
        assert status.inner_text() == f"显示全部 {len(counts)} 个单位的 {sum(counts.values())} 项未完成指标。"
        page.select_option("#gk-rf-region", province)
        assert rows_shown(page) == in_province
        assert f"region={province}" in page.evaluate("() => decodeURIComponent(location.search)")
        page.select_option("#gk-rf-region", "")
        page.select_option("#gk-rf-unit", slug)
        assert rows_shown(page) == n
        assert status.inner_text() == f"显示 1 个单位的 {n} 项未完成指标。"
        shared = page.url
        tab.page.goto(shared)  # a shared address opens filtered
        assert page.locator("#gk-rf-unit").input_value() == slug and rows_shown(page) == n
        tab.check_clean()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_serious_axe_violations_filtered_or_not(
    browser: Any, synth: tuple[Corpus, str], viewport: dict[str, int]
) -> None:
    corpus, url = synth
    year = busiest_year(corpus)
    slug = next(iter(unmet_by_unit(corpus, year)))
    axe = axe_source()
    with open_tab(browser, url, viewport) as tab:
        for address in (f"results/{year}/", f"results/{year}/?unit={slug}", "results/"):
            tab.goto(address)
            assert axe_violations(tab.page, axe) == [], address
        tab.check_clean()
