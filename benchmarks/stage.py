"""One benchmark stage in a fresh process; prints its inner timings as one JSON line.

    python benchmarks/stage.py check CONTENT
    python benchmarks/stage.py render CONTENT OUT [--edit FILE]
    python benchmarks/stage.py profile CONTENT OUT STATS_FILE

`render` is the code path the MkDocs plugin runs in `on_config`: `check_tree` then
`generate(corpus, content, out)`. With `--edit`, one YAML file is changed after a first
generation and the regeneration is timed (the incremental case of issue 5).
The parent (bench.py) measures wall time and peak RSS of this process with os.wait4.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def _check(content: Path) -> tuple[Any, float]:
    from generator.validate import check_tree

    t = time.perf_counter()
    result = check_tree(content)
    seconds = time.perf_counter() - t
    if result.errors or result.corpus is None:
        raise SystemExit(f"content has {len(result.errors)} errors, first: {result.errors[:1]}")
    return result.corpus, seconds


def _render(content: Path, out: Path) -> dict[str, Any]:
    from generator.build import generate

    corpus, t_check = _check(content)
    t = time.perf_counter()
    g = generate(corpus, content, out)
    return {
        "check_s": t_check,
        "generate_s": time.perf_counter() - t,
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
