"""Rendering to Markdown: determinism, escaping, display helpers, the write-only-on-change writer."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import markdown
import pytest

from generator.corpus.fmt import TextFilter, change, percent, rel
from generator.corpus.model import Indicator, IndicatorValue, Source
from generator.corpus.validate import check_tree
from generator.site.render import cn_number, dest_path, indicator_groups, render_site, section_number
from generator.site.writer import sync_tree

from .regen_cases import ROOT, generate_all, listing
from .site_helpers import CONTENT, article, build, text_of, write_content

# --- determinism (the golden pages themselves: tests/test_cases.py) --------------------------------


def test_rendering_is_deterministic() -> None:
    """Every generated file (pages, source views, data) is the same from fresh processes with different
    hash seeds and in this process, where the run's caches may already be warm."""
    import subprocess
    import sys

    runs = {}
    for seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        cmd = [sys.executable, "-m", "tests.regen_cases", "--listing", str(CONTENT)]
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        runs[f"PYTHONHASHSEED={seed}"] = proc.stdout
    runs["this process"] = listing(generate_all(CONTENT))
    assert len(runs["this process"].splitlines()) > 90  # every file of the bundled site, not a few
    first = runs["PYTHONHASHSEED=0"]
    for name, text in runs.items():
        differ = sorted(set(first.splitlines()) ^ set(text.splitlines()))
        assert text == first, f"{name} differs from PYTHONHASHSEED=0: {differ[:10]}"


# --- escaping: author text is never markup, Markdown or a template --------------------------------

NASTY = {
    "site.yml": """
        网站名称: "测试<i>站</i> & {{ 1+1 }}"
        主办单位: "<script>alert('footer')</script>"
        """,
    "units/a.yml": """
        名称: "<b>甲</b>局{{ 7*7 }}"
        地区: ["云<i>南</i>省", 昆明市]
        单位概况: |
          <img src=x onerror=alert(1)>
          # 不是标题
        主要职能:
          - "*不是强调* {% raw %}"
        """,
    "2022/a/p.yml": """
        类型: 项目文本
        单位: "<b>甲</b>局{{ 7*7 }}"
        年度: 2022
        项目名称: "<script>alert(1)</script>{{ 7*7 }} *x* [a](http://e.com) {#id}"
        立项依据:
          - 标题: "<h1>小标题</h1> ## {{ x }} `code`"
            内容: |
              第一段 <b>不加粗</b> &amp;
              <!-- 注释 -->

              第二段 </div></table> ---
        资金安排:
          资金来源: "<u>预算</u>"
          明细:
            - 名称: "</td><script>alert(2)</script>"
              金额: 10万元
              说明: "{{ config }}"
        绩效目标:
          年度目标: "<iframe src=//evil></iframe>"
          绩效指标:
            产出指标:
              数量指标:
                - 名称: "<svg onload=alert(3)>"
                  指标值: "<=3次"
        """,
}


@pytest.fixture(scope="module")
def nasty_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    tmp = tmp_path_factory.mktemp("nasty")
    content = write_content(tmp / "content", NASTY)
    corpus = check_tree(content).corpus
    assert corpus is not None
    code, messages, site = build(tmp, content)
    assert code == 0, messages
    return site, corpus.disclosures[0].url


def test_html_typed_in_yaml_shows_as_text(nasty_site: tuple[Path, str]) -> None:
    site, url = nasty_site
    for html in site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for raw in ("<script>alert", "<img src=x", "<svg onload", "<iframe src=//evil", "<b>甲", "<i>南", "<u>预算"):
            assert raw not in text, (html, raw)
    doc = article(site, url)
    shown = text_of(doc)
    assert "<script>alert(1)</script>{{ 7*7 }} *x* [a](http://e.com) {#id}" in text_of(doc.xpath(".//h1")[0])
    assert "（一）<h1>小标题</h1> ## {{ x }} `code`" in [text_of(h).rstrip("¶").strip() for h in doc.xpath(".//h3")]
    for literal in ("第一段 <b>不加粗</b> &amp;", "<!-- 注释 -->", "第二段 </div></table> ---", "</td><script>alert(2)</script>",
                    "{{ config }}", "<iframe src=//evil></iframe>", "<svg onload=alert(3)>", "<=3次", "资金来源：<u>预算</u>"):  # fmt: skip
        assert literal in shown, literal
    assert "49" not in shown  # {{ 7*7 }} was not evaluated
    # the two paragraphs stayed two paragraphs inside their own block
    paragraphs = [text_of(p) for p in doc.xpath('.//div[@class="gk-text"]/p')]
    assert "第一段 <b>不加粗</b> &amp; <!-- 注释 -->" in paragraphs and "第二段 </div></table> ---" in paragraphs


def test_unit_and_site_text_escaped(nasty_site: tuple[Path, str]) -> None:
    site, url = nasty_site
    unit = next(p for p in (site / "units").iterdir() if p.is_dir())
    doc = article(site, f"units/{unit.name}/")
    shown = text_of(doc)
    assert "<img src=x onerror=alert(1)> # 不是标题" in shown
    assert "*不是强调* {% raw %}" in shown
    assert "<b>甲</b>局{{ 7*7 }}" in text_of(doc.xpath(".//h1")[0])
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "主办单位：&lt;script&gt;alert(&#39;footer&#39;)&lt;/script&gt;" in home
    # titles in Material's templates are printed unescaped: HTML characters became full-width look-alikes
    assert "<title>测试＜i＞站＜/i＞ ＆ {{ 1+1 }}</title>" in home
    title = (site / url.split("/")[0] / "index.html").read_text(encoding="utf-8")
    assert "<title>2022年度 - 测试＜i＞站＜/i＞ ＆ {{ 1+1 }}</title>" in title


def test_heading_filter_neutralises_markdown() -> None:
    text = TextFilter(mask=False)
    md = markdown.Markdown(extensions=["toc", "attr_list"])
    nasty = "<b>x</b> *em* _u_ [a](b) `c` {#id} \\ # & 1. !"
    html = md.convert(f"## {text.heading(nasty)}")
    escaped = nasty.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert re.fullmatch(rf'<h2 id="[^"]+">{re.escape(escaped)}</h2>', html), html


def test_paragraphs_have_no_blank_lines_and_mask_private_data() -> None:
    out = TextFilter(mask=True).paragraphs("电话 13879227100\n第二行\n\n\n<b>第二段</b>")
    assert out == "<p>电话 138****7100<br>\n第二行</p>\n<p>&lt;b&gt;第二段&lt;/b&gt;</p>"
    assert "\n\n" not in out
    assert TextFilter(mask=False).inline("13879227100") == "13879227100"


# --- display helpers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "dst", "expected"),
    [
        ("", "units/", "units/"),
        ("units/", "", "../"),
        ("2022/a/b/", "units/a/", "../../../units/a/"),
        ("2022/a/b/", "2022/", "../../"),
        ("2022/", "2022/a/b/", "a/b/"),
        ("units/a/", "units/a/", "./"),
        ("2022/a/b/", "source/2022/a/b.yml.html#L12", "../../../source/2022/a/b.yml.html#L12"),
        ("source/2022/a/b.yml.html", "2022/a/b/", "../../../2022/a/b/"),
        ("source/site.yml.html", "", "../"),
        ("units/", "#initial-c", "#initial-c"),
    ],
)
def test_relative_links(src: str, dst: str, expected: str) -> None:
    assert rel(src, dst) == expected


def test_numbers_and_changes() -> None:
    assert [cn_number(n) for n in (1, 9, 10, 11, 20, 35)] == ["一", "九", "十", "十一", "二十", "三十五"]
    assert [section_number(d, 2) for d in (1, 2, 3, 4, 5)] == ["二、", "（二）", "2. ", "（2）", ""]
    assert change(Decimal("535000"), Decimal("585000")) == "+5.00 万元（+9.35%）"
    assert change(Decimal("585000"), Decimal("535000")) == "−5.00 万元（−8.55%）"
    assert change(Decimal("0"), Decimal("100")) == "+0.01 万元"
    assert percent(Decimal("2107912.71"), Decimal("2846343.88")) == "74.06%"
    assert percent(Decimal(1), Decimal(0)) == "—"
    assert dest_path("") == "index.md" and dest_path("units/x/") == "units/x/index.md"


def _ind(l1: str, l2: str, name: str) -> Indicator:
    return Indicator(l1, l2, name, IndicatorValue(text="1"), Source("x.yml", 1, 1))


def test_indicator_groups_merge_cells_in_first_appearance_order() -> None:
    items = [
        _ind("产出指标", "数量指标", "a"),
        _ind("产出指标", "数量指标", "b"),
        _ind("产出指标", "质量指标", "c"),
        _ind("效益指标", "社会效益指标", "d"),
        _ind("产出指标", "数量指标", "e"),  # out of order in the input: joins its group
    ]
    groups = indicator_groups(items)
    assert [(l1, span) for l1, span, _ in groups] == [("产出指标", 4), ("效益指标", 1)]
    rows = groups[0][2]
    assert [(l2, span, ind.name) for l2, span, ind in rows] == [
        ("数量指标", 3, "a"), (None, 3, "b"), (None, 3, "e"), ("质量指标", 1, "c"),
    ]  # fmt: skip


def test_render_site_pages(tmp_path: Path) -> None:
    content = write_content(tmp_path / "c", {k: v for k, v in NASTY.items() if k != "site.yml"})
    corpus = check_tree(content).corpus
    assert corpus is not None
    pages = render_site(corpus)
    d = corpus.disclosures[0]
    assert {"index.md", "about/index.md", "units/index.md", "years/index.md", "regions/index.md", "2022/index.md",
            dest_path(d.url), f"units/{d.unit.slug}/index.md"} <= set(pages)  # fmt: skip
    for path, text in pages.items():
        assert text.startswith("---\n" if path == "index.md" else "---\ntitle: "), path


# --- the writer ----------------------------------------------------------------------------------


def test_sync_tree_writes_only_changes_and_removes_stale(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    first = sync_tree({"a/index.md": b"one", "b/c/index.md": b"two", "x.md": b"three"}, out)
    assert (first.written, first.unchanged, first.deleted) == (3, 0, 0)
    old = out / "a" / "index.md"
    os.utime(old, (1_000_000, 1_000_000))
    second = sync_tree({"a/index.md": b"one", "x.md": b"THREE", "d/index.md": b"four"}, out)
    assert (second.written, second.unchanged, second.deleted) == (2, 1, 1)
    assert old.stat().st_mtime == 1_000_000  # untouched: same bytes
    assert (out / "x.md").read_bytes() == b"THREE"
    assert not (out / "b").exists()  # stale file deleted, empty folders removed
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "a/index.md", "d/index.md", "x.md",
    ]  # fmt: skip


def test_unit_page_shows_year_over_year_change(tmp_path: Path) -> None:
    from .test_summaries import project

    content = write_content(
        tmp_path,
        {
            "units/a.yml": "名称: 甲局\n地区: [云南省, 昆明市]\n",
            "2020/a/p.yml": project("甲局", 2020, "信访经费", "10万元"),
            "2022/a/p.yml": project("甲局", 2022, "信访经费", "12万元"),
        },
    )
    corpus = check_tree(content).corpus
    assert corpus is not None
    unit_page = render_site(corpus)[f"units/{corpus.units[0].slug}/index.md"]
    assert "较2020年 +2.00 万元（+20.00%）" in unit_page
    assert unit_page.count("gk-change") == 1  # only the later year has something to compare with


def test_private_data_masked_everywhere_when_the_site_asks(tmp_path: Path) -> None:
    from generator.site.generate import generate

    from .test_summaries import targets

    phone = "13879227100"
    table = targets("甲局", 2022, "信访经费", "10万元").replace("基本信息:", f"基本信息:\n  联系电话: '{phone}'")
    content = write_content(
        tmp_path / "content",
        {
            "site.yml": "网站名称: 测试\n隐私脱敏: 是\n",
            "units/a.yml": f"名称: 甲局\n地区: [云南省]\n联系电话: '{phone}'\n单位概况: 联系人手机{phone}\n",
            "2022/a/t.yml": table,
        },
    )
    corpus = check_tree(content).corpus
    assert corpus is not None and corpus.site.mask_private
    out = tmp_path / "docs"
    generate(corpus, content, out)
    leaked = [p for p in out.rglob("*") if p.is_file() and phone.encode() in p.read_bytes()]
    assert leaked == []
    unit_page = (out / "units" / corpus.units[0].slug / "index.md").read_text(encoding="utf-8")
    assert "138****7100" in unit_page
    assert phone in (content / "units" / "a.yml").read_text(encoding="utf-8")  # the YAML keeps the original
