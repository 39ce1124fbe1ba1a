"""Phone first and 适老化 (issue 7), in Chromium at 375×812 (and 1280×800 for the screenshots).

No page type scrolls sideways as a whole, with or without 长者模式 (wide tables scroll inside
their own box instead); body text has line height ≥ 1.5; the 长者模式 switch persists across
reloads and pages; the home page answers within one phone screen. Screenshots of the home,
unit and disclosure pages at both widths are saved under the test's tmp folder, and the
path is in every failure message.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser_helpers import (
    BROWSER_MARKS,
    DESKTOP,
    PHONE,
    open_tab,
    overflow,
    page_types,
    settle_search,
)
from .conftest import bundled_corpus

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]

CORPUS = bundled_corpus()
TYPES = page_types(CORPUS)


@pytest.fixture(scope="module")
def phone_tab(browser: Any, base_url: str) -> Iterator[Any]:
    """One tab for the per-page-type checks (a fresh tab per page would double their time)."""
    with open_tab(browser, base_url, PHONE) as tab:
        yield tab


def load(tab: Any, kind: str) -> None:
    tab.goto(TYPES[kind])
    if kind == "search":
        settle_search(tab.page)


LINE_HEIGHTS_JS = """() => {
  const out = [];
  const sel = 'body, .md-typeset p, .md-typeset li, .md-typeset td, .md-typeset th, .md-typeset dd, .md-typeset dt, '
    + '.md-typeset figcaption, .md-nav__link, .md-copyright p';
  for (const el of document.querySelectorAll(sel)) {
    if (!el.checkVisibility() || !el.textContent.trim()) continue;
    const s = getComputedStyle(el);
    const ratio = parseFloat(s.lineHeight) / parseFloat(s.fontSize);
    if (!(ratio >= 1.5)) out.push(`${el.tagName}.${el.className} ${s.lineHeight}/${s.fontSize}`);
  }
  return out;
}"""


@pytest.mark.parametrize("kind", list(TYPES))
def test_no_page_scrolls_sideways_on_a_phone(phone_tab: Any, kind: str) -> None:
    """375 px wide, then the same page with 长者模式 on: the page is never wider than the screen."""
    tab = phone_tab
    if tab.page.url.startswith(tab.base):
        tab.page.evaluate("() => localStorage.clear()")  # 长者模式 off, whatever the last test left
    load(tab, kind)
    assert not tab.page.evaluate("() => document.documentElement.classList.contains('gk-elder')")
    assert overflow(tab.page) == 0, f"{TYPES[kind]} 在手机上比屏幕宽 {overflow(tab.page)}px"
    assert tab.page.evaluate(LINE_HEIGHTS_JS) == [], "行高不足 1.5"
    if kind != "source":
        tab.page.locator(".gk-elder-btn").click()
        assert overflow(tab.page) == 0, f"{TYPES[kind]} 长者模式下在手机上比屏幕宽 {overflow(tab.page)}px"
        assert tab.page.evaluate(LINE_HEIGHTS_JS) == [], "长者模式：行高不足 1.5"
    tab.check_clean()


def test_wide_tables_scroll_inside_their_own_box(browser: Any, base_url: str) -> None:
    """The indicator table is wider than a phone: its box scrolls, the page does not."""
    with open_tab(browser, base_url, PHONE) as tab:
        load(tab, "disclosure-project")
        box = tab.page.locator(".gk-scroll", has=tab.page.locator("table.gk-indicators")).first
        widths = box.evaluate("(b) => [b.scrollWidth, b.clientWidth, getComputedStyle(b).overflowX]")
        assert widths[0] > widths[1] and widths[2] == "auto", widths
        assert overflow(tab.page) == 0
        box.focus()  # a keyboard user scrolls it with the arrow keys
        tab.page.keyboard.press("ArrowRight")
        tab.page.wait_for_function("(b) => b.scrollLeft > 0", arg=box.element_handle())


SHOTS = [(kind, name) for kind in ("home", "unit", "disclosure-project") for name in ("phone", "desktop")]


@pytest.mark.parametrize(("kind", "viewport"), SHOTS)
def test_screenshots(browser: Any, base_url: str, tmp_path: Path, kind: str, viewport: str) -> None:
    size = PHONE if viewport == "phone" else DESKTOP
    with open_tab(browser, base_url, size) as tab:
        load(tab, kind)
        shot = tmp_path / f"{kind}-{viewport}.png"
        tab.page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000, shot
        where = f"（截图：{shot}）"
        assert overflow(tab.page) == 0, where
        h1 = tab.page.locator("article h1").bounding_box()
        assert h1 is not None and h1["x"] >= 0 and h1["x"] + h1["width"] <= size["width"] and h1["y"] < 200, where
        header = tab.page.locator(".md-header").bounding_box()
        assert header is not None and header["width"] == size["width"], where
        body_px = tab.page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)"
        )
        assert body_px >= 16, f"正文字号 {body_px}px 太小 {where}"
        if viewport == "phone":  # the navigation is in the drawer, not beside the content
            assert not tab.page.locator(".md-sidebar--primary a.md-nav__link").first.is_visible(), where
        tab.check_clean()


def test_elder_switch_persists_and_enlarges(browser: Any, base_url: str) -> None:
    with open_tab(browser, base_url, PHONE) as tab:
        page = tab.page
        tab.goto(TYPES["disclosure-project"])
        button = page.locator(".gk-elder-btn")
        assert button.inner_text() == "长者模式" and button.get_attribute("aria-pressed") == "false"
        size = "() => parseFloat(getComputedStyle(document.querySelector('.gk-text p')).fontSize)"
        color = "() => getComputedStyle(document.querySelector('.gk-text p')).color"
        normal = page.evaluate(size)
        button.click()
        assert button.get_attribute("aria-pressed") == "true"
        assert page.evaluate(size) >= 1.2 * normal
        assert page.evaluate(color) == "rgb(0, 0, 0)"  # high contrast: black text
        page.reload()
        assert page.evaluate("() => document.documentElement.classList.contains('gk-elder')")
        assert button.get_attribute("aria-pressed") == "true"
        assert page.evaluate(size) >= 1.2 * normal
        tab.goto("")  # another page: still on
        assert page.locator(".gk-elder-btn").get_attribute("aria-pressed") == "true"
        assert overflow(page) == 0
        page.keyboard.press("Tab")  # skip link
        for _ in range(5):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('.gk-elder-btn')"):
                break
        page.keyboard.press("Enter")  # off again, by keyboard
        assert page.locator(".gk-elder-btn").get_attribute("aria-pressed") == "false"
        page.reload()
        assert not page.evaluate("() => document.documentElement.classList.contains('gk-elder')")
        tab.goto(TYPES["disclosure-project"])
        assert page.evaluate(size) == normal
        tab.check_clean()


def test_elder_class_is_set_before_first_paint(browser: Any, base_url: str) -> None:
    """The inline script in <head> sets the class from localStorage before <body> exists (so
    before anything is painted), even when the switch's own script never loads."""
    with open_tab(browser, base_url, PHONE, elder=True) as tab:
        tab.page.add_init_script(
            """new MutationObserver((_, observer) => {
                 if (document.body) {
                   window.gkClassAtBody = document.documentElement.className;
                   observer.disconnect();
                 }
               }).observe(document, { childList: true, subtree: true });"""
        )
        tab.page.route("**/gk-a11y.js", lambda r: r.abort())
        tab.goto("")
        assert "gk-elder" in tab.page.evaluate("() => window.gkClassAtBody").split()
        assert tab.page.locator(".gk-elder-btn").get_attribute("aria-pressed") == "false"  # its script did not run


def test_home_answers_within_one_phone_screen(browser: Any, base_url: str) -> None:
    """What this is, what is new this year, search, and the ways to browse: all above 812 px."""
    latest = max(CORPUS.years)
    with open_tab(browser, base_url, PHONE) as tab:
        page = tab.page
        tab.goto("")
        screen = PHONE["height"]

        def on_first_screen(locator: Any, what: str) -> None:
            assert locator.count() >= 1, f"首页没有{what}"
            box = locator.first.bounding_box()
            assert locator.first.is_visible() and box is not None, f"首页的{what}不可见"
            assert box["y"] >= 0 and box["y"] + box["height"] <= screen, f"{what}不在第一屏：y={box['y']}"

        on_first_screen(page.locator("article h1", has_text=CORPUS.site.name), "网站名称")
        on_first_screen(page.locator(".gk-lead"), "网站简介")
        on_first_screen(page.locator(".gk-stats p", has_text=f"{latest}年"), f"{latest}年的新内容")
        on_first_screen(page.locator("form[role=search] button[type=submit]"), "搜索")
        for url, label in [("units/", "按单位"), ("years/", "按年度"), ("regions/", "按地区"), ("data/", "数据下载")]:
            on_first_screen(page.locator(f'article a[href="{url}"]', has_text=label), label)
        tab.check_clean()
