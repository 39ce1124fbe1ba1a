"""The walk: the content folder's git history → each file's revisions and every address it had.

One pass over the commits, oldest first (git.py: one `git log`, one `git cat-file`). Each
file is followed across renames and moves; each new version is compared with the one
before (changes.py), and the URL state of the whole content is moved on one commit
(replay.py), so that every address a page had is known with the commit it stopped at.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.corpus import fields as F
from generator.corpus.model import Kind
from generator.corpus.slugs import slugify
from generator.corpus.validate import SITE_FILE, UNITS_DIR, YAML_SUFFIXES
from generator.history.changes import Changes, compare, read, spec_of
from generator.history.git import BlobReader, Commit, HistoryUnavailable, read_log
from generator.history.model import FileHistory, History, PastAddress, Revision
from generator.history.replay import DisclosureInfo, Replay, UnitInfo
from generator.history.sections import Version

log = logging.getLogger(__name__)

_UNIT_KEYS = {f.key: f for f in F.UNIT.children if f.key in ("名称", "别名", "地区", "网址")}
_DISCLOSURE_KEYS = {f.key: f for f in F.COMMON if f.key in ("类型", "单位", "年度", "网址")}
_PROJECT = F.Field("项目名称", F.TEXT, "项目名称")


def is_content(path: str) -> bool:
    """The files the check reads: YAML, not site.yml, not in a hidden folder."""
    if not path.endswith(YAML_SUFFIXES) or path == SITE_FILE:
        return False
    return not any(part.startswith(".") for part in path.split("/"))


@dataclass
class _Track:
    """One file followed through the history."""

    path: str
    revisions: list[Revision] = field(default_factory=list)
    version: Version | None = None
    info: Any = None  # UnitInfo | DisclosureInfo | None, of the last version
    urls: list[tuple[str, int]] = field(default_factory=list)  # (URL, first commit index)


def read_history(content: Path) -> History:
    """The history of `content`, or History.unavailable(reason) — never an exception."""
    start = time.perf_counter()
    try:
        log_ = read_log(content)
        history = _walk(content, log_.prefix, log_.commits)
    except HistoryUnavailable as exc:
        return History.unavailable(str(exc))
    seconds = time.perf_counter() - start
    log.debug("修订记录：%d 个提交，%d 个文件（%.2f 秒）", history.commits, len(history.files), seconds)
    return history


def _walk(content: Path, prefix: str, commits: tuple[Commit, ...]) -> History:
    memo: dict[str, str] = {}

    def slug_of(name: str) -> str:
        slug = memo.get(name)
        if slug is None:
            slug = memo[name] = slugify(name)
        return slug

    replay = Replay(slug_of)
    live: dict[str, _Track] = {}
    blobs = BlobReader(content).read(_wanted(commits))
    try:
        for index, commit in enumerate(commits):
            _commit(commit, index, live, replay, blobs)
    finally:
        blobs.close()  # ends `git cat-file` even when a version could not be read
    files = {path: FileHistory(path, tuple(t.revisions)) for path, t in sorted(live.items()) if t.revisions}
    return History(True, None, prefix, files, _addresses(live, replay), len(commits))


def _commit(commit: Commit, index: int, live: dict[str, _Track], replay: Replay, blobs: Iterator[bytes]) -> None:
    """Follow one commit's file changes, then move the URL state on to it."""
    units: dict[str, UnitInfo | None] = {}
    disclosures: dict[str, DisclosureInfo | None] = {}

    def changed(path: str, info: Any) -> None:
        (units if path.startswith(UNITS_DIR + "/") else disclosures)[path] = info

    for ch in commit.changes:
        old = ch.old_path if ch.status == "R" and ch.old_path and is_content(ch.old_path) else None
        if ch.status == "D" or not is_content(ch.path):  # deleted, or moved out of the content
            gone = ch.path if ch.status == "D" else old
            if gone is not None and live.pop(gone, None) is not None:
                changed(gone, None)
            continue
        track = live.pop(old, None) if old is not None else live.get(ch.path)
        if track is None or ch.status == "A":
            track = _Track(ch.path)  # a new file (one added where another was deleted is another file)
        if old is not None:
            changed(old, None)
        track.path = ch.path
        live[ch.path] = track
        _new_version(track, commit, next(blobs), old)
        changed(ch.path, track.info)
    for path, url in replay.apply(units, disclosures).items():
        track = live.get(path)
        if track is not None and url is not None and (not track.urls or track.urls[-1][0] != url):
            track.urls.append((url, index))


def _wanted(commits: tuple[Commit, ...]) -> Iterator[str]:
    """The blobs `_walk` reads, in the order it reads them."""
    for commit in commits:
        for ch in commit.changes:
            if ch.status != "D" and is_content(ch.path):
                yield ch.blob


def _new_version(track: _Track, commit: Commit, data: bytes, renamed_from: str | None) -> None:
    previous = track.version
    version = Version(data, track.path, previous)
    info = _info(track.path, version, previous, track.info)
    kind = info.kind if isinstance(info, DisclosureInfo) else None
    changes = compare(previous, version, spec_of(track.path, kind)) if previous is not None else Changes()
    first = not track.revisions
    track.revisions.append(Revision(commit.sha, commit.time, track.path, first, renamed_from, changes))
    track.version = version
    track.info = info


def _info(path: str, version: Version, previous: Version | None, was: Any) -> UnitInfo | DisclosureInfo | None:
    """What the file's URL depends on (names, year, pin), read again only from sections that changed."""
    unit = path.startswith(UNITS_DIR + "/")
    keys = _UNIT_KEYS if unit else {**_DISCLOSURE_KEYS, "项目名称": _PROJECT}
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


def _addresses(live: dict[str, _Track], replay: Replay) -> tuple[PastAddress, ...]:
    """Every URL a file that still exists had before its last one, with the commit it stopped at."""
    out: list[PastAddress] = []
    for path, track in sorted(live.items()):
        for (url, _), (_, until) in zip(track.urls, track.urls[1:], strict=False):
            if url != replay.url.get(path):
                out.append(PastAddress(url, path, until))
    return tuple(out)
