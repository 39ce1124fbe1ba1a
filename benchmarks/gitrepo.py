"""Git repositories made in one `git fast-import` run: for the history tests and benchmark.

A commit is (Unix time, message, {path: new bytes, or None to delete}, [(old, new) renames]);
renames are applied before the writes, so a file renamed and edited in one commit is both.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Commit:
    time: int
    message: str
    files: dict[str, bytes | None] = field(default_factory=dict)
    renames: Sequence[tuple[str, str]] = ()


def _quote(path: str) -> str:
    return '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


def stream(commits: Iterable[Commit], branch: str = "main") -> Iterable[bytes]:
    """The fast-import commands of `commits`, one chunk per commit."""
    for commit in commits:
        out = [f"commit refs/heads/{branch}\n".encode()]
        out.append(f"committer 测试 <test@example.com> {commit.time} +0800\n".encode())
        out.append(_data(commit.message.encode()))
        for old, new in commit.renames:
            out.append(f"R {_quote(old)} {_quote(new)}\n".encode())
        for path, data in commit.files.items():
            if data is None:
                out.append(f"D {_quote(path)}\n".encode())
            else:
                out.append(f"M 100644 inline {_quote(path)}\n".encode())
                out.append(_data(data))
        out.append(b"\n")
        yield b"".join(out)


def make_repo(root: Path, commits: Iterable[Commit], branch: str = "main") -> Path:
    """A new repository at `root` holding `commits` on `branch`, checked out."""
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", branch, str(root)], check=True)
    proc = subprocess.Popen(["git", "-C", str(root), "fast-import", "--quiet"], stdin=subprocess.PIPE)
    assert proc.stdin is not None
    for chunk in stream(commits, branch):
        proc.stdin.write(chunk)
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError("git fast-import failed")
    subprocess.run(["git", "-C", str(root), "checkout", "-q", "-f", branch], check=True)
    return root
