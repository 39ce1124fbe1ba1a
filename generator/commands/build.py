"""The whole run: check → generate Markdown → MkDocs build, and the preview server.

`generate` is what the MkDocs plugin calls inside `mkdocs build` / `mkdocs serve`, so
both work straight from the repository root. `build_site` is `gongkai build`: it checks
the content first (printing every located problem and stopping on errors), then runs
MkDocs in strict mode into a staging folder beside the target and swaps it in only
when everything succeeded (`publish.py`: atomic swap, signals, stale folders), so a
failed or interrupted build never leaves a half-written site. SOURCE_DATE_EPOCH is
taken from the last commit when unset, so two builds of one commit are byte-identical.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from generator.commands.check import checked_corpus
from generator.corpus.errors import BuildError, GongkaiError, UsageError
from generator.corpus.validate import CheckResult, check_tree
from generator.data.xlsx import parse_epoch
from generator.history.cache import HistoryCache
from generator.publish.merge import MergeStats, merge
from generator.publish.swap import (
    Interrupted,
    interruptible,
    looks_like_part,
    looks_like_site,
    publish,
)
from generator.site.cache import BuildCache
from generator.site.parts import auto_parts, select
from generator.store import Store, open_store

if TYPE_CHECKING:
    from generator.plugin.events import GongkaiPlugin

log = logging.getLogger(__name__)

DEFAULT_CONFIG = "mkdocs.yml"


def source_date_epoch(root: Path) -> int | None:
    """SOURCE_DATE_EPOCH for the build, read once here: as set, else the last commit's time of `root`'s checkout."""
    epoch = parse_epoch(os.environ.get("SOURCE_DATE_EPOCH"))
    if epoch is not None:
        return epoch
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True, text=True, timeout=30
        )
        epoch = parse_epoch(proc.stdout.strip()) if proc.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        epoch = None
    if epoch is None:
        log.info("不在 git 仓库中且未设置 SOURCE_DATE_EPOCH：生成结果中的时间取当前时间")
    return epoch


@contextlib.contextmanager
def mkdocs_epoch(epoch: int | None) -> Iterator[None]:
    """SOURCE_DATE_EPOCH in the environment while MkDocs builds: MkDocs reads it there itself (its
    build date and the sitemap.xml.gz time). gongkai's own code gets `epoch` as an argument."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def build_site(
    config_file: Path = Path(DEFAULT_CONFIG),
    site_dir: Path | None = None,
    out: TextIO | None = None,
    part_spec: str | None = None,
    parts: int | None = None,
    checked: CheckResult | None = None,
    epoch: int | None = None,
    cache_dir: Path | None = None,
    no_cache: bool = False,
    walked: HistoryCache | None = None,
) -> int:
    """`gongkai build`: exit code 0 on success, else the stopping error's (`corpus.errors`).

    With `part_spec` ('2/3'), only that part of the site is built (site/parts.py);
    `merge_sites` puts the built parts together. With `parts` > 1 (by default: 2 for a large
    corpus on a machine with 2 cores or more, `parts.auto_parts`) the parts are built at once
    in as many processes and merged. `checked` is a check already done (by the parent of a part), `epoch`
    its SOURCE_DATE_EPOCH (else read here, `source_date_epoch`). `cache_dir`: the persistent build
    cache (default: the plugin's cache_dir, `.cache/gongkai/` beside mkdocs.yml); `no_cache`: a cold
    build that neither reads nor writes it; `walked`: the history the parent of a part read before
    forking it (one walk of the git history for all parts)."""
    stream = out if out is not None else sys.stderr
    where = _CacheChoice(cache_dir, no_cache)
    return _run(
        stream,
        "生成",
        lambda: _build(config_file.resolve(), site_dir, stream, part_spec, parts, checked, epoch, where, walked),
    )


@dataclass(frozen=True)
class _CacheChoice:
    folder: Path | None  # None: the plugin's cache_dir
    off: bool

    def open(self, root: Path, plugin: GongkaiPlugin) -> Store | None:
        if self.off or (self.folder is None and not plugin.config.cache):
            return None
        return open_store(self.folder.resolve() if self.folder else root / plugin.config.cache_dir)


def merge_sites(parts: list[Path], site_dir: Path, out: TextIO | None = None) -> int:
    """`gongkai merge`: the built parts → one site at `site_dir`, swapped in whole (publish/swap.py)."""
    stream = out if out is not None else sys.stderr
    return _run(stream, "合并", lambda: _merge(parts, site_dir))


def _run(stream: TextIO, what: str, action: Callable[[], str]) -> int:
    """Run a command's `action` with signals handled; how it stops becomes a message and an exit code.

    The one place where errors meet the terminal: a `GongkaiError` says what to do in its
    own words, an interruption whether the new site was published, and anything else is a
    bug in gongkai or a broken template — reported in one line, the published site kept."""
    try:
        with interruptible():
            done = action()
    except Interrupted as exc:
        state = "新网站已完整替换原网站" if exc.published else "原网站未改动"
        stream.write(f"{what}被中断（{exc}），{state}\n")
        return exc.exit_code
    except BuildError as exc:
        stream.write(f"网站{what}失败：{exc}\n原网站未改动\n")
        return exc.exit_code
    except GongkaiError as exc:
        stream.write(f"{exc}\n")
        return exc.exit_code
    except Exception as exc:  # a bug or a broken template/theme: report it, keep the old site
        log.debug("网站%s失败", what, exc_info=exc)
        stream.write(f"网站{what}失败（{type(exc).__name__}：{exc}），原网站未改动\n")
        return 1
    stream.write(done)
    return 0


def _build(
    config_file: Path,
    site_dir: Path | None,
    stream: TextIO,
    part_spec: str | None,
    parts: int | None,
    checked: CheckResult | None,
    epoch: int | None,
    where: _CacheChoice,
    walked: HistoryCache | None = None,
) -> str:
    """Check, then build the site (or one part of it) and publish it; the line that says what was done."""
    from mkdocs.config import load_config

    from generator.plugin.events import GongkaiPlugin

    root = config_file.parent
    probe = _mkdocs(lambda: load_config(config_file=str(config_file)))
    plugin = probe.plugins.get("gongkai")
    if not isinstance(plugin, GongkaiPlugin):
        raise UsageError(f"{config_file}: 没有启用 gongkai 插件（plugins: - gongkai）")
    store = where.open(root, plugin)
    # a one-off build: cold in memory, warm from the store (site/cache.py)
    cache = BuildCache(store=store) if walked is None else BuildCache(store=store, history=walked)
    result: CheckResult = checked or check_tree(root / plugin.config.content, cache.check)
    corpus = checked_corpus(result)
    if checked is None:
        for warning in result.warnings:
            stream.write(f"{warning}\n")

    target = (site_dir or Path(probe.site_dir)).resolve()
    count = parts if parts is not None else auto_parts(corpus)
    if epoch is None:
        epoch = source_date_epoch(root)
    if part_spec is None and count > 1:
        if plugin.config.history:  # walked once here; the forked parts reuse it (their plugin reads cache.history)
            cache.history.read(root / plugin.config.content)
        done = _build_in_parts(config_file, target, count, result, epoch, where, cache.history, store)
        if store is not None:
            store.prune()  # once, after every part: what they used since this run began is kept
        return done
    part = select(corpus, part_spec) if part_spec else None

    def run_mkdocs(staging: Path) -> None:
        from mkdocs.commands.build import build

        config = _mkdocs(lambda: load_config(config_file=str(config_file), site_dir=str(staging), strict=True))
        gk = config.plugins["gongkai"]
        assert isinstance(gk, GongkaiPlugin)
        gk.preloaded = result  # checked above; the plugin does not check twice
        gk.part = part
        gk.cache = cache
        gk.own_store = False
        gk.prune = checked is None  # a part forked by `_build_in_parts` leaves pruning to its parent
        _mkdocs(lambda: build(config))

    with mkdocs_epoch(epoch):
        publish(target, run_mkdocs, looks_like_part if part else looks_like_site)
    if part is None:
        return f"网站已生成：{target}\n"
    years = "、".join(str(y) for y in sorted(part.years)) or "无"
    common = "；跨年度页面" if part.common else ""
    return f"网站分片 {part.label} 已生成：{target}（年度：{years}{common}）\n"


T = TypeVar("T")


def _mkdocs(step: Callable[[], T]) -> T:
    """A step of MkDocs; its own errors (config, strict-mode warnings, a plugin's) become a BuildError."""
    from mkdocs.exceptions import Abort, MkDocsException

    try:
        return step()
    except (Abort, MkDocsException) as exc:
        raise BuildError(str(exc)) from exc


def _build_in_parts(
    config_file: Path,
    target: Path,
    count: int,
    result: CheckResult,
    epoch: int | None,
    where: _CacheChoice,
    walked: HistoryCache,
    store: Store | None,
) -> str:
    """The `count` parts built at once, each in a process forked after the check, then merged.

    This is what a CI job matrix does across machines (one job per `--part`, one `merge`
    job), on one machine: MkDocs builds pages on one core, so the parts use them all."""
    import multiprocessing

    work = target.parent / f".{target.name}-parts"
    shutil.rmtree(work, ignore_errors=True)
    dirs = [work / f"part{i}" for i in range(1, count + 1)]
    context = multiprocessing.get_context("fork")  # the children start from the checked corpus
    when = epoch if epoch is not None else int(time.time())  # one time for every part: their shared files agree
    procs = [
        context.Process(
            target=_part_process, args=(config_file, d, f"{i}/{count}", result, when, where, walked), name=f"part{i}"
        )
        for i, d in enumerate(dirs, 1)
    ]
    try:
        for p in procs:
            p.start()
        for p in procs:
            p.join()
        codes = [p.exitcode for p in procs]
        if any(codes):
            failed = BuildError(f"有分片生成失败（退出码 {codes}）")
            failed.exit_code = next(c for c in codes if c) or 1
            raise failed
        return _merge(dirs, target, move=True, store=store)  # the parts are this build's own: their folders move whole
    finally:
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join()
        shutil.rmtree(work, ignore_errors=True)


def _part_process(
    config_file: Path,
    site_dir: Path,
    spec: str,
    result: CheckResult,
    epoch: int,
    where: _CacheChoice,
    walked: HistoryCache,
) -> None:
    sys.exit(
        build_site(
            config_file,
            site_dir,
            part_spec=spec,
            checked=result,
            epoch=epoch,
            cache_dir=where.folder,
            no_cache=where.off,
            walked=walked,
        )
    )


def _merge(parts: list[Path], site_dir: Path, move: bool = False, store: Store | None = None) -> str:
    stats: list[MergeStats] = []
    publish(site_dir.resolve(), lambda staging: stats.append(merge(parts, staging, move, store)))
    return f"已合并 {stats[0].parts} 个分片，共 {stats[0].files} 个文件：{site_dir}\n"


def serve_site(config_file: Path = Path(DEFAULT_CONFIG), dev_addr: str = "127.0.0.1:8000") -> int:
    """`gongkai serve`: MkDocs' preview server with live reload on content changes.

    MkDocs runs dirty: after a save it rebuilds only the pages the gongkai plugin marks
    (plugin/dirty.py: those whose Markdown changed, all of them when the site-wide settings
    did), instead of every page."""
    from mkdocs.commands.serve import serve

    serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True, build_type="dirty")
    return 0
