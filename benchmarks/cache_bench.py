"""The persistent build cache (issue 15), side by side in one run: cold, warm after one edit, a template
change, `gongkai serve` (MkDocs dirty, plugin/dirty.py) after one edit, and bare MkDocs and Hugo on the same Markdown.

    python benchmarks/cache_bench.py 10000            # synthesises the corpus, prints a Markdown table
    python benchmarks/cache_bench.py 10000 --content DIR --no-serve

Every build is `gongkai build` in a fresh process (interpreter start, imports, check, MkDocs,
Pagefind, publish), measured by bench.run (wall, CPU, peak RSS). The tree is a copy: content,
mkdocs.yml, site_templates/ and overrides/ of its own, so edits never touch the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import PY, REPO, SEED, Proc, bare_config, log, run
from siteinfo import measure_site

HUGO = shutil.which("hugo")
HUGO_LAYOUT = "<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n"
HUGO_CONFIG = """baseURL = "/"
languageCode = "zh-cn"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = true
[markup.goldmark.parser.attribute]
block = true
"""


def make_tree(work: Path, content: Path) -> Path:
    root = work / "root"
    root.mkdir()
    shutil.copytree(content, root / "content", symlinks=True)
    shutil.copytree(REPO / "site_templates", root / "site_templates")
    shutil.copytree(REPO / "overrides", root / "overrides")
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def gongkai_build(root: Path, site: Path, *flags: str) -> Proc:
    shutil.rmtree(site, ignore_errors=True)
    return run([PY, "-m", "generator.cli", "build", "-f", str(root / "mkdocs.yml"), "-d", str(site), *flags], root)


def edited_file(root: Path) -> Path:
    return next(p for p in sorted((root / "content").glob("*/*/*.yml")) if "mubiao" not in p.name)


def edit_yaml(path: Path, marker: str) -> None:
    """One text edit in a disclosure: a marker appended to its first block of text."""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(i for i, line in enumerate(lines) if line.endswith(": |")) + 1
    lines[i] += marker
    path.write_text("\n".join(lines), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return str(r.read().decode("utf-8", errors="replace"))
    except OSError:
        return ""


@contextlib.contextmanager
def serving(root: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    log_file = open(root / "serve.log", "wb")  # noqa: SIM115 (closed below)
    cmd = [PY, "-m", "generator.cli", "serve", "-f", str(root / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, cwd=root, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log_file.close()


def serve_one_edit(root: Path, url: str) -> tuple[float, float]:
    """(seconds to the first page served, seconds from saving one YAML edit to the page showing it)."""
    port = free_port()
    page = f"http://127.0.0.1:{port}/{url}"
    start = time.perf_counter()
    with serving(root, port):
        while "<html" not in fetch(page):
            time.sleep(0.5)
        first = time.perf_counter() - start
        time.sleep(2)  # let the watcher settle
        marker = "（服务中修订）"
        edit_yaml(edited_file(root), marker)
        saved = time.perf_counter()
        while marker not in fetch(page):
            time.sleep(0.05)
        return first, time.perf_counter() - saved


def hugo_tree(work: Path, docs: Path) -> Path:
    """A Hugo site over the same generated Markdown (every index.md as a section's _index.md, linked)."""
    site = work / "hugo"
    (site / "layouts" / "_default").mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (site / "layouts" / "_default" / name).write_text(HUGO_LAYOUT, encoding="utf-8")
    (site / "layouts" / "index.html").write_text(HUGO_LAYOUT, encoding="utf-8")
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for md in docs.rglob("*.md"):
        rel = md.relative_to(docs)
        target = site / "content" / (rel.with_name("_index.md") if rel.name == "index.md" else rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.hardlink_to(md)
    return site


def row(name: str, p: Proc, note: str = "") -> str:
    line = f"| {name} | {p.wall:.1f} | {p.cpu:.1f} | {p.peak_mb:,.0f} | {p.load:.1f} | {note} |"
    log(line)  # as it is measured: a long run that is stopped still leaves its rows
    return line


def bench(content: Path, n: int, work: Path, serve: bool, hugo: bool) -> str:
    root = make_tree(work, content)
    store = work / "store"
    site = work / "site"
    rows: list[str] = []
    cached = ("--cache-dir", str(store))

    log(f"cache N={n}: cold (--no-cache)")
    cold = gongkai_build(root, site, "--no-cache")
    rows.append(row("cold, `--no-cache`", cold))
    size = du(site)
    log(f"cache N={n}: cold, filling an empty cache")
    fill = gongkai_build(root, site, *cached)
    rows.append(row("cold, filling an empty cache", fill, f"cache {du(store) / 1e6:,.0f} MB"))
    log(f"cache N={n}: nothing changed")
    rows.append(row("nothing changed, cache, fresh process", gongkai_build(root, site, *cached)))
    log(f"cache N={n}: one YAML edit")
    edit_yaml(edited_file(root), "（修订）")
    one = gongkai_build(root, site, *cached)
    rows.append(row("**one YAML edit, cache, fresh process**", one))
    log(f"cache N={n}: template change")
    unit = root / "site_templates" / "unit.md.j2"
    unit.write_text(unit.read_text(encoding="utf-8") + "\n<p>模板修订</p>\n", encoding="utf-8")
    rows.append(row("unit page template changed, cache, fresh process", gongkai_build(root, site, *cached)))
    cache_mb = du(store) / 1e6

    log(f"cache N={n}: bare MkDocs on the same Markdown")
    bare_site = work / "site-bare"
    bare = run(
        [PY, "-m", "mkdocs", "build", "-q", "-f", str(bare_config(root, root / "content")), "-d", str(bare_site)]
    )
    rows.append(row("bare MkDocs (Material, no plugin) on the same Markdown", bare))
    shutil.rmtree(bare_site, ignore_errors=True)
    if hugo and HUGO:
        log(f"cache N={n}: Hugo on the same Markdown")
        hsite = hugo_tree(work, root / ".build" / "docs")
        version = subprocess.run([HUGO, "version"], capture_output=True, text=True).stdout.split()[1]
        h = run([HUGO, "--quiet", "--source", str(hsite), "--destination", str(work / "hugo-out")])
        rows.append(row(f"Hugo {version} (minimal layout: title + content) on the same Markdown", h))
    serve_note = ""
    if serve:
        log(f"cache N={n}: gongkai serve, one edit")
        config = root / "mkdocs.yml"  # serve with the same store: its first build is a warm one
        text = config.read_text(encoding="utf-8")
        config.write_text(
            text.replace("      output: .build/docs\n", f"      output: .build/docs\n      cache_dir: {store}\n")
        )
        first, reload = serve_one_edit(root, edited_url(root))
        serve_note = (
            f"- `gongkai serve`: first page served after {first:.1f} s (with the cache); one YAML edit saved → "
            f"the edited page served with the change after **{reload:.2f} s**\n"
        )
    pages = measure_site(site).html_pages
    return (
        f"#### Build cache at N = {n:,} ({pages:,} HTML pages)\n\n"
        "| build | wall s | CPU s | peak MB | load avg | |\n|---|---:|---:|---:|---:|---|\n"
        + "\n".join(rows)
        + "\n\n"
        + f"- one edit with the cache / cold: **{one.wall / cold.wall:.2f}×** ({one.wall:.1f} s vs {cold.wall:.1f} s)\n"
        + f"- cache {cache_mb:,.0f} MB after the template change, site {size / 1e6:,.0f} MB: "
        f"**{cache_mb * 1e6 / size:.2f}×** the site\n" + serve_note
    )


def edited_url(root: Path) -> str:
    """The URL of the page of the file `edited_file` changes (its disclosure page)."""
    from generator.corpus.validate import check_tree

    result = check_tree(root / "content")
    assert result.corpus is not None
    rel = edited_file(root).relative_to(root / "content").as_posix()
    return next(d.url for d in result.corpus.disclosures if d.src_path == rel)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--content", type=Path, default=None, help="a synthetic corpus already written")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--no-hugo", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gongkai-cache-bench-") as tmp:
        work = Path(tmp)
        content = args.content
        if content is None:
            content = work / "content"
            run([PY, "-m", "benchmarks.synth", str(args.n), "-o", str(content), "--seed", str(SEED)], REPO)
        print(bench(content, args.n, work, not args.no_serve, not args.no_hugo))
    return 0


if __name__ == "__main__":
    sys.exit(main())
