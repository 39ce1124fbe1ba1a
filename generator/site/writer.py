"""Stage 5: put generated files on disk, touching only what changed.

A file is rewritten only when its bytes differ, so MkDocs' file-modification checks
(`serve --dirty`, live reload) see real changes only; files that are no longer generated
are deleted, and folders left empty are removed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStats:
    written: int
    unchanged: int
    deleted: int

    def __str__(self) -> str:
        return f"写入 {self.written} 个文件，未变 {self.unchanged} 个，删除 {self.deleted} 个"


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


@dataclass
class WriteCache:
    """What a run last wrote into each folder: a file equal to it is not read back from disk, and
    the folder is not walked for stale files. The generated folder belongs to the generator; an
    edit made there by hand is seen by the next run (a fresh WriteCache), not by this one."""

    written: dict[Path, dict[str, bytes]] = field(default_factory=dict)


def sync_tree(files: Mapping[str, bytes], out_dir: Path, cache: WriteCache | None = None) -> SyncStats:
    """Make `out_dir` hold exactly `files` ({'/'-separated relative path: bytes}); `cache`: see WriteCache."""
    cache = cache if cache is not None else WriteCache()
    out_dir.mkdir(parents=True, exist_ok=True)
    key = out_dir.resolve()
    last = cache.written.pop(key, None)
    written = unchanged = 0
    folders: set[str] = set()
    root = str(out_dir)
    for rel, data in files.items():
        before = last.get(rel) if last is not None else None
        if before is not None and (before is data or before == data):
            unchanged += 1
            continue
        path = os.path.join(root, rel)
        try:
            size: int | None = os.stat(path).st_size
        except FileNotFoundError:
            size = None
        if before is None and size == len(data) and _read(path) == data:
            unchanged += 1
            continue
        folder = os.path.dirname(path)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if size is None:  # a new file: nothing can see it half-written but this run
            _write(path, data)
        else:  # replaced, never changed in place: the site may hold a hard link to the old file
            tmp = os.path.join(folder, f".{os.path.basename(path)}.tmp")
            _write(tmp, data)
            os.replace(tmp, path)
        written += 1

    if last is not None:
        deleted = _delete(out_dir, [rel for rel in last if rel not in files])
    else:
        deleted = _delete_unwanted(out_dir, {out_dir.joinpath(rel) for rel in files})
    cache.written[key] = dict(files)
    stats = SyncStats(written, unchanged, deleted)
    log.debug("%s: %s", out_dir, stats)
    return stats


def _delete(out_dir: Path, gone: list[str]) -> int:
    """Delete the files no longer generated, and the folders they leave empty."""
    for rel in gone:
        path = out_dir / rel
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == out_dir or not parent.is_dir() or any(parent.iterdir()):
                break
            parent.rmdir()
    return len(gone)


def _delete_unwanted(out_dir: Path, wanted: set[Path]) -> int:
    """Walk `out_dir`: delete every file not in `wanted`, and empty folders."""
    deleted = 0
    for dirpath, dirnames, filenames in os.walk(out_dir, topdown=False):
        here = Path(dirpath)
        for name in filenames:
            path = here / name
            if path not in wanted:
                path.unlink()
                deleted += 1
        for name in dirnames:
            sub = here / name
            if sub.is_dir() and not any(sub.iterdir()):
                sub.rmdir()
    return deleted
