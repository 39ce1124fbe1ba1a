"""The index parts merged on disk into one Pagefind index, which is what the search page loads.

Why. Merged in the browser (Pagefind's `mergeIndex`), every part costs a first query its
own entry file, its own file list (`pf_meta`) and one index file per query word, so at
10,000 disclosures (9 parts) a first query fetched 34–96 files. One index costs one entry
file, one file list and one index file per word, whatever the number of parts.

How. The parts stay as they are (one Pagefind run each, so the memory of indexing stays
bounded: parts.py); `merge_parts` reads their files and writes one bundle:

- pages: every part's pages in part order (the document of words once per part, as in the
  parts: the search page leaves it out), each renamed to its place in that order written in
  base 36 (`0` … `80f`): Pagefind's file list holds every page's name, and these names are
  less than half the bytes of Pagefind's hashes (BENCHMARKS.md, Search). Index and filter
  files are numbered the same way. The names are not content hashes, so the merged bundle
  lives in a folder named after the parts' tag (parts.py, `merged-<tag>`): a browser cache
  never mixes two builds;
- words: the parts' index files are sorted by word, so they are merged word by word (a
  k-way merge that holds one index file per part at a time: memory stays that of a few
  files, not of the index); a word's pages are the parts' pages in part order, page
  numbers (Pagefind writes each as the difference from the one before) shifted to the
  merged list, the rest copied byte for byte; words are cut into index files of at most
  `chunk_bytes` (a larger word alone), so a query word loads one file of its own size;
- filters: per filter value the parts' pages, shifted the same way;
- fragments (what a result shows) written anew under the new names with one character per
  pair and without the match-only meta fields (`slim_fragment`: about 30% fewer bytes per
  result shown), the documents of words as links; the first part's WebAssembly.

The search page gives the merged index's results the parts' rank weights (parts.json
`weights`, by the page numbers in `offsets`; parts.py "Ranks across parts"): Pagefind scores
a match in a meta field (pinyin) alike whatever the page's length, so without them the
short unit pages would rank below the disclosures for a pinyin query.

Pagefind's files are gzip(b"pagefind_dcd" + CBOR); cbor2 (its C decoder) reads and writes
them. The layout is checked as it is read (`MergeUnsupported`): an index of another layout
(another Pagefind version) is not merged, and the search page then merges the parts itself.
Deterministic: the same parts give byte-identical files.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import heapq
import io
import itertools
import json
import logging
import os
import pickle
import re
import shutil
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

import cbor2

from generator.search.han import HAN_CLASS
from generator.search.stable import ENTRY, SIGNATURE
from generator.store import Store, pack_folder, unpack_folder

log = logging.getLogger(__name__)

WASM = "wasm.unknown.pagefind"
MERGED_DIR = "merged"  # the merged bundle's folder under the search bundle: `merged-<tag>`
# Bytes (CBOR, before gzip) per index file: a query word loads one file; more, smaller files
# make the file list every search loads longer (BENCHMARKS.md, Search).
CHUNK_BYTES = 40_000
# Meta fields of the documents (search/index.py `document`) that only make a page match: the
# name's pairs and the pinyin. A result shows `d`.
FRAGMENT_UNSHOWN = ("title", "py", "pyx")
# The second character of a word of two Han characters (replaced by nothing: a literal replacement
# runs in C, a group reference calls Python for every match).
_PAIR_SECOND = re.compile(f"(?<=(?<!\\S)[{HAN_CLASS}])[{HAN_CLASS}](?!\\S)")


class MergeUnsupported(ValueError):
    """A part's files are not in the layout this merge knows (Pagefind 1.5's)."""


@dataclass(frozen=True)
class Part:
    folder: Path
    skip: str  # the Pagefind id of the part's document of words (the same in every part)


@dataclass(frozen=True)
class MergedIndex:
    names: dict[str, str]  # Pagefind page id in its part → name in the merged index (the document of words: its last)
    skip: tuple[str, ...]  # the names of the parts' documents of words
    offsets: tuple[int, ...]  # each part's first page number in the merged index
    index_files: int
    bytes: int  # of the files written (fragments are links and not counted)


# One word of one part, as its bytes: enough to splice it into the merged index unchanged:
# (word, pages, the first page's number in the part (Pagefind: the difference from 0), the first
# page's positions and every further page as Pagefind wrote them, the last page's number).
_PartWord = tuple[str, int, int, bytes, int]
# The same with the part's place in the merge after the word. Tuples: they sort by word, then part.
_Word = tuple[str, int, int, int, bytes, int]


@dataclass(frozen=True)
class _Prepared:
    """What the merge takes from one part that depends on that part alone (`_prepare`)."""

    words: list[_PartWord]  # in word order
    fragments: dict[str, bytes]  # page id → its slim fragment (`slim_fragment`), pages shown only


def _load(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise MergeUnsupported(f"{path.name}: no Pagefind signature")
    return cbor2.loads(data[len(SIGNATURE) :])


def _name(lang: str, digits: int, data: bytes) -> str:
    return f"{lang}_{hashlib.sha256(data).hexdigest()[:digits]}"


def _dump(folder: Path, lang: str, digits: int, suffix: str, value: Any) -> tuple[str, int]:
    """Write `value` as a Pagefind file named after its content: (hash name, bytes written)."""
    data = SIGNATURE + cbor2.dumps(value)
    name = _name(lang, digits, data)
    packed = gzip.compress(data, 6, mtime=0)
    (folder / f"{name}{suffix}").write_bytes(packed)
    return name, len(packed)


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise MergeUnsupported(f"unexpected Pagefind layout: {what}")


def _head(data: bytes, i: int) -> tuple[int, int, int]:
    """A CBOR item's head at `i`: (major type, value, where what follows begins)."""
    major, info = data[i] >> 5, data[i] & 31
    if info < 24:
        return major, info, i + 1
    _expect(info <= 27, "CBOR head")
    size = 1 << (info - 24)
    return major, int.from_bytes(data[i + 1 : i + 1 + size], "big"), i + 1 + size


def _encode_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise MergeUnsupported("integer too large")


def _meta(folder: Path) -> tuple[dict[str, Any], str, list[Any]]:
    entry = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
    _expect(len(entry.get("languages", {})) == 1, "one language")
    ((lang, info),) = entry["languages"].items()
    meta = _load(folder / f"pagefind.{info['hash']}.pf_meta")
    _expect(isinstance(meta, list) and len(meta) == 6, "meta fields")
    version, pages, chunks, filters, sorts, fields = meta
    _expect(isinstance(version, str) and isinstance(pages, list) and isinstance(chunks, list), "meta")
    _expect(all(isinstance(p, list) and len(p) == 2 for p in pages), "pages")
    _expect(all(isinstance(c, list) and len(c) == 3 for c in chunks), "index chunks")
    _expect(isinstance(filters, list) and sorts == [] and isinstance(fields, list), "filters, sorts")
    return entry, lang, meta


def _words(folder: Path, chunks: list[Any]) -> Iterator[_PartWord]:
    """The words of one part in word order, one index file at a time.

    An index file is [[word, ...]], a word [text, [page, ...], []], a page [number, positions,
    meta positions], each number the difference from the page before. Each word is decoded
    (cbor2, in C) only to find where it ends and its last page; its bytes are kept as they are.
    """
    for _from, _to, name in chunks:
        raw = gzip.decompress((folder / "index" / f"{name}.pf_index").read_bytes())
        _expect(raw.startswith(SIGNATURE), "index signature")
        data = raw[len(SIGNATURE) :]
        major, one, i = _head(data, 0)
        _expect(major == 4 and one == 1, "index file")
        major, count, i = _head(data, i)
        _expect(major == 4, "index words")
        stream = io.BytesIO(data)
        decoder = cbor2.CBORDecoder(stream)
        for _ in range(count):
            stream.seek(i)
            word = decoder.decode()
            end = stream.tell()
            _expect(isinstance(word, list) and len(word) == 3 and word[2] == [] and data[end - 1] == 0x80, "word")
            major, three, j = _head(data, i)
            _expect(major == 4 and three == 3, "word entry")
            major, size, j = _head(data, j)
            _expect(major == 3, "word text")
            major, pages, j = _head(data, j + size)
            _expect(major == 4 and pages == len(word[1]) > 0, "word pages")
            major, three, j = _head(data, j)
            _expect(major == 4 and three == 3, "page entry")
            major, first, j = _head(data, j)
            _expect(major == 0, "page number")
            last = sum(map(itemgetter(0), word[1]))
            yield word[0], pages, first, data[j : end - 1], last
            i = end


def _ranked(words: list[_PartWord], rank: int) -> Iterator[_Word]:
    for word, pages, first, rest, last in words:
        yield word, rank, pages, first, rest, last


def _prepare(part: Part, meta: list[Any], store: Store | None) -> _Prepared:
    """A part's words and slim fragments: decoded and slimmed once, then kept in the store.

    Keyed by the part's entry file, which names its file list by a hash of its content, and
    the file list names every index, filter and fragment file by a hash of theirs: a part
    with the same entry file is the same part. A one-edit build changes one part; the others
    are read back from the store instead of decoded again (the decoding is most of a merge)."""
    key = store.key_of("merged-part", (part.folder / ENTRY).read_bytes(), part.skip) if store is not None else ""
    body = store.get(key) if store is not None else None
    if body is not None:
        with contextlib.suppress(pickle.UnpicklingError, ValueError, TypeError, EOFError):
            found = pickle.loads(body)
            if isinstance(found, _Prepared):
                return found
    fragments = {
        page_id: slim_fragment((part.folder / "fragment" / f"{page_id}.pf_fragment").read_bytes())
        for page_id, _count in meta[1]
        if page_id != part.skip
    }
    prepared = _Prepared(list(_words(part.folder, meta[2])), fragments)
    if store is not None:
        store.put(key, pickle.dumps(prepared, protocol=pickle.HIGHEST_PROTOCOL))
    return prepared


def _spliced(word: str, parts: list[_Word], offsets: Sequence[int]) -> bytes:
    """One merged word: the parts' pages in part order, numbers shifted by each part's offset."""
    text = word.encode("utf-8")
    out = [b"\x83", _encode_head(3, len(text)), text, _encode_head(4, sum(p[2] for p in parts))]
    before = 0
    for _word, rank, _pages, first, rest, last in parts:
        out += [b"\x83", _encode_head(0, offsets[rank] + first - before), rest]
        before = offsets[rank] + last
    out.append(b"\x80")
    return b"".join(out)


def slim_fragment(packed: bytes) -> bytes:
    """A page's fragment (what a result shows) with one character for each character pair.

    The fragment's text is the indexed text, Chinese as overlapping pairs ('信访 访处 处突 突',
    search/index.py `grams`); each pair is written as its first character ('信 访 处 突'), so
    the words keep their places (Pagefind marks the words at the query's places) at about
    half the bytes; the search page reads it back (gk-search-query.js `excerptHtml`). The
    meta fields that are there only to be matched (FRAGMENT_UNSHOWN) are left out.
    """
    data = gzip.decompress(packed)
    _expect(data.startswith(SIGNATURE), "fragment signature")
    fragment = json.loads(data[len(SIGNATURE) :])
    _expect(isinstance(fragment, dict) and isinstance(fragment.get("content"), str), "fragment")
    fragment["content"] = _single(fragment["content"])
    meta = fragment.get("meta")
    if isinstance(meta, dict):
        fragment["meta"] = {k: v for k, v in meta.items() if k not in FRAGMENT_UNSHOWN}
    text = json.dumps(fragment, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(SIGNATURE + text.encode("utf-8"), 6, mtime=0)


def _single(text: str) -> str:
    """Each word of two Han characters (a pair) as its first character; the rest as it is.

    A word is what Pagefind splits on whitespace: a pair stands between whitespace (or the
    text's ends) on both sides."""
    return _PAIR_SECOND.sub("", text)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = digits[n % 36]
    while n >= 36:
        n //= 36
        out = digits[n % 36] + out
    return out


def _link(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def merge_parts(parts: Sequence[Part], out: Path, chunk_bytes: int, store: Store | None = None) -> MergedIndex:
    """Write the one Pagefind bundle of `parts` (in this order) into the new folder `out`.

    Index files are cut after about `chunk_bytes` bytes of CBOR (before gzip). With `store`
    (the persistent build cache), each part's words and fragments are taken from it when
    that part was merged before (`_prepare`).
    """
    if not parts:
        raise ValueError("no parts to merge")
    metas = [_meta(p.folder) for p in parts]
    entry, lang, first_meta = metas[0]
    _expect(all(m[1] == lang and m[2][0] == first_meta[0] and m[2][5] == first_meta[5] for m in metas), "same kind")
    pages: list[list[Any]] = []
    offsets: list[int] = []
    sources: list[Path | bytes] = []  # each merged page's fragment: the part's file (not shown) or its slim bytes
    names: dict[str, str] = {}
    skip: list[str] = []
    prepared = [_prepare(part, meta, store) for part, (_entry, _lang, meta) in zip(parts, metas, strict=True)]
    for part, (_entry, _lang, meta), ready in zip(parts, metas, prepared, strict=True):
        offsets.append(len(pages))
        for page_id, count in meta[1]:
            name = _base36(len(pages))
            if page_id == part.skip:
                skip.append(name)
                sources.append(part.folder / "fragment" / f"{page_id}.pf_fragment")  # never shown: linked
            else:
                _expect(page_id not in names, "page ids unique across parts")
                sources.append(ready.fragments[page_id])
            names[page_id] = name
            pages.append([name, count])

    out.mkdir(parents=True)
    for sub in ("index", "filter", "fragment"):
        (out / sub).mkdir()
    written = 0

    # Words: a k-way merge of the parts' sorted word streams (Python orders str by code point,
    # as Rust orders UTF-8 bytes); equal words come together, in part order.
    streams = [_ranked(ready.words, rank) for rank, ready in enumerate(prepared)]
    chunks: list[list[str]] = []
    batch: list[bytes] = []
    words: list[str] = []
    size = 0

    # gzip (level 6, as Pagefind) is most of a merge's time once the parts are prepared; zlib lets
    # go of the GIL while it compresses, so the index files are compressed on every core.
    pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 1)
    packing: list[tuple[Path, Future[bytes]]] = []

    def flush() -> None:
        nonlocal batch, words, size
        if batch:
            data = SIGNATURE + b"\x81" + _encode_head(4, len(batch)) + b"".join(batch)
            name = _base36(len(chunks))
            packing.append((out / "index" / f"{name}.pf_index", pool.submit(gzip.compress, data, 6, mtime=0)))
            chunks.append([words[0], words[-1], name])
            batch, words, size = [], [], 0

    with pool:
        for word, group in itertools.groupby(heapq.merge(*streams), key=itemgetter(0)):
            spliced = _spliced(word, list(group), offsets)
            if batch and size + len(spliced) > chunk_bytes:
                flush()
            batch.append(spliced)
            words.append(word)
            size += len(spliced)
        flush()
        for path, future in packing:
            packed = future.result()
            path.write_bytes(packed)
            written += len(packed)

    # Filters: {name: {value: pages}}, written in name and value order (page numbers as they are).
    values: dict[str, dict[str, list[int]]] = {}
    for part, (_entry, _lang, meta), offset in zip(parts, metas, offsets, strict=True):
        for name, file_hash in meta[3]:
            content = _load(part.folder / "filter" / f"{file_hash}.pf_filter")
            _expect(isinstance(content, list) and len(content) == 2 and content[0] == name, "filter file")
            into = values.setdefault(name, {})
            for value, numbers in content[1]:
                into.setdefault(value, []).extend(offset + n for n in numbers)
    filters: list[list[str]] = []
    for name in sorted(values):
        listed = [[v, sorted(values[name][v])] for v in sorted(values[name])]
        data = SIGNATURE + cbor2.dumps([name, listed])
        packed = gzip.compress(data, 6, mtime=0)
        (out / "filter" / f"{_base36(len(filters))}.pf_filter").write_bytes(packed)
        filters.append([name, _base36(len(filters))])
        written += len(packed)

    meta = [first_meta[0], pages, chunks, filters, [], first_meta[5]]
    meta_hash, n = _dump(out, f"pagefind.{lang}", 11, ".pf_meta", meta)
    written += n
    meta_hash = meta_hash.removeprefix("pagefind.")

    for (name, _count), source in zip(pages, sources, strict=True):
        target = out / "fragment" / f"{name}.pf_fragment"
        if isinstance(source, Path):
            _link(source, target)  # never shown
        else:
            target.write_bytes(source)
    shutil.copy2(parts[0].folder / WASM, out / WASM)
    info = dict(entry["languages"][lang], hash=meta_hash, page_count=len(pages))
    new_entry = dict(entry, languages={lang: info})
    (out / ENTRY).write_text(json.dumps(new_entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return MergedIndex(names, tuple(skip), tuple(offsets), len(chunks), written)


def write_merged(
    bundle: Path, folders: Sequence[Path], sentinels: Sequence[str], tag: str, store: Store | None = None
) -> tuple[str, MergedIndex] | None:
    """The part bundles `folders` merged into `bundle/merged-<tag>` (any earlier merged folder
    removed): (its name, what merge_parts tells); None if there are no parts or they cannot be
    merged (the search page then loads the parts). With `store`, a merge of the very same
    parts (their entry files, see `_prepare`) is taken from it whole."""
    for old in bundle.glob(f"{MERGED_DIR}-*"):
        shutil.rmtree(old)
    if not folders:
        return None
    name = f"{MERGED_DIR}-{tag}"
    parts = [Part(f, s) for f, s in zip(folders, sentinels, strict=True)]
    key = None
    if store is not None:
        key = store.key_of(
            "merged-index",
            name,
            str(CHUNK_BYTES),
            *(p.skip + "\0" for p in parts),
            *((p.folder / ENTRY).read_bytes() for p in parts),
        )
        found = _stored_merge(store.get(key), bundle / name)
        if found is not None:
            return name, found
    try:
        merged = merge_parts(parts, bundle / name, CHUNK_BYTES, store)
    except (MergeUnsupported, OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        log.warning("搜索索引未能合并为一个（搜索页将逐个加载分片）：%s", exc)
        shutil.rmtree(bundle / name, ignore_errors=True)
        return None
    if store is not None and key is not None:
        store.put(key, pickle.dumps((merged, pack_folder(bundle / name)), protocol=pickle.HIGHEST_PROTOCOL))
    return name, merged


def _stored_merge(body: bytes | None, out: Path) -> MergedIndex | None:
    """A stored merge written out at `out`: what merge_parts told of it, or None (not stored, or not one)."""
    if body is None:
        return None
    try:
        merged, packed = pickle.loads(body)
    except (pickle.UnpicklingError, ValueError, TypeError, EOFError):
        return None
    if not isinstance(merged, MergedIndex) or not isinstance(packed, bytes) or not unpack_folder(packed, out):
        return None
    return merged
