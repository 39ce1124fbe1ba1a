"""修订记录 in Chromium: axe-core 0 serious/critical on 最近修订 and on a page whose list is open.

The site of the test repository (tests/history_helpers.py: figures changed, rows added and
removed, a file moved, links to earlier versions in 内容仓库), at phone and desktop width. The
bundled site's 最近修订 page is in the page-type list of test_a11y.py too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from .browser_helpers import BROWSER_MARKS, DESKTOP, PHONE, axe_source, axe_violations, open_tab, overflow, serve
from .history_helpers import edits_repo
from .site_helpers import build
from .test_a11y import HEADINGS_JS, heading_problems

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]

PROJECT = "2022/tonghaixian-renmin-xinfangju/xinfang-zhuanxiang-jingfei-gengzheng/"


@pytest.fixture(scope="module")
def edits_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("edits-site")
    code, messages, site = build(tmp / "built", edits_repo(tmp / "repo"))
    assert code == 0, messages
    with serve(site) as url:
        yield url


@pytest.mark.parametrize("url", ["revisions/", PROJECT, "units/tonghaixian-renmin-xinfangju/"])
@pytest.mark.parametrize("mode", ["phone", "desktop"])
def test_revisions_have_no_serious_axe_violations(browser: Any, edits_url: str, url: str, mode: str) -> None:
    with open_tab(browser, edits_url, PHONE if mode == "phone" else DESKTOP) as tab:
        tab.goto(url)
        summary = tab.page.locator("section.gk-revisions summary")
        if url != "revisions/":
            summary.focus()  # opened by keyboard, as a reader would
            tab.page.keyboard.press("Enter")
            assert tab.page.locator("section.gk-revisions details").get_attribute("open") is not None
            assert tab.page.locator("ol.gk-revlist > li").first.is_visible()
        else:
            assert tab.page.locator("ol.gk-recent > li").count() == 11
        assert heading_problems(tab.page.evaluate(HEADINGS_JS)) == []
        found = axe_violations(tab.page, axe_source())
        assert found == [], f"{url}（{mode}）：\n" + "\n".join(found)
        tab.check_clean()


def test_revision_list_fits_a_phone(browser: Any, edits_url: str) -> None:
    """Long figure lines wrap: opening the list makes nothing scroll sideways at 375 px."""
    with open_tab(browser, edits_url, PHONE) as tab:
        tab.goto(PROJECT)
        tab.page.locator("section.gk-revisions summary").click()
        assert overflow(tab.page) == 0
        tab.goto("revisions/")
        assert overflow(tab.page) == 0


def test_axe_sees_the_open_list(browser: Any, edits_url: str) -> None:
    """The check is real: a change line made unreadable in the open list is found."""
    with open_tab(browser, edits_url, PHONE) as tab:
        tab.goto(PROJECT)
        tab.page.locator("section.gk-revisions summary").click()
        tab.page.evaluate("() => { document.querySelector('ol.gk-revlist li li').style.color = '#ccc'; }")
        assert any("color-contrast" in v for v in axe_violations(tab.page, axe_source()))
