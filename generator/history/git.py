"""Two git processes for the whole history: one `git log`, one `git cat-file --batch`.

`read_log` lists the commits of the content folder's first-parent history (the states of
the branch a site is built from; a merge counts as one change against its first parent),
oldest first, with the files each one added, modified, deleted or renamed (`-M`: a file
moved and edited in one commit is still the same file). `BlobReader` streams the contents
of the file versions in the order they are asked for. No process per file or per commit.
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT = 600  # seconds; a history walk of a large repository takes a few


class HistoryUnavailable(Exception):
    """Why the history cannot be read (in Chinese, for the build log)."""


@dataclass(frozen=True, slots=True)
class FileChange:
    status: str  # A (added), M (modified), D (deleted), R (renamed, maybe edited)
    path: str  # relative to the content folder: the new path (the old one for D)
    blob: str  # the new version's object id ('' for D)
    old_path: str | None = None  # for R


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    time: int  # committer time, Unix seconds
    changes: tuple[FileChange, ...]


@dataclass(frozen=True)
class Log:
    prefix: str  # the content folder inside the repository, '' or 'content/'
    commits: tuple[Commit, ...]  # oldest first


def _git(content: Path, *args: str) -> str:
    try:
        proc = subprocess.run(["git", "-C", str(content), *args], capture_output=True, text=True, timeout=GIT_TIMEOUT)
    except FileNotFoundError as exc:
        raise HistoryUnavailable("找不到 git 命令") from exc
    except (OSError, subprocess.SubprocessError) as exc:
        raise HistoryUnavailable(f"git 无法运行（{exc}）") from exc
    if proc.returncode != 0:
        raise HistoryUnavailable(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "git 出错")
    return proc.stdout


def read_log(content: Path, before_log: Callable[[], object] | None = None) -> Log:
    """The content folder's history, or HistoryUnavailable (not a repository, shallow, no git).

    `before_log` is called once the folder is known to be in a full repository with commits,
    just before the log is read (walk.py starts its second process there)."""
    if not content.is_dir():
        raise HistoryUnavailable("找不到内容文件夹")
    try:
        inside = _git(content, "rev-parse", "--is-inside-work-tree").strip()
    except HistoryUnavailable as exc:
        raise HistoryUnavailable(f"内容文件夹不在 git 仓库中（{exc}）") from exc
    if inside != "true":
        raise HistoryUnavailable("内容文件夹不在 git 仓库的工作区中")
    if _git(content, "rev-parse", "--is-shallow-repository").strip() == "true":
        raise HistoryUnavailable("仓库是浅克隆（shallow clone），缺少早期提交；CI 中请取完整历史（fetch-depth: 0）")
    prefix = _git(content, "rev-parse", "--show-prefix").strip()
    try:
        _git(content, "rev-parse", "--verify", "--quiet", "HEAD")
    except HistoryUnavailable:
        return Log(prefix, ())  # a repository without commits: no revisions yet
    if before_log is not None:
        before_log()
    out = _run_log(content)
    return Log(prefix, tuple(parse_log(out)))


def head(content: Path) -> str | None:
    """The commit checked out in the content folder's repository (None: no repository, no commit, no git)."""
    try:
        return _git(content, "rev-parse", "--verify", "--quiet", "HEAD").strip() or None
    except HistoryUnavailable:
        return None


def _run_log(content: Path) -> bytes:
    args = [
        "git",
        "-C",
        str(content),
        "-c",
        "core.quotepath=off",
        "log",
        "--first-parent",
        "-m",
        "--reverse",
        "-M",
        "--raw",
        "-z",
        "--no-abbrev",
        "--relative",
        "--format=%x01%H %ct",
        "HEAD",
        "--",
        ".",
    ]
    try:
        proc = subprocess.run(args, capture_output=True, timeout=GIT_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        raise HistoryUnavailable(f"git log 无法运行（{exc}）") from exc
    if proc.returncode != 0:
        raise HistoryUnavailable(proc.stderr.decode("utf-8", "replace").strip() or "git log 出错")
    return proc.stdout


def parse_log(out: bytes) -> Iterator[Commit]:
    """`git log --raw -z --format=%x01%H %ct` → commits, each with its file changes."""
    for record in out.split(b"\x01")[1:]:
        header, _, raw = record.partition(b"\x00")
        sha, _, time = header.decode().partition(" ")
        fields = raw.lstrip(b"\n").split(b"\x00")
        changes: list[FileChange] = []
        i = 0
        while i < len(fields) and fields[i].startswith(b":"):
            meta = fields[i].decode().split()
            blob, status = meta[3], meta[4][0]
            if status in "RC":
                old, new = fields[i + 1].decode(), fields[i + 2].decode()
                changes.append(FileChange("R" if status == "R" else "A", new, blob, old if status == "R" else None))
                i += 3
                continue
            path = fields[i + 1].decode()
            if status == "D":
                changes.append(FileChange("D", path, ""))
            else:  # A, M, T (type change): a new version of the file
                changes.append(FileChange("A" if status == "A" else "M", path, blob))
            i += 2
        yield Commit(sha, int(time), tuple(changes))


class BlobReader:
    """`git cat-file --batch`: the contents of many objects through one process, in order.

    Two threads keep git from waiting on the walk: one writes the ids, one drains git's output
    in large chunks (up to READ_AHEAD bytes ahead of the walk), so git runs on the other core and
    the walk takes each object from memory instead of waking git up for every few kilobytes.
    """

    CHUNK = 1 << 20
    READ_AHEAD = 64  # chunks

    def __init__(self, content: Path) -> None:
        self.content = content

    def read(self, blobs: Iterable[str]) -> Generator[bytes, None, None]:
        """The bytes of each object id, in the order given."""
        proc = subprocess.Popen(
            ["git", "-C", str(self.content), "cat-file", "--batch", "--buffer"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert proc.stdin is not None and proc.stdout is not None
        stdin, stdout = proc.stdin, proc.stdout
        out = stdout.fileno()  # read unbuffered, in large chunks, by the drain thread only
        ids = list(blobs)
        chunks: queue.Queue[bytes] = queue.Queue(self.READ_AHEAD)
        stop = threading.Event()

        def feed() -> None:
            try:
                stdin.write("".join(f"{sha}\n" for sha in ids).encode())
                stdin.close()
            except OSError:
                pass  # the reader stopped early; the process is being ended

        def drain() -> None:
            chunk = b"-"
            while chunk and not stop.is_set():
                try:
                    chunk = os.read(out, self.CHUNK)
                except OSError:
                    chunk = b""
                while not stop.is_set():
                    try:
                        chunks.put(chunk, timeout=0.1)
                        break
                    except queue.Full:
                        continue

        threads = [threading.Thread(target=feed, daemon=True), threading.Thread(target=drain, daemon=True)]
        for thread in threads:
            thread.start()
        buf, pos = b"", 0
        try:
            for _ in ids:
                end = buf.find(b"\n", pos)
                while end < 0:
                    buf, pos = buf[pos:] + self._next(chunks), 0
                    end = buf.find(b"\n")
                header = buf[pos:end].split()
                if len(header) != 3:  # '<sha> missing': the object is not in this clone
                    raise HistoryUnavailable(f"仓库中缺少对象 {header[0].decode() if header else ''}")
                start, size = end + 1, int(header[2])
                while len(buf) < start + size + 1:  # the object and the newline after it
                    buf, pos, start = buf[pos:] + self._next(chunks), 0, start - pos
                yield buf[start : start + size]
                pos = start + size + 1
        finally:
            stop.set()
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for thread in threads:
                thread.join()
            stdout.close()

    @staticmethod
    def _next(chunks: queue.Queue[bytes]) -> bytes:
        chunk = chunks.get()
        if not chunk:
            raise HistoryUnavailable("git cat-file 意外结束")
        return chunk
