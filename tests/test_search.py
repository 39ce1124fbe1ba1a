"""Site search, without a browser: what goes into the Pagefind index and what the built site ships.

The browser tests (test_search_browser.py) run the queries; these check the index input
(one document per disclosure and unit page, Chinese as character pairs, pinyin, filters) and
the bundle in the built site (one Pagefind index per part, no Material search_index.json, no
unused Pagefind UIs). The parts themselves: test_search/parts.py.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import lxml.html
import pytest

from generator.plugin.scripts import SCRIPTS, SEARCH_SCRIPT, without_comment_lines
from generator.search.index import (
    BUNDLE_DIR,
    F_KIND,
    F_PREFECTURE,
    F_PROVINCE,
    F_UNIT,
    F_YEAR,
    UNIT_KIND,
    article_text,
    document,
    grams,
    pinyin_words,
    readings,
    records,
)
from generator.search.parts import DROP_FROM_PART, LIBRARY, SENTINEL_URL

from .site_helpers import page, text_of

pytestmark = pytest.mark.slow

PANLONG_2020 = "2020/panlongqu-xinfangju/xinfang-chutu-jingfei/"


def test_grams_writes_chinese_as_overlapping_pairs() -> None:
    assert grams("信访处突经费 53.50万元") == "信访 访处 处突 突经 经费 费 53.50 万元 元"
    assert grams("（一）项目\n名称：ABC 县") == "（ 一 ） 项目 目 名称 称 ：ABC 县"
    assert grams("") == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("盘龙区信访局", {"panlongquxinfangju", "xinfangju", "plqxfj", "xfj", "xin", "fang", "ju"}),
        ("楚雄州信访局", {"chuxiongzhouxinfangju", "xinfangju", "cxzxfj", "xfj"}),
        # the phrase dictionary picks the reading in context
        ("重庆市信访办", {"chongqingshixinfangban", "cqsxfb"}),
        ("银行行长", {"yinhanghangzhang", "yhhz"}),
        # a region prefix must not swallow the next character (市长 shizhang): both readings are kept
        ("重庆市长寿区信访办", {"changshouquxinfangban", "csqxfb", "chongqingshichangshouquxinfangban"[:32]}),
    ],
)
def test_pinyin_words(name: str, expected: set[str]) -> None:
    words = pinyin_words(name)
    assert expected <= set(words), sorted(expected - set(words))
    assert all(w.isascii() and w.isalpha() and w == w.lower() for w in words)


def test_readings_cut_after_region_suffix_only_when_it_changes_the_reading() -> None:
    assert readings("盘龙区信访局") == [("pan", "long", "qu", "xin", "fang", "ju")]
    assert ("chong", "qing", "shi", "chang", "shou", "qu") in readings("重庆市长寿区")


def test_article_text_is_the_body_without_header_nav_footer_or_source_links(bundled_site: Path) -> None:
    html = (bundled_site / PANLONG_2020 / "index.html").read_bytes()
    text = article_text(html)
    assert "一、项目名称" in text and "信访处突经费" in text and "535,000.00" in text
    site_name = text_of(page(bundled_site, "").xpath("//header")[0])
    footer = text_of(page(bundled_site, "").xpath("//footer")[0])
    assert site_name and site_name not in text
    assert "主办单位" in footer and "主办单位" not in text
    assert text.count("来源") == text.count("资金来源")  # no per-figure 来源 links
    assert "跳转至" not in text and "按单位" not in text  # skip link and navigation
    assert "¶" not in text


def test_records_are_the_disclosure_and_unit_pages(corpus, bundled_site: Path) -> None:  # type: ignore[no-untyped-def]
    recs = {r.url: r for r in records(corpus, bundled_site)}
    disclosures = {d.url for d in corpus.disclosures}
    units = {f"units/{u.slug}/" for u in corpus.units}
    assert set(recs) == disclosures | units
    for url in recs:
        assert (bundled_site / url / "index.html").is_file(), url

    r = recs[PANLONG_2020]
    assert r.name == "信访处突经费"
    assert r.filters == {
        F_YEAR: ("2020",),
        F_PROVINCE: ("云南省",),
        F_PREFECTURE: ("昆明市",),
        F_UNIT: ("盘龙区信访局",),
        F_KIND: ("项目文本",),
    }
    assert r.sort == {"year": "2020", "amount": "535000.00"}
    assert r.meta["amount"] == "53.50 万元" and r.meta["unit"] == "盘龙区信访局"
    assert "xinfangchutujingfei" in r.pinyin.split() and "xfctjf" in r.pinyin.split()
    assert "xinfangju" in r.pinyin_more.split() and "kunmingshi" in r.pinyin_more.split()

    unit = recs["units/chuxiongzhou-xinfangju/"]
    assert unit.filters[F_KIND] == (UNIT_KIND,) and F_YEAR not in unit.filters
    assert not unit.sort  # no year or amount: sorted results are disclosures only
    assert unit.filters[F_PREFECTURE] == ("楚雄彝族自治州",)
    assert "cxzxfj" in unit.pinyin.split()
    assert unit.meta["count"] == "1"


def test_document_escapes_and_writes_pairs(corpus, bundled_site: Path) -> None:  # type: ignore[no-untyped-def]
    rec = next(r for r in records(corpus, bundled_site) if r.url == PANLONG_2020)
    rec = type(rec)(**{**rec.__dict__, "name": '信访<script>&"经费'})
    doc = lxml.html.fromstring(document(rec))
    assert doc.get("lang")
    metas = {m.get("data-pagefind-meta"): m.get("content") for m in doc.xpath("//meta[@data-pagefind-meta]")}
    shown = json.loads(metas["d[content]"])
    assert shown["name"] == '信访<script>&"经费' and shown["unit"] == "盘龙区信访局" and shown["year"] == "2020"
    assert metas["d[content]"].isascii()  # no Chinese words from the display field in the index
    assert metas["title[content]"] == '信访 访 <script>&" 经费 费'
    assert metas["py[content]"] == rec.pinyin
    filters = [(m.get("data-pagefind-filter"), m.get("content")) for m in doc.xpath("//meta[@data-pagefind-filter]")]
    assert ("年度[content]", "2020") in filters and ("单位[content]", "盘龙区信访局") in filters
    assert not doc.xpath("//meta[@data-pagefind-sort]")  # sorted by the parts' global orders instead
    body = doc.xpath("//*[@data-pagefind-body]")
    assert len(body) == 1 and "一 、 项目 目名 名称 称 信访 访处 处突 突经 经费 费 二 、" in body[0].text_content()
    assert not doc.xpath("//script")


def _fragments(bundle: Path) -> list[dict[str, object]]:
    out = []
    for f in bundle.glob("parts/*/fragment/*.pf_fragment"):
        raw = gzip.decompress(f.read_bytes())
        assert raw.startswith(b"pagefind_dcd")
        out.append(json.loads(raw[len(b"pagefind_dcd") :]))
    return out


def test_built_site_ships_pagefind_parts_and_no_whole_text_index(corpus, bundled_site: Path) -> None:  # type: ignore[no-untyped-def]
    bundle = bundled_site / BUNDLE_DIR
    assert (bundle / LIBRARY).is_file()
    assert not list(bundled_site.rglob("search_index.json"))
    listing = json.loads((bundle / "parts.json").read_text(encoding="utf-8"))
    assert listing["parts"] == ["2022", "2020", "units"]  # newest year first: the primary index
    pages = 0
    for name in listing["parts"]:
        part = bundle / "parts" / name
        entry = json.loads((part / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == ["und"]
        pages += entry["languages"]["und"]["page_count"]
        assert (part / "wasm.unknown.pagefind").is_file()  # the first part's is the one fetched
        assert not any((part / f).exists() for f in DROP_FROM_PART)  # pagefind.js once, at the top
    assert pages - len(listing["parts"]) == listing["pages"] == len(corpus.disclosures) + len(corpus.units)
    assert not (bundle / "pagefind-entry.json").exists() and not (bundle / "fragment").exists()

    words = [f for f in _fragments(bundle) if f["url"] == "/" + SENTINEL_URL]
    assert len(words) == 3 and len({json.dumps(f) for f in words}) == 1  # one in each part, the same
    assert {"xinfangju", "xfj", "panlongqu", "cxzxfj"} <= set(str(words[0]["content"]).split())
    assert words[0]["filters"] == {}  # no filters
    assert len(listing["skip"]) == 3  # its names in the merged index (search/merged.py): one per part
    fragments = [f for f in _fragments(bundle) if f["url"] != "/" + SENTINEL_URL]
    urls = {str(f["url"]) for f in fragments}
    assert len(urls) == len(fragments)  # each page in exactly one part
    assert urls == {"/" + d.url for d in corpus.disclosures} | {f"/units/{u.slug}/" for u in corpus.units}
    in_2020 = {
        str(json.loads(gzip.decompress(f.read_bytes())[12:])["url"]) for f in bundle.glob("parts/2020/fragment/*")
    }
    assert in_2020 == {"/" + d.url for d in corpus.disclosures if d.year == 2020} | {"/" + SENTINEL_URL}
    panlong = next(f for f in fragments if f["url"] == "/" + PANLONG_2020)
    content = str(panlong["content"])
    assert "信访 访处 处突 突经 经费 费" in content and "\u200b" not in content
    assert "主办单位" not in content and "跳转至" not in content  # article body only
    assert panlong["filters"] == {
        "年度": ["2020"],
        "省份": ["云南省"],
        "市州": ["昆明市"],
        "单位": ["盘龙区信访局"],
        "类型": ["项目文本"],
    }


def test_search_page_and_header_box(bundled_site: Path) -> None:
    doc = page(bundled_site, "search/")
    form = doc.xpath('//form[@role="search" and contains(@class, "gk-search-form")]')[0]
    field = form.xpath('.//input[@name="q"]')[0]
    assert form.xpath(f'.//label[@for="{field.get("id")}"]')
    box = doc.xpath("//*[@data-gk-search-page]")[0]
    assert box.get("data-pagefind") == "../pagefind/" and box.get("data-site") == "../"
    scripts = [s.get("src") for s in doc.xpath("//script[@src]")]
    ours = [s for s in scripts if s and "/gk-search" in s]
    assert ours == ["../assets/javascripts/gk-search-page.js"]  # the three joined (plugin/scripts.py)
    for src in ours:
        assert (bundled_site / "search" / src).resolve().is_file()
    assert '<noscript><p class="gk-search-noscript">搜索需要浏览器启用 JavaScript' in (
        bundled_site / "search/index.html"
    ).read_text(encoding="utf-8")

    # the header box on a deep page: a GET form to the 搜索 page, labelled, usable without JS
    deep = page(bundled_site, PANLONG_2020)
    header_form = deep.xpath('//header//form[@role="search"]')[0]
    assert header_form.get("method") == "get"
    assert (bundled_site / PANLONG_2020 / header_form.get("action") / "index.html").resolve() == (
        bundled_site / "search" / "index.html"
    ).resolve()
    q = header_form.xpath('.//input[@name="q"]')[0]
    assert header_form.xpath(f'.//label[@for="{q.get("id")}"]')
    assert header_form.xpath('.//button[@type="submit"]')


def test_the_search_page_script_is_the_three_joined_without_comment_lines(bundled_site: Path) -> None:
    joined = (bundled_site / SEARCH_SCRIPT).read_text(encoding="utf-8")
    # the query logic, the engine, then the page that uses both, in that order
    assert joined == "".join(without_comment_lines((bundled_site / rel).read_text(encoding="utf-8")) for rel in SCRIPTS)
    assert not [line for line in joined.splitlines() if line.strip().startswith(("//", "/*", "* "))]
    source = 'var a = "//x"; // note\n  /**\n   * doc\n   */\n  var b = 1; /* c */\n  // gone\nvar c = "/*";\n'
    assert without_comment_lines(source) == 'var a = "//x"; // note\n  var b = 1; /* c */\nvar c = "/*";\n'


def test_article_text_drops_what_is_not_the_document() -> None:
    html = """<html><body><header>页头 主办单位</header><nav>按单位</nav>
    <article class="md-content__inner md-typeset">
    <h1 id="x">项目名称甲<a class="headerlink" href="#x" title="本节链接">¶</a></h1>
    <div class="gk-head"><p class="gk-kind">预算重点领域项目文本公开</p>
    <dl class="gk-facts"><dt>单位</dt><dd><a href="u/">某某局</a></dd></dl></div>
    <h2 id="a">一、立项依据<a class="headerlink" href="#a">¶</a></h2><p>依据&lt;文件&gt;第一条</p>
    <table><tr><th>合计</th><td>53.50</td><td><a class="gk-src" href="s">来源</a></td></tr></table>
    <svg><text>图表文字</text></svg><script>var x = "脚本";</script>
    <div class="gk-print-only" data-pagefind-ignore="all"><p>本页网址：https://example/</p></div>
    </article><footer>页脚</footer></body></html>"""
    assert article_text(html.encode()) == "一、立项依据 依据<文件>第一条 合计 53.50"
    assert article_text(b"<html><body><p>no article</p></body></html>") == ""
