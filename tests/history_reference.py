"""The history walk as first written (generator/history before the speed-up), kept as the reference.

tests/test_history_equivalence.py checks that the optimised walk (generator/history) gives a
History equal to this one on random repositories. Straightforward on purpose: every section
that differs is parsed and converted again on each comparison, and the URLs are replayed for
every file of every commit. Only the git plumbing (git.py) and the value diff of one section
(changes._diff) are shared with the code under test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.corpus import fields as F
from generator.corpus.convert import Reader
from generator.corpus.load import Map, Node, Scalar, Seq, decode, parse
from generator.corpus.model import Kind
from generator.corpus.slugs import slugify
from generator.corpus.urls import PageKey, assign, disclosure_base, disclosure_key, unit_key, unit_names
from generator.corpus.validate import SITE_FILE, UNITS_DIR, YAML_SUFFIXES
from generator.history.changes import _TEXT, Changes, FigureChange, _diff, spec_of
from generator.history.git import BlobReader, Commit, HistoryUnavailable, read_log
from generator.history.model import FileHistory, History, PastAddress, Revision
from generator.history.replay import DisclosureInfo, UnitInfo

# -- sections.py ---------------------------------------------------------------------------------

_TOP_LINE = re.compile(rb"^[^ \t\r\n#].*", re.M)
# A top-level key line: a plain key at column 0, a colon, then a space or the end of the line.
_KEY_LINE = re.compile(rb"([^\s#\-?:,\[\]{}&*!|>'\"%@`][^:\n]*?)[ \t]*:(?:[ \t]|\r?$)")


def split(data: bytes) -> dict[str, bytes] | None:
    """{top-level key: the bytes of its section}, or None when the file is not plainly cut."""
    if data.startswith(b"\xef\xbb\xbf"):
        return None
    blocks: dict[str, bytes] = {}
    key: str | None = None
    start = 0
    for line in _TOP_LINE.finditer(data):  # lines that start at column 0 (not blank, not a comment)
        text = line[0]
        if text.startswith(b"-"):
            if key is None or text.startswith((b"---", b"...")):
                return None  # a document marker, or a list at the top
            continue  # a list item of the open section
        m = _KEY_LINE.match(text)
        if m is None:
            return None
        if key is not None:
            blocks[key] = data[start : line.start()]
        try:
            key = m[1].decode("utf-8")
        except UnicodeDecodeError:
            return None
        if key in blocks:
            return None  # a repeated key: the whole-file parse reports it like the check
        start = line.start()
    if key is None:
        return None
    blocks[key] = data[start:]
    return blocks


class Version:
    """One version's sections: their bytes, and their parsed nodes when asked for."""

    __slots__ = ("_nodes", "blocks", "data", "rel")

    def __init__(self, data: bytes, rel: str) -> None:
        self.data = data
        self.rel = rel
        self.blocks = split(data)
        self._nodes: dict[str, Node] | None = None if self.blocks is not None else self._parse_whole()

    def keys(self) -> list[str]:
        if self.blocks is not None:
            return list(self.blocks)
        return list(self._nodes or {})

    def node(self, key: str) -> Node | None:
        """The section's value as located nodes (None when absent or unreadable)."""
        if self._nodes is not None:
            return self._nodes.get(key)
        assert self.blocks is not None
        block = self.blocks.get(key)
        if block is None:
            return None
        got = _parse(block, self.rel)
        if got is None or list(got) != [key]:  # cut where the YAML is not: judge the file whole
            self.blocks = None
            self._nodes = self._parse_whole()
            return self._nodes.get(key)
        return got[key]

    def same(self, other: Version, key: str) -> bool:
        """Whether a section holds the same values in both versions (formatting and comments aside)."""
        if self.blocks is not None and other.blocks is not None:
            mine, theirs = self.blocks.get(key), other.blocks.get(key)
            if mine == theirs:
                return True
            if mine is None or theirs is None:
                return False
        return bool(plain(self.node(key)) == plain(other.node(key)))

    def _parse_whole(self) -> dict[str, Node]:
        return _parse(self.data, self.rel) or {}


def _parse(data: bytes, rel: str) -> dict[str, Node] | None:
    text, _ = decode(data, rel)
    if text is None:
        return None
    node, _ = parse(text, rel)
    return node.items if isinstance(node, Map) else None


def plain(node: Node | None) -> Any:
    """A node's values without positions: text, lists and dicts."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.text
    if isinstance(node, Seq):
        return [plain(item) for item in node.items]
    return {key: plain(value) for key, value in node.items.items()}


def section(key: str, node: Node) -> Map:
    """A one-key mapping holding `node`, to read one section with the check's converters."""
    return Map({key: node}, {key: (node.line, node.col)}, node.line, node.col)


# -- changes.py (compare) -----------------------------------------------------------------------


def compare(old: Version, new: Version, spec: Sequence[F.Field]) -> Changes:
    """The changes from `old` to `new`, section by section (unchanged sections cost a bytes compare)."""
    fields = {f.key: f for f in spec}
    present = set(new.keys())
    keys = new.keys() + [k for k in old.keys() if k not in present]  # noqa: SIM118 (Version, not a dict)
    figures: list[FigureChange] = []
    sections: list[str] = []
    for key in keys:
        if old.same(new, key):
            continue
        field = fields.get(key)
        before = _read(old, key, field)
        after = _read(new, key, field)
        if field is None:
            sections.append(key)  # an undeclared key (the check reports it): its text changed
            continue
        found = list(_diff(key, field, before, after))
        figures.extend(c for c in found if isinstance(c, FigureChange))
        if any(c is _TEXT for c in found):
            sections.append(key)
    return Changes(tuple(figures), tuple(sections))


def read(version: Version, field: F.Field) -> Any:
    """One section's value, converted as the check converts it (None when absent or invalid)."""
    return _read(version, field.key, field)


def _read(version: Version, key: str, field: F.Field | None) -> Any:
    node = version.node(key)
    if node is None or field is None:
        return None
    return Reader(version.rel).read_map(section(key, node), (field,), "").get(key)


# -- replay.py -----------------------------------------------------------------------------------
class Replay:
    """URL state of one commit of the content; `apply` moves it to the next commit."""

    def __init__(self, slug_of: Callable[[str], str]) -> None:
        self.slug_of = slug_of
        self.units: dict[str, UnitInfo] = {}
        self.disclosures: dict[str, DisclosureInfo] = {}
        self.unit_slug: dict[str, str] = {}
        self.by_name: dict[str, list[str]] = {}  # a name → the unit files it names
        self.by_label: dict[str, set[str]] = {}  # a 单位 as written → the disclosure files that write it
        self.members: dict[str, set[str]] = {}  # a unit file → the disclosures resolved to it
        self.unit_of: dict[str, str] = {}
        self.folder_of: dict[str, str] = {}
        self.folders: dict[str, set[str]] = {}
        self.url: dict[str, str] = {}  # every file with a page → its URL at this commit
        self._was: dict[str, str | None] = {}  # during `apply`: the URL each file had before it

    def apply(
        self, units: dict[str, UnitInfo | None], disclosures: dict[str, DisclosureInfo | None]
    ) -> dict[str, str | None]:
        """Files changed by one commit (None: deleted or without a page) → the URLs that changed."""
        self._was = {}
        todo: set[str] = set()
        if any(self.units.get(p) != info for p, info in units.items()):
            todo |= self._units(units)
        for path, d in disclosures.items():
            old = self.disclosures.pop(path, None)
            if old is not None:
                self.by_label.get(old.label, set()).discard(path)
            if d is not None:
                self.disclosures[path] = d
                self.by_label.setdefault(d.label, set()).add(path)
            todo.add(path)
        self._place(todo)
        return {p: self.url.get(p) for p, was in sorted(self._was.items()) if self.url.get(p) != was}

    def _set_url(self, path: str, url: str | None) -> None:
        self._was.setdefault(path, self.url.get(path))
        if url is None:
            self.url.pop(path, None)
        else:
            self.url[path] = url

    def _units(self, units: dict[str, UnitInfo | None]) -> set[str]:
        """Take the unit changes; the disclosures whose unit or unit slug may have changed."""
        names: set[str] = set()
        for path, info in units.items():
            old = self.units.pop(path, None)
            if old is not None:
                names |= unit_names(old.name, old.aliases, old.region)
            if info is not None:
                self.units[path] = info
                names |= unit_names(info.name, info.aliases, info.region)
        keys = [unit_key(p, u.name, u.region, u.pin, self.slug_of) for p, u in sorted(self.units.items())]
        slugs = assign(keys)
        affected: set[str] = set()
        for path in set(self.unit_slug) | set(slugs):
            if self.unit_slug.get(path) != slugs.get(path):
                affected |= self.members.get(path, set())
                self._set_url(path, f"units/{slugs[path]}/" if path in slugs else None)
        self.unit_slug = slugs
        self.by_name = {}
        for path, u in sorted(self.units.items()):
            for name in unit_names(u.name, u.aliases, u.region):
                self.by_name.setdefault(name, []).append(path)
        for name in names:
            affected |= self.by_label.get(name, set())
        return affected

    def _place(self, paths: set[str]) -> None:
        """Resolve these disclosures again, and number their old and new folders again."""
        folders: set[str] = set()
        for path in paths:
            old_folder = self.folder_of.pop(path, None)
            old_unit = self.unit_of.pop(path, None)
            if old_folder is not None:
                self.folders[old_folder].discard(path)
                folders.add(old_folder)
            if old_unit is not None:
                self.members[old_unit].discard(path)
            d = self.disclosures.get(path)
            found = self.by_name.get(d.label.strip(), []) if d is not None else []
            if d is None or len(found) != 1:
                self._set_url(path, None)  # no page at this commit (deleted, or its 单位 not found)
                continue
            unit = found[0]
            folder = f"{d.year}/{self.unit_slug[unit]}"
            self.unit_of[path] = unit
            self.members.setdefault(unit, set()).add(path)
            self.folder_of[path] = folder
            self.folders.setdefault(folder, set()).add(path)
            folders.add(folder)
        for folder in folders:
            slugs = assign(self._key(path) for path in self.folders.get(folder, set()))
            for path, slug in slugs.items():
                self._set_url(path, f"{folder}/{slug}/")

    def _key(self, path: str) -> PageKey:
        d = self.disclosures[path]
        base = disclosure_base(d.kind, d.project, self.slug_of)
        return disclosure_key(path, d.year, self.unit_slug[self.unit_of[path]], d.kind, base, d.pin)


# -- walk.py -------------------------------------------------------------------------------------


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
    """The history of `content`, or History.unavailable(reason)."""
    try:
        log_ = read_log(content)
        return _walk(content, log_.prefix, log_.commits)
    except HistoryUnavailable as exc:
        return History.unavailable(str(exc))


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
    version = Version(data, track.path)
    previous = track.version
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
        return was
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
