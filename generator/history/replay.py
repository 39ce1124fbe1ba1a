"""The address of every page at every commit, replayed commit by commit.

A page's URL depends on more than its own file: a disclosure's folder is its unit's slug
(found through 单位 → the unit profiles' names and aliases), and names that collide are
qualified and numbered among their folder (corpus/urls.py). `Replay` keeps, for the commit
being replayed, what each file says that URLs depend on, and after each commit works out
again only what that commit can have moved: the folders of the disclosures it changed, and,
when a unit's names or slug changed, the disclosures that name it. The same functions as
the check's (`urls.assign`), so an old address is exactly the one that commit's site had.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from generator.corpus.model import Kind
from generator.corpus.urls import (
    PageKey,
    assign,
    disclosure_base,
    disclosure_key,
    unit_key,
    unit_names,
)


@dataclass(frozen=True, slots=True)
class UnitInfo:
    name: str
    aliases: tuple[str, ...]
    region: tuple[str, ...]
    pin: str | None


@dataclass(frozen=True, slots=True)
class DisclosureInfo:
    kind: Kind
    label: str  # 单位 as written
    year: int
    project: str | None  # 项目名称
    pin: str | None


class Replay:
    """URL state of one commit of the content; `apply` moves it to the next commit."""

    def __init__(self, slug_of: Callable[[str], str]) -> None:
        self.slug_of = slug_of
        self.units: dict[str, UnitInfo] = {}
        self.disclosures: dict[str, DisclosureInfo] = {}
        self.unit_slug: dict[str, str] = {}
        self.unit_keys: dict[str, PageKey] = {}  # a unit file → what its slug is decided from
        self.by_name: dict[str, set[str]] = {}  # a name → the unit files it names
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
            if self.disclosures.get(path) == d and (d is not None or path not in self.url):
                continue  # what its URL depends on is unchanged (most edits): nothing can move
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
            self.unit_keys.pop(path, None)
            if old is not None:
                gone = unit_names(old.name, old.aliases, old.region)
                names |= gone
                for name in gone:
                    self.by_name[name].discard(path)
            if info is not None:
                self.units[path] = info
                self.unit_keys[path] = unit_key(path, info.name, info.region, info.pin, self.slug_of)
                new = unit_names(info.name, info.aliases, info.region)
                names |= new
                for name in new:
                    self.by_name.setdefault(name, set()).add(path)
        slugs = assign(self.unit_keys.values())
        affected: set[str] = set()
        for path in set(self.unit_slug) | set(slugs):
            if self.unit_slug.get(path) != slugs.get(path):
                affected |= self.members.get(path, set())
                self._set_url(path, f"units/{slugs[path]}/" if path in slugs else None)
        self.unit_slug = slugs
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
            found = self.by_name.get(d.label.strip(), ()) if d is not None else ()
            if d is None or len(found) != 1:
                self._set_url(path, None)  # no page at this commit (deleted, or its 单位 not found)
                continue
            [unit] = found
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
