"""The 搜索 page's one script: its three scripts joined, as the page loads them (issue 15).

The search page's code is three classic scripts (docs/architecture.md, "The search page"):
gk-search-query.js and gk-search-engine.js are unit-tested apart under Node, gk-search.js is
the page. A first search fetched each of them; joined, it is one request instead of three
(BENCHMARKS.md, Search). The three are read from the built site (MkDocs has copied them from
the theme folders, so a site's own copy of one wins) and written after them as
`SEARCH_SCRIPT`, which site_templates/search.md.j2 loads. Whole-line comments are left out
(a line that begins with `//`, and a `/* … */` block whose first line begins with `/*` and
whose last line ends with `*/`): the sources keep their documentation, the page does not
download it. Nothing else is changed, so the joined script runs as the three did.
"""

from __future__ import annotations

from pathlib import Path

SCRIPTS = (
    "assets/javascripts/gk-search-query.js",
    "assets/javascripts/gk-search-engine.js",
    "assets/javascripts/gk-search.js",
)
SEARCH_SCRIPT = "assets/javascripts/gk-search-page.js"


def without_comment_lines(source: str) -> str:
    """`source` without its whole-line comments (module docstring); every other line as it is."""
    out: list[str] = []
    in_block = False
    for line in source.splitlines():
        text = line.strip()
        if in_block:
            in_block = not text.endswith("*/")
            continue
        if text.startswith("//"):
            continue
        if text.startswith("/*"):
            in_block = not text.endswith("*/")
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def write_search_script(site_dir: Path) -> bool:
    """Write SEARCH_SCRIPT from the built SCRIPTS; False (nothing written) if one is missing."""
    sources = [site_dir / rel for rel in SCRIPTS]
    if not all(p.is_file() for p in sources):
        return False
    joined = "".join(without_comment_lines(p.read_text(encoding="utf-8")) for p in sources)
    target = site_dir / SEARCH_SCRIPT
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(joined, encoding="utf-8")
    tmp.replace(target)  # replaced, never written in place (a merged site may hard-link it)
    return True
