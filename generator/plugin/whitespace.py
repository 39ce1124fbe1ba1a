"""Built pages without the theme's indentation and blank lines.

Material's templates indent deeply and leave blank lines wherever a Jinja tag stood: about a
tenth of a disclosure page is whitespace-only line starts (issue 15, site bytes). A line
break followed by any run of spaces, tabs and further line breaks is one line break here.
Outside `<pre>`, `<code>`, `<kbd>` (Material: pre-wrap), `<textarea>`, `<script>` and `<style>`
that renders the same: in HTML's normal white-space handling any run of white space is one
space, and neither Material's nor gongkai's styles set pre-like white-space on anything else
of a page built by MkDocs (the source views, which do, are written
by the generator and not passed through here). Search reads the text with white space
collapsed (search/index.py `article_text`), so the index does not change either.
"""

from __future__ import annotations

import re

_KEEP = re.compile(r"<(pre|code|kbd|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
_INDENT = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")


def squeeze(html: str) -> str:
    """`html` with every line break plus following white space made one line break (kept blocks untouched)."""
    out: list[str] = []
    last = 0
    for m in _KEEP.finditer(html):
        out.append(_INDENT.sub("\n", html[last : m.start()]))
        out.append(m[0])
        last = m.end()
    out.append(_INDENT.sub("\n", html[last:]))
    return "".join(out)
