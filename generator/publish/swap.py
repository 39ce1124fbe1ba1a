"""Atomic publish: a bad or interrupted build never touches the published site.

`publish(target, build)` builds the new site into a staging folder beside `target`
(`.site-build-<pid>-<random>/`, same file system) and swaps it in only after `build`
returned and the result looks like a site. Until that moment `target` is never written.

The swap: on Linux one `renameat2(RENAME_EXCHANGE)` call exchanges the two folders
atomically, so at every instant `site/` is either the complete old or the complete new
site, even under SIGKILL; the old site then sits at the staging name and is deleted.
Where that call is missing (other systems, some file systems), `site/` is renamed to
`.site-old-<pid>-<random>/` and the new folder renamed into place; a kill between those
two renames leaves no `site/`, and the next build renames the old one back first.

`site/` stays a real directory rather than a symlink to the newest build: people open
site/index.html from disk, copy or rsync the folder and upload it as it is, and some
servers and upload tools do not follow symlinks.

Signals: while `interruptible()` is active, SIGINT, SIGTERM and SIGHUP raise
`Interrupted` (a BaseException, so no `except Exception` in MkDocs or a plugin swallows
it); the staging folder is removed and the command exits 128 + the signal number
(130, 143, 129). The swap itself runs with those signals blocked, so a signal arriving
during it takes effect right after, with the new site completely in place. SIGKILL
cannot be caught: the staging folder lingers, and the next build removes staging and
old folders whose process is gone (a live process's folders are left alone, so two
builds can run side by side; the swap itself is serialised with a lock on the parent).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import logging
import os
import re
import secrets
import shutil
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

from generator.corpus.errors import BuildError

log = logging.getLogger(__name__)

HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


class Interrupted(BaseException):
    """A handled signal arrived during the build."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.published = False  # True when it arrived during the swap, which then completed
        self.previous: Path | None = None

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def __str__(self) -> str:
        return signal.Signals(self.signum).name


class PublishError(BuildError):
    """The built folder is not a site (nothing was swapped)."""


def _raise_interrupted(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signum)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT/SIGTERM/SIGHUP raise `Interrupted` inside the block (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise_interrupted) for s in HANDLED_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    """Defer the handled signals: a critical section is never left half done."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, HANDLED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def _parent_lock(parent: Path) -> Iterator[None]:
    """An exclusive flock on the parent folder: one swap (and stale clean-up) at a time."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock, the renames still never leave a half site
        yield
        return
    fd = os.open(parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _prefix(target: Path, role: str) -> str:
    return f".{target.name}-{role}-"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    return True


def _leftovers(target: Path, role: str) -> list[Path]:
    """This target's `role` folders (build/old) whose process is gone, newest first."""
    pattern = re.compile(re.escape(_prefix(target, role)) + r"([0-9]+)-[0-9a-f]+")
    found = []
    for path in target.parent.iterdir():
        m = pattern.fullmatch(path.name)
        if m and path.is_dir() and not path.is_symlink() and not _pid_alive(int(m[1])):
            found.append(path)
    return sorted(found, key=lambda p: p.stat().st_mtime_ns, reverse=True)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def recover(target: Path) -> list[Path]:
    """Before a build: restore a site left out by a killed fallback swap, remove dead folders.

    Returns the folders removed.
    """
    if not target.parent.is_dir():
        return []
    removed = []
    with _parent_lock(target.parent), _signals_blocked():
        olds = _leftovers(target, "old")
        if olds and not os.path.lexists(target):
            log.warning("上次发布被中断，恢复原网站：%s → %s", olds[0].name, target.name)
            os.rename(olds[0], target)
            olds = olds[1:]
        for path in olds + _leftovers(target, "build"):
            _remove(path)
            removed.append(path)
    if removed:
        log.info("清理上次中断留下的临时文件夹：%s", "、".join(p.name for p in removed))
    return removed


def staging_dir(target: Path) -> Path:
    """A new empty folder beside `target`, named for this process (mode from the umask)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    while True:
        path = target.parent / f"{_prefix(target, 'build')}{os.getpid()}-{secrets.token_hex(4)}"
        try:
            path.mkdir(mode=0o777)  # not mkdtemp's 0700: the site must stay readable by the web server
        except FileExistsError:
            continue
        return path


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with renameat2; False where the system cannot."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    fn.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    fn.restype = ctypes.c_int
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def swap(new: Path, target: Path, exchange: Callable[[Path, Path], bool] = _exchange) -> Path | None:
    """Put `new` at `target`; return where the previous site now is (to delete), or None.

    A handled signal that arrives meanwhile is raised once the swap is complete, as an
    `Interrupted` whose `published` is True and `previous` names the folder to delete.
    """
    done = False
    previous: Path | None = None
    try:
        with _signals_blocked(), _parent_lock(target.parent):
            if not os.path.lexists(target):
                os.rename(new, target)
            elif exchange(new, target):
                previous = new  # the old site now has the staging name
            else:
                previous = target.parent / f"{_prefix(target, 'old')}{os.getpid()}-{secrets.token_hex(4)}"
                os.rename(target, previous)
                try:
                    os.rename(new, target)
                except BaseException:
                    os.rename(previous, target)
                    raise
            done = True
    except Interrupted as exc:
        exc.published, exc.previous = done, previous
        raise
    return previous


def looks_like_site(folder: Path) -> None:
    """The last check before the swap: an empty or partial output is never published."""
    if not (folder / "index.html").is_file():
        raise PublishError(f"生成结果中没有首页 index.html（{folder}），未替换原网站")


def looks_like_part(folder: Path) -> None:
    """The check for one part of a site (generator/parts.py): only part 1 has the home page."""
    if not (folder / "404.html").is_file():
        raise PublishError(f"生成结果中没有 404.html（{folder}），未替换原分片")


def publish(
    target: Path,
    build: Callable[[Path], None],
    verify: Callable[[Path], None] = looks_like_site,
) -> None:
    """Build into a staging folder beside `target` and swap it in; on any failure `target` is untouched.

    Exceptions from `build` and `verify` (and `Interrupted`) propagate after the staging
    folder has been removed.
    """
    target = target.absolute()
    recover(target)
    staging = staging_dir(target)
    log.debug("临时生成目录：%s", staging)
    try:
        build(staging)
        verify(staging)
        previous = swap(staging, target)
    except Interrupted as exc:
        with _signals_blocked():
            _remove(exc.previous if exc.published and exc.previous else staging)
        raise
    except BaseException:
        with _signals_blocked():
            _remove(staging)
        raise
    if previous is not None:
        _remove(previous)
