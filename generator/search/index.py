"""Site search: a Pagefind index of the disclosure and unit pages, with pinyin.

The MkDocs plugin calls `build_index` after MkDocs has written the site (for a site built
in parts, with the years the part builds). The pages are indexed in parts, one Pagefind
run per year (or per 2,000 pages) and one for the units, into `<site>/pagefind/parts/`;
the browser merges them (layout, parts and sorting across parts: search/parts.py). The
search page (`search/`, site_templates/search.md.j2) and the header box
(overrides/partials/gk-search.html) use the bundle through
overrides/assets/javascripts/gk-search*.js. Material's own search is not enabled, so no
whole-site `search_index.json` is shipped.

What is indexed, and why not the pages as they are: Pagefind's indexer cuts Chinese
into words with jieba, while the browser cuts the query with Intl.Segmenter (ICU). The
two disagree: Chromium cuts 调处督导 into 调|处|督|导, jieba indexes 调处|督导, and no
word on the page starts with 导, so the page is not found. Here every result page is
given to Pagefind as a small document of its own (same path, so the same URL) whose
Chinese is written as overlapping character pairs: 信访处突 → 信访 访处 处突 突 (the
last character alone ends the run). The search page cuts the query the same way,
without a dictionary, and asks for its pairs as an exact phrase, so any run of two or
more characters typed from a document finds exactly the pages that contain it; a single
character matches as the start of a pair. Pairs rather than single characters: a pair is
on far fewer pages than each of its characters, so a query loads less of the index and
Pagefind has fewer pages to check (measured in BENCHMARKS.md, Search).

Results are the disclosure pages and the unit pages. Index pages (按单位, 年度, 地区, the
home page, 数据下载, source views) are left out: each repeats the names of hundreds of
disclosures and would push the documents themselves off the first screen of results.
Each document holds the article body only (not nav, header or footer), the facts shown
at the top of the page, and the pinyin of the unit, project and region names (full,
per syllable and initials, from pypinyin's phrase dictionary via `slugs.syllables`).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from markupsafe import escape

from generator.corpus import fmt
from generator.corpus.model import Corpus, Disclosure, Unit
from generator.corpus.slugs import syllables
from generator.search.han import HAN_CLASS as HAN_CLASS  # the pairs' class, with search/merged.py
from generator.search.parts import BUNDLE_DIR as BUNDLE_DIR
from generator.search.parts import FINISH_FILES as FINISH_FILES
from generator.search.parts import LANGUAGE as LANGUAGE
from generator.search.parts import PART_PAGES as PART_PAGES
from generator.search.parts import PARTS_DIR as PARTS_DIR
from generator.search.parts import UNITS, BuiltPart, index_part, install, page_ids, pagefind_binary, split_group
from generator.search.parts import SearchIndexError as SearchIndexError
from generator.search.parts import finish_bundle as finish_bundle
from generator.store import Store, folder_digest, pack_folder, unpack_folder

log = logging.getLogger(__name__)

HAN = re.compile(f"([{HAN_CLASS}])")
_HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
_NOT_WORD = re.compile(f"[^0-9a-z{HAN_CLASS}]+")
_ARTICLE_START = b'<article class="md-content__inner'  # Material's main content: no nav, header, footer
_DROP = re.compile(
    r"<(?:h1\b.*?</h1>"  # the title: indexed as the `title` meta field
    r'|dl class="gk-facts[^"]*">.*?</dl>|p class="gk-kind[^"]*">.*?</p>'  # facts: indexed from the model
    r'|a class="(?:gk-src|headerlink)[^"]*"[^>]*>.*?</a>|span class="gk-sr[^"]*">.*?</span>'
    r"|(svg|script|style|noscript)\b.*?</\1>"
    # anything a template marks for Pagefind to skip (e.g. the print-only footer); no nesting of the same tag
    r"|(div|p|section|aside|span|nav)\b[^>]*\bdata-pagefind-ignore\b[^>]*>.*?</\2>)",
    re.S,
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|li|dt|dd|td|th|caption|summary|details|h[1-6]|tr|table|div|section|ol|ul|dl|figure|blockquote|br)\b[^>]*>"
)
_TAG = re.compile(r"<[^>]+>")
_ADMIN_CUT = re.compile("(?<=[省市州县区旗盟])(?=.)")  # after 省/市/…, as slugs.py cuts
MAX_PINYIN = 32  # letters of one joined-pinyin word; longer queries still match (prefix fallback)

# Filters (facets) and sort keys as the search page names them.
F_YEAR, F_PROVINCE, F_PREFECTURE, F_UNIT, F_KIND = "年度", "省份", "市州", "单位", "类型"
UNIT_KIND = "单位"  # the 类型 value of unit pages


@dataclass(frozen=True)
class Record:
    """One search result page as Pagefind is given it."""

    url: str  # site-relative directory URL, e.g. '2020/panlongqu-xinfangju/xinfang-chutu-jingfei/'
    group: str  # the search part it goes to before any cut (search.parts): its year, or 'units'
    name: str  # shown as the result title
    facts: str  # name, unit, region, year, kind: indexed after the body, with a higher weight
    body: str  # the article text
    pinyin: str  # pinyin words of the page's own name (project, report or unit)
    pinyin_more: str  # of the unit, its aliases and region on a disclosure page; of aliases and region on a unit page
    meta: dict[str, str] = field(default_factory=dict)
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class IndexStats:
    pages: int
    seconds: float
    bundle_bytes: int  # of the parts written (not of parts other processes built)
    parts: tuple[str, ...] = ()


def _pairs(run: re.Match[str]) -> str:
    s = run[0]
    if len(s) == 1:
        return f" {s} "
    return " " + " ".join(s[i : i + 2] for i in range(len(s) - 1)) + f" {s[-1]} "


def grams(text: str) -> str:
    """Chinese as overlapping pairs, each run ended by its last character; other text as it is.

    '信访处突经费 53.50万元' → '信访 访处 处突 突经 经费 费 53.50 万元 元'. gk-search-query.js cuts a
    query the same way (without the closing character) and keeps the two in step.
    """
    return " ".join(_HAN_RUN.sub(_pairs, text).split())


def _words(text: str) -> list[str]:
    """Han characters and the ASCII letter/digit runs of a name, in order."""
    return [w for w in _NOT_WORD.split(text.lower()) if w]


def readings(name: str) -> list[tuple[str, ...]]:
    """The pinyin syllables of `name` as pypinyin's phrase dictionary reads it, and, where it
    differs, as read in pieces cut after administrative suffixes (重庆市|长寿区), so a region
    prefix cannot swallow the next character into a phrase (市长 → shizhang in 重庆市长寿区)."""
    out: list[tuple[str, ...]] = []
    for pieces in ([name], _ADMIN_CUT.split(name)):
        syl: list[str] = []
        for piece in pieces:
            for part in _words(piece):
                if HAN.match(part):
                    syl.extend(s for s in syllables(part) if s.isascii() and s.isalpha())
                elif part.isascii():
                    syl.append(part)
        if syl and tuple(syl) not in out:
            out.append(tuple(syl))
    return out


def pinyin_words(name: str) -> list[str]:
    """Pinyin words that find `name`: 'xinfangju' (joined, from each syllable on), 'xfj' (initials), 'xin fang ju'.

    Joined forms and initials are given from every syllable on, so 'xinfangju' and 'xfj'
    find 盘龙区信访局 as well as 'panlongquxinfangju' and 'plqxfj' do; Pagefind matches a
    query word as the start of an indexed word, so 'xinfang' and 'xf' find them too.
    """
    out: list[str] = []
    for syl in readings(name):
        out.extend(syl)  # each syllable alone: 'xin fang ju' matches word by word
        for i in range(len(syl) - 1):
            out.append("".join(syl[i:])[:MAX_PINYIN])
            out.append("".join(s[0] for s in syl[i:])[:MAX_PINYIN])
    return list(dict.fromkeys(w for w in out if w))


def names_pinyin(names: Iterable[str]) -> str:
    words: dict[str, None] = {}
    for name in names:
        words.update(dict.fromkeys(pinyin_words(name)))
    return " ".join(words)


def article_text(html: bytes) -> str:
    """The text of a built page's article, without the heading, the facts list and the 来源 links.

    Regular expressions on the page MkDocs wrote (templates we control), not a parser:
    a parse per page would be most of the indexing time at 10,000 pages.
    """
    start = html.find(_ARTICLE_START)
    end = html.rfind(b"</article>")
    if start < 0 or end < start:
        return ""
    inner = html[html.index(b">", start) + 1 : end].decode("utf-8")
    text = _BLOCK_TAG.sub("\n", _DROP.sub(" ", inner))
    return " ".join(unescape(_TAG.sub("", text)).split())


def _region_names(region: Sequence[str]) -> list[str]:
    return list(region[1:]) if len(region) > 1 else list(region)


def _region_filters(region: Sequence[str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {F_PROVINCE: (region[0],)} if region else {}
    if len(region) > 1:
        out[F_PREFECTURE] = (region[1],)
    return out


def disclosure_record(d: Disclosure, body: str, text: fmt.TextFilter) -> Record:
    unit = text.plain(d.unit.name)
    amount = d.headline.yuan
    region = " › ".join(d.unit.region)
    facts = (
        f"{text.plain(d.name)}，{unit}，{'，'.join(d.unit.region)}，{d.year}年，{d.kind.value}，{d.kind.official_name}"
    )
    return Record(
        url=d.url,
        group=str(d.year),
        name=text.plain(d.name),
        facts=facts,
        body=body,
        pinyin=names_pinyin([text.plain(d.name)]),  # masked like the name (a number in it is personal data)
        pinyin_more=names_pinyin(map(text.plain, [d.unit.name, *d.unit.aliases, *_region_names(d.unit.region)])),
        meta={
            "unit": unit,
            "year": str(d.year),
            "kind": d.kind.value,
            "amount": f"{fmt.wan(amount)} 万元",
            "amount_label": d.headline_label,
            "region": region,
        },
        filters={F_YEAR: (str(d.year),), **_region_filters(d.unit.region), F_UNIT: (unit,), F_KIND: (d.kind.value,)},
        sort={"year": str(d.year), "amount": f"{amount:.2f}"},
    )


def unit_record(unit: Unit, disclosures: int, text: fmt.TextFilter) -> Record:
    name = text.plain(unit.name)
    body = "\n".join(
        [
            "别名：" + "、".join(text.plain(a) for a in unit.aliases) if unit.aliases else "",
            text.plain(unit.overview),
            *(text.plain(f) for f in unit.functions),
        ]
    )
    return Record(
        url=f"units/{unit.slug}/",
        group=UNITS,
        name=name,
        facts=f"{name}，{'，'.join(unit.region)}，{UNIT_KIND}",
        body=body,
        pinyin=names_pinyin([name]),
        pinyin_more=names_pinyin(map(text.plain, [*unit.aliases, *_region_names(unit.region)])),
        meta={
            "unit": name,
            "kind": UNIT_KIND,
            "region": " › ".join(unit.region),
            "count": str(disclosures),
        },
        filters={**_region_filters(unit.region), F_UNIT: (name,), F_KIND: (UNIT_KIND,)},
    )


def vocabulary(corpus: Corpus) -> list[str]:
    """Every pinyin word a result page of the corpus is indexed with, sorted: the document of
    words each search part holds (search/parts.py), the same whichever years a part has."""
    text = fmt.TextFilter(corpus.site.mask_private)
    names = {text.plain(d.name) for d in corpus.disclosures}
    for unit in [*corpus.units, *(d.unit for d in corpus.disclosures)]:
        names.update(map(text.plain, [unit.name, *unit.aliases, *_region_names(unit.region)]))
    words: set[str] = set()
    for name in names:
        words.update(pinyin_words(name))
    return sorted(words)


def records(
    corpus: Corpus, site_dir: Path, years: Collection[int] | None = None, units: bool = True
) -> Iterator[Record]:
    """The result pages: disclosures of `years` (None: all; text from the built page) and, with
    `units`, the units (text from the content; their counts are of the whole corpus)."""
    text = fmt.TextFilter(corpus.site.mask_private)
    counts: dict[str, int] = {}
    missing: list[str] = []
    for d in corpus.disclosures:
        counts[d.unit.slug] = counts.get(d.unit.slug, 0) + 1
        if years is not None and d.year not in years:
            continue
        page = site_dir / d.url / "index.html"
        if not page.is_file():
            missing.append(d.url)
            continue
        yield disclosure_record(d, article_text(page.read_bytes()), text)
    if units:
        for unit in corpus.units:
            yield unit_record(unit, counts.get(unit.slug, 0), text)
    if missing:
        log.warning("搜索索引：%d 个公开文本页面不存在，未编入索引（例如 %s）", len(missing), missing[0])


def _attr(value: str) -> str:
    return str(escape(value))


def document(rec: Record) -> str:
    """The HTML Pagefind indexes for one page: Chinese as pairs, filters and meta as tags.

    No sort keys: sorting uses the global orders written from `Record.sort` (search/parts.py),
    and Pagefind's own sort lists would only add to the file list every search loads.

    Pagefind makes every meta field searchable, so the fields are chosen for that: `title`
    holds the name's pairs (a match there ranks highest), `py`/`pyx` the pinyin of the
    page's own name and of its unit and region, and `d` what a result shows, as JSON with
    non-ASCII escaped (its words are uXXXX, which no query starts with, so the display
    text adds no Chinese words to the index).
    """
    display = json.dumps({"name": rec.name, **rec.meta}, ensure_ascii=True, separators=(",", ":"))
    head = [
        f'<meta data-pagefind-meta="title[content]" content="{_attr(grams(rec.name))}">',
        f'<meta data-pagefind-meta="py[content]" content="{_attr(rec.pinyin)}">',
        f'<meta data-pagefind-meta="pyx[content]" content="{_attr(rec.pinyin_more)}">',
        f'<meta data-pagefind-meta="d[content]" content="{_attr(display)}">',
    ]
    for key, values in rec.filters.items():
        for value in values:
            head.append(f'<meta data-pagefind-filter="{key}[content]" content="{_attr(value)}">')
    return (
        f'<!doctype html><html lang="{LANGUAGE}"><head><meta charset="utf-8"><title>{escape(rec.name)}</title>'
        + "".join(head)
        + "</head><body><main data-pagefind-body>"
        + f"<div>{escape(grams(rec.body))}</div>"
        + f'<p data-pagefind-weight="2">{escape(grams(rec.facts))}</p>'
        + "</main></body></html>"
    )


def write_documents(recs: Iterable[Record], folder: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Write each record's document under `folder/<group>/<url>`: {group: {url: sort values}}."""
    groups: dict[str, dict[str, dict[str, str]]] = {}
    for rec in recs:
        path = folder / rec.group / rec.url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document(rec), encoding="utf-8")
        groups.setdefault(rec.group, {})[rec.url] = rec.sort
    return groups


def _cut(docs: Path, group: str, parts: dict[str, list[str]]) -> dict[str, Path]:
    """Move a group's documents into one folder per part: {part name: folder}."""
    if list(parts) == [group]:
        return {group: docs / group}
    out = {}
    for name, urls in parts.items():
        out[name] = docs.parent / "cut" / name
        for url in urls:
            target = out[name] / url / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(docs / group / url / "index.html"), str(target))
    return out


def _index_part(
    store: Store | None, name: str, source: Path, out: Path, sorts: dict[str, dict[str, str]], words: list[str]
) -> BuiltPart:
    """`index_part`, kept in the store by everything it is made from: the part's name, its
    documents (paths and bytes), sort values and vocabulary, and the Pagefind binary."""
    if store is None:
        return index_part(name, source, out, sorts, words)
    binary = pagefind_binary()
    key = store.key_of(
        "pagefind-part",
        name,
        json.dumps(sorts, sort_keys=True, ensure_ascii=False),
        "\0".join(words),
        folder_digest(source),
        f"{binary.name}:{binary.stat().st_size}",
    )
    body = store.get(key)
    if body is not None and unpack_folder(body, out):
        return BuiltPart(name, out, len(page_ids(out)) - 1)
    part = index_part(name, source, out, sorts, words)
    store.put(key, pack_folder(out))
    return part


def build_index(
    corpus: Corpus,
    site_dir: Path,
    *,
    years: Collection[int] | None = None,
    units: bool = True,
    part_pages: int = PART_PAGES,
    store: Store | None = None,
    merge: bool = True,
) -> IndexStats:
    """Index the disclosure pages of `years` (None: every year) and, with `units`, the unit pages
    of the built site in `site_dir`, then tie all parts on disk together (`finish_bundle`).

    Only the parts of those years (and units) are replaced; parts of other years are left as
    they are, since another process may have built them. Pagefind runs once per part, one
    run at a time, so the peak memory is that of one run over at most `part_pages` pages.
    With `store` (the persistent build cache), a part whose documents are those of an earlier
    build is taken from it instead of running Pagefind (`_index_part`). Without `merge` (one part
    of a site, which `gongkai merge` finishes), the parts are not merged into one index here.
    """
    start = time.perf_counter()
    chosen = set(corpus.years) if years is None else set(years)
    built: list[BuiltPart] = []
    with tempfile.TemporaryDirectory(prefix="gongkai-search-") as tmp:
        docs = Path(tmp) / "docs"
        groups = write_documents(records(corpus, site_dir, chosen, units), docs)
        words = vocabulary(corpus) if groups else []
        for group in sorted(groups):
            parts = split_group(group, groups[group], part_pages)
            for name, source in _cut(docs, group, parts).items():
                sorts = {url: groups[group][url] for url in parts[name]}
                built.append(_index_part(store, name, source, Path(tmp) / "out" / name, sorts, words))
                shutil.rmtree(source)
        install(site_dir, built, {str(y) for y in chosen} | ({UNITS} if units else set()), years is None)
    folders = [site_dir / BUNDLE_DIR / PARTS_DIR / part.name for part in built]
    size = sum(p.stat().st_size for folder in folders for p in folder.rglob("*") if p.is_file())
    finish_bundle(site_dir, merge, store)
    pages = sum(part.pages for part in built)
    seconds = time.perf_counter() - start
    names = tuple(part.name for part in built)
    log.info("搜索索引：%d 个页面，%d 个分片，%.1f MB（%.1f 秒）", pages, len(names), size / 1e6, seconds)
    return IndexStats(pages, seconds, size, names)
