"""Injection: author text never becomes markup, script, a link target or page structure.

tests/fixtures/hostile/ puts payloads (<script>, <img onerror>, javascript: links, Markdown
link/image/HTML tricks, HTML comments, Jinja `{{ }}`/`{% %}`, 100,000-character lines,
U+202E and zero-width characters, table-breaking `|`) into every kind of text field of
site.yml, a unit profile and each disclosure kind; a file name full of URL characters is
added. The built site (MkDocs --strict) is checked statically (every HTML file) and in
Chromium (every page, plus a search that returns the hostile pages): no dialog, no console
error naming a payload, no script, style or handler that the theme does not put there,
no javascript: URL, and each page keeps the structure its model implies while showing
every payload as plain text.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path

import lxml.html
import pytest

from generator.commands.build import build_site
from generator.corpus.model import Corpus, Date, Disclosure, IndicatorValue, Kind, Money, Source
from generator.corpus.validate import check_tree

from .browser_helpers import ARGS, CHROMIUM, serve
from .conftest import FIXTURES
from .site_helpers import internal_links, is_redirect, make_config

pytestmark = pytest.mark.slow

HOSTILE = FIXTURES / "hostile" / "content"
MARKERS = {
    "〔RLO〕": "\u202e",
    "〔ZW〕": "\u200b\u200d\u2060\ufeff",
    "〔LONG〕": "长" * 100_000,
}
ODD_NAME = "怪 #?%&'\"<>名.yml"  # every character that means something in a URL
URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite", "srcset")
FORBIDDEN_TAGS = ("iframe", "frame", "frameset", "object", "embed", "applet", "base", "math", "template")
BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)


def hostile_content(dest: Path) -> Path:
    shutil.copytree(HOSTILE, dest)
    for path in dest.rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        for marker, value in MARKERS.items():
            text = text.replace(marker, value)
        path.write_text(text, encoding="utf-8")
    twin = (dest / "2022" / "evil" / "targets.yml").read_text(encoding="utf-8")
    twin = re.sub(r"^项目名称: .*$", "项目名称: 同名文件", twin, flags=re.M)
    (dest / "2022" / "evil" / ODD_NAME).write_text(twin, encoding="utf-8")
    return dest


def built(tmp: Path, content: Path) -> Path:
    out = io.StringIO()
    code = build_site(make_config(tmp, content), tmp / "site", out=out)
    assert code == 0, out.getvalue()
    return tmp / "site"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Path]:
    tmp = tmp_path_factory.mktemp("hostile")
    content = hostile_content(tmp / "content")
    result = check_tree(content)
    assert result.corpus is not None, [str(p) for p in result.errors]
    return result.corpus, built(tmp, content)


@pytest.fixture(scope="module")
def benign(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same site machinery on plain content: what the theme itself puts in a page."""
    tmp = tmp_path_factory.mktemp("benign")
    content = tmp / "content"
    shutil.copytree(FIXTURES / "base", content)
    return built(tmp, content)


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _norm(text: str) -> str:
    """Script/style text or URL with the page's relative root removed (it differs by depth)."""
    text = re.sub(r"(?:\.\./)+", "", text)
    return text.replace('".."', '""').replace('"."', '""').replace('"/"', '""').replace('"/assets', '"assets')


def theme_parts(site: Path) -> set[tuple[str, str, str, str]]:
    out = set()
    for f in html_files(site):
        doc = lxml.html.fromstring(f.read_bytes())
        for el in doc.xpath("//script | //style | //link[@rel='stylesheet']"):
            out.add((el.tag, el.get("type") or "", _norm(el.get("src") or el.get("href") or ""), _norm(el.text or "")))
    return out


# --- check -------------------------------------------------------------------------------


def test_hostile_content_passes_check_with_located_warnings_for_invisible_characters(
    hostile: tuple[Corpus, Path],
) -> None:
    corpus, _ = hostile
    invisible = sorted(f"{w.src}: {w.key_path}" for w in corpus.warnings if "看不见的控制字符" in w.message)
    assert invisible == [
        "2022/evil/evaluation.yml:10:9: 评价小组[1].姓名",
        "2022/evil/project.yml:16:9: 立项依据[2].标题",
        "2022/evil/result.yml:36:16: 绩效指标.满意度指标(10分).服务对象满意度指标[2].年度指标值",
        "2022/evil/targets.yml:12:10: 基本信息.项目负责人",
        f"2022/evil/{ODD_NAME}:12:10: 基本信息.项目负责人",
        "units/evil.yml:11:7: 联系电话",
        "units/evil.yml:7:5: 地区[2]",
    ]
    names = {d.src_path: d.name for d in corpus.disclosures}
    assert names["2022/evil/targets.yml"] == "绩效目标表<script>alert('gk-xss-t-2')</script>"
    assert corpus.units[0].region[1] == "市{{ 7*7 }}{% for x in y %}"  # U+202E removed, the rest kept


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "https://",
        "file:///etc/passwd",
        "www.example.gov.cn/a",
    ],
)
def test_only_web_addresses_are_accepted_as_original_link(base_content: Path, url: str) -> None:
    path = base_content / "2022" / "ok.yml"
    text = path.read_text(encoding="utf-8").replace("年度: 2022\n", f"年度: 2022\n原文链接: {url!r}\n")
    path.write_text(text, encoding="utf-8")
    result = check_tree(base_content)
    assert result.corpus is None
    assert [str(p) for p in result.errors] == [
        "2022/ok.yml:4:7: 原文链接: 原文链接应为以 http:// 或 https:// 开头的网页地址"
    ]


def test_a_web_address_is_accepted_as_original_link(base_content: Path) -> None:
    path = base_content / "2022" / "ok.yml"
    url = "https://www.example.gov.cn/zfxxgk/2022/a.html?x=1&y='2'#frag"
    path.write_text(path.read_text(encoding="utf-8") + f'原文链接: "{url}"\n', encoding="utf-8")
    result = check_tree(base_content)
    assert result.corpus is not None and result.corpus.disclosures[0].source_url == url


@pytest.mark.parametrize("domain", ["javascript:alert(1)", 'a.gov.cn/"><script>', "a b.gov.cn", "https://"])
def test_site_domain_must_be_a_host_name(base_content: Path, domain: str) -> None:
    (base_content / "site.yml").write_text(f"网站域名: {domain!r}\n", encoding="utf-8")
    result = check_tree(base_content)
    assert [str(p) for p in result.errors] == [
        "site.yml:1:7: 网站域名: 网站域名应为网站的域名，如 yusuan.example.gov.cn"
    ]


# --- the built HTML, statically -------------------------------------------------------------


def test_no_handler_no_script_url_no_foreign_element_in_any_page(hostile: tuple[Corpus, Path], benign: Path) -> None:
    _, site = hostile
    allowed = theme_parts(benign)
    allowed.add(("script", "", "assets/javascripts/gk-results-filter.js", ""))  # the not-met list's filter (our own)
    pages = html_files(site)
    assert len(pages) >= 20
    problems = []
    for f in pages:
        rel = f.relative_to(site).as_posix()
        doc = lxml.html.fromstring(f.read_bytes())
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            if el.tag in FORBIDDEN_TAGS:
                problems.append(f"{rel}: <{el.tag}>")
            for name, value in el.attrib.items():
                if name.lower().startswith("on") or name.lower() == "srcdoc":
                    problems.append(f"{rel}: <{el.tag} {name}>")
                clean = re.sub(r"[\s\x00-\x1f]", "", value)
                if name.lower() in URL_ATTRS and BAD_SCHEME.match(clean):
                    problems.append(f"{rel}: <{el.tag} {name}={value[:40]!r}>")
        for el in doc.xpath("//script | //style | //link[@rel='stylesheet']"):
            part = (el.tag, el.get("type") or "", _norm(el.get("src") or el.get("href") or ""), _norm(el.text or ""))
            if part not in allowed:
                problems.append(f"{rel}: <{el.tag}> not from the theme: {(el.get('src') or el.text or '')[:60]!r}")
    assert problems == []


def test_every_internal_link_resolves_even_with_an_odd_file_name(hostile: tuple[Corpus, Path]) -> None:
    _, site = hostile
    broken = [
        f"{f.relative_to(site)} → {ref}"
        for f in html_files(site)
        for ref, target, _ in internal_links(f, site)
        if not target.exists()
    ]
    assert broken == []
    odd = site / "source" / "2022" / "evil" / f"{ODD_NAME}.html"
    assert odd.is_file() and (site / "source" / "2022" / "evil" / ODD_NAME).is_file()


def _shown_strings(obj: object) -> Iterator[str]:
    """Author strings of a model object that the page shows (not sources, amounts or vocabulary)."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, tuple):
        for item in obj:
            yield from _shown_strings(item)
    elif isinstance(obj, (Money, Source)):
        return
    elif isinstance(obj, (IndicatorValue, Date)):
        yield obj.text
    elif is_dataclass(obj):
        skip = {"level1", "level2", "label1", "label2", "category"}
        for f in fields(obj):
            if f.name not in skip:
                yield from _shown_strings(getattr(obj, f.name))


def _collapse(text: str) -> str:
    return " ".join(text.replace("¶", " ").split())


def article(site: Path, url: str) -> lxml.html.HtmlElement:
    doc = lxml.html.fromstring((site / url / "index.html").read_bytes())
    return doc.xpath('//article[contains(@class, "md-content__inner")]')[0]


def test_each_disclosure_page_shows_every_payload_as_text_with_its_structure(hostile: tuple[Corpus, Path]) -> None:
    corpus, site = hostile
    assert len(corpus.disclosures) == 5
    for d in corpus.disclosures:
        art = article(site, d.url)
        text = _collapse(art.text_content())
        missing = [s[:60] for s in _shown_strings(d.body) if _collapse(s) not in text]
        assert missing == [], d.src_path
        assert _collapse(art.xpath(".//h1")[0].text_content()) == _collapse(d.name)
        origin = [d.source_url] if d.source_url else []
        assert [_collapse(a.text_content()) for a in art.xpath(".//dd/a[@rel]")] == origin
        assert art.xpath(".//dd/a[@rel]/@href") == origin  # the quotes and < of the URL stay inside href
        assert len(art.xpath(".//h2")) == expected_h2(d) + 1, d.src_path  # + 修订记录
        body = d.body
        indicators = () if d.kind is Kind.PROJECT_EVALUATION else getattr(body, "indicators", ())
        if d.kind is not Kind.PROJECT:  # 绩效目标表 and 自评表: the target-beside-result table
            compared = art.xpath('.//table[contains(@class, "gk-compare")]/tbody/tr')
            linked = d.kind is Kind.PROJECT_EVALUATION or (d.kind is Kind.TARGETS and d.name != "同名文件")
            assert len(compared) == (4 if linked else 0), d.src_path  # 2 targets, 2 results without a target
        if indicators:
            rows = art.xpath('.//table[contains(@class, "gk-indicators")]/tbody/tr')
            assert len(rows) == len(indicators)
            assert [len(r.xpath("./td")) for r in rows] == [
                3 + len({"计量单位", "权重"} & shown_cols(indicators))
            ] * len(rows)
        if d.kind is Kind.PROJECT:
            lines = art.xpath('.//table[contains(@class, "gk-funding")]/tbody/tr')
            assert len(lines) == len(body.funding.lines)  # type: ignore[union-attr]
        if d.kind is Kind.SELF_EVALUATION:
            team = art.xpath('.//table[caption="评价小组成员"]/tbody/tr')
            assert len(team) == len(body.team)  # type: ignore[union-attr]


def expected_h2(d: Disclosure) -> int:
    body = d.body
    if d.kind is Kind.PROJECT:
        return 8 + bool(body.target_text or body.indicators)  # type: ignore[union-attr]
    if d.kind is Kind.TARGETS:  # 基本信息, 基本情况, 立项依据, 需要说明的其他问题, 绩效指标 (+ 目标完成情况)
        return 5 + (d.name != "同名文件")
    if d.kind is Kind.PROJECT_EVALUATION:
        return 5  # 基本信息, 项目资金, 年度总体目标, 绩效指标, 自评结果
    return 2 + len(body.body)  # type: ignore[union-attr]  # 评价基本情况, 预算收支, one per top-level section


def shown_cols(indicators: tuple[object, ...]) -> set[str]:
    return {
        label
        for attr, label in (("measure_unit", "计量单位"), ("weight", "权重"))
        if any(getattr(i, attr) for i in indicators)
    }


def test_unit_page_shows_every_payload_as_text_with_its_structure(hostile: tuple[Corpus, Path]) -> None:
    corpus, site = hostile
    [unit] = corpus.units
    art = article(site, f"units/{unit.slug}/")
    text = _collapse(art.text_content())
    shown = [unit.name, *unit.aliases, *unit.region, unit.address, unit.phone, unit.legal_rep, unit.overview]
    assert [s[:60] for s in [*shown, *unit.functions] if s and _collapse(s) not in text] == []
    assert len(art.xpath('.//ol[contains(@class, "gk-list")]/li')) == len(unit.functions)
    h2 = ["单位概况", "主要职能", "预算概况", "目标完成情况", "公开文本", "修订记录"]
    assert [_collapse(h.text_content()) for h in art.xpath(".//h2")] == h2


def test_results_pages_show_every_payload_as_text_with_their_structure(hostile: tuple[Corpus, Path]) -> None:
    """The list of indicators not met: names, values and reasons as text, in the filter's attributes too."""
    corpus, site = hostile
    [unit] = corpus.units
    art = article(site, "results/2022/")
    [row] = art.xpath('.//table[contains(@class, "gk-unmet")]/tbody/tr')
    text = _collapse(row.text_content())
    for shown in (
        "<img src=x onerror=alert('gk-xss-t-11')>合格率",
        ">=90%",
        "80%",
        "<script>alert('gk-xss-r-6')</script>",
    ):
        assert _collapse(shown) in text
    assert not row.xpath(".//img | .//script")
    [block] = art.xpath('.//div[contains(@class, "gk-unmet-unit")]')
    assert block.get("data-unit") == unit.slug
    assert art.xpath('.//section[contains(@class, "gk-unmet-region")]/@data-region') == ["/".join(unit.region)]
    assert [o.text_content() for o in art.xpath('.//select[@name="unit"]/option')][1:] == [unit.name]
    csv = (site / "data" / "gongkai-all-results.csv").read_text(encoding="utf-8-sig")
    assert "'<script>" not in csv and '<script>alert(\'gk-xss-r-6\')</script>=HYPERLINK(""http://evil.example"")' in csv


def test_site_settings_are_text_in_title_footer_and_metadata(hostile: tuple[Corpus, Path]) -> None:
    corpus, site = hostile
    doc = lxml.html.fromstring((site / "index.html").read_bytes())
    footer = _collapse(doc.xpath('//div[contains(@class, "gk-footer")]')[0].text_content())
    for value in (corpus.site.sponsor, corpus.site.contact, corpus.site.site_code, corpus.site.icp, corpus.site.police):
        assert value and _collapse(value) in footer
    assert doc.xpath("//meta[@name='SiteName']/@content") == [corpus.site.name]
    assert len(doc.xpath("//title")) == 1


def test_data_downloads_hold_payloads_as_text_never_as_formulas(hostile: tuple[Corpus, Path]) -> None:
    _, site = hostile
    books = sorted((site / "data").rglob("*.xlsx"))
    assert books
    for book in books:
        with zipfile.ZipFile(book) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/"):
                    xml = z.read(name).decode("utf-8")
                    assert "<f>" not in xml and "<f " not in xml, f"{book.name}:{name} has a formula"
    csv = (site / "data" / "gongkai-all-lines.csv").read_text(encoding="utf-8-sig")
    assert '=HYPERLINK(""http://evil.example"",""点我"")' in csv  # kept as data, quoted


# --- Chromium ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(hostile: tuple[Corpus, Path]) -> Iterator[tuple[str, Path]]:
    _, site = hostile
    with serve(site) as url:
        yield url, site


RUNTIME_CHECK = """() => {
  const out = [];
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.getAttributeNames()) {
      const v = (el.getAttribute(a) || "").replace(/[\\s\\x00-\\x1f]/g, "").toLowerCase();
      if (a.startsWith("on") || a === "srcdoc") out.push(el.tagName + " " + a);
      if (/^(javascript|vbscript|data):/.test(v) && /href|src|action|data/.test(a)) out.push(el.tagName + " " + a + "=" + v.slice(0, 40));
    }
    if (["IFRAME", "OBJECT", "EMBED", "FRAME", "BASE"].includes(el.tagName)) out.push(el.tagName);
  }
  if (window.__gk_xss) out.push("payload ran");
  return out;
}"""


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="需要 Debian 的 chromium：apt-get install chromium")
def test_no_payload_runs_in_chromium(served: tuple[str, Path]) -> None:
    from playwright.sync_api import ConsoleMessage, Dialog, sync_playwright

    base, site = served
    urls = [f.relative_to(site).as_posix() for f in html_files(site) if not is_redirect(f)]  # opened at its target
    dialogs: list[str] = []
    console: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error" or "gk-xss" in msg.text:
            console.append(f"{msg.type}: {msg.text[:200]}")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.on("dialog", on_dialog)
            page.on("console", on_console)
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            found: dict[str, list[str]] = {}
            for url in urls:
                page.goto(base + url.removesuffix("index.html"), wait_until="load")
                page.wait_for_timeout(50)  # onerror/onload handlers of failed images would have run
                if problems := page.evaluate(RUNTIME_CHECK):
                    found[url] = problems
            # The search page renders results (titles, excerpts) from the index at run time.
            for query in ("alert", "gk-xss", "script", "恶意单位"):
                page.goto(base + f"search/?q={query}", wait_until="load")
                page.wait_for_selector(".gk-result", timeout=20_000)
                assert page.locator(".gk-result").count() >= 1
                page.wait_for_timeout(100)
                if problems := page.evaluate(RUNTIME_CHECK):
                    found[f"search?q={query}"] = problems
                titles = page.locator(".gk-result__title").all_inner_texts()
                assert any("<script>" in t or "alert(" in t for t in titles) or query == "恶意单位", titles
        finally:
            browser.close()
    assert dialogs == []
    assert [c for c in console if "gk-xss" in c or "alert" in c] == []
    assert found == {}
