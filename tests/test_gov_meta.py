"""Government-site conventions from content/site.yml on every built page (issue 7; 政府网站网页设计规范).

Each page carries the seven <meta> tags SiteName, SiteDomain, SiteIDCode, ColumnName,
ArticleTitle, PubDate and ContentSource, once each, with the values of its section, title,
date and source; and the footer with 主办单位, 联系方式, 网站标识码, ICP备案号 and 公安备案号.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest

from generator.corpus.model import Disclosure
from generator.data.feed import entry_date
from generator.site.summaries import summarize

from .conftest import bundled_corpus
from .site_helpers import is_redirect, text_of

pytestmark = pytest.mark.slow

CORPUS = bundled_corpus()
SITE = CORPUS.site
NAMES = ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ArticleTitle", "PubDate", "ContentSource")
CONTENT_DATE = max(entry_date(d) for d in CORPUS.disclosures).isoformat()
DISCLOSURES = {d.url: d for d in CORPUS.disclosures}
UNITS = {f"units/{u.slug}/": u for u in CORPUS.units}
UNIT_YEARS = {f"{d.year}/{d.unit.slug}/": d.unit for d in CORPUS.disclosures}
REGIONS = {f"regions/{n.slug}/": n for n in summarize(CORPUS).region_by_path.values()}


def newest(keep: Callable[[Disclosure], bool]) -> str:
    """The newest entry date of the disclosures `keep(d)` accepts: the PubDate of a page that lists them."""
    return max(entry_date(d) for d in CORPUS.disclosures if keep(d)).isoformat()


def own_date(d: Disclosure) -> str:
    return d.published.iso if d.published else entry_date(d).isoformat()


def page_url(site: Path, path: Path) -> str:
    rel = path.relative_to(site).as_posix()
    return rel.removesuffix("index.html")


def expected(url: str, h1: str) -> dict[str, str]:
    """What the tags of the page at `url` (its <h1> text given) must say."""
    column, title, date, source = "首页", h1, CONTENT_DATE, SITE.sponsor or ""
    if url in ("", "404.html"):
        title = SITE.name
    elif url in DISCLOSURES:
        d = DISCLOSURES[url]
        column, title, source = "公开文本", d.name, d.unit.name
        date = own_date(d)
    # A page's PubDate is that of what it shows (its newest disclosure), not the site's newest date.
    elif url in UNITS:
        column, source = "按单位", UNITS[url].name
        date = newest(lambda d: d.unit.slug == UNITS[url].slug)
    elif (unit := UNIT_YEARS.get(url)) is not None:  # /<年度>/<单位>/: that unit's disclosures of the year
        column, source = "按单位", unit.name
        date = newest(lambda d: d.unit.slug == unit.slug and url.startswith(f"{d.year}/"))
    elif url in REGIONS:  # titled with the whole path (云南省 昆明市), the <h1> is the name alone
        node = REGIONS[url]
        column, title, source = "地区", " ".join(node.path), node.name
        date = newest(lambda d: tuple(d.unit.region[: len(node.path)]) == node.path)
    elif url.startswith("source/"):
        column, title = "源文件", "源文件 " + url.removeprefix("source/").removesuffix(".html")
        owner = [u.name for u in CORPUS.units if url == f"source/{u.src.path}.html"]
        owner += [d.unit.name for d in CORPUS.disclosures if url == f"source/{d.src_path}.html"]
        source = owner[0] if owner else source
        dates = [own_date(d) for d in CORPUS.disclosures if url == f"source/{d.src_path}.html"]
        slugs = [u.slug for u in CORPUS.units if url == f"source/{u.src.path}.html"]
        dates += [newest(lambda d: d.unit.slug in slugs)] if slugs else []
        date = dates[0] if dates else date
    elif re.fullmatch(r"\d{4}/", url):
        column, date = "按年度", newest(lambda d: url == f"{d.year}/")
    else:
        column = {
            "units": "按单位",
            "years": "按年度",
            "regions": "地区",
            "data": "数据下载",
            "results": "目标完成情况",
            "about": "关于",
            "search": "搜索",
            "revisions": "最近修订",
        }.get(url.split("/")[0], "按年度" if re.fullmatch(r"\d{4}/", url) else "?")
    return {
        "SiteName": SITE.name,
        "SiteDomain": SITE.domain or "",
        "SiteIDCode": SITE.site_code or "",
        "ColumnName": column,
        "ArticleTitle": title,
        "PubDate": date,
        "ContentSource": source,
    }


def test_every_page_has_the_seven_meta_tags(bundled_site: Path) -> None:
    pages = [
        p
        for p in bundled_site.rglob("*.html")
        if p.relative_to(bundled_site).parts[0] not in {"assets", "pagefind"} and not is_redirect(p)
    ]
    assert len(pages) >= len(DISCLOSURES) + len(UNITS) + len(REGIONS) + 8
    seen_columns = set()
    problems = []
    for path in pages:
        doc = lxml.html.fromstring(path.read_bytes())
        url = page_url(bundled_site, path)
        metas = [(m.get("name"), m.get("content")) for m in doc.xpath("//head/meta[@name]") if m.get("name") in NAMES]
        names = [n for n, _ in metas]
        if sorted(names) != sorted(NAMES):
            problems.append(f"{url}: tags {names}")
            continue
        h1 = doc.xpath("//h1")
        got = dict(metas)
        want = expected(url, text_of(h1[0]).rstrip("¶") if h1 else "")
        if got != want:
            problems.append(
                f"{url}: {sorted(set(got.items()) - set(want.items()))} ≠ {sorted(set(want.items()) - set(got.items()))}"
            )
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", got["PubDate"]):
            problems.append(f"{url}: PubDate {got['PubDate']}")
        seen_columns.add(got["ColumnName"])
    assert problems == []
    assert seen_columns >= {"首页", "按单位", "按年度", "地区", "数据下载", "公开文本"}
    # Not the site's newest date everywhere: a commit that adds a newer disclosure changes only its pages.
    assert {expected(url, "")["PubDate"] for url in [*UNITS, *UNIT_YEARS, *REGIONS]} - {CONTENT_DATE}


def test_every_page_has_the_site_footer(bundled_site: Path) -> None:
    lines = [
        f"主办单位：{SITE.sponsor}",
        f"联系方式：{SITE.contact}",
        f"网站标识码：{SITE.site_code}",
        SITE.icp,
        SITE.police,
    ]
    assert all(lines)
    wanted = [line for line in lines if line]  # typed: str
    missing = []
    for path in bundled_site.rglob("*.html"):
        if path.relative_to(bundled_site).parts[0] in {"assets", "pagefind"} or is_redirect(path):
            continue
        footer = lxml.html.fromstring(path.read_bytes()).xpath("//*[contains(@class, 'gk-footer')]")
        text = text_of(footer[0]) if footer else ""
        missing += [f"{page_url(bundled_site, path)}: {line}" for line in wanted if line not in text]
    assert missing == []
