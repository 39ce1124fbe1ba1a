"""Stage 1b: the content folder's git history → each file's revisions and every address it had.

In: the content folder of a clone (git.py reads its first-parent history in one `git log`
and one `git cat-file --batch`). Out: `History` (model.py): per current file its revisions
(commit, date, renames, the figures and sections each changed: changes.py, sections.py) and
its first publication; every URL a page had at an earlier commit (replay.py), from which
addresses.py derives the redirects of the current site. Without a usable history (no git,
not a repository, a shallow clone) the stage answers `History.unavailable(reason)` and the
site is built without revisions.
"""

from generator.history.cache import HistoryCache
from generator.history.model import FileHistory, History, PastAddress, Revision
from generator.history.walk import read_history

__all__ = ["FileHistory", "History", "HistoryCache", "PastAddress", "Revision", "read_history"]
