"""Atom feed of disclosures (newest first) and sitemap.xml, both from the content only.

Both need absolute addresses, so both need `网站域名` in site.yml; without it they
are skipped with a note in the log. Dates come from the content, never from the
clock: an entry's date is its 发布日期, else a self-evaluation's 报告日期, else
1 January of its budget year (a month-only date means the 1st of that month).
Entry ids are tag URIs (RFC 4151) on the site's domain, so they stay the same
when the site moves to https or another path.

With the content's git history (history/), the feed also carries each revision of a
disclosure or unit page after its first publication (dated by the commit, 北京时间), and a
page's lastmod in the sitemap is the date of its last change.
"""

from __future__ import annotations

import gzip
import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from generator.corpus.fmt import TextFilter
from generator.corpus.model import Corpus, Disclosure, SelfEvaluation
from generator.corpus.money import yuan_text
from generator.data.tables import ordered
from generator.history.describe import revision_lines
from generator.history.model import BEIJING, History, Revision

log = logging.getLogger(__name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_PATH = "feed.xml"
SITEMAP_PATH = "sitemap.xml"
FEED_LIMIT = 100
RECENT_URL = "revisions/"  # the 最近修订 page (site/revisions.py)
SKIP_PREFIXES = ("source/", "assets/", "pagefind/")  # not pages a search engine should list
TZ = "+08:00"  # 北京时间


def base_url(domain: str) -> str:
    """`yusuan.example.gov.cn` (or with a scheme or path) → `https://yusuan.example.gov.cn/`."""
    domain = domain.strip()
    if "://" not in domain:
        domain = "https://" + domain
    return domain.rstrip("/") + "/"


def absolute(domain: str, url: str) -> str:
    return base_url(domain) + quote(url.lstrip("/"), safe="/#?=&")


def entry_date(d: Disclosure) -> date:
    """The date an entry carries: 发布日期 → 报告日期 → 1 January of the year."""
    when = d.published
    if when is None and isinstance(d.body, SelfEvaluation):
        when = d.body.report_date
    if when is None:
        return date(d.year, 1, 1)
    return date(when.year, when.month, when.day or 1)


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00{TZ}"


def _host(domain: str) -> str:
    return base_url(domain).split("://", 1)[1].split("/", 1)[0]


def tag_uri(domain: str, d: Disclosure) -> str:
    return f"tag:{_host(domain)},{d.year}:{d.url}"


def newest_first(disclosures: Iterable[Disclosure]) -> list[Disclosure]:
    """By entry date, newest first; ties in the stable export order."""
    return sorted(ordered(disclosures), key=lambda d: (entry_date(d), d.year), reverse=True)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def entry_title(d: Disclosure) -> str:
    """`楚雄州信访局 2022年项目文本：信访工作经费`; a self-evaluation's own title already says all that."""
    if isinstance(d.body, SelfEvaluation):
        return d.name
    return f"{d.unit.name} {d.year}年{d.kind.value}：{d.name}"


def entry_summary(d: Disclosure) -> str:
    money = f"{d.headline_label} {yuan_text(d.headline.yuan)} 元"
    return f"{'/'.join(d.unit.region)} {d.unit.name}，{d.year}年{d.kind.official_name}。{money}。"


def revision_pages(corpus: Corpus) -> dict[str, tuple[str, str, str]]:
    """Content file → (its page URL, the title its revisions carry, the unit), for disclosures and units."""
    pages = {d.src_path: (d.url, entry_title(d), d.unit.name) for d in corpus.disclosures}
    pages |= {u.src.path: (u.url, f"单位档案：{u.name}", u.name) for u in corpus.units}
    return pages


def revisions_after_publication(corpus: Corpus, history: History | None, limit: int) -> list[tuple[str, Revision]]:
    """(content file, revision) of the newest changes to pages after their first publication, newest first."""
    if history is None or not history.available:
        return []
    pages = revision_pages(corpus)
    every = sum(len(h.revisions) for h in history.files.values())
    found = [(path, rev) for path, rev in history.latest(every) if not rev.first and path in pages]
    return found[:limit]


def _commit_stamp(rev: Revision) -> str:
    return datetime.fromtimestamp(rev.time, BEIJING).isoformat()


def atom_feed(corpus: Corpus, limit: int = FEED_LIMIT, history: History | None = None) -> bytes | None:
    """The Atom document, or None when site.yml has no 网站域名.

    With `history`, the newest `limit` of the disclosures' entries and the revisions' together."""
    domain = corpus.site.domain
    if not domain:
        log.info("site.yml 未设置“网站域名”，不生成订阅源 %s", FEED_PATH)
        return None
    entries = newest_first(corpus.disclosures)[:limit]
    revised = revisions_after_publication(corpus, history, limit)
    if revised:  # one list by date: a disclosure's day starts at 00:00, a revision carries its commit's time
        dated: list[tuple[str, int, Disclosure | tuple[str, Revision]]]
        dated = [(_stamp(entry_date(d)), 1, d) for d in entries]
        dated += [(_commit_stamp(rev), 0, (path, rev)) for path, rev in revised]
        dated.sort(key=lambda e: (e[0], e[1]), reverse=True)  # stable: ties keep the order above
        chosen: list[Disclosure | tuple[str, Revision]] = [item for _, _, item in dated[:limit]]
    else:
        chosen = list(entries)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": "zh-CN"})
    _sub(feed, "id", f"tag:{_host(domain)},2000:feed")
    shown = TextFilter(corpus.site.mask_private).plain  # 隐私脱敏 applies to the feed as to the pages
    _sub(feed, "title", shown(corpus.site.name))
    _sub(feed, "subtitle", shown(corpus.site.description))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=absolute(domain, FEED_PATH))
    _sub(feed, "link", rel="alternate", type="text/html", href=base_url(domain))
    _sub(feed, "updated", max(map(_updated, chosen), default=_stamp(date(2000, 1, 1))))
    author = _sub(feed, "author")
    _sub(author, "name", shown(corpus.site.sponsor or corpus.site.name))
    _sub(feed, "generator", "gongkai")
    pages = revision_pages(corpus) if revised else {}
    for item in chosen:
        if not isinstance(item, Disclosure):
            _revision_entry(feed, domain, shown, item, pages[item[0]])
            continue
        d = item
        entry = _sub(feed, "entry")
        _sub(entry, "id", tag_uri(domain, d))
        _sub(entry, "title", shown(entry_title(d)))
        _sub(entry, "link", rel="alternate", type="text/html", href=absolute(domain, d.url))
        _sub(entry, "updated", _stamp(entry_date(d)))
        who = _sub(entry, "author")
        _sub(who, "name", shown(d.unit.name))
        _sub(entry, "category", term=d.kind.value)
        _sub(entry, "summary", shown(entry_summary(d)))
    return _serialize(feed)


def _updated(item: Disclosure | tuple[str, Revision]) -> str:
    return _stamp(entry_date(item)) if isinstance(item, Disclosure) else _commit_stamp(item[1])


def _revision_entry(
    feed: ET.Element,
    domain: str,
    shown: Callable[[str | None], str],
    item: tuple[str, Revision],
    page: tuple[str, str, str],
) -> None:
    """A revision of a page: its own id (commit and file), the page's address at its 修订记录."""
    path, rev = item
    url, title, unit = page
    entry = _sub(feed, "entry")
    _sub(entry, "id", f"tag:{_host(domain)},{rev.date}:revision/{rev.commit}/{quote(path)}")
    _sub(entry, "title", shown(f"修订：{title}"))
    _sub(entry, "link", rel="alternate", type="text/html", href=absolute(domain, url) + "#xiuding-jilu")
    _sub(entry, "updated", _commit_stamp(rev))
    who = _sub(entry, "author")
    _sub(who, "name", shown(unit))
    _sub(entry, "category", term="修订")
    _sub(entry, "summary", shown("；".join(revision_lines(rev))))


def sitemap_entries(
    corpus: Corpus, page_urls: Iterable[str], history: History | None = None
) -> list[tuple[str, str | None]]:
    """(page URL, lastmod) for each page, sorted; disclosure pages carry their entry date.

    With `history`, a disclosure or unit page's lastmod is the date of its file's last revision
    (without one, not yet committed: a disclosure keeps its entry date, a unit page has no lastmod),
    and the 最近修订 page's is the newest revision's."""
    dates = {d.url: entry_date(d).isoformat() for d in corpus.disclosures}
    if history is not None and history.available:
        for path, (url, _, _) in revision_pages(corpus).items():
            found = history.of(path)
            if found is not None:
                dates[url] = found.last.date
        newest = history.latest(1)
        if newest:
            dates[RECENT_URL] = newest[0][1].date
    urls = sorted({u.lstrip("/") for u in page_urls})
    return [(u, dates.get(u)) for u in urls]


def sitemap_xml(domain: str, entries: Iterable[tuple[str, str | None]]) -> bytes:
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for url, lastmod in entries:
        node = ET.SubElement(root, "url")
        ET.SubElement(node, "loc").text = absolute(domain, url)
        if lastmod:
            ET.SubElement(node, "lastmod").text = lastmod
    return _serialize(root)


def merge_sitemaps(sitemaps: Iterable[Path], site_dir: Path) -> None:
    """One sitemap of the pages of several part sites (generator/parts.py), sorted like `sitemap_xml`."""
    urls: dict[str, ET.Element] = {}
    for path in sitemaps:
        for node in ET.parse(path).getroot():
            loc = node.findtext(f"{{{SITEMAP_NS}}}loc") or ""
            urls[loc] = node
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for loc in sorted(urls):
        node = ET.SubElement(root, "url")
        ET.SubElement(node, "loc").text = loc
        lastmod = urls[loc].findtext(f"{{{SITEMAP_NS}}}lastmod")
        if lastmod:
            ET.SubElement(node, "lastmod").text = lastmod
    sitemap = _serialize(root)
    (site_dir / SITEMAP_PATH).write_bytes(sitemap)
    (site_dir / (SITEMAP_PATH + ".gz")).write_bytes(gzip.compress(sitemap, mtime=0))


def _serialize(root: ET.Element) -> bytes:
    """UTF-8 XML with declaration; the namespace is written as a plain `xmlns` attribute."""
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


def site_pages(site_dir: Path, skip: Collection[str] = ()) -> list[str]:
    """URLs of the built HTML pages: `x/index.html` → `x/`; the 404 page, source viewers and `skip` left out."""
    urls = []
    for path in site_dir.rglob("*.html"):
        rel = path.relative_to(site_dir).as_posix()
        if rel == "404.html" or rel.startswith(SKIP_PREFIXES):
            continue
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        if url not in skip:
            urls.append(url)
    return sorted(urls)


def write_sitemap(
    corpus: Corpus, site_dir: Path, history: History | None = None, skip: Collection[str] = ()
) -> list[Path]:
    """Write sitemap.xml and sitemap.xml.gz into the built site (call after MkDocs has written it).

    Replaces MkDocs' own sitemap, whose dates are the build time, with one whose dates
    come from the content. Nothing is written without 网站域名. `skip`: URLs that are not
    pages of their own (the old addresses' redirect pages, site/redirects.py).
    """
    domain = corpus.site.domain
    if not domain:
        log.info("site.yml 未设置“网站域名”，不生成站点地图 %s", SITEMAP_PATH)
        return []
    sitemap = sitemap_xml(domain, sitemap_entries(corpus, site_pages(site_dir, skip), history))
    path = site_dir / SITEMAP_PATH
    path.write_bytes(sitemap)
    gz = site_dir / (SITEMAP_PATH + ".gz")
    gz.write_bytes(gzip.compress(sitemap, mtime=0))
    return [path, gz]
