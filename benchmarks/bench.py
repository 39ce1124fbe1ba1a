"""`make bench`: build synthetic sites of 1,000 and 10,000 disclosures and time every stage.

Each stage runs in a fresh process (cold imports, empty output folders); wall time and
peak RSS are taken per process with os.wait4. Stages under 10 s are run three times and
the median is reported. The gongkai build and a bare MkDocs build of the same generated
Markdown (plugin removed, same theme) run side by side, so the overhead is a ratio.

    python benchmarks/bench.py              # N = 1,000 and 10,000, writes BENCHMARKS.md
    python benchmarks/bench.py --quick      # N = 200, prints only
    python benchmarks/bench.py --sizes 3000 --profile --no-write
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from siteinfo import SiteSize, machine, measure_site

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
REPORT = REPO / "BENCHMARKS.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
REPEAT_BELOW_S = 10.0
SEARCH_BENCH = HERE / "search_bench.py"  # the search engineer's first-query measurement
CACHE_BENCH = HERE / "cache_bench.py"  # the persistent build cache's rows (issue 15)
IMPORT_BENCH = HERE / "import_bench.py"  # `gongkai import` on a 50-page PDF, a 1,000-row workbook, 100 files
HISTORY_BENCH = HERE / "history_bench.py"  # the history walk of a 5-year repository of 10,000 disclosures
CHROMIUM = Path("/usr/bin/chromium")
FULL_STAGE = "MkDocs build, gongkai plugin (check + generate + MkDocs + search index)"
BARE_STAGE = "MkDocs build, bare (same Markdown, no plugin)"
INDEX_STAGE = "search index (Pagefind)"
PARTS_STAGE = "2 parts at once + merge (`gongkai build --part 1/2` ‖ `--part 2/2`; `gongkai merge`; CPU: all)"
SEED = 1
# Everything at the repository root that mkdocs.yml may refer to by a relative path.
NOT_LINKED = {"content", "site", "mkdocs.yml", "benchmarks", "tests", "BENCHMARKS.md"}


@dataclass
class Proc:
    wall: float
    cpu: float  # user + system seconds of the process and its waited-for children
    load: float  # 1-minute load average when it finished: other work on the machine skews wall times
    peak_mb: float
    inner: dict[str, Any]
    stdout: str
    stderr: str


@dataclass
class Stage:
    name: str
    runs: list[Proc]
    count: int  # items processed, for the rate
    unit: str
    wall_override: list[float] | None = None  # an inner timing instead of the process wall
    cpu_override: list[float] | None = None

    @property
    def wall(self) -> float:
        return statistics.median(self.wall_override or [r.wall for r in self.runs])

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpu_override or [r.cpu for r in self.runs])

    @property
    def load(self) -> float:
        return max(r.load for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return statistics.median(r.peak_mb for r in self.runs)

    @property
    def rate(self) -> float:
        return self.count / self.wall if self.wall else 0.0


@dataclass
class SizeResult:
    n: int
    stages: list[Stage] = field(default_factory=list)
    site: SiteSize | None = None
    bare_site: SiteSize | None = None
    search: str = ""  # the first-query table of benchmarks/search_bench.py for this site
    parts_wall: float = 0.0  # the 2 part builds, at once (the longer of the two)
    parts: list[Proc] = field(default_factory=list)
    merge: Proc | None = None
    default: Proc | None = None  # `gongkai build` as a user runs it
    default_parts: int = 1
    incremental_s: float = 0.0
    incremental_written: int = 0
    mkdocs_warnings: int = 0
    full_inner: dict[str, float] = field(default_factory=dict)  # one gongkai build's own stage timings
    pagefind_in_build: bool = False

    def stage(self, name: str) -> Stage:
        return next(s for s in self.stages if s.name == name)


def run(cmd: list[str], cwd: Path | None = None) -> Proc:
    """Run `cmd`, return its wall time, peak RSS (its own, via wait4) and the JSON it printed last."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{stderr[-3000:]}")
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    inner = json.loads(lines[-1]) if lines else {}
    cpu = usage.ru_utime + usage.ru_stime
    return Proc(wall, cpu, os.getloadavg()[0], usage.ru_maxrss / 1024, inner, stdout, stderr)


def run_together(cmds: list[list[str]], cwd: Path | None = None) -> tuple[float, list[Proc]]:
    """Start every command at once; (wall time until the last ends, each process's own measures)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "1700000000"}
    out: list[Proc] = []
    with contextlib.ExitStack() as stack:
        temp = tempfile.TemporaryFile
        files = [(stack.enter_context(temp()), stack.enter_context(temp())) for _ in cmds]
        start = time.perf_counter()
        pairs = zip(cmds, files, strict=True)
        procs = [subprocess.Popen(c, stdout=o, stderr=e, cwd=cwd, env=env) for c, (o, e) in pairs]
        for cmd, proc, (o, e) in zip(cmds, procs, files, strict=True):
            _pid, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            o.seek(0)
            e.seek(0)
            stdout, stderr = o.read().decode(errors="replace"), e.read().decode(errors="replace")
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"failed: {' '.join(cmd)}\n{stderr[-3000:]}")
            cpu = usage.ru_utime + usage.ru_stime
            out.append(Proc(wall, cpu, os.getloadavg()[0], usage.ru_maxrss / 1024, {}, stdout, stderr))
    return time.perf_counter() - start, out


def repeat(prepare: Callable[[], None], cmd: list[str], cwd: Path | None = None, runs: int = 3) -> list[Proc]:
    """Up to `runs` cold runs; a stage that takes 10 s or more runs once."""
    out: list[Proc] = []
    for _ in range(runs):
        prepare()
        out.append(run(cmd, cwd))
        if out[-1].wall >= REPEAT_BELOW_S:
            break
    return out


def rmtree(*paths: Path) -> Callable[[], None]:
    def go() -> None:
        for p in paths:
            shutil.rmtree(p, ignore_errors=True)

    return go


def make_root(work: Path, content: Path) -> Path:
    """A build folder shaped like the repository: mkdocs.yml copied, theme folders linked, content synthetic."""
    root = work / "root"
    root.mkdir()
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")  # every stage cold: no persistent build cache
    (root / "mkdocs.yml").write_text(
        text.replace("      output: .build/docs\n", "      output: .build/docs\n      cache: false\n")
    )
    for entry in REPO.iterdir():
        if not entry.name.startswith(".") and entry.name not in NOT_LINKED:
            (root / entry.name).symlink_to(entry)
    (root / "content").symlink_to(content)
    return root


def bare_config(root: Path, content: Path) -> Path:
    """mkdocs.yml without the gongkai plugin, reading the Markdown the plugin generated."""
    from mkdocs.utils.yaml import yaml_load
    from ruamel.yaml import YAML

    with open(root / "mkdocs.yml", encoding="utf-8") as f:
        parent = yaml_load(f)
    plugins = [p for p in parent.get("plugins", []) if p != "gongkai" and not (isinstance(p, dict) and "gongkai" in p)]
    site = YAML(typ="base").load((content / "site.yml").read_text(encoding="utf-8"))
    keys = {"site_name": "网站名称", "domain": "网站域名", "sponsor": "主办单位", "contact": "联系方式"}
    keys |= {"site_code": "网站标识码", "icp": "ICP备案号", "police": "公安备案号"}
    child = {
        "INHERIT": "mkdocs.yml",
        "site_name": site["网站名称"],
        "docs_dir": str(root / ".build" / "docs"),
        "plugins": plugins,
        "extra": {"gongkai": {k: site.get(v, "") for k, v in keys.items()}},
    }
    docs = root / ".build" / "docs"
    if not docs.is_dir():  # built in parts: the parts' docs folders together are the whole site's Markdown
        for part in sorted((root / ".build").glob("docs-part*")):
            shutil.copytree(part, docs, copy_function=os.link, dirs_exist_ok=True)
    path = root / "bare.yml"
    path.write_text(json.dumps(child, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def bench_size(n: int, work: Path, runs: int) -> SizeResult:
    res = SizeResult(n)
    content = work / "content"
    log(f"N={n}: synth")
    synth = run([PY, "-m", "benchmarks.synth", str(n), "-o", str(content), "--seed", str(SEED)])
    res.stages.append(Stage("synth (write YAML)", [synth], n, "disclosures"))
    log(f"N={n}: load+validate")
    check = repeat(lambda: None, [PY, str(HERE / "stage.py"), "check", str(content)], runs=runs)
    res.stages.append(Stage("load + validate (check_tree)", check, n, "disclosures"))

    log(f"N={n}: render Markdown")
    gen = work / "gen"
    render = repeat(rmtree(gen), [PY, str(HERE / "stage.py"), "render", str(content), str(gen)], runs=runs)
    files = render[0].inner["files"]
    res.stages.append(
        Stage(
            "render Markdown (generate)",
            render,
            files,
            "files",
            [r.inner["generate_s"] for r in render],
            [r.inner["generate_cpu_s"] for r in render],
        )
    )
    res.stages.append(Stage("load + validate + render, cold process", render, n, "disclosures"))

    root = make_root(work, content)
    site, bare_site = root / "site", root / "site-bare"
    log(f"N={n}: mkdocs build (gongkai)")
    mk = [PY, str(HERE / "stage.py"), "mkdocs", str(root / "mkdocs.yml"), str(site)]
    full = repeat(rmtree(root / ".build", site), mk, cwd=root, runs=runs)
    pages = measure_site(site).html_pages
    res.mkdocs_warnings = full[-1].inner["warnings"]
    res.full_inner = full[statistics.median_low(range(len(full)))].inner
    res.pagefind_in_build = (site / "pagefind").is_dir()
    res.stages.append(Stage(FULL_STAGE, full, pages, "pages"))

    log(f"N={n}: site in 2 parts built at once, then merged")
    parts_dir = work / "parts"
    gk = [PY, "-m", "generator.cli"]
    config = str(root / "mkdocs.yml")
    part_cmds = [[*gk, "build", "-f", config, "--part", f"{i}/2", "-d", str(parts_dir / str(i))] for i in (1, 2)]
    res.parts_wall, res.parts = run_together(part_cmds, cwd=root)
    merged = work / "merged"
    res.merge = run([*gk, "merge", str(parts_dir / "1"), str(parts_dir / "2"), "-d", str(merged)], cwd=root)
    shutil.rmtree(parts_dir, ignore_errors=True)
    together = [*res.parts, res.merge]  # one row: wall until merged, CPU of all, the largest process's peak
    whole = Proc(
        res.parts_wall + res.merge.wall,
        sum(p.cpu for p in together),
        max(p.load for p in together),
        max(p.peak_mb for p in together),
        {},
        "",
        "",
    )
    res.stages.append(Stage(PARTS_STAGE, [whole], pages, "pages"))
    shutil.rmtree(merged, ignore_errors=True)

    log(f"N={n}: gongkai build (default)")
    default_site = work / "default-site"
    res.default = run([*gk, "build", "-f", config, "-d", str(default_site)], cwd=root)
    res.default_parts = 2 if "已合并 2 个分片" in res.default.stderr else 1
    shutil.rmtree(default_site, ignore_errors=True)
    name = f"`gongkai build` as run by a user (here: {res.default_parts} part(s) at once)"
    res.stages.append(Stage(name, [res.default], pages, "pages"))

    log(f"N={n}: mkdocs build (bare)")
    bare_cfg = bare_config(root, content)
    bare_cmd = [PY, str(HERE / "stage.py"), "mkdocs", str(bare_cfg), str(bare_site)]
    bare = repeat(rmtree(bare_site), bare_cmd, root, runs)
    res.stages.append(Stage(BARE_STAGE, bare, pages, "pages"))

    log(f"N={n}: search index")
    if res.pagefind_in_build:  # the production indexer (generator/search.py), as the plugin runs it
        cmd = [PY, str(HERE / "stage.py"), "search", str(content), str(site)]
        pf = repeat(lambda: None, cmd, runs=runs)
        indexed = pf[0].inner["pages"]
        res.stages.append(Stage(INDEX_STAGE, pf, indexed, "pages", [r.inner["index_s"] for r in pf]))
    else:
        pf = repeat(rmtree(site / "pagefind"), [PY, "-m", "pagefind", "--site", str(site)], runs=runs)
        res.stages.append(Stage(INDEX_STAGE, pf, pages, "pages"))

    res.site, res.bare_site = measure_site(site), measure_site(bare_site)
    if CHROMIUM.exists() and (site / "search").is_dir() and SEARCH_BENCH.exists():
        log(f"N={n}: first queries (benchmarks/search_bench.py)")
        table = run([PY, str(SEARCH_BENCH), str(site), "--n", str(n)]).stdout.splitlines()
        res.search = "\n".join(line for line in table if line.startswith("|")) + "\n"

    log(f"N={n}: incremental")
    edited = next(p for p in sorted(content.glob("*/*/*.yml")) if "mubiao" not in p.name and p.name != "zipingjia.yml")
    rel = str(edited.relative_to(content))
    inc = run([PY, str(HERE / "stage.py"), "render", str(content), str(gen), "--edit", rel])
    res.incremental_s, res.incremental_written = inc.inner["incremental_s"], inc.inner["written"]
    return res


def profile(n: int, work: Path) -> str:
    """cProfile top entries for generation and for the gongkai MkDocs build."""
    content, root = work / "content", work / "root"
    out = io.StringIO()
    gen_stats, mk_stats = work / "gen.prof", work / "mkdocs.prof"
    run([PY, str(HERE / "stage.py"), "profile", str(content), str(work / "gen-prof"), str(gen_stats)])
    shutil.rmtree(root / ".build", ignore_errors=True)
    mk = [PY, "-m", "cProfile", "-o", str(mk_stats), str(HERE / "stage.py"), "mkdocs", str(root / "mkdocs.yml")]
    run([*mk, str(work / "site-prof")], cwd=root)
    for title, path in (("check + generate", gen_stats), ("mkdocs build with the gongkai plugin", mk_stats)):
        out.write(f"\n#### cProfile, {title}, N={n:,} (top 15 by own time)\n\n```\n")
        stats = pstats.Stats(str(path), stream=out)
        stats.strip_dirs().sort_stats("tottime").print_stats(15)
        out.write("```\n")
    text = out.getvalue()
    # keep the table, drop pstats' preamble lines about the file
    return "\n".join(line for line in text.splitlines() if not line.strip().endswith(".prof")) + "\n"


def full_build(res: SizeResult) -> float:
    full = res.stage(FULL_STAGE).wall
    return full if res.pagefind_in_build else full + res.stage(INDEX_STAGE).wall


def fmt_table(results: list[SizeResult]) -> str:
    lines: list[str] = []
    for res in results:
        full = res.stage(FULL_STAGE)
        bare = res.stage(BARE_STAGE)
        lines += [f"### N = {res.n:,} disclosures", ""]
        lines.append("| stage | wall s | rate | CPU s (process) | peak MB | runs | load avg |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|")
        for s in res.stages:
            lines.append(
                f"| {s.name} | {s.wall:.2f} | {s.rate:,.0f} {s.unit}/s | {s.cpu:.2f} | {s.peak_mb:,.0f} "
                f"| {len(s.runs)} | {s.load:.1f} |"
            )
        fi = res.full_inner
        lines += [
            "",
            f"- gongkai build / bare MkDocs build of the same Markdown: **{full.wall / bare.wall:.2f}×** "
            f"({full.wall:.1f} s vs {bare.wall:.1f} s, measured side by side)",
            f"- full build (generate + MkDocs + search index): **{full_build(res):.1f} s**"
            + (" = the gongkai MkDocs build, which runs the index" if res.pagefind_in_build else " (build + Pagefind)"),
            f"- inside one gongkai build: check {fi.get('check_tree_s', 0):.1f} s, generate "
            f"{fi.get('generate_s', 0):.1f} s, search index {fi.get('build_index_s', 0):.1f} s, sitemap "
            f"{fi.get('write_sitemap_s', 0):.1f} s, MkDocs itself {fi.get('mkdocs_own_s', 0):.1f} s "
            f"(of {fi.get('build_s', 0):.1f} s; the rest of the wall time is interpreter start and imports)",
            f"- after editing one YAML file: regeneration {res.incremental_s:.2f} s in the running process "
            f"(as `mkdocs serve` does it), {res.incremental_written} files rewritten",
        ]
        if res.merge is not None:
            each = "; ".join(
                f"part {i}: {p.wall:.1f} s wall, {p.cpu:.1f} s CPU, peak {p.peak_mb:,.0f} MB"
                for i, p in enumerate(res.parts, 1)
            )
            lines.append(
                f"- in 2 parts: both built at once in {res.parts_wall:.1f} s ({each}), merged in "
                f"{res.merge.wall:.1f} s (peak {res.merge.peak_mb:,.0f} MB): "
                f"**{res.parts_wall + res.merge.wall:.1f} s** "
                f"for the whole site; both parts together peak at most {sum(p.peak_mb for p in res.parts):,.0f} MB"
            )
        if res.site and res.bare_site:
            s, b = res.site, res.bare_site
            if s.html_pages != b.html_pages:
                lines.append(f"- **bare build: {b.html_pages:,} HTML pages, gongkai build: {s.html_pages:,}**")
            lines += [
                f"- site: {s.bytes / 1e6:,.1f} MB in {s.files:,} files ({s.html_pages:,} HTML pages; "
                f"Pagefind {s.pagefind_bytes / 1e6:,.1f} MB)",
                f"- HTML per disclosure page: median {s.disclosure_html_median / 1024:.1f} KB, "
                f"max {s.disclosure_html_max / 1024:.1f} KB "
                f"(bare build: median {b.disclosure_html_median / 1024:.1f} KB); "
                f"primary nav {s.nav_primary_median / 1024:.1f} KB per page",
            ]
        if res.search:
            lines += ["", "First searches on this site (fresh headless Chromium, `benchmarks/search_bench.py`):", ""]
            lines.append(res.search)
        else:
            lines.append("- first search: not measured (no Chromium, or the site has no search page)")
        if res.mkdocs_warnings:
            lines.append(f"- MkDocs printed {res.mkdocs_warnings} warnings")
        lines.append("")
    return "\n".join(lines)


def fmt_targets(results: list[SizeResult]) -> str:
    big = results[-1]
    lvr = big.stage("load + validate + render, cold process")
    peak = max(s.peak_mb for r in results for s in r.stages)
    full = full_build(big)
    html = [f"{r.site.disclosure_html_median / 1024:.1f} KB (N={r.n:,})" for r in results if r.site]
    html_ok = all(r.site and r.site.disclosure_html_median <= 40 * 1024 for r in results)
    rows = [
        ("load + validate + render ≥ 2,000 disclosures/s, cold", f"{lvr.rate:,.0f}/s", lvr.rate >= 2000),
        ("HTML per disclosure page ≤ 40 KB, flat as N grows", ", ".join(html), html_ok),
        ("peak memory ≤ 2 GB (any one process)", f"{peak:,.0f} MB", peak <= 2048),
        ("full build (generate + MkDocs + search) ≤ 90 s, 1 process", f"{full:.1f} s", full <= 90),
        (
            "full build, 2 parts at once + merge (2 cores)",
            f"{big.parts_wall + (big.merge.wall if big.merge else 0):.1f} s",
            big.parts_wall + (big.merge.wall if big.merge else 0) <= 90,
        ),
        (
            f"full build, `gongkai build` ({big.default_parts} part(s), as a user runs it)",
            f"{big.default.wall:.1f} s" if big.default else "—",
            big.default is not None and big.default.wall <= 90,
        ),
        ("one YAML edit: regeneration ≤ 2 s (running process)", f"{big.incremental_s:.2f} s", big.incremental_s <= 2),
    ]
    out = [f"### Targets of issue 5 at N = {big.n:,}", "", "| target | measured | met |", "|---|---:|:---:|"]
    out += [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in rows]
    return "\n".join(out) + "\n"


def report(results: list[SizeResult], info: dict[str, str], extra: str) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = (
        f"Generated by `make bench` on {when}, commit {info['commit']}.  \n"
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM, {info['os']}; "
        f"Python {info['python']}, MkDocs {info['mkdocs']}, Material {info['mkdocs-material']}, "
        f"Pagefind {info['pagefind']}.  \n"
        f"Corpus: `python -m benchmarks.synth N --seed {SEED}` (years 2021–2025). "
        f"Wall = whole process (interpreter start, "
        f"imports, work) unless the stage is an inner timing; CPU = user + system time of that process; "
        f"peak = its max RSS; load avg = the machine's 1-minute load when the stage ended (above "
        f"{os.cpu_count()} other work was competing and wall times are inflated; CPU times much less so).\n"
    )
    return f"{head}\n{fmt_targets(results)}\n{fmt_table(results)}{extra}"


def write_report(body: str) -> None:
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text += f"\n{BEGIN}\n{END}\n"
    before, rest = text.split(BEGIN, 1)
    after = rest.split(END, 1)[1]
    REPORT.write_text(f"{before}{BEGIN}\n{body}{END}{after}", encoding="utf-8")


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="gongkai scale benchmark (issue 5)")
    parser.add_argument("--quick", action="store_true", help="N=200 only, no report written")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per stage under 10 s (median reported)")
    parser.add_argument("--profile", action="store_true", help="add cProfile top entries for the largest N")
    parser.add_argument("--no-write", action="store_true", help=f"print only, do not update {REPORT.name}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary build folders")
    args = parser.parse_args(argv)
    sizes = [200] if args.quick else args.sizes
    write = not (args.quick or args.no_write)

    base = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    results: list[SizeResult] = []
    extra = ""
    try:
        for n in sizes:
            work = base / f"n{n}"
            work.mkdir()
            results.append(bench_size(n, work, args.runs))
        # The persistent build cache (issue 15), on the largest corpus: cold, one edit and a template change
        # with the cache in fresh processes, `mkdocs serve` after one edit, bare MkDocs and Hugo.
        log(f"N={sizes[-1]}: build cache (benchmarks/cache_bench.py)")
        cmd = [PY, str(CACHE_BENCH), str(sizes[-1]), "--content", str(base / f"n{sizes[-1]}" / "content")]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        extra += "\n" + done.stdout if done.returncode == 0 else f"\nBuild cache rows failed: {done.stderr[-800:]}\n"
        if args.profile:
            log(f"N={sizes[-1]}: profile")
            try:
                extra += profile(sizes[-1], base / f"n{sizes[-1]}")
            except SystemExit as exc:  # a failed profile run must not lose the measurements above
                extra += f"\nProfile failed: {str(exc).splitlines()[0]}\n"
    finally:
        if args.keep:
            log(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    body = report(results, machine(), extra)
    print(body)
    if write:
        write_report(body)
        log(f"wrote {REPORT}")
    log("import benchmark")
    subprocess.run([PY, str(IMPORT_BENCH), *([] if write else ["--no-write"])], check=False)
    log("history benchmark")
    history_args = ["--size", "200", "--runs", "1"] if args.quick else []
    subprocess.run([PY, str(HISTORY_BENCH), *history_args, *([] if write else ["--no-write"])], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
