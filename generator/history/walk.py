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
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from generator.corpus.slugs import slugify
from generator.corpus.validate import UNITS_DIR
from generator.history.changes import Changes
from generator.history.follow import Info, Plan, Step, follow, plan
from generator.history.git import GIT_TIMEOUT, Commit, HistoryUnavailable, read_log
from generator.history.model import FileHistory, History, PastAddress, Revision
from generator.history.replay import DisclosureInfo, Replay, UnitInfo

log = logging.getLogger(__name__)

PARALLEL_MIN = 3000  # versions: below this, starting a second process costs more than it saves
_CHILD_SHARE = 0.5  # of the versions, by count, followed by the second process


def read_history(content: Path, *, processes: int | None = None) -> History:
    """The history of `content`, or History.unavailable(reason) — never an exception.

    `processes`: how many processes follow the files (1 or 2; default: 2 on a machine with two
    or more cores when the history is large). The History is the same whatever it is."""
    start = time.perf_counter()
    try:
        log_ = read_log(content)
        history = _walk(content, log_.prefix, log_.commits, processes)
    except HistoryUnavailable as exc:
        return History.unavailable(str(exc))
    seconds = time.perf_counter() - start
    log.debug("修订记录：%d 个提交，%d 个文件（%.2f 秒）", history.commits, len(history.files), seconds)
    return history


def _walk(content: Path, prefix: str, commits: tuple[Commit, ...], processes: int | None) -> History:
    planned = plan(commits)
    results = _follow_all(content, planned.tracks, processes)
    return _assemble(prefix, commits, planned, results)


def _follow_all(content: Path, tracks: list[list[Step]], processes: int | None) -> list[list[tuple[Info, Changes]]]:
    """`follow` over all tracks, in one process or shared with a second one (worker.py)."""
    versions = sum(len(steps) for steps in tracks)
    if processes is None:
        processes = 2 if versions >= PARALLEL_MIN and (os.cpu_count() or 1) >= 2 else 1
    if processes < 2 or len(tracks) < 2:
        return follow(content, tracks)
    mine, theirs = _share(tracks)
    helper = _Helper(content, [tracks[t] for t in theirs])
    here = follow(content, [tracks[t] for t in mine])
    there = helper.result()
    if there is None:  # the second process could not run: follow its tracks here (same result)
        there = follow(content, [tracks[t] for t in theirs])
    results: list[list[tuple[Info, Changes]]] = [[] for _ in tracks]
    for t, got in zip(mine, here, strict=True):
        results[t] = got
    for t, got in zip(theirs, there, strict=True):
        results[t] = got
    return results


class _Helper:
    """`follow` of some tracks in a second Python process (worker.py), started at once."""

    def __init__(self, content: Path, tracks: list[list[Step]]) -> None:
        self.count = len(tracks)
        self.out: bytes | None = None
        package = Path(__file__).resolve().parents[2]  # where this generator/ is: the child imports the same
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(package), os.environ.get("PYTHONPATH")]))}
        payload = pickle.dumps((str(content), tracks), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-m", "generator.history.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError:
            self.proc = None
            return
        self.thread = threading.Thread(target=self._talk, args=(payload,), daemon=True)
        self.thread.start()

    def _talk(self, payload: bytes) -> None:
        assert self.proc is not None
        try:
            self.out, _ = self.proc.communicate(payload, timeout=GIT_TIMEOUT)
        except (OSError, subprocess.SubprocessError):
            self.proc.kill()
            self.proc.wait()

    def result(self) -> list[list[tuple[Info, Changes]]] | None:
        """The worker's results, or None when it failed (HistoryUnavailable when git could not)."""
        if self.proc is None:
            return None
        self.thread.join()
        if self.proc.returncode != 0 or not self.out:
            log.debug("修订记录：第二个进程未能完成（退出码 %s），改在本进程中读取", self.proc.returncode)
            return None
        status, value = pickle.loads(self.out)  # our own child's output
        if status == "unavailable":
            raise HistoryUnavailable(str(value))
        if not isinstance(value, list) or len(value) != self.count:
            return None
        return value


def _share(tracks: Sequence[Sequence[Step]]) -> tuple[list[int], list[int]]:
    """The tracks (by index) this process follows and those the second one does: every other
    version, by count, in track order (a fixed split: the result does not depend on it anyway)."""
    total = sum(len(steps) for steps in tracks)
    mine: list[int] = []
    theirs: list[int] = []
    done = 0
    for t, steps in enumerate(tracks):
        (theirs if done < total * _CHILD_SHARE else mine).append(t)
        done += len(steps)
    return mine, theirs


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
