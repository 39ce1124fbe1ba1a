"""Each file followed through the history: which versions it had, and what each one changed.

`plan` reads only the log: it follows every file across renames and moves (a track per
file) and notes, per commit, which files changed for the URL replay. `follow` then reads
each track's versions in order (one `git cat-file` for all of them) and compares each one
with the one before (changes.py) — a track needs nothing from any other, so the tracks can
be shared between processes (walk.py) and the result is the same however they are shared.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from generator.corpus import fields as F
from generator.corpus.model import Kind
from generator.corpus.validate import SITE_FILE, UNITS_DIR, YAML_SUFFIXES
from generator.history.changes import Changes, compare, read, spec_of
from generator.history.git import BlobReader, Commit
from generator.history.replay import DisclosureInfo, UnitInfo
from generator.history.sections import Version

_UNIT_KEYS = {f.key: f for f in F.UNIT.children if f.key in ("名称", "别名", "地区", "网址")}
_DISCLOSURE_KEYS = {f.key: f for f in F.COMMON if f.key in ("类型", "单位", "年度", "网址")}
_PROJECT = F.Field("项目名称", F.TEXT, "项目名称")
_INFO_KEYS = {**_DISCLOSURE_KEYS, "项目名称": _PROJECT}

Info = UnitInfo | DisclosureInfo | None  # what a version's URL depends on (None: it has no page)


class Step(NamedTuple):
    """One version of a followed file."""

    commit: int  # index of the commit
    path: str  # the file's path at that commit
    blob: str
    renamed_from: str | None


class Plan(NamedTuple):
    tracks: list[list[Step]]  # per followed file, its versions oldest first
    changed: list[list[tuple[str, tuple[int, int] | None]]]  # per commit: (path, (track, version) or None: gone)


def is_content(path: str) -> bool:
    """The files the check reads: YAML, not site.yml, not in a hidden folder."""
    if not path.endswith(YAML_SUFFIXES) or path == SITE_FILE:
        return False
    return not any(part.startswith(".") for part in path.split("/"))


def plan(commits: Sequence[Commit]) -> Plan:
    """Follow the files through the commits' changes, without reading them."""
    live: dict[str, int] = {}
    tracks: list[list[Step]] = []
    changed: list[list[tuple[str, tuple[int, int] | None]]] = []
    for index, commit in enumerate(commits):
        here: list[tuple[str, tuple[int, int] | None]] = []
        for ch in commit.changes:
            old = ch.old_path if ch.status == "R" and ch.old_path and is_content(ch.old_path) else None
            if ch.status == "D" or not is_content(ch.path):  # deleted, or moved out of the content
                gone = ch.path if ch.status == "D" else old
                if gone is not None and live.pop(gone, None) is not None:
                    here.append((gone, None))
                continue
            track = live.pop(old, None) if old is not None else live.get(ch.path)
            if track is None or ch.status == "A":
                track = len(tracks)  # a new file (one added where another was deleted is another file)
                tracks.append([])
            if old is not None:
                here.append((old, None))
            live[ch.path] = track
            tracks[track].append(Step(index, ch.path, ch.blob, old))
            here.append((ch.path, (track, len(tracks[track]) - 1)))
        changed.append(here)
    return Plan(tracks, changed)


def follow(content: Path, tracks: Sequence[Sequence[Step]]) -> list[list[tuple[Info, Changes]]]:
    """Per track, per version: what its URL depends on, and what it changed from the version before."""
    blobs = BlobReader(content).read(step.blob for steps in tracks for step in steps)
    try:
        return [_track(steps, blobs) for steps in tracks]
    finally:
        blobs.close()  # ends `git cat-file` even when a version could not be read


def _track(steps: Sequence[Step], blobs: Iterator[bytes]) -> list[tuple[Info, Changes]]:
    out: list[tuple[Info, Changes]] = []
    previous: Version | None = None
    info: Info = None
    for step in steps:
        version = Version(next(blobs), step.path, previous)
        info = _info(step.path, version, previous, info)
        kind = info.kind if isinstance(info, DisclosureInfo) else None
        changes = compare(previous, version, spec_of(step.path, kind)) if previous is not None else Changes()
        out.append((info, changes))
        previous = version
    return out


def _info(path: str, version: Version, previous: Version | None, was: Any) -> Info:
    """What the file's URL depends on (names, year, pin), read again only from sections that changed."""
    unit = path.startswith(UNITS_DIR + "/")
    keys = _UNIT_KEYS if unit else _INFO_KEYS
    if previous is not None and was is not None and all(previous.same(version, k) for k in keys):
        return was  # type: ignore[no-any-return]
    v = {key: read(version, f) for key, f in keys.items()}
    if unit:
        if not v["名称"] or not v["地区"]:
            return None
        return UnitInfo(v["名称"], tuple(v["别名"] or ()), tuple(v["地区"]), v["网址"] or None)
    if not isinstance(v["类型"], Kind) or not v["单位"] or v["年度"] is None:
        return None
    project = v["项目名称"] or None
    if kind_needs_name(v["类型"]) and project is None:
        return None
    return DisclosureInfo(v["类型"], v["单位"], v["年度"], project, v["网址"] or None)


def kind_needs_name(kind: Kind) -> bool:
    return kind is not Kind.SELF_EVALUATION
