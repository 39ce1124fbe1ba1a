"""`make bench` (history): the whole history walk of a 5-year repository of 10,000 disclosures.

The repository is made in one `git fast-import` (benchmarks/gitrepo.py) from the synthetic
corpus (benchmarks/synth): every file is published in a commit of its own, in year order
over five years, and then edited twice in later commits of its own (~3 commits per file):
once a figure (the first amount, +1万元; every tenth a row added), once its text; one file in
fifty is moved, one in twenty renamed (项目名称), one unit in ten renamed. Then
`read_history` (generator/history) runs in a fresh process three times: wall time (median),
peak RSS, commits and revisions, in 1 and 2 processes, and with `--baseline` the same for earlier
code side by side (the runs interleaved). The target is ≤ 5 s (issue 16). `make bench` runs it.

    python benchmarks/history_bench.py                  # 10,000 disclosures; writes BENCHMARKS.md
    python benchmarks/history_bench.py --size 1000 --no-write
    git worktree add /tmp/before <commit> && python benchmarks/history_bench.py --baseline /tmp/before
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from benchmarks.gitrepo import Commit, make_repo  # noqa: E402
from benchmarks.synth import iter_tree  # noqa: E402
from benchmarks.synth.yaml_text import dump  # noqa: E402

REPORT = REPO / "BENCHMARKS.md"
BEGIN, END = "<!-- history-bench:begin -->", "<!-- history-bench:end -->"
START = 1609459200  # 2021-01-01
YEAR = 365 * 86400
AMOUNT = re.compile(r"(合计|金额|本年度预算金额|支出合计): (\d+(?:\.\d+)?)万元")
NAME = re.compile(r"^(项目名称|名称): (.+)$", re.M)


def commits(n: int, seed: int = 1) -> Iterator[Commit]:
    """The benchmark repository's commits, oldest first."""
    rng = random.Random(seed)
    files = [(rel, dump(doc)) for rel, doc in iter_tree(n, seed=seed)]
    total = 3 * len(files)
    step = 5 * YEAR // total
    clock = iter(range(START, START + 5 * YEAR, step))
    yield Commit(next(clock), "site", {"content/site.yml": files[0][1].encode()})
    later: list[tuple[str, str]] = []
    for rel, text in files[1:]:
        yield Commit(next(clock), f"publish {rel}", {f"content/{rel}": text.encode()})
        later.append((rel, text))
    for i, (rel, text) in enumerate(later):  # a figure
        edited = AMOUNT.sub(lambda m: f"{m[1]}: {float(m[2]) + 1:g}万元", text, count=1)
        if rng.random() < 0.1 and "  明细:\n" in edited:
            edited = edited.replace("  明细:\n", "  明细:\n    - 名称: 新增项\n      金额: 1万元\n", 1)
        yield Commit(next(clock), f"figure {rel}", {f"content/{rel}": edited.encode()})
        later[i] = (rel, edited)
    for rel, text in later:  # the text, a name, a move
        edited = text.replace("。", "；", 1)
        if rng.random() < (0.1 if rel.startswith("units/") else 0.05):
            edited = NAME.sub(lambda m: f"{m[1]}: {m[2]}（更正）", edited, count=1)
        renames = []
        path = f"content/{rel}"
        if not rel.startswith("units/") and rng.random() < 0.02:
            new = path.replace(".yml", "-moved.yml")
            renames, path = [(f"content/{rel}", new)], new
        yield Commit(next(clock), f"text {rel}", {path: edited.encode()}, renames)


def measure(content: Path, code: Path = REPO, processes: int | None = None) -> dict[str, float]:
    """`read_history` in a fresh process of the generator/ in `code`: wall and CPU seconds, peak RSS, counts."""
    call = (
        "read_history(Path(sys.argv[1]))"
        if processes is None
        else f"read_history(Path(sys.argv[1]), processes={processes})"
    )
    snippet = (
        "import json, os, sys, time, resource\n"
        "from pathlib import Path\n"
        "from generator.history import read_history\n"
        "t = time.perf_counter()\n"
        f"h = {call}\n"
        "wall = time.perf_counter() - t\n"
        "assert h.available, h.reason\n"
        "me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "revisions = sum(len(f.revisions) for f in h.files.values())\n"
        "print(json.dumps({'wall': wall, 'cpu': me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,"
        " 'peak_mb': me.ru_maxrss / 1024, 'child_peak_mb': kids.ru_maxrss / 1024, 'load': os.getloadavg()[0],"
        " 'commits': h.commits, 'files': len(h.files), 'revisions': revisions, 'addresses': len(h.addresses)}))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-c", snippet, str(content)], capture_output=True, text=True, check=True, cwd=code, env=env
    )
    return json.loads(out.stdout)


@dataclass
class Variant:
    name: str
    code: Path
    processes: int | None
    runs: list[dict[str, float]] = field(default_factory=list)

    def median(self, key: str) -> float:
        return statistics.median(r[key] for r in self.runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="a checkout of earlier code (git worktree) measured side by side")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    variants = [Variant("this commit", REPO, None), Variant("this commit, 1 process", REPO, 1)]
    if args.baseline is not None:
        commit = _commit(args.baseline)
        variants.append(Variant(f"baseline {commit}", args.baseline.resolve(), None))
    with tempfile.TemporaryDirectory(prefix="gk-history-bench-") as tmp:
        start = time.perf_counter()
        root = make_repo(Path(tmp) / "repo", commits(args.size))
        made = time.perf_counter() - start
        for _ in range(args.runs):  # interleaved, so that a busy minute of the machine hits every variant
            for v in variants:
                v.runs.append(measure(root / "content", v.code, v.processes))
    first = variants[0].runs[-1]
    for v in variants[1:]:
        got = {k: v.runs[-1][k] for k in ("commits", "files", "revisions", "addresses")}
        assert got == {k: first[k] for k in got}, f"{v.name} read another history: {got}"
    head = (
        f"{args.size:,} disclosures: {first['commits']:,.0f} commits, {first['revisions']:,.0f} revisions, "
        f"{first['addresses']:,.0f} old addresses; repository made by `git fast-import` in {made:.0f} s.\n\n"
        "| code | history walk, wall (median; runs) | CPU s, all processes (median) "
        "| peak RSS (main / largest child: git or the second process) "
        "| load avg | vs this commit |\n|---|---|---:|---:|---:|---:|\n"
    )
    rows = []
    for v in variants:
        walls = ", ".join(f"{r['wall']:.2f}" for r in v.runs)
        worker = max(r["child_peak_mb"] for r in v.runs)
        rows.append(
            f"| {v.name} | **{v.median('wall'):.2f} s** ({walls}) | {v.median('cpu'):.1f} "
            f"| {v.median('peak_mb'):.0f} / {worker:.0f} MB | {v.median('load'):.1f} "
            f"| {v.median('wall') / variants[0].median('wall'):.2f}× |"
        )
    table = head + "\n".join(rows)
    print(table)
    if not args.no_write:
        _write(table)
    return 0


def _commit(checkout: Path) -> str:
    out = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return out.stdout.strip() or checkout.name


def _write(table: str) -> None:
    from siteinfo import machine, replace_section

    info = machine()
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    body = (
        f"{BEGIN}\n## History walk (修订记录 and old addresses)\n\n"
        f"`python benchmarks/history_bench.py` (also run by `make bench`) on {when}, commit {_commit(REPO)}, "
        f"{info.get('cpu', '?')}, {info.get('nproc', '?')} cores. One `git log`, then each file's versions compared "
        "in order (`git cat-file --batch`; from 3,000 versions on, half the files in a second process) over a 5-year "
        "repository (each file published, then edited twice, in commits of their own); target ≤ 5 s. Each run is a "
        "fresh process; the variants run interleaved, side by side. Wall times count only when the load is below "
        "the 2 cores; the CPU column is the steadier one on a shared machine.\n\n"
        f"{table}\n{END}"
    )
    replace_section(REPORT, BEGIN, END, body)


if __name__ == "__main__":
    sys.exit(main())
