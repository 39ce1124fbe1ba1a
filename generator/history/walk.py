"""The walk: the content folder's git history → each file's revisions and every address it had.

One `git log` (git.py), then the files are followed across renames and moves and each new
version is compared with the one before (follow.py; on a large history the files are shared
between this process and one more, one per core, each with its own `git cat-file`), and the
URL state of the whole content is moved on commit by commit (replay.py), so that every address
a page had is known with the commit it stopped at. However the work is shared, the History is
the same: each file's versions are read in order by one process, and everything is put
together in commit order here.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from generator.corpus.slugs import slugify
from generator.corpus.validate import UNITS_DIR
from generator.history.changes import Changes
from generator.history.follow import Info, Plan, plan
from generator.history.git import Commit, HistoryUnavailable, read_log
from generator.history.model import FileHistory, History, PastAddress, Revision
from generator.history.replay import DisclosureInfo, Replay, UnitInfo
from generator.history.share import Helper, follow_all, may_share

log = logging.getLogger(__name__)


def read_history(content: Path, *, processes: int | None = None) -> History:
    """The history of `content`, or History.unavailable(reason) — never an exception.

    `processes`: how many processes follow the files (1 or 2; default: 2 on a machine with two
    or more cores when the history is large). The History is the same whatever it is."""
    start = time.perf_counter()
    helper: Helper | None = None

    def start_helper() -> None:  # in a repository, before git log: it starts while the log is read
        nonlocal helper
        helper = Helper() if may_share(content, processes) else None

    try:
        log_ = read_log(content, start_helper)
        planned = plan(log_.commits)
        results = follow_all(content, planned.tracks, processes, helper)
        history = _assemble(log_.prefix, log_.commits, planned, results)
    except HistoryUnavailable as exc:
        return History.unavailable(str(exc))
    finally:
        if helper is not None:
            helper.close()
    seconds = time.perf_counter() - start
    log.debug("修订记录：%d 个提交，%d 个文件（%.2f 秒）", history.commits, len(history.files), seconds)
    return history


def _assemble(
    prefix: str, commits: Sequence[Commit], planned: Plan, results: list[list[tuple[Info, Changes]]]
) -> History:
    """Revisions per file, and the URL state moved on commit by commit."""
    memo: dict[str, str] = {}

    def slug_of(name: str) -> str:
        slug = memo.get(name)
        if slug is None:
            slug = memo[name] = slugify(name)
        return slug

    replay = Replay(slug_of)
    live: dict[str, int] = {}
    urls: list[list[tuple[str, int]]] = [[] for _ in planned.tracks]  # per track: (URL, first commit index)
    for index, changed in enumerate(planned.changed):
        units: dict[str, UnitInfo | None] = {}
        disclosures: dict[str, DisclosureInfo | None] = {}
        for path, ref in changed:
            info = None
            if ref is None:
                live.pop(path, None)
            else:
                live[path] = ref[0]
                info = results[ref[0]][ref[1]][0]
            if path.startswith(UNITS_DIR + "/"):
                units[path] = info  # type: ignore[assignment]
            else:
                disclosures[path] = info  # type: ignore[assignment]
        for path, url in replay.apply(units, disclosures).items():
            track = live.get(path)
            if track is not None and url is not None and (not urls[track] or urls[track][-1][0] != url):
                urls[track].append((url, index))
    files: dict[str, FileHistory] = {}
    for path, track in sorted(live.items()):
        revisions = tuple(
            Revision(commits[s.commit].sha, commits[s.commit].time, s.path, i == 0, s.renamed_from, changes)
            for i, (s, (_, changes)) in enumerate(zip(planned.tracks[track], results[track], strict=True))
        )
        if revisions:
            files[path] = FileHistory(path, revisions)
    return History(True, None, prefix, files, _addresses(live, urls, replay), len(commits))


def _addresses(live: dict[str, int], urls: list[list[tuple[str, int]]], replay: Replay) -> tuple[PastAddress, ...]:
    """Every URL a file that still exists had before its last one, with the commit it stopped at."""
    out: list[PastAddress] = []
    for path, track in sorted(live.items()):
        had = urls[track]
        for (url, _), (_, until) in itertools.pairwise(had):
            if url != replay.url.get(path):
                out.append(PastAddress(url, path, until))
    return tuple(out)
