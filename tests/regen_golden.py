"""Regenerate the golden Markdown of each bundled disclosure page: `make golden`.

Run it after an intended change to the templates or the content, then review the diff
of tests/golden/ before committing: the diff *is* the change readers will see.
"""

from __future__ import annotations

import sys
from pathlib import Path

from generator.corpus.validate import check_tree
from generator.site.render import dest_path, render_site

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
GOLDEN = ROOT / "tests" / "golden"


def golden_name(url: str) -> str:
    """'2022/unit/slug/' → '2022__unit__slug.md'."""
    return url.strip("/").replace("/", "__") + ".md"


def expected_pages() -> dict[str, str]:
    """{golden file name: generated Markdown} for every disclosure of the bundled content."""
    result = check_tree(CONTENT)
    if result.errors or result.corpus is None:
        raise SystemExit("\n".join(str(p) for p in result.errors))
    pages = render_site(result.corpus)
    return {golden_name(d.url): pages[dest_path(d.url)] for d in result.corpus.disclosures}


def main() -> int:
    GOLDEN.mkdir(exist_ok=True)
    pages = expected_pages()
    for stale in set(p.name for p in GOLDEN.glob("*.md")) - set(pages):
        (GOLDEN / stale).unlink()
        print(f"删除 {stale}")
    for name, text in sorted(pages.items()):
        path = GOLDEN / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"更新 {name}")
    print(f"tests/golden/：{len(pages)} 个文件。请检查 git diff 后提交。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
