"""Accessibility of the built site in Chromium (issue 7; GB/T 37668, WCAG 2.1 AA).

Every page type, at phone and desktop width and in 长者模式: 0 axe-core violations of
impact serious or critical, headings in order, no request to any host but 127.0.0.1.
Keyboard: every visible control is reached by Tab, in a visible place, with a visible focus
outline; the phone menu opens and closes by keyboard. Charts and tables are checked in the
HTML (test_a11y_markup.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from .browser_helpers import (
    BROWSER_MARKS,
    DESKTOP,
    PHONE,
    axe_source,
    axe_violations,
    open_tab,
    page_types,
    settle_search,
)
from .conftest import bundled_corpus

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]

TYPES = page_types(bundled_corpus())
MODES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_source()


@pytest.fixture(scope="module")
def phone_tab(browser: Any, base_url: str) -> Iterator[Any]:
    """One tab for the page-type checks (a fresh tab per page would double their time)."""
    with open_tab(browser, base_url, PHONE) as tab:
        yield tab


def open_page(tab: Any, kind: str) -> None:
    tab.goto(TYPES[kind])
    if kind == "search":
        settle_search(tab.page)
        assert tab.page.locator(".gk-result").count() > 0, "搜索页没有显示结果，axe 检查的不是结果页"


HEADINGS_JS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
  .filter((h) => h.checkVisibility({ visibilityProperty: true }))
  .map((h) => [Number(h.tagName[1]), h.textContent.replace('¶', '').trim()])"""


def heading_problems(headings: list[list[Any]]) -> list[str]:
    """One h1 first; no level skipped on the way down (h2 → h4 is a skip, h4 → h2 is fine)."""
    problems = []
    levels = [level for level, _ in headings]
    if levels.count(1) != 1 or not levels or levels[0] != 1:
        problems.append(f"需要恰好一个 h1 且在最前：{levels}")
    for (prev, _), (level, text) in itertools.pairwise(headings):
        if level > prev + 1:
            problems.append(f"h{prev} 之后直接是 h{level}「{text}」")
    return problems


@pytest.mark.parametrize("kind", list(TYPES))
def test_page_type_has_no_serious_axe_violations(phone_tab: Any, axe: str, kind: str) -> None:
    """At phone width, then with 长者模式 switched on (its header button), then at desktop width."""
    tab = phone_tab
    tab.page.set_viewport_size(PHONE)
    if tab.page.url.startswith(tab.base):
        tab.page.evaluate("() => localStorage.clear()")  # 长者模式 off, whatever the last test left
    open_page(tab, kind)
    assert not tab.page.evaluate("() => document.documentElement.classList.contains('gk-elder')")
    assert tab.page.locator("html").get_attribute("lang") == "zh"
    assert heading_problems(tab.page.evaluate(HEADINGS_JS)) == [], TYPES[kind]
    found = {"phone": axe_violations(tab.page, axe)}
    if kind != "source":  # the plain source-file view has no header and no switch
        tab.page.locator(".gk-elder-btn").click()
        assert tab.page.evaluate("() => document.documentElement.classList.contains('gk-elder')")
        found["phone 长者模式"] = axe_violations(tab.page, axe)
    tab.page.set_viewport_size(DESKTOP)
    found["desktop"] = axe_violations(tab.page, axe)
    found = {mode: v for mode, v in found.items() if v}
    assert found == {}, f"{TYPES[kind]}：\n" + "\n".join(f"[{m}] {line}" for m, v in found.items() for line in v)
    tab.check_clean()


def test_axe_is_really_checking(browser: Any, base_url: str, axe: str) -> None:
    """The same check finds what it must: low contrast, table boxes without tabindex, a skipped heading."""
    with open_tab(browser, base_url, PHONE) as tab:
        tab.goto(TYPES["disclosure-self_evaluation"])  # its 评价小组成员 table scrolls and holds no link
        tab.page.evaluate(
            """() => {
              document.querySelector('.md-typeset p').style.color = '#bbb';
              document.querySelectorAll('.gk-scroll').forEach((box) => box.removeAttribute('tabindex'));
            }"""
        )
        found = "\n".join(axe_violations(tab.page, axe))
        assert "color-contrast" in found and "scrollable-region-focusable" in found
        tab.page.evaluate(
            "() => { const h = document.querySelector('h2'); h.outerHTML = '<h4>' + h.innerHTML + '</h4>'; }"
        )
        assert any("h1 之后直接是 h4" in p for p in heading_problems(tab.page.evaluate(HEADINGS_JS)))


FOCUSABLE_JS = """() => {
  const sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, textarea, '
    + 'summary, [tabindex]:not([tabindex="-1"])';
  const out = [];
  document.querySelectorAll(sel).forEach((el, i) => {
    const r = el.getBoundingClientRect();
    if (el.tabIndex < 0 || !el.checkVisibility({ visibilityProperty: true })) return;
    if (r.width === 0 || r.height === 0) return;
    if (el.closest('[inert], [aria-hidden=true], [hidden]')) return;
    el.setAttribute('data-kb', String(i));
    out.push(String(i));
  });
  return out;
}"""

FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  return {
    kb: el.getAttribute('data-kb'),
    name: el.tagName + ' ' + (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 30),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    onScreen: r.right > 0 && r.left < window.innerWidth && r.bottom > 0 && r.top < window.innerHeight,
  };
}"""


@pytest.mark.parametrize(
    ("kind", "mode"),
    [("home", "phone"), ("disclosure-project", "phone"), ("disclosure-project", "desktop"), ("results-year", "phone")],
)
def test_keyboard_reaches_every_control_with_visible_focus(browser: Any, base_url: str, kind: str, mode: str) -> None:
    with open_tab(browser, base_url, MODES[mode]) as tab:
        open_page(tab, kind)
        wanted = set(tab.page.evaluate(FOCUSABLE_JS))
        assert len(wanted) > 5
        reached: set[str] = set()
        problems = []
        for _ in range(len(wanted) + 20):
            tab.page.keyboard.press("Tab")
            focus = tab.page.evaluate(FOCUS_JS)
            if focus is None:  # past the last control: focus went back to the page
                break
            if focus["kb"] is None:
                problems.append(f"Tab 到了不可见的元素：{focus['name']}")
            else:
                reached.add(focus["kb"])
            if not focus["outline"]:
                problems.append(f"焦点没有可见的轮廓：{focus['name']}")
            if not focus["onScreen"]:
                problems.append(f"焦点在屏幕外：{focus['name']}")
        assert problems == []
        missed = tab.page.evaluate(
            "(ids) => ids.map((i) => document.querySelector(`[data-kb='${i}']`).outerHTML.slice(0, 120))",
            sorted(wanted - reached),
        )
        assert missed == [], f"Tab 键到不了：{missed}"
        tab.check_clean()


def test_phone_menu_opens_and_closes_by_keyboard(browser: Any, base_url: str) -> None:
    with open_tab(browser, base_url, PHONE) as tab:
        tab.goto(TYPES["disclosure-project"])
        menu = tab.page.locator('.md-header label[for="__drawer"]')
        nav_link = tab.page.locator(".md-sidebar--primary a.md-nav__link", has_text="按单位")
        assert not nav_link.is_visible()  # closed: off screen and out of the Tab order
        for _ in range(5):
            tab.page.keyboard.press("Tab")
            if tab.page.evaluate("() => document.activeElement.matches('label[for=__drawer]')"):
                break
        assert menu.get_attribute("aria-expanded") == "false"
        tab.page.keyboard.press("Enter")
        assert menu.get_attribute("aria-expanded") == "true"
        nav_link.wait_for(state="visible")
        tab.page.wait_for_function("() => document.activeElement.closest('.md-sidebar--primary') !== null")
        tab.page.keyboard.press("Escape")
        assert menu.get_attribute("aria-expanded") == "false"
        assert tab.page.evaluate("() => document.activeElement.matches('label[for=__drawer]')")
        tab.check_clean()


def test_a_tooltip_is_never_checked_half_faded(browser: Any, base_url: str, axe: str) -> None:
    """Material's tooltips faded in over .25 s, and axe, run while one faded in under the pointer
    (the 长者模式 button has a title), found its text below AA contrast. Shown at once now."""
    with open_tab(browser, base_url, DESKTOP) as tab:
        open_page(tab, "home")
        titled = tab.page.locator(".md-header [title]").first
        titled.hover()
        tab.page.wait_for_timeout(60)  # well inside the old fade
        tooltip = tab.page.locator(".md-tooltip--active")
        if tooltip.count():
            opacity = tooltip.first.evaluate("(el) => getComputedStyle(el).opacity")
            assert opacity == "1"
        assert axe_violations(tab.page, axe) == []
