"""A run's memory of the history it read: `mkdocs serve` walks the history again only after a commit.

The history of a content folder is fixed by the commit checked out (its first-parent log) and the
folder's place in the repository, so that pair is the key; edits saved but not committed are not in
the history and do not invalidate it. Owned by the run (site/cache.py BuildCache), never global.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.history.git import head
from generator.history.model import History
from generator.history.walk import read_history


@dataclass
class HistoryCache:
    key: tuple[str, str] | None = None
    history: History | None = None

    def read(self, content: Path) -> History:
        """`read_history(content)`, or the one read last when HEAD and the folder are the same."""
        commit = head(content)
        key = (str(content.resolve()), commit) if commit is not None else None
        if key is not None and key == self.key and self.history is not None:
            return self.history
        history = read_history(content)
        self.key, self.history = (key, history) if key is not None else (None, None)
        return history
