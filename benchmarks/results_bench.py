"""`make bench` (目标完成情况): what the 自评表 and their pages cost at 10,000 disclosures.

Two synthetic trees from one seed (benchmarks/synth): the same N disclosures of the other kinds,
one with a 项目支出绩效自评表 for about half of the 绩效目标表s (the default), one without
(`results=0`; its other files are byte-identical). Both are checked once; then, side by side in one
process and alternating (medians of `--repeat`): linking every 自评表 to its target
(`accountability.link`), the 目标完成情况 counts and lists (`site.results`), rendering all pages
(`Renderer.render_all`), and the data files (`data.downloads.build`); each round times every stage
of both trees one after the other, so a busy machine slows both alike. Sizes: the largest list of
indicators not met (results/<年度>/index.md) and the 完成情况 CSV.

    python benchmarks/results_bench.py                  # 10,000 disclosures; writes BENCHMARKS.md
    python benchmarks/results_bench.py --size 1000 --no-write
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from benchmarks.synth import synthesize  # noqa: E402
from generator.corpus.accountability import link  # noqa: E402
from generator.corpus.model import Corpus  # noqa: E402
from generator.corpus.validate import check_tree  # noqa: E402
from generator.data.downloads import DataCache, build  # noqa: E402
from generator.site.render import RenderCache, Renderer, results_summary  # noqa: E402
from generator.site.summaries import summarize  # noqa: E402

REPORT = REPO / "BENCHMARKS.md"
BEGIN, END = "<!-- results-bench:begin -->", "<!-- results-bench:end -->"


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def stages(corpus: Corpus) -> dict[str, Callable[[], object]]:
    summary = summarize(corpus)
    links = link(corpus.disclosures)
    return {
        "link": lambda: link(corpus.disclosures),
        "results": lambda: results_summary(summary, links.of_result),
        "render": lambda: Renderer(corpus, summary, cache=RenderCache()).render_all(),
        "data": lambda: build(corpus, DataCache()),
    }


def measure(corpora: dict[str, Corpus], repeat: int) -> dict[str, dict[str, float]]:
    """Median seconds per corpus and stage; the corpora alternate within each round (the same load for both)."""
    runs = {name: stages(corpus) for name, corpus in corpora.items()}
    times: dict[str, dict[str, list[float]]] = {name: {key: [] for key in runs[name]} for name in runs}
    for _ in range(repeat):
        for key in next(iter(runs.values())):
            for name, fns in runs.items():
                times[name][key].append(_time(fns[key]))
    return {name: {key: statistics.median(ts) for key, ts in by.items()} for name, by in times.items()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--no-write", action="store_true")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        stats = synthesize(args.size, Path(tmp) / "with", seed=1)
        synthesize(args.size, Path(tmp) / "without", seed=1, results=0)
        corpora = {name: check_tree(Path(tmp) / name).corpus for name in ("with", "without")}
    with_, without = corpora["with"], corpora["without"]
    assert with_ is not None and without is not None
    rows = measure({"without": without, "with": with_}, args.repeat)
    pages = Renderer(with_, summarize(with_)).render_all()
    lists = {k: len(v.encode()) for k, v in pages.items() if k.startswith("results/") and k.count("/") == 2}
    files, _ = build(with_, DataCache())
    csv = len(files["data/gongkai-all-results.csv"])
    comparisons = link(with_.disclosures).comparisons
    unmet = sum(1 for c in comparisons for r in c.rows if r.verdict.value == "未完成")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    load = os.getloadavg()[0]
    lines = [
        f"Measured by `python benchmarks/results_bench.py` on {stamp} (load {load:.1f}); "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. N = {args.size:,} disclosures of the "
        f"other kinds, plus {stats.project_evaluations:,} 项目支出绩效自评表 ({len(comparisons):,} linked, "
        f"{sum(len(c.rows) for c in comparisons):,} indicators, {unmet:,} not met); medians of {args.repeat} rounds, "
        "the two trees alternating stage by stage.",
        "",
        "| stage | without 自评表 | with 自评表 | ratio |",
        "|---|---:|---:|---:|",
    ]
    labels = {
        "link": "link every 自评表 to its target",
        "results": "目标完成情况 counts and lists",
        "render": "render every page",
        "data": "data files (`downloads.build`)",
    }
    for key, label in labels.items():
        a, b = rows["without"][key], rows["with"][key]
        ratio = f"{b / a:.2f}×" if a > 0.005 else ""
        lines.append(f"| {label} | {a:.3f} s | {b:.3f} s | {ratio} |")
    largest = max(lists, key=lambda k: lists[k])
    lines += [
        "",
        f"Lists of indicators not met: {len(lists)} pages, the largest `{largest}` {lists[largest] / 1024:.0f} KB of "
        f"Markdown; `gongkai-all-results.csv` {csv / 1024 / 1024:.1f} MB.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        report = REPORT.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{text}{END}"
        if BEGIN in report:
            head, rest = report.split(BEGIN, 1)
            report = head + block + rest.split(END, 1)[1]
        else:
            report = report.rstrip("\n") + "\n\n## 目标完成情况 (issue 16 §2)\n\n" + block + "\n"
        REPORT.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
