"""Make a Pagefind bundle byte-for-byte reproducible.

Pagefind (1.5) writes its page fragments and word index deterministically, but each
filter file lists the filter's values, and the meta file its filters and sort keys, in
Rust HashMap order, which changes from run to run; the file names are hashes of those
bytes (filter files are named in the `pf_meta` file, itself named in
`pagefind-entry.json`). Here those lists are sorted, and the files are renamed after
the SHA-256 of their new bytes; the references are updated to match. What a search returns
is unchanged — only the order of entries inside the files differs.

Pagefind's files are gzip(b"pagefind_dcd" + CBOR). The small CBOR codec below handles
the types Pagefind writes (integers, strings, arrays); anything else, or a bundle whose
layout is not the expected one, leaves the bundle as it is, with a log message.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"


class _Unsupported(ValueError):
    pass


def _decode(data: bytes, i: int) -> tuple[Any, int]:
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value = int.from_bytes(data[i : i + size], "big")
        i += size
    else:
        raise _Unsupported(f"CBOR additional info {info}")
    if major == 0:
        return value, i
    if major == 3:
        return data[i : i + value].decode("utf-8"), i + value
    if major == 4:
        items = []
        for _ in range(value):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    raise _Unsupported(f"CBOR major type {major}")


def _head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | info]) + value.to_bytes(size, "big")
    raise _Unsupported("integer too large")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool) or not isinstance(value, (int, str, list)):
        raise _Unsupported(type(value).__name__)
    if isinstance(value, int):
        if value < 0:
            raise _Unsupported("negative integer")
        return _head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    return _head(4, len(value)) + b"".join(_encode(v) for v in value)


def read(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise _Unsupported(f"{path.name}: no Pagefind signature")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data) or _encode(value) != data[len(SIGNATURE) :]:
        raise _Unsupported(f"{path.name}: does not round-trip")
    return value


def _named(lang: str, digits: int, value: Any) -> tuple[str, bytes]:
    """(hash name, gzipped file bytes) of a Pagefind file holding `value`, named after its content."""
    data = SIGNATURE + _encode(value)
    return f"{lang}_{hashlib.sha256(data).hexdigest()[:digits]}", gzip.compress(data, mtime=0)


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise _Unsupported(f"unexpected Pagefind layout: {what}")


def stabilize(bundle: Path) -> bool:
    """Rewrite the filter and meta files of `bundle` in a canonical order; True if it was done.

    Everything is read and checked first; only then are files written, so an unexpected
    bundle is left exactly as Pagefind wrote it.
    """
    try:
        plan = _plan(bundle)
    except (_Unsupported, OSError, KeyError, IndexError, TypeError, ValueError) as exc:
        log.warning("搜索索引的文件顺序未能固定（两次生成可能略有不同）：%s", exc)
        return False
    entry, writes, removals = plan
    for path, data in writes.items():
        path.write_bytes(data)
    for path in removals - set(writes):
        path.unlink()
    (bundle / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


def _plan(bundle: Path) -> tuple[dict[str, Any], dict[Path, bytes], set[Path]]:
    entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    writes: dict[Path, bytes] = {}
    removals: set[Path] = set()
    for lang, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = read(meta_path)
        _expect(isinstance(meta, list) and len(meta) > 3 and isinstance(meta[3], list), "meta")
        renamed = []
        for pair in meta[3]:  # [[filter name, file hash], ...]
            _expect(isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair), "filters")
            path = bundle / "filter" / f"{pair[1]}.pf_filter"
            content = read(path)
            _expect(isinstance(content, list) and len(content) == 2 and isinstance(content[1], list), "filter")
            name, values = content
            _expect(all(isinstance(v, list) and v and isinstance(v[0], str) for v in values), "filter values")
            values.sort(key=lambda v: v[0])  # [[value, [page numbers]], ...]
            new_hash, data = _named(lang, 7, [name, values])
            writes[bundle / "filter" / f"{new_hash}.pf_filter"] = data
            removals.add(path)
            renamed.append([pair[0], new_hash])
        meta[3] = sorted(renamed)
        if len(meta) > 4:  # sort keys: [[key, [page numbers in sorted order]], ...], also in HashMap order
            _expect(
                isinstance(meta[4], list) and all(isinstance(x, list) and isinstance(x[0], str) for x in meta[4]),
                "sorts",
            )
            meta[4].sort(key=lambda x: x[0])
        new_hash, data = _named(lang, 11, meta)
        writes[bundle / f"pagefind.{new_hash}.pf_meta"] = data
        removals.add(meta_path)
        info["hash"] = new_hash
        log.debug("Pagefind %s：%d 个筛选文件已按值排序", lang, len(renamed))
    return entry, writes, removals
