"""Stage 5: put generated files on disk, touching only what changed.

A file is rewritten only when its bytes differ, so MkDocs' file-modification checks
(`serve --dirty`, live reload) see real changes only; files that are no longer generated
are deleted, and folders left empty are removed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStats:
    written: int
    unchanged: int
    deleted: int

    def __str__(self) -> str:
        return f"写入 {self.written} 个文件，未变 {self.unchanged} 个，删除 {self.deleted} 个"


def _same(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except FileNotFoundError:
        return False


def sync_tree(files: Mapping[str, bytes], out_dir: Path) -> SyncStats:
    """Make `out_dir` hold exactly `files` ({'/'-separated relative path: bytes})."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = unchanged = 0
    for rel, data in files.items():
        path = out_dir / rel
        if _same(path, data):
            unchanged += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        written += 1

    wanted = {out_dir.joinpath(rel) for rel in files}
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
    stats = SyncStats(written, unchanged, deleted)
    log.debug("%s: %s", out_dir, stats)
    return stats
