"""whitespace.squeeze: indentation and blank lines go, text and preformatted blocks stay."""

from __future__ import annotations

import re

from generator.plugin.whitespace import squeeze


def test_line_starts_squeezed_and_blocks_kept() -> None:
    page = (
        "<div>\n    <span>\n      \n      首页\n    </span>\n\n\n  <p>a  b</p>\n"
        "<pre><code>  x\n\n    y</code></pre>\n  <p>行内 <code>a\n   b</code></p>\n"
        '<script>\n  var s = "\\n  ";\n</script>\n    <textarea>\n  t\n</textarea>\n'
    )
    out = squeeze(page)
    assert out == (
        "<div>\n<span>\n首页\n</span>\n<p>a  b</p>\n"
        "<pre><code>  x\n\n    y</code></pre>\n<p>行内 <code>a\n   b</code></p>\n"
        '<script>\n  var s = "\\n  ";\n</script>\n<textarea>\n  t\n</textarea>\n'
    )

    # Outside the kept blocks, the text a browser shows (white space collapsed) is unchanged.
    def shown(html: str) -> str:
        return " ".join(re.sub(r"<(pre|code|script|textarea)\b.*?</\1>", "", html, flags=re.S).split())

    assert shown(out) == shown(page)
    assert squeeze(out) == out
