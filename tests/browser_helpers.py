"""Helpers for the browser tests of the built site (accessibility, phone, print).

The bundled site (conftest.bundled_site) is served on 127.0.0.1 and opened in Debian's
Chromium with Playwright. Every request is routed: one to any host but 127.0.0.1 is aborted
and recorded, and the tests fail on it. axe-core comes from npm (package-lock.json).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.corpus.model import Corpus, Kind
from generator.site.summaries import summarize

from .site_helpers import CONTENT, ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 chromium：apt-get install chromium"),
]


def page_types(corpus: Corpus) -> dict[str, str]:
    """One URL of every kind of page a reader meets: the fullest unit, region and disclosure of
    each kind (largest YAML file), and the 搜索 page with a query that finds results."""
    biggest = functools.partial(max, key=lambda d: (CONTENT / d.src_path).stat().st_size)
    by_kind = {kind: biggest(d for d in corpus.disclosures if d.kind is kind) for kind in Kind}
    unit = max(corpus.units, key=lambda u: sum(d.unit == u for d in corpus.disclosures))
    regions = summarize(corpus).region_by_path.values()
    leaf = max(regions, key=lambda n: len(n.path))  # a county: its units
    top = max(regions, key=lambda n: (len(n.path) == 1, len(n.children)))  # a province: sub-regions
    types = {
        "home": "",
        "units-index": "units/",
        "unit": f"units/{unit.slug}/",
        "years-index": "years/",
        "year": f"{max(corpus.years)}/",
        "regions-index": "regions/",
        "region": f"regions/{top.slug}/",
        "region-leaf": f"regions/{leaf.slug}/",
        "search": "search/?q=信访",
        "downloads": "data/",
        "results": "results/",  # 目标完成情况
        "results-year": f"results/{max(d.year for d in corpus.disclosures if d.kind is Kind.PROJECT_EVALUATION)}/",
        "about": "about/",
        "revisions": "revisions/",  # 最近修订 (the bundled content's own git history)
        "source": f"source/{by_kind[Kind.PROJECT].src_path}.html",
        "not-found": "404.html",
    }
    types |= {f"disclosure-{kind.name.lower()}": d.url for kind, d in by_kind.items()}
    example = next((u for u in corpus.units if u.example), None)
    if example is not None:
        types["unit-example"] = f"units/{example.slug}/"  # the 示例 notice
    return types


def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"找不到 {AXE.relative_to(ROOT)}：请先运行 npm ci（make test 会自动运行）", pytrace=False)
    return AXE.read_text(encoding="utf-8")


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """The site folder on http://127.0.0.1:<free port>/ for the duration of the block."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Tab:
    """A browser page whose requests may only go to 127.0.0.1; JS errors and blocked hosts are kept."""

    page: Any
    base: str
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def goto(self, url: str) -> None:
        self.page.goto(self.base + url, wait_until="load")

    def check_clean(self) -> None:
        assert self.foreign == [], f"向 127.0.0.1 以外的主机发出了请求：{self.foreign}"
        assert self.errors == [], f"页面脚本出错：{self.errors}"


@contextmanager
def open_tab(browser: Any, base: str, viewport: dict[str, int], elder: bool = False) -> Iterator[Tab]:
    """A fresh context (own localStorage); with elder=True the 长者模式 is stored as on."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", service_workers="block")
    tab = Tab(context.new_page(), base)

    def route(r: Any) -> None:
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            tab.foreign.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    tab.page.on("pageerror", lambda e: tab.errors.append(str(e)))
    if elder:
        context.add_init_script("try { localStorage.setItem('gk-elder', '1') } catch (e) {}")
    try:
        yield tab
    finally:
        context.close()


def settle_search(page: Any) -> None:
    """Wait until the 搜索 page has shown its results (or its no-results message)."""
    page.wait_for_function(
        """() => {
          const root = document.querySelector('[data-gk-search-page]');
          const status = document.querySelector('[data-gk-status]');
          return root && !root.hasAttribute('aria-busy') && status && status.textContent
            && !status.textContent.startsWith('正在');
        }""",
        timeout=20_000,
    )


def overflow(page: Any) -> int:
    """How many CSS pixels the whole page is wider than the window (0: no sideways scrolling)."""
    return int(page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth"))


def axe_violations(page: Any, axe: str, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of the given impacts, one line per rule with up to three targets."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe)
    found = page.evaluate(
        """async (impacts) => {
          const r = await axe.run(document, { resultTypes: ['violations'] });
          return r.violations.filter((v) => impacts.includes(v.impact)).map((v) =>
            `${v.impact} ${v.id}: ${v.help} — ` + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | '));
        }""",
        list(impacts),
    )
    return list(found)
