"""The persistent build cache: a content-addressed folder of bytes, kept between runs.

The bottom layer: it knows nothing of gongkai's data, only keys and bytes. Each stage above
names its entries by everything its output depends on (`key(...)`: a blake2b digest of the
parts, with gongkai's own code fingerprint mixed in), so an entry is either right or never
looked up; nothing is ever invalidated, only pruned.

Layout of the folder (default `.cache/gongkai/`, git-ignored):

    GONGKAI-CACHE          marker: the store's format and the Python it was written by
    objects/ab/cdef…       one entry: 16-byte blake2b of the body, then the zlib-compressed body
    refs/<name>            the key of a named entry (e.g. the last check's results)

Entries are written to a temporary file and renamed (atomic: a killed build leaves no half
entry; two parts writing one key write the same bytes). Every read checks the digest: a
damaged entry is deleted and reported as a miss, never trusted. A folder with another
format's marker (another gongkai) is emptied and started again; a folder that is not a
gongkai cache at all is left alone and not used. `prune` bounds the size: entries used since
the run began are kept, older ones are deleted oldest first beyond `2 × ` what the run used.

Payloads that are pickles (the check's judgements) are as trusted as the checkout: the
folder is the user's own, like `.build/`; a CI cache is restored only from the same repository.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import hashlib
import logging
import os
import shutil
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path, PurePath

log = logging.getLogger(__name__)

FORMAT = "gongkai-cache 1"
MARKER = "GONGKAI-CACHE"
DEFAULT_DIR = ".cache/gongkai"  # relative to mkdocs.yml
DIGEST = 16
MIN_BOUND = 64 << 20  # never prune below this many bytes
PACKAGE = Path(__file__).resolve().parent.parent  # generator/


def code_fingerprint() -> bytes:
    """gongkai's own code and bundled templates/theme: a key part of every entry.

    A cached output is only valid for the code that made it; the version number alone does not
    change while gongkai is developed (or patched in place)."""
    digest = hashlib.blake2b(digest_size=DIGEST)
    digest.update(f"{FORMAT}\0{sys.version}\0".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\1")
    return digest.digest()


def key(*parts: bytes | str) -> str:
    """The name of an entry: a digest of its parts (each length-prefixed, so parts cannot run together)."""
    digest = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


@dataclass
class StoreStats:
    hits: int = 0
    misses: int = 0
    written: int = 0
    corrupt: int = 0


@dataclass
class Store:
    """An open cache folder; `get`/`put` bytes by key. Made by `open_store`."""

    root: Path
    code: bytes  # code_fingerprint(), mixed into every key by `key_of`
    started: float = field(default_factory=time.time)  # entries touched since are this run's
    stats: StoreStats = field(default_factory=StoreStats)

    def key_of(self, *parts: bytes | str) -> str:
        return key(self.code, *parts)

    def _path(self, name: str) -> Path:
        return self.root / "objects" / name[:2] / name[2:]

    def begin(self) -> None:
        """A new run in this process (`mkdocs serve` rebuilds): what it uses from now on is kept by `prune`."""
        self.started = time.time()
        self.stats = StoreStats()

    def get(self, name: str) -> bytes | None:
        path = self._path(name)
        try:
            data = path.read_bytes()
        except OSError:
            self.stats.misses += 1
            return None
        body = _unpack(data)
        if body is None:
            self.stats.corrupt += 1
            self.stats.misses += 1
            log.debug("缓存条目损坏，已删除：%s", path)
            _unlink(path)
            return None
        self.stats.hits += 1
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: `prune` keeps it
        return body

    def put(self, name: str, body: bytes) -> None:
        path = self._path(name)
        data = _pack(body)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(path, data)
        except OSError as exc:  # a full disk or a read-only cache: the build goes on uncached
            log.debug("缓存条目未写入：%s（%s）", path, exc)
            return
        self.stats.written += 1

    def ref(self, name: str) -> str | None:
        """The key a named entry points at, or None."""
        try:
            text = (self.root / "refs" / name).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return text if len(text) == 40 and all(c in "0123456789abcdef" for c in text) else None

    def set_ref(self, name: str, value: str) -> None:
        path = self.root / "refs" / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_atomic(path, value.encode("ascii"))
        except OSError as exc:
            log.debug("缓存引用未写入：%s（%s）", path, exc)

    def size(self) -> int:
        return sum(size for _p, _m, size in _entries(self.root))

    def prune(self, bound: int | None = None) -> int:
        """Delete old entries: everything used since `started` stays; of the rest, the oldest go first
        until the folder holds at most `bound` bytes (default: twice what this run used, at least
        MIN_BOUND). The number of bytes deleted."""
        entries = sorted(_entries(self.root), key=lambda e: e[1], reverse=True)
        used = sum(size for _p, mtime, size in entries if mtime >= self.started - 1)
        limit = bound if bound is not None else max(MIN_BOUND, 2 * used)
        total, freed = 0, 0
        for path, mtime, size in entries:
            total += size
            if total > limit and mtime < self.started - 1:
                _unlink(path)
                freed += size
        return freed


# value_digest's memo: object id → (the object, kept alive so its id is not reused; its digest).
Digests = dict[int, tuple[object, bytes]]


class Unkeyable(TypeError):
    """A value `value_digest` cannot name by its content: whatever was made from it is not stored."""


def value_digest(value: object, memo: Digests) -> bytes:
    """A digest of a value by content: primitives, Decimal, dates, enums, paths, containers and
    dataclasses (by type and fields), equal values giving equal digests in every process.

    `memo` (one run's, by id; it keeps the objects alive so that ids are not reused) makes a model
    object that many pages show cost one walk. Anything else raises Unkeyable."""
    kind = type(value)
    if value is None or kind in (bool, int, float, str, bytes, Decimal):
        return hashlib.blake2b(f"{kind.__name__}:{value!r}".encode(), digest_size=DIGEST).digest()
    hit = memo.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    digest = hashlib.blake2b(f"{kind.__module__}.{kind.__qualname__}".encode(), digest_size=DIGEST)
    if isinstance(value, (str, bytes, date, datetime, enum.Enum, PurePath)):
        digest.update(repr(value).encode())
    elif isinstance(value, (tuple, list)):
        for item in value:
            digest.update(value_digest(item, memo))
    elif isinstance(value, dict):
        for k, v in value.items():
            digest.update(value_digest(k, memo) + value_digest(v, memo))
    elif isinstance(value, (set, frozenset)):
        for part in sorted(value_digest(item, memo) for item in value):
            digest.update(part)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            digest.update(f.name.encode() + value_digest(getattr(value, f.name), memo))
    else:
        raise Unkeyable(kind.__qualname__)
    out = digest.digest()
    memo[id(value)] = (value, out)
    return out


def pack_folder(folder: Path) -> bytes:
    """Every file under `folder` as one body (relative path and bytes, each length-prefixed)."""
    chunks: list[bytes] = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            rel = path.relative_to(folder).as_posix().encode()
            data = path.read_bytes()
            chunks += [len(rel).to_bytes(4, "little"), rel, len(data).to_bytes(8, "little"), data]
    return b"".join(chunks)


def unpack_folder(body: bytes, folder: Path) -> bool:
    """Write a `pack_folder` body out under `folder` (made new); False if the body is not one."""
    files: list[tuple[str, bytes]] = []
    i = 0
    while i < len(body):
        n = int.from_bytes(body[i : i + 4], "little")
        rel = body[i + 4 : i + 4 + n].decode("utf-8", errors="strict")
        i += 4 + n
        size = int.from_bytes(body[i : i + 8], "little")
        data = body[i + 8 : i + 8 + size]
        i += 8 + size
        if i > len(body) or not rel or rel.startswith("/") or ".." in rel.split("/"):
            return False
        files.append((rel, data))
    shutil.rmtree(folder, ignore_errors=True)
    for rel, data in files:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return True


def open_store(root: Path) -> Store | None:
    """The cache folder at `root`, made if missing; emptied if another format wrote it (another
    gongkai). None (no cache this run, said once) when it is not a gongkai cache or cannot be written."""
    marker = root / MARKER
    try:
        if root.is_dir() and any(root.iterdir()):
            try:
                found = marker.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError):
                log.info("%s 不是 gongkai 的缓存文件夹，本次不使用缓存", root)
                return None
            if found != FORMAT:
                log.info("缓存文件夹 %s 由另一版本的 gongkai 写入（%s），已清空重建", root, found)
                for sub in ("objects", "refs"):
                    shutil.rmtree(root / sub, ignore_errors=True)
        root.mkdir(parents=True, exist_ok=True)
        if not marker.is_file() or marker.read_text(encoding="utf-8").strip() != FORMAT:
            _write_atomic(marker, f"{FORMAT}\n".encode())
    except OSError as exc:
        log.info("无法使用缓存文件夹 %s（%s），本次不使用缓存", root, exc)
        return None
    return Store(root, code_fingerprint())


def _pack(body: bytes) -> bytes:
    return hashlib.blake2b(body, digest_size=DIGEST).digest() + zlib.compress(body, 1)


def _unpack(data: bytes) -> bytes | None:
    try:
        body = zlib.decompress(data[DIGEST:])
    except zlib.error:
        return None
    return body if hashlib.blake2b(body, digest_size=DIGEST).digest() == data[:DIGEST] else None


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        _unlink(Path(tmp))
        raise


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _entries(root: Path) -> list[tuple[Path, float, int]]:
    out: list[tuple[Path, float, int]] = []
    objects = root / "objects"
    if not objects.is_dir():
        return out
    for sub in os.scandir(objects):
        if not sub.is_dir():
            continue
        for entry in os.scandir(sub.path):
            try:
                st = entry.stat()
            except OSError:
                continue
            if entry.is_file():
                out.append((Path(entry.path), st.st_mtime, st.st_size))
    return out
