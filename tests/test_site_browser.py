"""The built site in a real browser: pages load with no request to any other host; chart and tables show."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .browser_helpers import ARGS, CHROMIUM, serve
from .site_helpers import CONTENT, build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 chromium：apt-get install chromium"),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    code, messages, site = build(tmp_path_factory.mktemp("browser"), CONTENT)
    assert code == 0, messages
    with serve(site) as url:
        yield url


def test_pages_load_locally_with_chart_and_tables(base_url: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
            requested: list[str] = []
            page.on("request", lambda r: requested.append(r.url))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))

            page.goto(base_url + "units/panlongqu-xinfangju/")
            assert page.locator("html").get_attribute("lang") == "zh"
            chart = page.locator(".gk-chart-table svg[role=img]")
            assert chart.is_visible()
            box = chart.bounding_box()
            assert box is not None and 0 < box["width"] <= 390  # fits the phone screen
            assert page.locator(".gk-chart-table table.gk-summary").is_visible()
            assert "284.63" in page.locator("table.gk-summary").inner_text()

            page.goto(base_url + "2020/panlongqu-xinfangju/xinfang-chutu-jingfei/")
            assert page.locator("h1").inner_text().rstrip("¶") == "信访处突经费"
            page.locator(".gk-indicators details summary").first.click()
            assert page.locator(".gk-indicators details p").first.is_visible()
            page.locator(".gk-facts a.gk-src").first.click()
            page.wait_for_url("**/source/2020/panlongqu-xinfangju/xinfang-chutu-jingfei.yml.html#L*")
            assert "535000元" in page.locator("li:target").inner_text()

            assert errors == []
            assert requested and all(url.startswith(base_url) for url in requested), [
                u for u in requested if not u.startswith(base_url)
            ]
        finally:
            browser.close()
