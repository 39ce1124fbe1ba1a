"""The bundled content built with `gongkai build` (mkdocs build --strict) and checked as HTML."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from generator.corpus.accountability import link
from generator.corpus.fmt import rel
from generator.corpus.model import Kind, ProjectEvaluation, ProjectText, SelfEvaluation, TargetTable

from .site_helpers import CONTENT, article, build, ids_of, internal_links, page, text_of

pytestmark = pytest.mark.slow

PANLONG = "units/panlongqu-xinfangju/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    code, messages, site = build(tmp_path_factory.mktemp("bundled"), CONTENT)
    assert code == 0, messages
    return site


def test_page_set(site: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    pages = {p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")}
    pages = {"" if p == "./" else p for p in pages}
    expected = {"", "units/", "years/", "regions/", "about/", "2020/", "2022/"}
    expected |= {f"units/{u.slug}/" for u in corpus.units}
    expected |= {d.url for d in corpus.disclosures}
    expected |= {
        "regions/yunnansheng/",
        "regions/jiangxisheng/",
        "regions/yunnansheng/kunmingshi/",
        "regions/yunnansheng/kunmingshi/panlongqu/",
        "regions/yunnansheng/yuxishi/",
        "regions/yunnansheng/yuxishi/tonghaixian/",
        "regions/jiangxisheng/jiujiangshi/",
        "regions/jiangxisheng/jiujiangshi/lushanshi/",
        "regions/shilisheng/shilishi/shilixian/",  # the fictional example unit (示例单位)
    }
    assert expected <= pages, sorted(expected - pages)
    assert len(corpus.disclosures) == 8 and len(corpus.units) == 5
    assert any(p.startswith("regions/yunnansheng/chuxiong") for p in pages)  # 楚雄彝族自治州
    assert (site / "index.html").is_file()


def test_panlong_unit_shows_both_years(site: Path) -> None:
    doc = article(site, PANLONG)
    summary = doc.xpath('.//table[contains(@class, "gk-summary")]')[0]
    heads = [text_of(th) for th in summary.xpath(".//thead//th")]
    assert heads[1:] == ["2020年", "2022年"]
    rows = {
        text_of(tr.xpath("./th")[0]): [text_of(td) for td in tr.xpath("./td")] for tr in summary.xpath(".//tbody/tr")
    }
    assert rows["项目预算"][0].startswith("53.50 万元")
    assert "535,000.00 元" in rows["项目预算"][0]
    assert rows["支出合计"][1].startswith("284.63 万元")
    assert rows["人员经费"][1].startswith("210.79 万元")
    assert rows["公用经费"][1].startswith("16.21 万元")
    assert rows["项目支出"][1].startswith("57.64 万元")
    assert rows["收入合计"][1].startswith("285.20 万元")
    assert rows["支出合计"][0] == "—"  # no self-evaluation in 2020: shown as missing, not as zero
    # the chart is inline SVG with a text alternative, beside its table
    svg = doc.xpath('.//div[contains(@class, "gk-chart-table")]//*[local-name()="svg"]')[0]
    assert svg.get("role") == "img"
    desc = text_of(svg.xpath('./*[local-name()="desc"]')[0])
    assert "2020年项目预算 53.50 万元" in desc and "2022年支出合计（自评） 284.63 万元" in desc


@pytest.mark.parametrize(
    ("url", "figure", "count"),
    [
        ("units/chuxiongzhou-xinfangju/", "58.50 万元", "1 份"),
        ("units/tonghaixian-xinfangju/", "6.00 万元", "2 份"),
        ("units/lushanshi-xinfangju/", "17.60 万元", "1 份"),
    ],
)
def test_unit_budget_totals(site: Path, url: str, figure: str, count: str) -> None:
    summary = article(site, url).xpath('.//table[contains(@class, "gk-summary")]')[0]
    rows = {
        text_of(tr.xpath("./th")[0]): [text_of(td) for td in tr.xpath("./td")] for tr in summary.xpath(".//tbody/tr")
    }
    assert rows["项目预算"][-1].startswith(figure)
    assert rows["公开文本"][-1] == count


def test_yunnan_rollup_covers_its_three_units(site: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    doc = article(site, "regions/yunnansheng/")
    linked = {a.get("href").rstrip("/").rsplit("/", 1)[-1] for a in doc.xpath(".//a[contains(@href, 'units/')]")}
    yunnan = {u.slug for u in corpus.units if u.region[0] == "云南省"}
    assert linked == yunnan and len(yunnan) == 3
    table = doc.xpath('.//table[contains(@class, "gk-summary")]')[0]
    rows = {text_of(tr.xpath("./th")[0]): [text_of(td) for td in tr.xpath("./td")] for tr in table.xpath(".//tbody/tr")}
    # 2022: 楚雄州 58.50 + 通海县 3.00 + 3.00 = 64.50 万元 project budget; 盘龙区 self-evaluation 284.63
    assert rows["2022年"][0] == "4 份"
    assert rows["2022年"][1].startswith("64.50 万元")
    assert rows["2022年"][3].startswith("284.63 万元")  # 支出合计 column
    assert rows["2020年"][1].startswith("53.50 万元")


def test_year_pages_total(site: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    for year in (2020, 2022):
        doc = article(site, f"{year}/")
        linked = {a.get("href") for a in doc.xpath(".//a")}
        for d in corpus.disclosures:
            assert (rel(f"{year}/", d.url) in linked) == (d.year == year), (year, d.url)
    foot = text_of(article(site, "2022/").xpath(".//tfoot")[0])
    assert (
        "7 份" in foot and "82.10 万元" in foot
    )  # 7 incl. the example unit, whose money is not added; 58.50 + 3.00 + 3.00 + 17.60


SECTIONS = {
    ProjectText: ["一、项目名称", "二、立项依据", "三、项目实施单位", "四、项目基本概况", "五、项目实施内容",
                  "六、资金安排", "七、项目实施计划", "八、项目实施成效"],
    TargetTable: ["基本信息", "基本情况", "立项依据", "需要说明的其他问题", "绩效指标"],
    SelfEvaluation: ["评价基本情况", "预算收支"],
    ProjectEvaluation: ["基本信息", "项目资金", "年度总体目标", "绩效指标", "自评结果"],
}  # fmt: skip


def test_disclosure_pages_render_every_section_and_indicator(site: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    for d in corpus.disclosures:
        doc = article(site, d.url)
        headings = [text_of(h).rstrip("¶").strip() for h in doc.xpath(".//h2")]
        expected = list(SECTIONS[type(d.body)])
        if isinstance(d.body, ProjectText) and (d.body.indicators or d.body.target_text):
            expected.append("九、项目绩效目标表")
        if d.kind is not Kind.PROJECT_EVALUATION and any(
            c.target == d for c in link(corpus.disclosures).comparisons
        ):  # a 绩效目标表 or 项目文本 with a 自评表 reporting on it
            expected.append("目标完成情况")
        if isinstance(d.body, SelfEvaluation):
            expected += [f"{n}、{s.title}" for n, s in zip("一二三四五六七八九", d.body.body, strict=False)]
        expected.append("修订记录")  # every disclosure page ends with it (site_templates/_revisions.md.j2)
        assert headings == expected, d.url
        indicators = () if isinstance(d.body, ProjectEvaluation) else getattr(d.body, "indicators", ())
        rows = doc.xpath('.//table[contains(@class, "gk-indicators")]/tbody/tr')
        assert len(rows) == len(indicators), d.url
        for row, ind in zip(rows, indicators, strict=True):
            cells = [text_of(td) for td in row.xpath("./td")]
            assert cells[0].startswith(" ".join(ind.name.split())) and cells[1] == " ".join(ind.value.text.split())
        # merged 一级 cells span exactly their group's rows
        for tbody in doc.xpath('.//table[contains(@class, "gk-indicators")]/tbody'):
            assert int(tbody.xpath("./tr[1]/th[1]")[0].get("rowspan")) == len(tbody.xpath("./tr"))
        text = text_of(doc)
        assert f"{d.headline.yuan:,.2f} 元" in text
        if isinstance(d.body, SelfEvaluation):
            for part in d.body.parts:
                assert f"{part.amount.yuan:,.2f}" in text


def test_disclosure_links_to_unit_year_region_and_source(site: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    d = next(d for d in corpus.disclosures if d.year == 2020)
    hrefs = [a.get("href") for a in article(site, d.url).xpath('.//dl[@class="gk-facts"]//a')]
    assert "../../../units/panlongqu-xinfangju/" in hrefs
    assert "../../" in hrefs
    assert "../../../regions/yunnansheng/kunmingshi/panlongqu/" in hrefs
    assert f"../../../source/{d.src_path}" in hrefs
    # the published YAML is the content file, byte for byte (privacy masking is off in site.yml)
    assert (site / "source" / d.src_path).read_bytes() == (CONTENT / d.src_path).read_bytes()


def test_every_figure_links_to_its_source_line(site: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    d = next(d for d in corpus.disclosures if isinstance(d.body, ProjectText) and d.body.funding.lines)
    src_links = article(site, d.url).xpath('.//a[@class="gk-src"]')
    lines = {int(a.get("href").rsplit("#L", 1)[1]) for a in src_links}
    assert {line.amount.src.line for line in d.body.funding.lines} <= lines
    viewer = site / "source" / f"{d.src_path}.html"
    source_lines = (CONTENT / d.src_path).read_text(encoding="utf-8").splitlines()
    doc = page(site, "").getroottree()  # noqa: F841 - parsed to make sure the home page is valid HTML
    import lxml.html

    view = lxml.html.fromstring(viewer.read_bytes())
    for line in d.body.funding.lines:
        li = view.xpath(f'//li[@id="L{line.amount.src.line}"]')[0]
        assert li.text_content() == source_lines[line.amount.src.line - 1]
        assert line.amount.text in li.text_content()


def test_every_internal_link_resolves(site: Path) -> None:
    broken = []
    checked = 0
    id_cache: dict[Path, set[str]] = {}
    for html_file in sorted(site.rglob("*.html")):
        for ref, target, fragment in internal_links(html_file, site):
            checked += 1
            if not target.is_file():
                broken.append(f"{html_file.relative_to(site)}: {ref}")
            elif fragment and target.suffix == ".html":
                ids = id_cache.setdefault(target, ids_of(target))
                if fragment not in ids:
                    broken.append(f"{html_file.relative_to(site)}: {ref} (no #{fragment})")
    assert checked > 500
    assert broken == []


def test_no_third_party_requests(site: Path) -> None:
    for html_file in site.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", text):
            assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", tag), (html_file, tag)
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def nav_items(site: Path, url: str) -> list[str]:
    """Top-level entries of the primary navigation of a page (any expanded table of contents ignored)."""
    nav = page(site, url).xpath('//nav[contains(@class, "md-nav--primary")]')[0]
    return [text_of(li.xpath("./a | ./label | ./input/following-sibling::*[1]")[0]) for li in nav.xpath("./ul/li")]


def test_nav_lists_only_index_pages(site: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    index = ["首页", "按单位", "按年度", "地区", "目标完成情况", "数据下载", "关于"]
    assert nav_items(site, "2022/") == index
    d = next(iter(corpus.disclosures))
    assert nav_items(site, d.url) == index


def test_government_metadata_and_footer(site: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    d = next(iter(corpus.disclosures))
    doc = page(site, d.url)
    meta = {m.get("name"): m.get("content") for m in doc.xpath("//meta[@name]")}
    assert meta["SiteName"] == corpus.site.name
    assert meta["ColumnName"] == "公开文本"
    assert meta["ArticleTitle"] == d.name
    assert meta["ContentSource"] == d.unit.name
    assert doc.xpath("//html/@lang") == ["zh"]
    footer = text_of(doc.xpath('//div[contains(@class, "gk-footer")]')[0])
    assert corpus.site.sponsor in footer and corpus.site.icp in footer and corpus.site.police in footer


def test_home_page(site: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    text = text_of(article(site, ""))
    assert corpus.site.name in text
    assert f"{len(corpus.units)} 个单位" in text
    assert f"{len(corpus.disclosures)} 份公开文本" in text
    latest = max(d.year for d in corpus.disclosures)
    budget = sum(
        (
            d.headline.yuan
            for d in corpus.disclosures
            if d.year == latest and isinstance(d.body, ProjectText | TargetTable) and not d.unit.example
        ),
        Decimal(0),
    )
    assert f"最新年度：{latest}年" in text
    assert f"{budget / 10000:.2f} 万元 {latest}年项目预算" in text


def test_units_index_has_jump_bar_and_every_unit(site: Path, corpus) -> None:  # type: ignore[no-untyped-def]
    doc = article(site, "units/")
    bar = doc.xpath('.//nav[contains(@class, "gk-az")]')[0]
    letters = {text_of(a): a.get("href") for a in bar.xpath(".//a")}
    assert set(letters) == {"C", "L", "P", "S", "T"}  # 楚雄 庐山 盘龙 示例 通海
    ids = {str(i) for i in doc.xpath("//@id")}
    assert all(href[1:] in ids for href in letters.values())
    for u in corpus.units:
        assert len(doc.xpath(f'.//a[@href="{u.slug}/"]')) == 2  # once by initial, once by region
