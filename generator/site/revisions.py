"""修订记录 on the pages: each page's revisions and the site-wide 最近修订 list, as template context.

In: the content's `History` (history/) and the checked corpus. Out: frozen values compared by
value, so the RenderCache reuses a page exactly when what it shows of its history is unchanged
(site/render.py `_memo`). The text is the author's (section names, figures, file paths): plain
here, masked and escaped by the templates (`|t`). Links to earlier versions point into the
content repository (site.yml 内容仓库, history/describe.py `version_url`); the site keeps no
copies of old versions.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.corpus.model import Corpus
from generator.data.feed import RECENT_URL, revision_pages
from generator.history.describe import revision_lines, version_url
from generator.history.model import FileHistory, History, Revision

__all__ = ["RECENT_URL", "Entry", "PageRevisions", "RecentEntry", "Revisions"]

RECENT_LIMIT = 200  # revisions on the 最近修订 page, newest first
UNAVAILABLE = "修订记录不可用"


@dataclass(frozen=True)
class Entry:
    """One revision as a page lists it."""

    date: str  # YYYY-MM-DD, 北京时间
    commit: str  # short id
    lines: tuple[str, ...]  # history/describe.py revision_lines
    version: str | None  # this version in the content repository (earlier versions, 内容仓库 set)


@dataclass(frozen=True)
class PageRevisions:
    """A page's 修订记录: `available` False when the build had no history (then nothing else)."""

    available: bool
    committed: bool = False  # the file is in the history (False: not yet committed)
    first_date: str | None = None  # first publication
    entries: tuple[Entry, ...] = ()  # newest first, the first publication last

    @property
    def revised(self) -> int:
        """How many times the file changed after its first publication."""
        return max(len(self.entries) - 1, 0)


@dataclass(frozen=True)
class RecentEntry:
    """One line of the 最近修订 page: a revision with the page it belongs to."""

    date: str
    url: str  # the page today
    title: str
    lines: tuple[str, ...]
    version: str | None


class Revisions:
    """The revision context of every page of one build."""

    def __init__(self, corpus: Corpus, history: History) -> None:
        self.history = history
        self.repository = corpus.site.repository
        self.pages = revision_pages(corpus)  # content file → (page URL, title, unit), as in the feed

    def of(self, path: str) -> PageRevisions:
        """The 修订记录 of the page made from content file `path`."""
        if not self.history.available:
            return PageRevisions(False)
        found = self.history.of(path)
        if found is None:
            return PageRevisions(True)
        return PageRevisions(True, True, found.first.date, self._entries(found))

    def _entries(self, found: FileHistory) -> tuple[Entry, ...]:
        newest = found.last
        return tuple(
            Entry(r.date, r.short, revision_lines(r), self._version(r, r is newest)) for r in found.newest_first
        )

    def _version(self, rev: Revision, current: bool) -> str | None:
        if current or not self.repository:  # today's version is the page itself
            return None
        return version_url(self.repository, self.history.prefix, rev)

    def recent(self, limit: int = RECENT_LIMIT) -> tuple[RecentEntry, ...]:
        """The newest revisions of the site's pages, newest first (files without a page left out)."""
        if not self.history.available:
            return ()
        out = []
        every = sum(len(h.revisions) for h in self.history.files.values())  # files without a page are skipped
        for path, rev in self.history.latest(every):
            page = self.pages.get(path)
            if page is None:
                continue
            current = rev is self.history.files[path].last
            out.append(RecentEntry(rev.date, page[0], page[1], revision_lines(rev), self._version(rev, current)))
            if len(out) == limit:
                break
        return tuple(out)
