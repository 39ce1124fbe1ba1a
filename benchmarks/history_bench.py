"""`make bench` (history): the whole history walk of a 5-year repository of 10,000 disclosures.

The repository is made in one `git fast-import` (benchmarks/gitrepo.py) from the synthetic
corpus (benchmarks/synth): every file is published in a commit of its own, in year order
over five years, and then edited twice in later commits of its own (~3 commits per file):
once a figure (the first amount, +1万元; every tenth a row added), once its text; one file in
fifty is moved, one in twenty renamed (项目名称), one unit in ten renamed. Then
`read_history` (generator/history) runs in a fresh process three times: wall time (median),
peak RSS, commits and revisions. The target is ≤ 5 s (issue 16).

    python benchmarks/history_bench.py                  # 10,000 disclosures; writes BENCHMARKS.md
    python benchmarks/history_bench.py --size 1000 --no-write
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


def measure(content: Path) -> dict[str, float]:
    """`read_history` in a fresh process: wall seconds, peak RSS, counts."""
    code = (
        "import json, sys, time, resource\n"
        "from pathlib import Path\n"
        "from generator.history import read_history\n"
        "t = time.perf_counter()\n"
        "h = read_history(Path(sys.argv[1]))\n"
        "wall = time.perf_counter() - t\n"
        "assert h.available, h.reason\n"
        "revisions = sum(len(f.revisions) for f in h.files.values())\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps({'wall': wall, 'peak_mb': peak, 'commits': h.commits, 'files': len(h.files),"
        " 'revisions': revisions, 'addresses': len(h.addresses)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(content)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gk-history-bench-") as tmp:
        start = time.perf_counter()
        root = make_repo(Path(tmp) / "repo", commits(args.size))
        made = time.perf_counter() - start
        runs = [measure(root / "content") for _ in range(args.runs)]
    wall = statistics.median(r["wall"] for r in runs)
    last = runs[-1]
    load = os.getloadavg()[0]
    walls = ", ".join(f"{r['wall']:.2f}" for r in runs)
    line = (
        f"| {args.size:,} | {last['commits']:,.0f} | {last['revisions']:,.0f} | {last['addresses']:,.0f} "
        f"| **{wall:.2f} s** ({walls}) | {last['peak_mb']:.0f} MB "
        f"| {made:.1f} s | {load:.1f} |"
    )
    table = (
        "| disclosures | commits | revisions | old addresses | history walk (median of runs) | peak RSS "
        "| repository made (fast-import) | load |\n|---|---|---|---|---|---|---|---|\n" + line
    )
    print(table)
    if not args.no_write:
        _write(table)
    return 0


def _write(table: str) -> None:
    from siteinfo import machine

    info = machine()
    when = time.strftime("%Y-%m-%d")
    body = (
        f"{BEGIN}\n## History walk (修订记录 and old addresses)\n\n"
        f"`python benchmarks/history_bench.py` on {when}, {info.get('cpu', '?')}, {info.get('nproc', '?')} cores. "
        "One `git log` and one `git cat-file --batch` over a 5-year repository "
        "(each file published, then edited twice, in commits of their own); target ≤ 5 s.\n\n"
        f"{table}\n{END}"
    )
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + body + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    REPORT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
