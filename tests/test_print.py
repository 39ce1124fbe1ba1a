"""Printing a disclosure page to A4 (issue 7), with Chromium's own PDF printer, read with pypdf.

The PDF is A4; it holds the page's content (title, figures, every 指标值说明) but none of the
header, navigation, search or switch; no table row is cut between two pages; and every page
ends with the page's address and the date (Chromium's page footer), the last page also with
the site's own address line (main.html, print.css).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from .browser_helpers import BROWSER_MARKS, DESKTOP, chromium, open_tab, page_types, serve
from .conftest import bundled_corpus

pytestmark = [*BROWSER_MARKS, pytest.mark.slow]

CORPUS = bundled_corpus()
TYPES = page_types(CORPUS)
FOOTER = (
    '<div style="font-size:8px; width:100%; margin:0 12mm; display:flex; justify-content:space-between">'
    '<span class="url"></span><span class="date"></span>'
    '<span><span class="pageNumber"></span>/<span class="totalPages"></span></span></div>'
)
A4_POINTS = (595, 842)
DATE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}")


def squeeze(text: str) -> str:
    """Text without any whitespace: PDF text breaks lines (and spaces CJK from digits) anywhere."""
    return re.sub(r"\s+", "", text)


ROWS_JS = """() => [...document.querySelectorAll('article tbody tr')].map((tr) =>
  [...tr.querySelectorAll('td')].map((td) => {
    const printed = td.cloneNode(true);  // without what only the screen shows
    printed.querySelectorAll('summary, .gk-src').forEach((e) => e.remove());
    return printed.textContent;
  }))"""


def print_a4(page: Any) -> bytes:
    """Chromium's PDF printer, A4, with its page footer: address, date, page n/N."""
    return bytes(
        page.pdf(
            format="A4",
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
        )
    )


def cut_cells(rows: list[list[str]], pages: list[str]) -> list[str]:
    """Cells whose printed text is not whole on any one page: the row was cut (or it is missing)."""
    squeezed = [squeeze(p) for p in pages]
    cells = [squeeze(c) for row in rows for c in row if squeeze(c)]
    return [c[:30] for c in cells if not any(c in page for page in squeezed)]


@pytest.fixture(scope="module")
def printed(bundled_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The fullest project disclosure printed to PDF, with what the screen showed of the same page."""
    url = TYPES["disclosure-project"]
    with serve(bundled_site) as base, chromium() as browser, open_tab(browser, base, DESKTOP) as tab:
        tab.goto(url)
        page = tab.page
        screen = page.evaluate(
            """() => ({
              title: document.querySelector('article h1').textContent.replace('¶', '').trim(),
              article: document.querySelector('article').textContent,  // closed details too
              nav: [...document.querySelectorAll('.md-nav--primary .md-nav__link')]
                .map((a) => a.textContent.trim()).filter(Boolean),
              details: [...document.querySelectorAll('.gk-details p')].map((p) => p.textContent),
            })"""
        )
        pdf = print_a4(page)
        screen["rows"] = page.evaluate(ROWS_JS)
        tab.check_clean()
        address = base + url
    # Playwright is closed again: the other tests here start their own (one at a time per process).
    path = tmp_path_factory.mktemp("print") / "disclosure.pdf"
    path.write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    return {
        "url": address,
        "path": path,
        "screen": screen,
        "reader": reader,
        "pages": [page.extract_text() for page in reader.pages],
    }


def test_a4_with_a_plausible_page_count(printed: dict[str, Any]) -> None:
    reader, pages = printed["reader"], printed["pages"]
    for p in reader.pages:
        size = (float(p.mediabox.width), float(p.mediabox.height))
        assert all(abs(got - want) <= 2 for got, want in zip(size, A4_POINTS, strict=True)), size
    article_chars = len(squeeze(printed["screen"]["article"]))
    # Roughly 900–2,000 characters fit on an A4 page at 10.5pt with tables; never one page per row.
    assert article_chars / 2000 <= len(pages) <= article_chars / 400 + 1, (len(pages), article_chars, printed["path"])


def test_content_is_printed_and_chrome_is_not(printed: dict[str, Any]) -> None:
    text = squeeze("".join(printed["pages"]))
    screen = printed["screen"]
    assert squeeze(screen["title"]) in text
    d = next(d for d in CORPUS.disclosures if d.url == TYPES["disclosure-project"])
    assert f"{d.headline.yuan:,.2f}" in text  # the exact 元 figure
    assert screen["details"], "the page has 指标值说明 to print"
    for detail in screen["details"]:
        assert squeeze(detail) in text, f"collapsed text not printed: {detail[:40]}"
    article = squeeze(screen["article"])
    chrome = [t for t in screen["nav"] if squeeze(t) not in article]  # nav words the article itself lacks
    assert "按单位" in chrome and "数据下载" in chrome
    for word in [*chrome, "长者模式", "搜索单位", "跳转至"]:
        assert squeeze(word) not in text, f"“{word}” is printed ({printed['path']})"


def test_no_table_row_is_cut_between_pages(printed: dict[str, Any]) -> None:
    rows = printed["screen"]["rows"]
    assert sum(len(r) for r in rows) > 20
    assert cut_cells(rows, printed["pages"]) == [], printed["path"]


def test_row_check_finds_cut_rows_without_the_print_styles(bundled_site: Path) -> None:
    """Without `break-inside: avoid` the long indicator rows do break over pages, and the check says so."""
    with serve(bundled_site) as base, chromium() as browser, open_tab(browser, base, DESKTOP) as tab:
        tab.goto(TYPES["disclosure-project"])
        tab.page.add_style_tag(
            content="@media print { .md-typeset tr, .md-typeset td, .md-typeset th { break-inside: auto !important } }"
        )
        rows = tab.page.evaluate(ROWS_JS)
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(print_a4(tab.page))).pages]
    assert cut_cells(rows, pages) != []


def test_every_page_footer_has_address_date_and_number(printed: dict[str, Any]) -> None:
    pages = printed["pages"]
    for n, text in enumerate(pages, start=1):
        assert printed["url"] in text, n
        assert DATE.search(text), n
        assert f"{n}/{len(pages)}" in squeeze(text), n
    site = CORPUS.site
    assert squeeze(f"本页网址：https://{site.domain}/{TYPES['disclosure-project']}") in squeeze(pages[-1])
