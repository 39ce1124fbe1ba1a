"""The files of a large history shared between two processes, one per core.

`follow` (follow.py) needs nothing from one track for another, so the tracks are cut in two
by their versions' count: the second half goes to `python -m generator.history.worker` (this
interpreter; pickled tracks in, results out — not multiprocessing, which would import the
caller's `__main__` again), the first is followed here meanwhile. The second process is
started before `git log` runs, so its imports cost nothing on the way. If it cannot run or
fails, this process follows its tracks too: the result is the same either way.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from generator.corpus.validate import YAML_SUFFIXES
from generator.history.changes import Changes
from generator.history.follow import Info, Step, follow
from generator.history.git import GIT_TIMEOUT, HistoryUnavailable

log = logging.getLogger(__name__)

PARALLEL_MIN = 3000  # versions: below this, a second process costs more than it saves
_FILES_HINT = PARALLEL_MIN // 3  # content files today from which a long history is likely (~3 versions each)
_CHILD_SHARE = 0.5  # of the versions, by count, followed by the second process

Results = list[list[tuple[Info, Changes]]]


def may_share(content: Path, processes: int | None) -> bool:
    """Whether to start the second process now, before the log is read (a guess when not told)."""
    if processes is not None:
        return processes >= 2
    if (os.cpu_count() or 1) < 2:
        return False
    count = 0
    for _, _, names in os.walk(content):
        count += sum(name.endswith(YAML_SUFFIXES) for name in names)
        if count >= _FILES_HINT:
            return True
    return False


def follow_all(content: Path, tracks: list[list[Step]], processes: int | None, helper: Helper | None) -> Results:
    """`follow` over all tracks, here or shared with the second process."""
    versions = sum(len(steps) for steps in tracks)
    wanted = processes if processes is not None else (2 if versions >= PARALLEL_MIN else 1)
    if helper is None or wanted < 2 or len(tracks) < 2:
        return follow(content, tracks)
    mine, theirs = _share(tracks)
    helper.send(content, [tracks[t] for t in theirs])
    here = follow(content, [tracks[t] for t in mine])
    there = helper.result(len(theirs))
    if there is None:  # the second process could not run: follow its tracks here (same result)
        there = follow(content, [tracks[t] for t in theirs])
    results: Results = [[] for _ in tracks]
    for t, got in zip(mine, here, strict=True):
        results[t] = got
    for t, got in zip(theirs, there, strict=True):
        results[t] = got
    return results


def _share(tracks: Sequence[Sequence[Step]]) -> tuple[list[int], list[int]]:
    """The tracks (by index) followed here and by the second process: the first half of the
    versions, by count, there (a fixed cut; the result does not depend on it anyway)."""
    total = sum(len(steps) for steps in tracks)
    mine: list[int] = []
    theirs: list[int] = []
    done = 0
    for t, steps in enumerate(tracks):
        (theirs if done < total * _CHILD_SHARE else mine).append(t)
        done += len(steps)
    return mine, theirs


class Helper:
    """The second process (worker.py): started at once, given its tracks later, or ended unused."""

    def __init__(self) -> None:
        self.out: bytes | None = None
        self.thread: threading.Thread | None = None
        package = Path(__file__).resolve().parents[2]  # where this generator/ is: the child imports the same
        path = os.pathsep.join(filter(None, [str(package), os.environ.get("PYTHONPATH")]))
        try:
            self.proc: subprocess.Popen[bytes] | None = subprocess.Popen(
                [sys.executable, "-m", "generator.history.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": path},
            )
        except OSError:
            self.proc = None

    def send(self, content: Path, tracks: list[list[Step]]) -> None:
        if self.proc is None:
            return
        payload = pickle.dumps((str(content), tracks), protocol=pickle.HIGHEST_PROTOCOL)
        self.thread = threading.Thread(target=self._talk, args=(payload,), daemon=True)
        self.thread.start()

    def _talk(self, payload: bytes) -> None:
        assert self.proc is not None
        try:
            self.out, _ = self.proc.communicate(payload, timeout=GIT_TIMEOUT)
        except (OSError, subprocess.SubprocessError):
            self.proc.kill()
            self.proc.wait()

    def result(self, count: int) -> Results | None:
        """The worker's results, or None when it failed (HistoryUnavailable when git could not)."""
        if self.proc is None or self.thread is None:
            return None
        self.thread.join()
        if self.proc.returncode != 0 or not self.out:
            log.debug("修订记录：第二个进程未能完成（退出码 %s），改在本进程中读取", self.proc.returncode)
            return None
        status, value = pickle.loads(self.out)  # our own child's output
        if status == "unavailable":
            raise HistoryUnavailable(str(value))
        if not isinstance(value, list) or len(value) != count:
            return None
        return value

    def close(self) -> None:
        """End the process: unused, it sees its input end and exits; otherwise it is stopped."""
        if self.proc is None:
            return
        if self.thread is None and self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.proc.poll() is None:
            self.proc.kill()
        if self.thread is not None:
            self.thread.join()  # `communicate` returns once the process has ended
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
