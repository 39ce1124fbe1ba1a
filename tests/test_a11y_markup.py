"""Accessibility in the built HTML of every page (issue 7): tables, scroll boxes, charts, images.

Read with lxml from the bundled build, no browser: every table's data cells have a header
(the HTML header-assignment rule: a column header above or a row header to the left, merged
cells counted), indicator tables merge 一级/二级 like the official form with rowgroup/row
scope, every wide-table box is a named keyboard region, every chart has a text alternative
that matches the data table beside it and does not tell series apart by colour alone.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from generator.corpus.model import ProjectText, TargetTable
from generator.site.render import indicator_groups

from .conftest import bundled_corpus
from .site_helpers import text_of

pytestmark = pytest.mark.slow

CORPUS = bundled_corpus()
SCOPES = {"col", "row", "colgroup", "rowgroup"}


def html_pages(site: Path) -> list[Path]:
    pages = [p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in {"assets", "pagefind"}]
    assert len(pages) > 30
    return pages


def parse(path: Path) -> Any:
    return lxml.html.fromstring(path.read_bytes())


def grid(table: Any) -> list[list[Any]]:
    """The table's slots (rows × columns), each the cell covering it, with rowspan/colspan applied."""
    rows = table.xpath("./thead/tr | ./tbody/tr | ./tfoot/tr | ./tr")
    slots: list[list[Any]] = [[] for _ in rows]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.xpath("./th | ./td"):
            while c < len(slots[r]) and slots[r][c] is not None:
                c += 1
            for dr in range(int(cell.get("rowspan", "1"))):
                for dc in range(int(cell.get("colspan", "1"))):
                    if r + dr < len(rows):
                        row = slots[r + dr]
                        row.extend([None] * (c + dc + 1 - len(row)))
                        row[c + dc] = cell
            c += int(cell.get("colspan", "1"))
    return slots


def headerless_cells(table: Any) -> list[str]:
    """Data cells with neither a column header above nor a row header to their left."""
    slots = grid(table)
    missing = []
    for r, row in enumerate(slots):
        for c, cell in enumerate(row):
            if cell is None or cell.tag != "td":
                continue
            above = any(slots[i][c] is not None and slots[i][c].tag == "th" for i in range(r) if c < len(slots[i]))
            left = any(x is not None and x.tag == "th" for x in row[:c])
            if not (above or left):
                missing.append(text_of(cell)[:20])
    return missing


def test_every_table_cell_has_a_header(bundled_site: Path) -> None:
    problems = []
    tables = 0
    for path in html_pages(bundled_site):
        for table in parse(path).xpath("//article//table"):
            tables += 1
            where = f"{path.relative_to(bundled_site)} 《{text_of(table)[:20]}》"
            if headerless_cells(table):
                problems.append(f"{where}: cells without header {headerless_cells(table)[:3]}")
            for th in table.xpath(".//th"):
                in_thead = th.getparent().getparent().tag == "thead"
                if th.get("scope") not in SCOPES and not in_thead:
                    problems.append(f"{where}: <th>{text_of(th)[:10]}</th> has no scope")
    assert tables > 40
    assert problems == []


def test_header_check_finds_a_table_without_headers() -> None:
    bad = lxml.html.fromstring("<table><tr><td>年度</td><td>金额</td></tr><tr><td>2022</td><td>1</td></tr></table>")
    good = lxml.html.fromstring(
        '<table><tr><th scope="rowgroup" rowspan="2">产出</th><th scope="row">数量</th><td>1</td></tr>'
        "<tr><td>2</td></tr></table>"
    )
    assert headerless_cells(bad) == ["年度", "金额", "2022", "1"]
    # the second row's cell sits under the merged 一级 header (slot 0) and has it to its left
    assert headerless_cells(good) == []


def test_indicator_tables_merge_levels_like_the_form(bundled_site: Path) -> None:
    checked = 0
    for d in CORPUS.disclosures:
        body = d.body
        if not isinstance(body, ProjectText | TargetTable) or not body.indicators:
            continue
        tables = parse(bundled_site / d.url / "index.html").xpath("//table[contains(@class, 'gk-indicators')]")
        assert len(tables) == 1, d.url
        groups = indicator_groups(body.indicators)
        tbodies = tables[0].xpath("./tbody")
        assert len(tbodies) == len(groups), d.url
        for tbody, (level1, span1, rows) in zip(tbodies, groups, strict=True):
            trs = tbody.xpath("./tr")
            assert len(trs) == span1
            first = trs[0].xpath("./th")[0]
            assert (text_of(first), first.get("scope"), int(first.get("rowspan"))) == (level1, "rowgroup", span1)
            level2 = tbody.xpath(".//th[@scope='row']")
            assert [text_of(th) for th in level2] == [name for name, _, _ in rows if name]
            assert sum(int(th.get("rowspan")) for th in level2) == span1
            checked += 1
    assert checked >= 5


def test_wide_table_boxes_are_named_keyboard_regions(bundled_site: Path) -> None:
    problems = []
    boxes = 0
    for path in html_pages(bundled_site):
        doc = parse(path)
        where = path.relative_to(bundled_site)
        for table in doc.xpath("//article//table"):
            box = table.getparent()
            if "gk-scroll" not in box.get("class", "").split():
                problems.append(f"{where}: table outside a scroll box")
        labels = []
        for box in doc.xpath("//div[contains(concat(' ', @class, ' '), ' gk-scroll ')]"):
            boxes += 1
            labels.append(box.get("aria-label", ""))
            if (box.get("tabindex"), box.get("role")) != ("0", "region") or not box.get("aria-label", "").strip():
                problems.append(f"{where}: box {box.attrib}")
        problems += [f"{where}: label twice: {label}" for label, n in Counter(labels).items() if n > 1]
    assert boxes > 40
    assert problems == []


def test_charts_have_text_alternative_table_and_pattern(bundled_site: Path) -> None:
    charts = 0
    for path in html_pages(bundled_site):
        doc = parse(path)
        for svg in doc.xpath("//svg[contains(@class, 'gk-chart')]"):
            charts += 1
            assert svg.get("role") == "img"
            ids = svg.get("aria-labelledby").split()
            parts = {el.tag: text_of(el) for i in ids for el in svg.xpath(f".//*[@id='{i}']")}
            assert set(parts) == {"title", "desc"} and all(parts.values()), path
            table = svg.xpath("ancestor::div[contains(@class, 'gk-chart-table')]//table")[0]
            figures = re.findall(r"([\d,]+\.\d\d) 万元", parts["desc"])
            assert figures and all(f in text_of(table) for f in figures), (path, figures)
            # Two series: the second is hatched (a pattern), in the legend and on its bars.
            legend = svg.xpath("./rect[following-sibling::*[1][contains(@class, 'gk-chart-legend')]]")
            if len(legend) > 1:
                pattern = svg.xpath(".//pattern/@id")[0]
                assert f"url(#{pattern})" in legend[1].get("style", "")
                assert f"url(#{pattern})" not in legend[0].get("style", "")
    assert charts == len(CORPUS.units)


def test_images_links_and_buttons_have_names(bundled_site: Path) -> None:
    problems = []
    for path in html_pages(bundled_site):
        doc = parse(path)
        where = path.relative_to(bundled_site)
        problems += [f"{where}: img without alt" for img in doc.xpath("//img[not(@alt)]")]
        for el in doc.xpath("//a[@href] | //button"):
            name = text_of(el) or el.get("aria-label") or el.get("title") or " ".join(el.xpath(".//@aria-label"))
            if not name.strip():
                problems.append(f"{where}: <{el.tag} {dict(el.attrib)}> has no name")
        if doc.xpath("//html/@lang") != ["zh"] or not text_of(doc.xpath("//title")[0]):
            problems.append(f"{where}: lang/title")
    assert problems == []


def test_search_landmarks_have_distinct_names(bundled_site: Path) -> None:
    """axe landmark-unique: the header form and the 搜索 page's form are both role=search."""
    for path in html_pages(bundled_site):
        names = [f.get("aria-label") for f in parse(path).xpath("//*[@role='search']")]
        assert all(names), f"{path}: a search landmark without a name"
        assert len(names) == len(set(names)), f"{path}: search landmarks share a name: {names}"
