"""One benchmark stage in a fresh process; prints its inner timings as one JSON line.

    python benchmarks/stage.py check CONTENT
    python benchmarks/stage.py render CONTENT OUT [--edit FILE]
    python benchmarks/stage.py search CONTENT SITE
    python benchmarks/stage.py mkdocs CONFIG SITE
    python benchmarks/stage.py profile CONTENT OUT STATS_FILE

`render` is the code path the MkDocs plugin runs in `on_config`: `check_tree` then
`generate(corpus, content, out)`; `search` is what it runs in `on_post_build`:
`build_index(corpus, site)` (Pagefind over the built pages). With `--edit`, one YAML
file is changed after a first generation and the regeneration is timed (the
incremental case of issue 5).
`mkdocs` is `mkdocs build -f CONFIG -d SITE` (what the CLI does, through the API), with
the gongkai plugin's stages timed inside the same process, so MkDocs' own share is
build − (check + generate + index) of one run.
The parent (bench.py) measures wall time and peak RSS of this process with os.wait4.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def _checked(content: Path) -> tuple[Any, float]:
    from generator.corpus.validate import check_tree

    t = time.perf_counter()
    result = check_tree(content)
    seconds = time.perf_counter() - t
    if result.errors or result.corpus is None:
        raise SystemExit(f"content has {len(result.errors)} errors, first: {result.errors[:1]}")
    return result, seconds


def _check(content: Path) -> tuple[Any, float]:
    result, seconds = _checked(content)
    return result.corpus, seconds


def _render(content: Path, out: Path) -> dict[str, Any]:
    from generator.site.generate import generate

    result, t_check = _checked(content)
    corpus = result.corpus
    t, cpu = time.perf_counter(), time.process_time()
    g = generate(corpus, content, out, raw=result.raw)  # as the plugin calls it
    return {
        "check_s": t_check,
        "generate_s": time.perf_counter() - t,
        "generate_cpu_s": time.process_time() - cpu,
        "disclosures": len(corpus.disclosures),
        "pages": g.pages,
        "files": g.stats.written + g.stats.unchanged,  # pages + published YAML copies and their views
        "written": g.stats.written,
    }


def _edit_one(path: Path) -> None:
    """A realistic one-line correction: change a sentence in the 项目实施计划 (or the first long text)."""
    text = path.read_text(encoding="utf-8")
    marker = "第一季度完成方案制定" if "第一季度完成方案制定" in text else "。"
    path.write_text(text.replace(marker, "（修订）" + marker, 1), encoding="utf-8")


def _mkdocs(config_file: Path, site: Path) -> dict[str, Any]:
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    timings: dict[str, float] = {}
    try:
        import generator.plugin.events as plugin
    except ImportError:
        plugin = None  # type: ignore[assignment]

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - t

        return wrapper

    for name in ("check_tree", "generate", "build_index", "write_sitemap"):
        if plugin is not None and hasattr(plugin, name):
            setattr(plugin, name, timed(name, getattr(plugin, name)))

    class Count(logging.Handler):
        warnings = 0

        def emit(self, record: logging.LogRecord) -> None:
            Count.warnings += 1

    logging.getLogger("mkdocs").addHandler(Count(logging.WARNING))
    t = time.perf_counter()
    cfg = load_config(config_file=str(config_file), site_dir=str(site))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg, dirty=False)
    finally:
        cfg.plugins.on_shutdown()
    total = time.perf_counter() - t
    own = total - sum(timings.values())
    return {
        "build_s": total,
        "mkdocs_own_s": own,
        "warnings": Count.warnings,
        **{f"{k}_s": v for k, v in timings.items()},
    }


def main(argv: list[str]) -> int:
    stage, content = argv[1], Path(argv[2])
    t0 = time.perf_counter()
    if stage == "check":
        corpus, t_check = _check(content)
        result: dict[str, Any] = {"check_s": t_check, "disclosures": len(corpus.disclosures)}
    elif stage == "render" and "--edit" not in argv:
        result = _render(content, Path(argv[3]))
    elif stage == "render":
        out, edited = Path(argv[3]), content / argv[argv.index("--edit") + 1]
        _render(content, out)  # warm: the generated folder is complete
        _edit_one(edited)
        t = time.perf_counter()
        result = _render(content, out)
        result["incremental_s"] = time.perf_counter() - t
    elif stage == "search":
        from generator.search.index import build_index

        corpus, t_check = _check(content)
        t = time.perf_counter()
        stats = build_index(corpus, Path(argv[3]))
        result = {"check_s": t_check, "index_s": time.perf_counter() - t, "pages": stats.pages}
        result["bytes"] = stats.bundle_bytes
    elif stage == "mkdocs":
        result = _mkdocs(Path(argv[2]), Path(argv[3]))
    elif stage == "profile":
        import cProfile

        cProfile.runctx("_render(content, out)", globals(), {"content": content, "out": Path(argv[3])}, argv[4])
        result = {}
    else:
        raise SystemExit(f"unknown stage {stage}")
    result["inner_s"] = time.perf_counter() - t0
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
