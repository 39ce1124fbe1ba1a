"""The search index in parts: one Pagefind run per part, merged in the browser.

Pagefind keeps every page's words and positions in memory until it writes its index
(about 600 KB per pair document, linear), so one run over a large site does not fit the
2 GB a build stage may use. The result pages are therefore indexed in parts of at most
`PART_PAGES` pages, one Pagefind run after the other. `finish_bundle` then merges the
parts on disk into one index (search/merged.py, `merged-<tag>/`, a few MB of memory), which
is what the search page loads; only if they cannot be merged does the page merge the parts
in the browser (Pagefind's `mergeIndex`; overrides/assets/javascripts/gk-search-engine.js),
as described below ("Sorting", "Words" and "Ranks across parts" are about that case, and the
global sort orders serve both, in the merged index's page names when it is there).

Parts. The disclosures of year Y form the part `Y` (e.g. `2021`), the unit pages the part
`units`. A part of more than `PART_PAGES` pages is cut, by sorted URL, into k parts of
nearly equal size named `Y-1` … `Y-k`. The cut depends only on that year's (or the
units') pages, so any process that indexes a year produces the same parts.

Layout under the site folder (`BUNDLE_DIR`):

    pagefind/
      pagefind.js               Pagefind's browser library, imported once (same file from every run)
      parts.json                the parts the browser loads (the first initialised),    ┐ FINISH_FILES:
                                their rank weights, the id of the document of words    │
      sort-year.json            global order of the pages by year                       │ written by
      sort-amount.json          … by amount                                             │ finish_bundle
      merged-<tag>/             the parts merged into one Pagefind bundle (merged.py)   ┘
      parts/<name>/             one Pagefind bundle per part:
        pagefind-entry.json, pagefind.<hash>.pf_meta, wasm.unknown.pagefind,
        index/, fragment/, filter/     Pagefind's files (filter and meta order fixed by search.stable)
        sort-values.json        the URL and sort values of the part's pages by Pagefind page id
      (the part's index also holds the document of words at SENTINEL_URL, see "Words across parts")

Every file under `parts/<name>/` and `pagefind.js` is byte-identical whichever process
built it, so sites built in parts (generator/parts.py) can be copied together;
`finish_bundle` then writes the FINISH_FILES from what is on disk. Only the first part's
WebAssembly is fetched: merged Pagefind instances reuse it.

Sorting across parts. With merged indexes, Pagefind's sorted search scores each result by
its rank within its own part and sorts the merged list by that score, which interleaves the
parts. `sort-<key>.json` holds one global order per sort key instead: the page ids in
ascending order of the value, pages of equal value kept together in URL order (so the order
does not depend on how the pages were cut into parts).
The search page fetches it when a sort is asked and orders the merged results by it; pages
without the key (units have no amount) are not in it and are left out of sorted results.

Words across parts. Pagefind leaves out a query word its index does not hold, and a word of
letters that no indexed word starts with it replaces by the longest prefix that one does
(typo tolerance). Per part, that would let a part without the word return pages that lack
it. So every part also indexes one document that is not a page (`SENTINEL_URL`): the pinyin
words of every name in the whole corpus (search.py), the same in every part, so a pinyin
word or prefix is matched alike in all parts; the search page leaves that document out of
results (its id is in parts.json, `skip`) and leaves out, for a query, the parts that lack
one of its other words (gk-search.js, onlyParts).

Ranks across parts. Pagefind ranks a page (BM25) against the average length of its own
index's pages, so the short unit pages, which one index over everything ranked high against
the long disclosures, would rank low in a part of their own. parts.json gives each part a
weight (Pagefind's `indexWeight`): the BM25 term of a word found once in a page of the
part's average length, measured on the whole corpus' average instead of the part's,
(1 + k1) / (1 + k1 · (1 − b + b · average_part / average_all)), with Pagefind's defaults
k1 = 1.4 (`termSaturation`) and b = 0.75 (`pageLength`). At 10,000 disclosures: 1.55 for
the units, 0.98–0.99 for the years (BENCHMARKS.md, Search).
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from html import escape
from pathlib import Path
from typing import Any

from generator.corpus.errors import BuildError
from generator.search.merged import MERGED_DIR, write_merged
from generator.search.stable import ENTRY, read, stabilize
from generator.store import Store

log = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"  # under the site folder
PARTS_DIR = "parts"  # under the bundle
PARTS_FILE = "parts.json"
SORT_KEYS = ("year", "amount")  # the data-pagefind-sort keys of the documents (search.py)
SORT_VALUES = "sort-values.json"  # in each part
LIBRARY = "pagefind.js"
# Site-relative paths of the files finish_bundle writes: the only files of the bundle that
# differ between sites built in parts (the merge step writes them anew).
FINISH_FILES = (
    f"{BUNDLE_DIR}/{PARTS_FILE}",
    *(f"{BUNDLE_DIR}/sort-{key}.json" for key in SORT_KEYS),
)
UNITS = "units"  # the part of the unit pages
SENTINEL_URL = "gk-search-words/"  # the document of every part that holds the corpus' pinyin words
PAGE_LENGTH = 0.75  # Pagefind's `pageLength` ranking setting (BM25 b), its default: gk-search.js leaves it
TERM_SATURATION = 1.4  # Pagefind's `termSaturation` (BM25 k1), its default
PART_PAGES = 2000  # at most this many pages per Pagefind run (~1.2 GB peak, BENCHMARKS.md "Search")
# The index's language. Not "zh": the text is cut into pairs already (search.py); for "zh"
# Pagefind would run jieba over them again. The search page asks for this index.
LANGUAGE = "und"
# Postings per index file (Pagefind's unstable setting; its default is 20,000). Smaller files mean
# less to fetch for the few pairs of a query, but a longer file list every search loads first;
# measured at 10,000 disclosures (BENCHMARKS.md, Search).
INDEX_CHUNK_SIZE = 4000
# Not published: Pagefind's own UIs (the site has its own) and its web worker (gk-search.js runs
# Pagefind with noWorker); pagefind.js is kept once, at the bundle's top.
DROP_FROM_PART = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
    "pagefind-worker.js",
    LIBRARY,
)
# Files of the one-bundle layout (before parts) that a reused site folder may still hold.
_OLD_LAYOUT = ("fragment", "index", "filter", ENTRY, "pagefind-worker.js")
_PART_NAME = re.compile(r"(?P<group>\d+|[a-z]+)(?:-(?P<n>[1-9][0-9]*))?")


class SearchIndexError(BuildError):
    """Pagefind could not be run or failed; the message is for the person building the site."""


@dataclass(frozen=True)
class BuiltPart:
    name: str
    folder: Path  # the finished bundle, outside the site until installed
    pages: int


# ---- which part a page belongs to ----------------------------------------------


def split_group(group: str, urls: Iterable[str], part_pages: int = PART_PAGES) -> dict[str, list[str]]:
    """The parts of one group (a year or `units`): {part name: its URLs, sorted}.

    Up to `part_pages` pages: one part named after the group. More: k = ⌈n / part_pages⌉
    parts `group-1` … `group-k` of sorted URLs, sizes differing by at most one page.
    """
    if part_pages < 1:
        raise ValueError("part_pages must be at least 1")
    ordered = sorted(set(urls))
    n = len(ordered)
    if n == 0:
        return {}
    if n <= part_pages:
        return {group: ordered}
    k = -(-n // part_pages)
    return {f"{group}-{i + 1}": ordered[i * n // k : (i + 1) * n // k] for i in range(k)}


def part_group(name: str) -> str:
    """'2021-2' → '2021', 'units' → 'units'."""
    m = _PART_NAME.fullmatch(name)
    return m["group"] if m else name


def part_order(names: Iterable[str]) -> list[str]:
    """The order the browser loads parts in: newest year first, then units, then anything else.

    The first part is Pagefind's primary index; merged results of equal score keep this order.
    """

    def key(name: str) -> tuple[int, int, str, int]:
        m = _PART_NAME.fullmatch(name)
        if not m:
            return (3, 0, name, 0)
        n = int(m["n"] or 0)
        if m["group"].isdigit():
            return (0, -int(m["group"]), "", n)
        return (1 if m["group"] == UNITS else 2, 0, m["group"], n)

    return sorted(names, key=key)


# ---- one Pagefind run per part -----------------------------------------------------


def pagefind_binary() -> Path:
    """The Pagefind binary that pip installed (pagefind[extended]); no download at build time."""
    try:
        import pagefind_bin_extended

        return Path(pagefind_bin_extended.get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise SearchIndexError("找不到 Pagefind 程序：请安装 requirements.txt 中的 pagefind[extended]") from exc


def run_pagefind(source: Path, bundle: Path, chunk_size: int = INDEX_CHUNK_SIZE) -> None:
    cmd = [
        str(pagefind_binary()),
        "--site",
        str(source),
        "--output-path",
        str(bundle),
        "--force-language",
        LANGUAGE,
        "--silent",
    ]
    try:
        env = {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(chunk_size)}
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=1800, check=False, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"Pagefind 运行失败：{exc}") from exc
    if run.returncode != 0:
        raise SearchIndexError(f"Pagefind 运行失败（退出码 {run.returncode}）：{(run.stderr or run.stdout)[-2000:]}")


def page_ids(bundle: Path) -> dict[str, str]:
    """{site-relative URL: Pagefind page id} of a bundle, from its fragment files."""
    out: dict[str, str] = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        out[str(fragment["url"]).lstrip("/")] = path.stem
    return out


def sentinel_document(words: Iterable[str]) -> str:
    """The part's document of words (see the module docstring): no title, filters or sort keys."""
    return (
        f'<!doctype html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head>'
        f"<body><main data-pagefind-body><p>{escape(' '.join(words))}</p></main></body></html>"
    )


def index_part(
    name: str,
    source: Path,
    out: Path,
    sorts: Mapping[str, Mapping[str, str]],
    words: Sequence[str] = (),
    chunk_size: int = INDEX_CHUNK_SIZE,
) -> BuiltPart:
    """Index the documents in `source`, and a document of `words`, into the bundle folder `out`.

    `sorts` is {URL: {sort key: value}} of the part's pages; written with the URLs as
    `sort-values.json`, by Pagefind page id, for finish_bundle.
    """
    sentinel = source / SENTINEL_URL / "index.html"
    sentinel.parent.mkdir(parents=True, exist_ok=True)
    sentinel.write_text(sentinel_document(words), encoding="utf-8")
    run_pagefind(source, out, chunk_size)
    stabilize(out)  # filter files in a fixed order: two builds of one commit are byte-identical
    for file in DROP_FROM_PART:
        if file != LIBRARY:
            (out / file).unlink(missing_ok=True)
    ids = page_ids(out)
    missing = sorted(set(sorts) - set(ids))
    if missing:
        raise SearchIndexError(f"搜索索引分片 {name} 缺少 {len(missing)} 个页面（例如 {missing[0]}）")
    values = {
        "sentinel": ids[SENTINEL_URL],
        "urls": {ids[url]: url for url in sorts},
        "values": {
            key: {ids[url]: v[key] for url, v in sorts.items() if key in v}
            for key in {k for v in sorts.values() for k in v}
        },
    }
    (out / SORT_VALUES).write_text(json.dumps(values, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    return BuiltPart(name, out, len(ids) - 1)


def install(site_dir: Path, built: Sequence[BuiltPart], groups: Collection[str], every_year: bool = False) -> None:
    """Put the built parts into the site, replacing the earlier parts of the same groups.

    Part folders of other groups are left alone (another process may have built them);
    with `every_year`, the folders of every year group are replaced too.
    """
    bundle = site_dir / BUNDLE_DIR
    parts = bundle / PARTS_DIR
    parts.mkdir(parents=True, exist_ok=True)
    for old in _OLD_LAYOUT:
        path = bundle / old
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    for stale in [*bundle.glob("pagefind.*.pf_meta"), *bundle.glob("wasm.*.pagefind")]:
        stale.unlink()
    for folder in sorted(parts.iterdir()):
        group = part_group(folder.name)
        if group in groups or (every_year and group.isdigit()):
            if folder.is_dir():
                shutil.rmtree(folder)
            else:
                folder.unlink()
    for part in built:
        library = part.folder / LIBRARY
        if library.is_file():
            (bundle / LIBRARY).unlink(missing_ok=True)  # replaced, not written into (it may be a hard link)
            shutil.move(str(library), str(bundle / LIBRARY))
        shutil.move(str(part.folder), str(parts / part.name))


# ---- what ties the parts together -------------------------------------------------


def present_parts(bundle: Path) -> list[str]:
    """The part folders under `bundle` that hold a Pagefind index, in load order."""
    folder = bundle / PARTS_DIR
    if not folder.is_dir():
        return []
    return part_order(p.name for p in folder.iterdir() if (p / ENTRY).is_file())


def _meta(part: Path) -> list[Any]:
    entry = json.loads((part / ENTRY).read_text(encoding="utf-8"))
    (info,) = entry["languages"].values()  # one language: the index is forced to LANGUAGE
    meta = read(part / f"pagefind.{info['hash']}.pf_meta")
    if not isinstance(meta, list) or len(meta) < 2 or not isinstance(meta[1], list):
        raise SearchIndexError(f"搜索索引分片 {part.name} 的 Pagefind 元数据格式不符")
    return meta


def _number(value: str) -> tuple[int, Decimal, str]:
    """Sort key of a value: numbers by value (as Pagefind sorts them), anything else after, as text."""
    try:
        return (0, Decimal(value), "")
    except InvalidOperation:
        return (1, Decimal(0), value)


def sort_order(entries: Iterable[tuple[str, str, str]]) -> list[list[str]]:
    """(value, URL, page id) → the page ids grouped by equal value, groups in ascending order,
    pages within a group by URL."""
    ranked = sorted(entries, key=lambda e: (_number(e[0]), e[1], e[2]))
    return [[e[2] for e in group] for _, group in itertools.groupby(ranked, key=lambda e: _number(e[0]))]


def _weight(part_average: float, average: float) -> float:
    """A part's indexWeight (module docstring, "Ranks across parts")."""
    k1, b = TERM_SATURATION, PAGE_LENGTH
    return round((1 + k1) / (1 + k1 * (1 - b + b * part_average / max(average, 1))), 4)


def _common_prefix(ids: Iterable[str]) -> str:
    prefix = f"{LANGUAGE}_"
    return prefix if all(i.startswith(prefix) for i in ids) else ""


def finish_bundle(site_dir: Path, merge: bool = True, store: Store | None = None) -> None:
    """Write the part list and the global sort orders (FINISH_FILES) for the parts on disk, and
    (with `merge`) the parts merged into one index, which the search page then loads alone
    (`merged.write_merged`; with `store`, the persistent build cache, not merged again).

    Reads only the part folders (no corpus), so it also finishes a site merged from parts
    that separate processes built. Deterministic: the same parts give the same files.
    """
    bundle = site_dir / BUNDLE_DIR
    bundle.mkdir(parents=True, exist_ok=True)
    names = present_parts(bundle)
    tag = hashlib.sha256()
    pages = 0
    skip: set[str] = set()
    sentinels: list[str] = []
    lengths: dict[str, tuple[int, int, int]] = {}  # part: (words of all its documents, documents, words of pages)
    entries: dict[str, list[tuple[str, str, str]]] = {key: [] for key in SORT_KEYS}
    for name in names:
        part = bundle / PARTS_DIR / name
        tag.update(name.encode() + b"\0" + (part / ENTRY).read_bytes() + b"\0")
        counts = {page[0]: page[1] for page in _meta(part)[1]}
        ids = set(counts)
        try:
            stored = json.loads((part / SORT_VALUES).read_text(encoding="utf-8"))
            urls, values, sentinel = stored["urls"], stored["values"], stored["sentinel"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SearchIndexError(f"搜索索引分片 {name} 缺少排序数据（{SORT_VALUES}）：{exc}") from exc
        pages += len(urls)
        skip.add(sentinel)
        sentinels.append(sentinel)
        lengths[name] = (sum(counts.values()), len(counts), sum(counts[i] for i in urls))
        if set(urls) | {sentinel} != ids:
            raise SearchIndexError(f"搜索索引分片 {name} 的排序数据与索引不符（{SORT_VALUES}）")
        for key in SORT_KEYS:
            for page_id, value in values.get(key, {}).items():
                entries[key].append((value, urls[page_id], page_id))
    average = sum(v[2] for v in lengths.values()) / max(pages, 1)
    weights = {name: _weight(words / docs, average) for name, (words, docs, _) in lengths.items()}
    listing: dict[str, Any] = {
        "tag": tag.hexdigest()[:16],
        "pages": pages,
        "parts": names,
        "skip": sorted(skip),
        "weights": weights,
    }
    folders = [bundle / PARTS_DIR / name for name in names] if merge else []
    merged = write_merged(bundle, folders, sentinels, str(listing["tag"]), store)
    rename: Mapping[str, str] = {}
    if merged is not None:  # the search page loads the merged index: its page names
        listing["merged"], rename, listing["skip"] = merged[0], merged[1].names, list(merged[1].skip)
        listing["offsets"] = list(merged[1].offsets)  # where each part's pages begin: its rank weight
    _write_json(bundle / PARTS_FILE, listing)
    for key in SORT_KEYS:
        groups = sort_order(entries[key])
        if rename:
            groups = [[rename[i] for i in g] for g in groups]
        prefix = _common_prefix(i for g in groups for i in g)
        order_text = ",".join(" ".join(i[len(prefix) :] for i in g) for g in groups)
        _write_json(bundle / f"sort-{key}.json", {"key": key, "prefix": prefix, "order": order_text})
    log.info("搜索索引：%d 个分片，%d 个页面", len(names), pages)


def is_finish_file(rel: str) -> bool:
    """Whether a site-relative path is one finish_bundle writes (the merge of sites writes it anew)."""
    return rel in FINISH_FILES or rel.startswith(f"{BUNDLE_DIR}/{MERGED_DIR}-")


def _write_json(path: Path, value: object) -> None:
    """Write by replacing the file, never in place: a merged site may hard-link its files to the parts'."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    tmp.replace(path)
