"""html_stash: the generator's HTML blocks bypass Python-Markdown's HTML parser, unchanged."""

from __future__ import annotations

import re

import markdown

from generator.plugin.html_stash import restore, stash

PAGE = """---
title: x
---

# 标题

<div class="gk-text">
<p>第一段 &lt;script&gt;</p>
<p>第二段</p>
</div>

## 一、项目名称

<p>信访工作经费</p>

正文里的 <span>行内</span> 标签留给 Markdown。
<div>紧跟在段落后的不是块</div>

| 表 | 头 |
|---|---|
| 1 | 2 |

<table class="gk"><tr><td>1</td></tr>
<tr><td>2</td></tr></table>"""


def _convert(text: str) -> str:
    return markdown.Markdown(extensions=["tables", "toc"]).convert(text)


def test_blocks_are_stashed_and_restored_identically() -> None:
    text, blocks = stash(PAGE)
    assert len(blocks) == 3
    assert blocks[0].startswith('<div class="gk-text">') and blocks[0].endswith("</div>")
    assert "<table" not in text and "gk-text" not in text
    assert "<span>行内</span>" in text and "<div>紧跟在段落后的不是块</div>" in text
    plain = _convert(PAGE)
    fast = restore(_convert(text), blocks)
    assert re.sub(r"\n+", "\n", plain) == re.sub(r"\n+", "\n", fast)


def test_author_text_is_never_stashed() -> None:
    escaped = "\n\n&lt;div&gt;作者写的&lt;/div&gt;\n"
    text, blocks = stash(escaped)
    assert blocks == [] and text == escaped
    assert restore("<p>GKHTMLSTASH0END</p>", []) == "<p>GKHTMLSTASH0END</p>"
