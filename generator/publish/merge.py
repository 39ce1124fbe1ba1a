"""`gongkai merge`: the built parts of a site → one site (docs/architecture.md, "A site in parts").

The parts' outputs are disjoint apart from the theme's files and a few site-wide files. The
merge copies them together and refuses two different files at one path, except the files
that tie the parts together, which it writes anew: the search bundle's part list, sort tables
and the parts merged into one index (`search.parts.finish_bundle`), and the sitemap (union of
the parts' sitemaps).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.corpus.errors import BuildError
from generator.data.feed import SITEMAP_PATH, merge_sitemaps
from generator.search.parts import FINISH_FILES, finish_bundle, is_finish_file
from generator.store import Store


class MergeError(BuildError):
    """The parts cannot be merged (not built parts, or different files at one path)."""


@dataclass(frozen=True)
class MergeStats:
    parts: int
    files: int
    shared: int  # files present in more than one part (identical)


def _files(root: Path) -> dict[str, Path]:
    out = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath, name)
            out[path.relative_to(root).as_posix()] = path
    return out


def _same(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    return a.read_bytes() == b.read_bytes()


def _place(src: Path, dest: Path) -> None:
    """A hard link where the file system allows (a 10,000-disclosure site is ~60,000 files, ~1 GB), else a copy.
    The builders never change a published file in place, so the parts and the site cannot affect each other."""
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)


def _own_folders(parts: Sequence[Path], rewritten: set[str]) -> dict[str, Path]:
    """The folders that only one part has (the outermost such, by site path → that part's folder),
    holding none of the rewritten files: a part's years, the data and source folders."""
    keep = {r.rsplit("/", 1)[0] for r in rewritten if "/" in r}
    keep |= {k.rsplit("/", i)[0] for k in keep for i in range(1, k.count("/") + 1)}
    owners: dict[str, list[Path]] = {}

    def walk(part: Path, folder: Path, rel: str) -> None:
        for entry in os.scandir(folder):
            if entry.is_dir(follow_symlinks=False):
                sub = f"{rel}{entry.name}"
                owners.setdefault(sub, []).append(part)
                walk(part, Path(entry.path), f"{sub}/")

    for part in parts:
        walk(part, part, "")
    own: dict[str, Path] = {}
    for rel, have in sorted(owners.items()):
        parent = rel.rsplit("/", 1)[0] if "/" in rel else ""
        if len(have) == 1 and rel not in keep and not (parent and _under(parent, own)):
            own[rel] = have[0] / rel
    return own


def _under(rel: str, folders: dict[str, Path]) -> bool:
    return any(rel == f or rel.startswith(f"{f}/") for f in folders) if folders else False


def merge(parts: Sequence[Path], out: Path, move: bool = False, store: Store | None = None) -> MergeStats:
    """Copy the built part sites `parts` into the empty folder `out`, then write the files that
    tie them together (the search bundle's part list and sort table, the sitemap, the parts'
    search indexes merged into one — taken from `store`, the build cache, when merged before).

    With `move` (the parts are the caller's own scratch folders, `gongkai build`), a folder that
    only one part has is moved into `out` whole instead of linked file by file."""
    rewritten = {*FINISH_FILES, SITEMAP_PATH, SITEMAP_PATH + ".gz"}
    seen: dict[str, tuple[Path, Path]] = {}  # site path → (the part it was taken from, its file there)
    conflicts: list[str] = []
    shared = 0
    for part in parts:
        if not (part / "404.html").is_file():
            raise MergeError(f"{part}: 不是生成好的网站分片")
    moved = 0
    if move:
        for rel, folder in _own_folders(parts, rewritten).items():
            if is_finish_file(f"{rel}/"):  # a part's own merged search index: written anew below
                continue
            files = sum(len(names) for _d, _s, names in os.walk(folder))
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(folder, target)
            except OSError:  # another file system: linked file by file below
                continue
            moved += files
    for part in parts:
        for rel, path in sorted(_files(part).items()):
            if rel in rewritten or is_finish_file(rel):
                continue
            if rel in seen:
                shared += 1
                first, earlier = seen[rel]
                if not _same(earlier, path):
                    conflicts.append(f"{rel}（{first} 与 {part}）")
                continue
            seen[rel] = (part, path)
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            _place(path, target)
    if conflicts:
        shown = "\n  ".join(conflicts[:20])
        more = f"\n  ……共 {len(conflicts)} 处" if len(conflicts) > 20 else ""
        why = "各分片中同一路径的文件内容不同，无法合并（分片须由同一提交、同一内容生成）"
        raise MergeError(f"{why}：\n  {shown}{more}")
    sitemaps = [p / SITEMAP_PATH for p in parts if (p / SITEMAP_PATH).is_file()]
    if sitemaps:
        merge_sitemaps(sitemaps, out)
    finish_bundle(out, store=store)
    return MergeStats(len(parts), len(seen) + moved, shared)
