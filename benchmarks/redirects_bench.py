"""`make bench` (old addresses): the redirect pages of a 5-year repository of 10,000 disclosures.

The repository is made like the history benchmark's (benchmarks/history_bench.py), from the
synthetic corpus over five years, but kept valid at its last commit (a site is built from it):
every file published in a commit of its own, then, each in a commit of its own, one disclosure
in twenty renamed (项目名称), one in fifty moved to another file, and one unit in ten renamed
(its old name kept as 别名, as an author does, so its disclosures still find it: all its pages
move). Its history is read once (`read_history`) and its content checked once; then, in this
process, side by side: working out the old addresses (`site.redirects.old_addresses`: the
history's addresses → today's pages, the renamed units' year folders, the shadowing check) and
rendering their pages (`redirect_pages`) and writing them (`writer.sync_tree` into a fresh folder),
each the median of three runs, beside one `generate()` of the whole docs folder without them (no
history): what the redirect pages add to a build, as a share of the rest (measured in one run; a
difference of two whole `generate()` runs would drown in the noise of a shared machine).

    python benchmarks/redirects_bench.py                  # 10,000 disclosures; writes BENCHMARKS.md
    python benchmarks/redirects_bench.py --size 1000 --no-write
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from benchmarks.gitrepo import Commit, make_repo  # noqa: E402
from benchmarks.history_bench import NAME, START, YEAR  # noqa: E402
from benchmarks.synth import iter_tree  # noqa: E402
from benchmarks.synth.yaml_text import dump  # noqa: E402
from generator.corpus.validate import check_tree  # noqa: E402
from generator.history import History, read_history  # noqa: E402
from generator.site.generate import generate  # noqa: E402
from generator.site.redirects import old_addresses, redirect_pages  # noqa: E402
from generator.site.render import Renderer  # noqa: E402
from generator.site.summaries import summarize  # noqa: E402
from generator.site.writer import WriteCache, sync_tree  # noqa: E402

REPORT = REPO / "BENCHMARKS.md"
BEGIN, END = "<!-- redirects-bench:begin -->", "<!-- redirects-bench:end -->"
T = TypeVar("T")


def commits(n: int, seed: int = 1) -> Iterator[Commit]:
    """The benchmark repository's commits, oldest first (see the module docstring)."""
    rng = random.Random(seed)
    files = [(rel, dump(doc)) for rel, doc in iter_tree(n, seed=seed)]
    step = 5 * YEAR // (2 * len(files))
    clock = iter(range(START, START + 5 * YEAR, step))
    for rel, text in files:
        yield Commit(next(clock), f"publish {rel}", {f"content/{rel}": text.encode()})
    for rel, text in files:
        path, renames = f"content/{rel}", []
        if rel.startswith("units/"):
            if rng.random() >= 0.1 or "\n别名:" in text:
                continue
            name = NAME.search(text)
            assert name is not None
            edited = NAME.sub(lambda m: f"{m[1]}: {m[2]}（更名）\n别名: [{m[2]}]", text, count=1)
        elif rel == "site.yml":
            continue
        else:
            roll = rng.random()
            if roll < 0.05:
                edited = NAME.sub(lambda m: f"{m[1]}: {m[2]}（更正）", text, count=1)
            elif roll < 0.07:
                edited, new = text, path.replace(".yml", "-moved.yml")
                renames, path = [(path, new)], new
            else:
                continue
        yield Commit(next(clock), f"rename {rel}", {path: edited.encode()}, renames)


def timed(step: Callable[[], T], runs: int) -> tuple[float, T]:
    """The median wall seconds of `runs` calls of `step`, and the last call's value."""
    walls, value = [], None
    for _ in range(runs):
        start = time.perf_counter()
        value = step()
        walls.append(time.perf_counter() - start)
    assert value is not None
    return statistics.median(walls), value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gk-redirects-bench-") as tmp:
        content = make_repo(Path(tmp) / "repo", commits(args.size)) / "content"
        history = read_history(content)
        assert history.available, history.reason
        result = check_tree(content)
        assert result.corpus is not None, [str(p) for p in result.errors[:5]]
        corpus = result.corpus
        env = Renderer(corpus, summarize(corpus)).env
        plan_s, found = timed(lambda: old_addresses(corpus, history), args.runs)
        render_s, pages = timed(lambda: redirect_pages(corpus, found.targets, env), args.runs)
        size = sum(len(html.encode()) for html in pages.values())
        files = {path: html.encode() for path, html in pages.items()}
        folders = iter(range(args.runs))
        write_s, _ = timed(lambda: sync_tree(files, Path(tmp) / f"write{next(folders)}", WriteCache()), args.runs)
        start = time.perf_counter()
        generate(corpus, content, Path(tmp) / "docs", raw=result.raw, history=History.unavailable("bench"))
        generate_s = time.perf_counter() - start
    load = os.getloadavg()[0]
    added = plan_s + render_s + write_s
    line = (
        f"| {args.size:,} | {len(history.addresses):,} | {len(pages):,} | {size / 1e6:.1f} MB | {len(found.reused):,} "
        f"| {plan_s:.3f} s | {render_s:.3f} s | {write_s:.3f} s | {generate_s:.1f} s "
        f"| {added / generate_s:.1%} | {load:.1f} |"
    )
    table = (
        "| disclosures | old addresses (history) | redirect pages | their size | reused (warned) "
        "| old_addresses | redirect_pages | written (sync_tree) | generate() without them "
        "| added | load |\n|---|---|---|---|---|---|---|---|---|---|---|\n" + line
    )
    print(table)
    if not args.no_write:
        _write(table)
    return 0


def _write(table: str) -> None:
    from siteinfo import machine, replace_section

    info = machine()
    when = time.strftime("%Y-%m-%d")
    body = (
        f"{BEGIN}\n## Old addresses (redirect pages)\n\n"
        f"`python benchmarks/redirects_bench.py` on {when}, {info.get('cpu', '?')}, {info.get('nproc', '?')} cores. "
        "A 5-year repository made like the history benchmark's (renames, moves, renamed units with 别名); "
        "the old addresses worked out, their pages rendered and written (medians of 3), beside one "
        "`generate()` of the whole docs folder without them, in one process.\n\n"
        f"{table}\n{END}"
    )
    replace_section(REPORT, BEGIN, END, body)


if __name__ == "__main__":
    sys.exit(main())
