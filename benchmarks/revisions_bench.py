"""What 修订记录 costs a build: the pages, the feed and the sitemap with the history and without it.

The repository of `history_bench.py` (N disclosures over five years, every file edited twice
after publication) and its history, read once, beside the corpus of the same synthetic tree as
first published (its later edits are not all valid content; the 2% of files moved since have no
history under their first path, so their pages say 暂无修订记录); then, alternately in one process,
`Renderer.render_all()` + `atom_feed` + `sitemap_entries` with the history and with
`History.unavailable` (a cold RenderCache each time), `--runs` times each. Medians and their ratio.

    python benchmarks/revisions_bench.py                 # 10,000 disclosures; writes BENCHMARKS.md
    python benchmarks/revisions_bench.py --size 1000 --no-write
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from benchmarks.gitrepo import make_repo  # noqa: E402
from benchmarks.history_bench import commits  # noqa: E402
from benchmarks.synth import iter_tree  # noqa: E402
from benchmarks.synth.yaml_text import dump  # noqa: E402
from generator.corpus.model import Corpus  # noqa: E402
from generator.corpus.validate import check_tree  # noqa: E402
from generator.data.feed import atom_feed, sitemap_entries  # noqa: E402
from generator.history import History, read_history  # noqa: E402
from generator.site.render import Renderer  # noqa: E402
from generator.site.summaries import summarize  # noqa: E402

REPORT = REPO / "BENCHMARKS.md"
BEGIN, END = "<!-- revisions-bench:begin -->", "<!-- revisions-bench:end -->"


def once(corpus: Corpus, history: History) -> tuple[float, int]:
    """Seconds for the pages, feed and sitemap entries; bytes of the pages."""
    start = time.perf_counter()
    pages = Renderer(corpus, summarize(corpus), history=history).render_all()
    atom_feed(corpus, history=history)
    sitemap_entries(corpus, [p.removesuffix("index.md") for p in pages], history)
    return time.perf_counter() - start, sum(len(t.encode()) for t in pages.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gk-revisions-bench-") as tmp:
        root = make_repo(Path(tmp) / "repo", commits(args.size))
        tree = Path(tmp) / "first"
        for rel, doc in iter_tree(args.size, seed=1):  # history_bench's seed
            (tree / rel).parent.mkdir(parents=True, exist_ok=True)
            (tree / rel).write_text(dump(doc), encoding="utf-8")
        result = check_tree(tree)
        assert result.corpus is not None, [str(p) for p in result.errors[:5]]
        corpus = result.corpus
        start = time.perf_counter()
        history = read_history(root / "content")
        walk = time.perf_counter() - start
        assert history.available, history.reason
    without = History.unavailable("benchmark")
    times: dict[str, list[float]] = {"with": [], "without": []}
    size: dict[str, int] = {}
    for _ in range(args.runs):  # alternated, so a change of machine load meets both
        for name, h in (("without", without), ("with", history)):
            seconds, size[name] = once(corpus, h)
            times[name].append(seconds)
    med = {k: statistics.median(v) for k, v in times.items()}
    revisions = sum(len(f.revisions) for f in history.files.values())
    load = os.getloadavg()[0]
    row = (
        f"| {len(corpus.disclosures):,} | {revisions:,} | {walk:.2f} s "
        f"| {med['without']:.2f} s ({', '.join(f'{t:.2f}' for t in times['without'])}) "
        f"| **{med['with']:.2f} s** ({', '.join(f'{t:.2f}' for t in times['with'])}) "
        f"| **{med['with'] / med['without']:.2f}×** | {size['without'] / 1e6:.1f} → {size['with'] / 1e6:.1f} MB "
        f"| {load:.1f} |"
    )
    table = (
        "| disclosures | revisions | history walk | pages + feed + sitemap, no history | with 修订记录 "
        "| ratio | Markdown pages | load |\n|---|---|---|---|---|---|---|---|\n" + row
    )
    print(table)
    if not args.no_write:
        _write(table, args.runs)
    return 0


def _write(table: str, runs: int) -> None:
    from siteinfo import machine, replace_section

    info = machine()
    when = time.strftime("%Y-%m-%d")
    body = (
        f"{BEGIN}\n## 修订记录 on the pages\n\n"
        f"`python benchmarks/revisions_bench.py` on {when}, {info.get('cpu', '?')}, {info.get('nproc', '?')} cores. "
        "The history_bench repository; `Renderer.render_all` + `atom_feed` + `sitemap_entries` (cold render cache) "
        f"without and with the history, alternated in one process, median of {runs}.\n\n"
        f"{table}\n{END}"
    )
    replace_section(REPORT, BEGIN, END, body)


if __name__ == "__main__":
    raise SystemExit(main())
