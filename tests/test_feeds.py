"""Atom feed (RFC 4287) and sitemap.xml (sitemaps.org 0.9), from the content only."""

from __future__ import annotations

import dataclasses
import gzip
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.corpus.model import Corpus
from generator.corpus.validate import check_tree
from generator.data import feed as feeds
from tests.conftest import CONTENT

A = "{http://www.w3.org/2005/Atom}"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    result = check_tree(CONTENT)
    assert result.corpus is not None
    assert result.corpus.site.domain == "yusuan.example.gov.cn"
    return result.corpus


def _feed(corpus: Corpus) -> ET.Element:
    data = feeds.atom_feed(corpus)
    assert data is not None and data.startswith(b"<?xml")
    return ET.fromstring(data)


def test_feed_has_what_rfc_4287_requires(corpus: Corpus) -> None:
    root = _feed(corpus)
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert root.findtext(f"{A}{tag}"), tag
    assert root.find(f"{A}author/{A}name") is not None
    self_link = [e for e in root.findall(f"{A}link") if e.get("rel") == "self"]
    assert [e.get("href") for e in self_link] == ["https://yusuan.example.gov.cn/feed.xml"]
    entries = root.findall(f"{A}entry")
    assert len(entries) == len(corpus.disclosures)
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry in entries:
        assert entry.findtext(f"{A}id", "").startswith("tag:yusuan.example.gov.cn,")
        assert entry.findtext(f"{A}title")
        assert entry.findtext(f"{A}updated")
        [link] = entry.findall(f"{A}link")
        assert link.get("href", "").startswith("https://yusuan.example.gov.cn/20")


def test_feed_is_newest_first_with_dates_from_the_content(corpus: Corpus) -> None:
    entries = _feed(corpus).findall(f"{A}entry")
    dates = [e.findtext(f"{A}updated") or "" for e in entries]
    assert dates == sorted(dates, reverse=True)
    # The self-evaluation (报告日期 2023-06) is the newest; the 2020 project text the oldest.
    assert dates[0] == "2023-06-01T00:00:00+08:00"
    assert "zipingjia" in (entries[0].find(f"{A}link").get("href") or "")  # type: ignore[union-attr]
    assert dates[-1] == "2020-01-01T00:00:00+08:00"
    assert _feed(corpus).findtext(f"{A}updated") == dates[0]
    summary = next(e.findtext(f"{A}summary") for e in entries if "chuxiong" in (e.findtext(f"{A}id") or ""))
    assert summary is not None and "585,000.00 元" in summary


def test_feed_is_deterministic_and_limited(corpus: Corpus) -> None:
    assert feeds.atom_feed(corpus) == feeds.atom_feed(corpus)
    data = feeds.atom_feed(corpus, limit=2)
    assert data is not None
    assert len(ET.fromstring(data).findall(f"{A}entry")) == 2


def test_no_domain_no_feed_and_no_sitemap(corpus: Corpus, tmp_path: Path) -> None:
    bare = dataclasses.replace(corpus, site=dataclasses.replace(corpus.site, domain=None))
    assert feeds.atom_feed(bare) is None
    (tmp_path / "index.html").write_text("<html></html>")
    assert feeds.write_sitemap(bare, tmp_path) == []
    assert not (tmp_path / "sitemap.xml").exists()


def test_sitemap_lists_built_pages_with_content_dates(corpus: Corpus, tmp_path: Path) -> None:
    pages = ["index.html", "units/index.html", "404.html", "source/2022/x.yml.html", "assets/x.html"]
    pages += [f"{d.url}index.html" for d in corpus.disclosures]
    for page in pages:
        path = tmp_path / page
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<html></html>")
    (tmp_path / "sitemap.xml").write_text("MkDocs' own sitemap, replaced")
    written = feeds.write_sitemap(corpus, tmp_path)
    assert written == [tmp_path / "sitemap.xml", tmp_path / "sitemap.xml.gz"]
    data = (tmp_path / "sitemap.xml").read_bytes()
    assert gzip.decompress((tmp_path / "sitemap.xml.gz").read_bytes()) == data
    root = ET.fromstring(data)
    assert root.tag == f"{S}urlset"
    entries = {u.findtext(f"{S}loc") or "": u.findtext(f"{S}lastmod") for u in root.findall(f"{S}url")}
    base = "https://yusuan.example.gov.cn/"
    assert base in entries and f"{base}units/" in entries
    assert not any("404" in u or "/source/" in u or "/assets/" in u for u in entries)
    for d in corpus.disclosures:
        assert entries[base + d.url] == feeds.entry_date(d).isoformat()
    assert entries[base] is None  # index pages have no content date
    # Written twice, the same bytes (gzip without a timestamp).
    first = (tmp_path / "sitemap.xml.gz").read_bytes()
    feeds.write_sitemap(corpus, tmp_path)
    assert (tmp_path / "sitemap.xml.gz").read_bytes() == first


def test_base_url_accepts_what_authors_type() -> None:
    assert feeds.base_url("yusuan.example.gov.cn") == "https://yusuan.example.gov.cn/"
    assert feeds.base_url(" http://a.b/c/ ") == "http://a.b/c/"
    assert feeds.absolute("a.b", "2022/x y/") == "https://a.b/2022/x%20y/"
