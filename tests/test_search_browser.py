"""Site search in a real browser: Debian's Chromium, the built bundled site on 127.0.0.1.

Every query goes through the 搜索 page as a citizen would use it (the header box, the
form, the filter checkboxes, the sort list), and any request to another host fails the test.
The bundled content's index has three parts (2022, 2020, units), so every test runs the
merged path (search/parts.py); test_search_parts_browser.py compares it with other cuts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from .browser_helpers import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 chromium：apt-get install chromium"),
]

XINFANG_UNITS = {"盘龙区信访局", "楚雄州信访局", "庐山市信访局", "通海县信访局", "示例县信访局"}


class Page:
    """A fresh browser page that may only talk to the test server, and that fails on JS errors."""

    def __init__(self, browser: Any, base_url: str) -> None:
        self.base = base_url
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []  # paths asked of the test server, in order
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(urlsplit(r.url).path))
        self.page.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def search(self, query: str = "", **params: str) -> None:
        qs = "&".join(f"{quote(k)}={quote(v)}" for k, v in {"q": query, **params}.items())
        self.page.goto(f"{self.base}search/?{qs}")
        if query or len(params):
            self.settle()
        else:
            self.page.wait_for_selector(".gk-search--js [data-gk-status]", state="attached")

    def settle(self) -> None:
        """Wait until the search page has shown its results (or its no-results message)."""
        self.page.wait_for_function(
            """() => {
              const root = document.querySelector('[data-gk-search-page]');
              const status = document.querySelector('[data-gk-status]').textContent;
              return root && !root.hasAttribute('aria-busy') && status && !status.startsWith('正在');
            }""",
            timeout=20_000,
        )

    def results(self) -> list[dict[str, str]]:
        return self.page.evaluate(
            """() => [...document.querySelectorAll('.gk-result')].map((li) => ({
                title: li.querySelector('.gk-result__title a').textContent,
                href: li.querySelector('.gk-result__title a').href,
                facts: li.querySelector('.gk-result__facts').textContent,
                excerpt: li.querySelector('.gk-result__excerpt').textContent,
            }))"""
        )

    def units(self) -> set[str]:
        """Unit names of the results (a unit result's title is the unit; a disclosure's facts start with it)."""
        out = set()
        for r in self.results():
            out.add(r["title"] if r["facts"].startswith("单位") else r["facts"].split(" · ")[0])
        return out

    def status(self) -> str:
        return self.page.locator("[data-gk-status]").inner_text()

    def close(self) -> None:
        assert self.foreign == [], self.foreign
        assert self.errors == [], self.errors
        self.page.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Page]:
    p = Page(browser, base_url)
    yield p
    p.close()


def test_phrase_finds_the_2020_panlong_project(page: Page) -> None:
    page.search("信访处突")
    first = page.results()[0]
    assert first["title"] == "信访处突经费"
    assert first["href"].endswith("/2020/panlongqu-xinfangju/xinfang-chutu-jingfei/")
    assert first["facts"].startswith("盘龙区信访局 · 2020年 · 项目文本 · 资金安排合计 53.50 万元")
    assert "信访处突" in first["excerpt"]
    # every result holds the phrase as typed; the 2022 report lists the project among its spending
    assert {r["title"] for r in page.results()} == {"信访处突经费", "盘龙区信访局2022年部门整体支出绩效自评报告"}


def test_quanfan_finds_chuxiong_and_lushan(page: Page) -> None:
    page.search("劝返")
    assert page.units() == {"楚雄州信访局", "庐山市信访局"}
    assert all("劝返" in r["excerpt"] for r in page.results())
    assert page.status() == "找到 2 条与“劝返”相关的结果"


def test_tiaochu_dudao_finds_tonghai_second_project(page: Page) -> None:
    page.search("调处督导")
    results = page.results()
    assert [r["title"] for r in results] == ["通海县社会矛盾纠纷调处督导中心工作经费专项资金"]
    assert results[0]["facts"].startswith("通海县信访局 · 2022年 · 项目文本")
    assert results[0]["href"].endswith(
        "/2022/tonghaixian-xinfangju/tonghaixian-shehui-maodun-jiufen-tiaochu-dudao-zhongxin/"
    )


@pytest.mark.parametrize("query", ["xfj", "xinfang", "xinfangju", "xin fang ju", "XinFangJu"])
def test_pinyin_finds_the_xinfang_units(page: Page, query: str) -> None:
    page.search(query)
    unit_results = {r["title"] for r in page.results() if r["facts"].startswith("单位")}
    assert unit_results == XINFANG_UNITS
    assert all(re.fullmatch(r"[\u4e00-\u9fff0-9（）]+", r["title"]) for r in page.results())  # titles, not pinyin
    assert all(not re.search(r"[a-z]{4}", r["excerpt"]) for r in page.results())  # no pinyin shown


def test_pinyin_initials_of_a_project_name(page: Page) -> None:
    page.search("tcdd")  # 调处督导
    assert [r["title"] for r in page.results()] == ["通海县社会矛盾纠纷调处督导中心工作经费专项资金"]


def test_year_filter_leaves_only_panlong(page: Page) -> None:
    page.search("信访")
    before = page.results()
    assert len(before) == 10  # the first page of 13 results (8 disclosures + 5 units)
    label = page.page.locator("fieldset.gk-facet", has_text="年度").locator("label", has_text="2020")
    assert "（1）" in label.inner_text()
    checkbox = page.page.locator('input[data-facet="年度"][value="2020"]')
    checkbox.focus()
    page.page.keyboard.press("Space")  # keyboard only
    page.page.wait_for_function("() => document.querySelectorAll('.gk-result').length === 1")
    page.settle()
    assert [(r["title"], r["facts"].split(" · ")[:2]) for r in page.results()] == [
        ("信访处突经费", ["盘龙区信访局", "2020年"])
    ]
    assert "年度=2020" in page.page.url or "%E5%B9%B4%E5%BA%A6=2020" in page.page.url  # shareable
    assert page.page.evaluate("document.activeElement.value") == "2020"  # focus stays on the checkbox


def test_filters_from_the_url_and_counts(page: Page) -> None:
    page.search("信访", 类型="绩效目标表")
    assert sorted(r["title"] for r in page.results()) == ["信访接待服务经费", "信访维稳工作经费"]
    kinds = page.page.locator("fieldset.gk-facet", has_text="类型").inner_text()
    # counts of the other kinds stay visible (what choosing them would add)
    assert "项目文本 （4）" in kinds and "绩效目标表 （2）" in kinds and "单位 （5）" in kinds
    assert "项目支出绩效自评表 （1）" in kinds  # search finds 自评表 like the other kinds


def test_sort_by_amount(page: Page) -> None:
    page.search("信访")
    page.page.select_option("[data-gk-sort]", "amount:desc")
    page.page.wait_for_function("() => location.search.includes('sort=amount')")
    page.settle()
    amounts = [float(re.search(r"([\d.]+) 万元", r["facts"])[1]) for r in page.results()]  # type: ignore[index]
    assert amounts == sorted(amounts, reverse=True) and len(amounts) == 8  # units have no amount
    page.page.select_option("[data-gk-sort]", "year:asc")
    page.page.wait_for_function("() => location.search.includes('sort=year')")
    page.settle()
    years = [r["facts"].split(" · ")[1] for r in page.results()]
    assert years[0] == "2020年" and set(years[1:]) == {"2022年"}


def test_the_merged_index_is_searched_with_one_library_and_one_webassembly(page: Page, bundled_site: Path) -> None:
    listing = json.loads((bundled_site / "pagefind/parts.json").read_text(encoding="utf-8"))
    assert len(listing["parts"]) == 3
    page.search("信访")
    asked = page.requests
    folder = f"/pagefind/{listing['merged']}/"  # the parts merged into one index (search/merged.py)
    assert not [a for a in asked if "/pagefind/parts/" in a]
    assert asked.count(f"{folder}pagefind-entry.json") == 1
    assert len([a for a in asked if a.startswith(f"{folder}pagefind.und_") and a.endswith(".pf_meta")]) == 1
    assert len([a for a in asked if "/index/" in a]) == 1  # 信访: one word, one index file
    fragments = [a for a in asked if "/fragment/" in a]
    assert fragments and all(a.startswith(f"{folder}fragment/") for a in fragments)
    assert asked.count("/pagefind/pagefind.js") == 1
    assert [a for a in asked if "wasm" in a] == [f"{folder}wasm.unknown.pagefind"]
    assert not [a for a in asked if "worker" in a or "/sort-" in a]  # no sort table for a ranked search
    page.page.select_option("[data-gk-sort]", "amount:desc")
    page.page.wait_for_function("() => location.search.includes('sort=amount')")
    page.settle()
    assert [a for a in page.requests if "/sort-" in a] == ["/pagefind/sort-amount.json"]


def test_words_are_matched_alike_in_every_part(page: Page) -> None:
    # a part whose pages lack a word must not fall back to a shorter word (Pagefind would:
    # xinfang… in 2022 and the units, 202… for 2020)
    page.search("xinfangchutu")
    assert [r["title"] for r in page.results()] == ["信访处突经费"]
    page.search("2020")
    assert [r["title"] for r in page.results()] == ["信访处突经费"]
    # 劝返 is in no 2020 page and no unit page: Pagefind alone would drop it in those parts
    # and return their 楚雄 pages
    page.search("楚雄 劝返")
    assert [(r["title"], r["facts"].split(" · ")[:2]) for r in page.results()] == [
        ("信访工作经费", ["楚雄州信访局", "2022年"])
    ]
    page.search("盘龙 劝返")
    assert page.results() == [] and page.status() == "没有找到“盘龙 劝返”相关的公开文本"


def test_nonsense_shows_no_results_with_suggestions(page: Page) -> None:
    page.search("qzxwvk")
    assert page.results() == []
    empty = page.page.locator("[data-gk-empty]")
    assert empty.is_visible()
    text = empty.inner_text()
    assert "没有找到“qzxwvk”相关的公开文本" in text
    assert "拼音" in text and "错别字" in text
    links = {a.inner_text(): a.get_attribute("href") for a in empty.locator("a").all()}
    assert set(links) == {"按单位", "按年度", "按地区"}
    assert page.status() == "没有找到“qzxwvk”相关的公开文本"


def test_keyboard_only_from_the_header_box_to_a_document(page: Page) -> None:
    p = page.page
    p.goto(page.base + "units/panlongqu-xinfangju/")
    for _ in range(40):  # tab to the header search box
        p.keyboard.press("Tab")
        if p.evaluate("document.activeElement.id") == "gk-hsearch-q":
            break
    assert p.evaluate("document.activeElement.id") == "gk-hsearch-q"
    p.keyboard.type("调处督导")
    p.keyboard.press("Enter")
    p.wait_for_url("**/search/?q=*")
    page.settle()
    for _ in range(40):  # tab on to the first result
        p.keyboard.press("Tab")
        if p.evaluate("document.activeElement.closest('.gk-result') !== null"):
            break
    assert p.evaluate("document.activeElement.textContent") == "通海县社会矛盾纠纷调处督导中心工作经费专项资金"
    p.keyboard.press("Enter")
    p.wait_for_url("**/2022/tonghaixian-xinfangju/tonghaixian-shehui-maodun-jiufen-tiaochu-dudao-zhongxin/")
    assert p.locator("h1").inner_text().rstrip("¶") == "通海县社会矛盾纠纷调处督导中心工作经费专项资金"


def test_search_page_form_and_more_queries(page: Page) -> None:
    page.search("")
    p = page.page
    assert p.evaluate("document.activeElement.name") == "q"
    p.keyboard.type("盘龙区信访局")
    p.keyboard.press("Enter")
    page.page.wait_for_function("() => location.search.includes('q=')")
    page.settle()
    results = page.results()
    assert results[0]["title"] == "盘龙区信访局" and results[0]["facts"].startswith("单位")
    assert {r["title"] for r in results[1:]} == {"信访处突经费", "盘龙区信访局2022年部门整体支出绩效自评报告"}
    # a Chinese phrase that is not in any document, though each character is: the exact phrase
    # finds nothing, so the characters are searched as words, and the page says so
    page.search("经费信访")
    assert "没有完全一致的词句" in page.status() and page.results()
    # a whole sentence pasted from a document (longer than the 13 characters looked up)
    page.search("对上省进京到九江市访群众差旅费2万元")
    assert [r["title"] for r in page.results()] == ["信访维稳工作经费"]


def test_phone_header_magnifier_and_folded_filters(browser: Any, base_url: str) -> None:
    p = Page(browser, base_url)
    try:
        p.page.set_viewport_size({"width": 390, "height": 844})
        p.page.goto(base_url + "units/panlongqu-xinfangju/")
        assert not p.page.locator("#gk-hsearch-q").is_visible()  # only the magnifier on a phone
        p.page.locator("form.gk-hsearch button[type=submit]").click()
        p.page.wait_for_url("**/search/?q=")
        p.page.wait_for_selector("[data-gk-ready]", state="attached")
        p.page.keyboard.type("劝返")
        p.page.keyboard.press("Enter")
        p.settle()
        assert len(p.results()) == 2
        assert p.page.evaluate("document.querySelector('[data-gk-facets-box]').open") is False
        first = p.page.locator(".gk-result").first.bounding_box()
        assert first is not None and first["y"] < 844  # the first result is on the first screen
        box = p.page.locator("[data-gk-facets-box] > summary")
        box.focus()
        p.page.keyboard.press("Enter")  # unfold by keyboard
        assert p.page.locator("fieldset.gk-facet").first.is_visible()
    finally:
        p.close()
