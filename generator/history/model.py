"""What the history stage hands on: each file's revisions, and every address a page had."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from generator.history.changes import Changes

BEIJING = timezone(timedelta(hours=8))  # dates are shown in 北京时间, whatever the build machine's zone


def beijing_date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, BEIJING).date().isoformat()


@dataclass(frozen=True)
class Revision:
    """One commit's version of one content file."""

    commit: str  # the commit's full id
    time: int  # committer time (Unix seconds)
    path: str  # the file's path at that commit, relative to the content folder
    first: bool  # the version that published the file
    renamed_from: str | None = None  # the path before this commit, when it moved or was renamed
    changes: Changes = field(default_factory=Changes)

    @property
    def date(self) -> str:
        """YYYY-MM-DD in 北京时间."""
        return beijing_date(self.time)

    @property
    def short(self) -> str:
        return self.commit[:7]


@dataclass(frozen=True)
class FileHistory:
    path: str  # the file's current path
    revisions: tuple[Revision, ...]  # oldest first; never empty

    @property
    def first(self) -> Revision:
        """The revision that published the file (its first publication date)."""
        return self.revisions[0]

    @property
    def last(self) -> Revision:
        return self.revisions[-1]

    @property
    def newest_first(self) -> tuple[Revision, ...]:
        return self.revisions[::-1]


@dataclass(frozen=True)
class PastAddress:
    """A URL one of today's files had for a while: it held it until commit number `until`."""

    url: str
    path: str  # the file's current path
    until: int  # index of the first commit where the file no longer had this URL


@dataclass(frozen=True)
class History:
    """The content folder's history, or why there is none (`reason`)."""

    available: bool
    reason: str | None = None
    prefix: str = ""  # the content folder inside the repository ('content/'), for links to old versions
    files: dict[str, FileHistory] = field(default_factory=dict, hash=False)  # by current path
    addresses: tuple[PastAddress, ...] = ()  # earlier URLs of files that still exist
    commits: int = 0

    @staticmethod
    def unavailable(reason: str) -> History:
        return History(False, reason)

    def of(self, path: str) -> FileHistory | None:
        return self.files.get(path)

    def latest(self, limit: int) -> list[tuple[str, Revision]]:
        """(current path, revision) of the newest revisions of all files, newest first."""
        every = [(path, r) for path, h in self.files.items() for r in h.revisions]
        every.sort(key=lambda pr: (pr[1].time, pr[1].commit, pr[0]), reverse=True)
        return every[:limit]
