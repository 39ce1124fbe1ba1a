"""Keep Python-Markdown from re-parsing the HTML the generator already wrote.

Generated pages are Markdown headings (for the table of contents) around raw HTML blocks
that render.py built and escaped. Python-Markdown would run every such block through its
HTML parser only to copy it through unchanged; at 10,000 pages that was most of MkDocs'
Markdown time. The MkDocs plugin swaps each raw block for a placeholder paragraph before
conversion (`stash`) and puts the block back into the converted page (`restore`).

A block is what Python-Markdown itself would treat as raw HTML: it follows a blank line,
starts at column 0 with a block-level tag, and runs to the next blank line. Author text
never starts a line with `<` (it is escaped to `&lt;`), so only the generator's own HTML
is stashed.
"""

from __future__ import annotations

import re

_BLOCK_START = re.compile(
    r"<(?:div|p|table|dl|ul|ol|section|figure|details|nav|aside|form|svg|h[1-6]|blockquote|hr|pre)[\s>/]"
)
_PLACEHOLDER = "GKHTMLSTASH{}END"
_RESTORE = re.compile(r"<p>GKHTMLSTASH(\d+)END</p>")
PLACEHOLDER_LINE = re.compile(r"GKHTMLSTASH\d+END")  # a placeholder as `stash` writes it, one a line


def stash(markdown: str) -> tuple[str, list[str]]:
    """Markdown with each raw HTML block replaced by a placeholder paragraph, and the blocks."""
    blocks: list[str] = []
    out: list[str] = []
    current: list[str] | None = None
    previous_blank = True
    for line in markdown.split("\n"):
        if current is not None:
            if line.strip():
                current.append(line)
                continue
            blocks.append("\n".join(current))
            out.append(_PLACEHOLDER.format(len(blocks) - 1))
            current = None
        if previous_blank and _BLOCK_START.match(line):
            current = [line]
            continue
        out.append(line)
        previous_blank = not line.strip()
    if current is not None:
        blocks.append("\n".join(current))
        out.append(_PLACEHOLDER.format(len(blocks) - 1))
    return "\n".join(out), blocks


def restore(html: str, blocks: list[str]) -> str:
    """Put the stashed blocks back in place of their placeholder paragraphs."""
    if not blocks:
        return html
    return _RESTORE.sub(lambda m: blocks[int(m.group(1))], html)
