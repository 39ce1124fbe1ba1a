"""Search benchmark (issue 4): a citizen's first query on the built site, in headless Chromium.

For each query a fresh browser (empty cache) opens the 搜索 page, types the query and
submits it. Measured in the page (Resource Timing and a MutationObserver): the bytes
fetched from submitting until the first results are on screen, the time that took, and
the bytes once the filter counts are shown too. The site is served by Python's
http.server, which does not compress: the "gzip" column estimates what a server with
gzip on would send (Pagefind's index files are compressed already and count as they are).

Beside it: the size of the whole-text index (search/search_index.json) Material's built-in
search would ship for the same pages, from a MkDocs build of the same Markdown with the
`search` plugin on.

With `--index CONTENT`, the index stage itself is measured first: `build_index` on SITE in a
fresh process (the corpus loaded from CONTENT), its wall and CPU time, and the peak memory of
the whole process tree (Python and the Pagefind runs it starts), sampled every 0.1 s.

    python benchmarks/search_bench.py SITE [--index CONTENT] [--lunr-docs DOCS --lunr-config MKDOCS_YML] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gzip
import http.server
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPORT = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
BEGIN, END = "<!-- search:begin -->", "<!-- search:end -->"
GOAL_BYTES, GOAL_MS = 300 * 1024, 300.0
GOAL_REQUESTS = 20  # issue 15: a first query at 10,000 disclosures
# Issue 15's queries (Chinese, initials, a full pinyin word), measured before the ones taken from the site.
FIXED_QUERIES = ["信访", "劝返", "xfj", "教育局", "xinfangju"]

# Installed before the page's own scripts: the time the first result (or the no-results message) shows.
_OBSERVE_JS = """(() => {
  window.__gk = {first: null};
  const seen = () => {
    const list = document.querySelector('[data-gk-results]');
    const empty = document.querySelector('[data-gk-empty]');
    if (window.__gk.first === null && list && (list.children.length || (empty && !empty.hidden))) {
      window.__gk.first = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true, attributes: true});
})();"""

_SUBMIT_JS = """(q) => {
  window.__gk.first = null;
  window.__gk.t0 = performance.now();
  const input = document.querySelector('#gk-search-q');
  input.value = q;
  input.form.requestSubmit();
}"""

_RESOURCES_JS = """() => performance.getEntriesByType('resource').map((e) => (
  {url: e.name, size: e.encodedBodySize, start: e.startTime, end: e.responseEnd}))"""
_DONE_JS = "() => !document.querySelector('[data-gk-search-page]').hasAttribute('aria-busy')"


@dataclass(frozen=True)
class FirstQuery:
    query: str
    status: str  # what the page said (找到 N 条…)
    ms_link: float  # opening /search/?q=… (the header box) → first results on screen
    bytes_first: int  # search files fetched until then (Pagefind's and gk-search*.js)
    gzip_first: int  # the same, as a gzip-serving web server would send it
    requests_first: int
    bytes_done: int  # … once the filter counts show too
    ms_typed: float  # on the open 搜索 page (Pagefind started while typing): submit → first results
    bytes_typed: int  # fetched for the query itself in that case


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _gzip_size(site: Path, url: str, size: int, cache: dict[str, int]) -> int:
    path = unquote(urlsplit(url).path)
    if path not in cache:
        file = site / path.lstrip("/")
        data = file.read_bytes() if file.is_file() else b""
        already = data[:2] == b"\x1f\x8b" or file.suffix in {".png", ".jpg", ".gz"}
        cache[path] = size if already or not data else len(gzip.compress(data, 6))
    return cache[path]


def _search_file(url: str) -> bool:
    return "/pagefind/" in url or "/gk-search" in url  # gk-search-page.js (or its three parts), gk-search.css


def first_queries(site: Path, queries: list[str]) -> list[FirstQuery]:
    """For each query, two cold runs against the built site in `site` (fresh browser contexts)."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out: list[FirstQuery] = []
    gz_cache: dict[str, int] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)

            def fresh() -> Any:
                context = browser.new_context()
                context.add_init_script(_OBSERVE_JS)
                page = context.new_page()
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base) else r.abort())
                return context, page

            for query in queries:
                # 1. from the header box: /search/?q=… opened in a new browser
                context, page = fresh()
                page.goto(f"{base}search/?q={quote(query)}")
                page.wait_for_function("() => window.__gk.first !== null", timeout=120_000)
                page.wait_for_function(_DONE_JS, timeout=120_000)
                first = page.evaluate("() => window.__gk.first")
                resources = [r for r in page.evaluate(_RESOURCES_JS) if _search_file(r["url"])]
                status = page.locator("[data-gk-status]").inner_text()
                context.close()
                before = [r for r in resources if r["end"] <= first]

                # 2. typed on the open 搜索 page, Pagefind already started
                context, page = fresh()
                page.goto(base + "search/")
                page.wait_for_selector("[data-gk-ready]", state="attached", timeout=120_000)
                page.evaluate(_SUBMIT_JS, query)
                page.wait_for_function("() => window.__gk.first !== null", timeout=120_000)
                timing = page.evaluate("() => window.__gk")
                typed = [r for r in page.evaluate(_RESOURCES_JS) if r["start"] >= timing["t0"]]
                typed = [r for r in typed if r["end"] <= timing["first"]]
                context.close()

                out.append(
                    FirstQuery(
                        query=query,
                        status=status,
                        ms_link=first,
                        bytes_first=sum(r["size"] for r in before),
                        gzip_first=sum(_gzip_size(site, r["url"], r["size"], gz_cache) for r in before),
                        requests_first=len(before),
                        bytes_done=sum(r["size"] for r in resources),
                        ms_typed=timing["first"] - timing["t0"],
                        bytes_typed=sum(r["size"] for r in typed),
                    )
                )
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def lunr_index_bytes(config: Path, docs: Path) -> int:
    """Size of search/search_index.json from a MkDocs build of `docs` with Material's search plugin on.

    `config` is a mkdocs.yml for the same theme; the build uses it with `docs_dir` set to the
    already generated Markdown and only the `search` plugin (no gongkai plugin, no Pagefind).
    """
    with tempfile.TemporaryDirectory(prefix="gongkai-lunr-") as tmp:
        child = Path(tmp) / "mkdocs.yml"
        child.write_text(
            json.dumps(
                {"INHERIT": str(config), "docs_dir": str(docs), "site_dir": f"{tmp}/site", "plugins": ["search"]},
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        run = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(child)],
            capture_output=True,
            text=True,
            check=False,
            env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        )
        index = Path(tmp) / "site" / "search" / "search_index.json"
        if run.returncode != 0 or not index.is_file():
            raise SystemExit(f"lunr build failed: {run.stderr[-2000:]}")
        return index.stat().st_size


_INDEX_STAGE = """
import json, resource, sys, time
from pathlib import Path
from generator.search.index import build_index
from generator.corpus.validate import check_tree
def cpu():
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime
corpus = check_tree(Path(sys.argv[1])).corpus
t, c = time.perf_counter(), cpu()
stats = build_index(corpus, Path(sys.argv[2]))
print(json.dumps({"wall_s": time.perf_counter() - t, "cpu_s": cpu() - c, "pages": stats.pages,
                  "parts": len(stats.parts) or 1, "bytes": stats.bundle_bytes}))
"""


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc)."""
    pids, total, i = [pid], 0, 0
    while i < len(pids):
        try:
            children = Path(f"/proc/{pids[i]}/task/{pids[i]}/children").read_text()
            pids += [int(c) for c in children.split()]
            for line in Path(f"/proc/{pids[i]}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
        i += 1
    return total


def index_stage(content: Path, site: Path) -> dict[str, float]:
    """`build_index` on `site` in a fresh process: wall and CPU seconds of the stage, pages, parts,
    bundle bytes, and the peak resident memory of the process tree (`peak_bytes`)."""
    repo = Path(__file__).resolve().parent.parent
    child = subprocess.Popen(
        [sys.executable, "-c", _INDEX_STAGE, str(content), str(site)], cwd=repo, stdout=subprocess.PIPE, text=True
    )
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(child.pid))
        time.sleep(0.1)
    out = child.stdout.read() if child.stdout else ""
    if child.returncode != 0:
        raise SystemExit(f"index stage failed ({child.returncode})")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_bytes": peak}


def index_pages(site: Path) -> int:
    """Result pages in the site's search index (parts.json; an index of one bundle: its entry file)."""
    bundle = site / "pagefind"
    if (bundle / "parts.json").is_file():
        return int(json.loads((bundle / "parts.json").read_text(encoding="utf-8"))["pages"])
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(lang["page_count"] for lang in entry["languages"].values())


def sample_queries(site: Path) -> list[str]:
    """Queries taken from the site itself: a unit name, a phrase of a project name, pinyin
    initials and full pinyin of the unit's name, and a word that is on nearly every page; after
    FIXED_QUERIES."""
    page = next(iter(sorted(site.glob("2*/*/*/index.html"))))
    html = page.read_text(encoding="utf-8")
    name = re.sub(r"<[^>]+>|¶", "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)[1]).strip()  # type: ignore[index]
    unit = re.sub(r"<[^>]+>", "", re.search(r"<dt>单位</dt><dd>(.*?)</dd>", html, re.S)[1]).strip()  # type: ignore[index]
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from generator.search.index import pinyin_words

    words = pinyin_words(unit)
    initials = min((w for w in words if len(w) > 3 and not any(w == s for s in words[: len(unit)])), key=len)
    full = max(words, key=len)
    found = [unit, name[2:6] if len(name) >= 6 else name, initials, full, "经费"]
    return FIXED_QUERIES + [q for q in found if q not in FIXED_QUERIES]


def _stage_line(stage: dict[str, float]) -> str:
    return (
        f"Index stage (`build_index` in a fresh process, `--index`): {stage['pages']:,} pages in "
        f"{stage['parts']:.0f} parts, {stage['wall_s']:.1f} s wall, {stage['cpu_s']:.1f} s CPU, peak memory "
        f"{stage['peak_bytes'] / 1e9:.2f} GB (whole process tree), bundle {stage['bytes'] / 1e6:.1f} MB."
    )


def markdown(
    results: list[FirstQuery],
    lunr: int | None,
    n: int,
    pages: int,
    info: str,
    notes: str = "",
    stage: dict[str, float] | None = None,
) -> str:
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "## Search (issues 4 and 5)",
        "",
        f"Measured {when} by `benchmarks/search_bench.py` on the synthetic corpus "
        f"(`python -m benchmarks.synth {n} --seed 1`, {pages:,} result pages: disclosures and units). {info}",
        "",
        "Each query in a fresh headless Chromium (empty cache). *From the header box*: the 搜索 page opened "
        "with `?q=`; bytes of the search files (Pagefind's and gk-search.js) and time from opening the page "
        "until the first results are on screen, then the bytes once the filter counts show too. *Typed*: "
        "the 搜索 page already open (it starts Pagefind while the query is typed); time from submitting "
        "and bytes fetched for the query itself. The test server does not compress; the gzip column "
        f"estimates a server that does. Goal: ≤ {GOAL_BYTES // 1024} KB and ≤ {GOAL_MS:.0f} ms; "
        f"≤ {GOAL_BYTES // 1024} KB and ≤ {GOAL_REQUESTS} requests at 10,000 disclosures (issue 15, *budget*).",
        "",
        "| query | results | from the header box: KB | KB gzip | requests | budget | ms | with filter counts: KB "
        "| typed: ms | KB |",
        "|---|---|---:|---:|---:|:---:|---:|---:|---:|---:|",
    ]
    for r in results:
        met = "yes" if r.bytes_first <= GOAL_BYTES and r.requests_first <= GOAL_REQUESTS else "**no**"
        lines.append(
            f"| {r.query} | {r.status} | {r.bytes_first / 1024:,.0f} | {r.gzip_first / 1024:,.0f} | "
            f"{r.requests_first} | {met} | {r.ms_link:,.0f} | {r.bytes_done / 1024:,.0f} | {r.ms_typed:,.0f} | "
            f"{r.bytes_typed / 1024:,.0f} |"
        )
    if stage is not None:
        lines += ["", _stage_line(stage)]
    if lunr is not None:
        lines += [
            "",
            f"Material's built-in search for the same pages: `search/search_index.json` is "
            f"**{lunr / 1e6:,.1f} MB**, all of it fetched before the first result.",
        ]
    if notes:
        lines += ["", notes.strip()]
    return "\n".join(lines) + "\n"


def section(site: Path, n: int, config: Path | None = None, docs: Path | None = None, info: str = "") -> str:
    """The Search section for a built site; for bench.py: `search_bench.section(site, n, config, docs)`.

    Empty when Chromium is missing. With `config` and `docs` (the build's mkdocs.yml and its
    generated Markdown), Material's search_index.json size is measured too (one more MkDocs build).
    """
    if not CHROMIUM.exists():
        return ""
    results = first_queries(site, sample_queries(site))
    lunr = lunr_index_bytes(config, docs) if config and docs else None
    return markdown(results, lunr, n, index_pages(site), info)


def write_report(body: str) -> None:
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        text = f"{before}{BEGIN}\n{body}{END}{rest.split(END, 1)[1]}"
    else:
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n{body}{END}\n"
    REPORT.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="gongkai search benchmark (issue 4)")
    parser.add_argument("site", type=Path, help="a built site (gongkai build) with its Pagefind index")
    parser.add_argument("--n", type=int, default=0, help="disclosures in the corpus (for the report)")
    parser.add_argument("--queries", nargs="*", help="default: taken from the site")
    parser.add_argument("--lunr-config", type=Path, help="mkdocs.yml of the build, for Material's index size")
    parser.add_argument("--lunr-docs", type=Path, help="the generated Markdown folder of the build")
    parser.add_argument("--lunr-bytes", type=int, help="search_index.json size measured before (skips the build)")
    parser.add_argument("--info", default="", help="machine line for the report")
    parser.add_argument("--index", type=Path, metavar="CONTENT", help="first build the index of SITE, measured")
    parser.add_argument("--notes", type=Path, help="a Markdown file added under the table")
    parser.add_argument("--write", action="store_true", help=f"update the Search section of {REPORT.name}")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print("需要 Debian 的 chromium：apt-get install chromium", file=sys.stderr)
        return 1
    stage = index_stage(args.index, args.site) if args.index else None
    if stage:
        print(_stage_line(stage), file=sys.stderr)
    queries = args.queries or sample_queries(args.site)
    results = first_queries(args.site, queries)
    lunr = lunr_index_bytes(args.lunr_config, args.lunr_docs) if args.lunr_config and args.lunr_docs else None
    if args.lunr_bytes:
        lunr = args.lunr_bytes
    notes = args.notes.read_text(encoding="utf-8") if args.notes else ""
    body = markdown(results, lunr, args.n, index_pages(args.site), args.info, notes, stage)
    print(body)
    if args.write:
        write_report(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
