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

import functools
import hashlib
import json
import logging
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
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
from generator.store import Digests, Store, pack_folder, unpack_folder, value_digest

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
        sort=disclosure_sort(d),
    )


def disclosure_sort(d: Disclosure) -> dict[str, str]:
    """What a disclosure's result is sorted by (global sort tables, search/parts.py)."""
    return {"year": str(d.year), "amount": f"{d.headline.yuan:.2f}"}


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


@dataclass(frozen=True)
class ResultPage:
    """A result page before its record is made: enough to name the search part it goes to
    (`group`, `url`, `sort`), to key that part in the store (`inputs`: a digest of everything
    its document is made from), and to make its record when the part is indexed."""

    group: str
    url: str
    sort: dict[str, str]
    inputs: bytes
    record: Callable[[], Record]


def result_pages(
    corpus: Corpus,
    site_dir: Path,
    years: Collection[int] | None = None,
    units: bool = True,
    digests: Digests | None = None,
) -> Iterator[ResultPage]:
    """The result pages: disclosures of `years` (None: all; text from the built page) and, with
    `units`, the units (text from the content; their counts are of the whole corpus).

    `digests` (value_digest's memo; None: no inputs digested) makes each page's `inputs`: for a
    disclosure its model object and the bytes of its built page, for a unit its object and count."""
    text = fmt.TextFilter(corpus.site.mask_private)
    mask = b"masked" if corpus.site.mask_private else b"plain"
    counts: dict[str, int] = {}
    missing: list[str] = []
    for d in corpus.disclosures:
        counts[d.unit.slug] = counts.get(d.unit.slug, 0) + 1
    for d in corpus.disclosures:
        if years is not None and d.year not in years:
            continue
        page = site_dir / d.url / "index.html"
        if not page.is_file():
            missing.append(d.url)
            continue
        inputs = b""
        if digests is not None:
            html = hashlib.blake2b(page.read_bytes(), digest_size=16).digest()
            inputs = b"disclosure\0" + mask + value_digest(d, digests) + html
        make = functools.partial(_disclosure_record, d, page, text)
        yield ResultPage(str(d.year), d.url, disclosure_sort(d), inputs, make)
    if units:
        for unit in corpus.units:
            count = counts.get(unit.slug, 0)
            inputs = (
                b"unit\0" + mask + value_digest(unit, digests) + str(count).encode() if digests is not None else b""
            )
            yield ResultPage(UNITS, unit.url, {}, inputs, functools.partial(unit_record, unit, count, text))
    if missing:
        log.warning("搜索索引：%d 个公开文本页面不存在，未编入索引（例如 %s）", len(missing), missing[0])


def _disclosure_record(d: Disclosure, page: Path, text: fmt.TextFilter) -> Record:
    return disclosure_record(d, article_text(page.read_bytes()), text)


def records(
    corpus: Corpus, site_dir: Path, years: Collection[int] | None = None, units: bool = True
) -> Iterator[Record]:
    """The records of `result_pages`: what each result page is indexed with."""
    for page in result_pages(corpus, site_dir, years, units):
        yield page.record()


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


def write_documents(recs: Iterable[Record], folder: Path) -> None:
    """Write each record's document under `folder/<url>/index.html`."""
    for rec in recs:
        path = folder / rec.url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document(rec), encoding="utf-8")


def _index_part(store: Store | None, name: str, pages: Sequence[ResultPage], tmp: Path, words: list[str]) -> BuiltPart:
    """One part's Pagefind bundle, made in `tmp/out/<name>` from the documents of `pages`.

    With `store` (the persistent build cache), kept there by everything it is made from: the
    part's name, each page's URL, sort values and inputs (`ResultPage`), the vocabulary and the
    Pagefind binary — so an unchanged part costs neither its documents nor a Pagefind run."""
    sorts = {page.url: page.sort for page in pages}
    out = tmp / "out" / name
    key = None
    if store is not None:
        binary = pagefind_binary()
        key = store.key_of(
            "pagefind-part",
            name,
            json.dumps(sorts, sort_keys=True, ensure_ascii=False),
            "\0".join(words),
            f"{binary.name}:{binary.stat().st_size}",
            *(page.url.encode() + b"\0" + page.inputs for page in pages),
        )
        body = store.get(key)
        if body is not None and unpack_folder(body, out):
            return BuiltPart(name, out, len(page_ids(out)) - 1)
    source = tmp / "docs" / name
    write_documents((page.record() for page in pages), source)
    part = index_part(name, source, out, sorts, words)
    shutil.rmtree(source)
    if store is not None and key is not None:
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
    digests: Digests | None = None,
) -> IndexStats:
    """Index the disclosure pages of `years` (None: every year) and, with `units`, the unit pages
    of the built site in `site_dir`, then tie all parts on disk together (`finish_bundle`).

    Only the parts of those years (and units) are replaced; parts of other years are left as
    they are, since another process may have built them. Pagefind runs once per part, one
    run at a time, so the peak memory is that of one run over at most `part_pages` pages.
    With `store` (the persistent build cache), a part made from the same pages as in an earlier
    build is taken from it instead of running Pagefind (`_index_part`); `digests` is the build's
    memo of content digests (store.value_digest), shared with the pages and data. Without `merge` (one part
    of a site, which `gongkai merge` finishes), the parts are not merged into one index here.
    """
    start = time.perf_counter()
    chosen = set(corpus.years) if years is None else set(years)
    digests = (digests if digests is not None else {}) if store is not None else None
    groups: dict[str, dict[str, ResultPage]] = {}
    for page in result_pages(corpus, site_dir, chosen, units, digests):
        groups.setdefault(page.group, {})[page.url] = page
    built: list[BuiltPart] = []
    with tempfile.TemporaryDirectory(prefix="gongkai-search-") as tmp:
        words = vocabulary(corpus) if groups else []
        for group in sorted(groups):
            for name, urls in split_group(group, groups[group], part_pages).items():
                chosen_pages = [groups[group][url] for url in urls]
                built.append(_index_part(store, name, chosen_pages, Path(tmp), words))
        install(site_dir, built, {str(y) for y in chosen} | ({UNITS} if units else set()), years is None)
    folders = [site_dir / BUNDLE_DIR / PARTS_DIR / part.name for part in built]
    size = sum(p.stat().st_size for folder in folders for p in folder.rglob("*") if p.is_file())
    finish_bundle(site_dir, merge, store)
    pages = sum(part.pages for part in built)
    seconds = time.perf_counter() - start
    names = tuple(part.name for part in built)
    log.info("搜索索引：%d 个页面，%d 个分片，%.1f MB（%.1f 秒）", pages, len(names), size / 1e6, seconds)
    return IndexStats(pages, seconds, size, names)
