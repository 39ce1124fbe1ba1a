"""Page chrome: the lines around a document that are not part of it.

Site names and footers, breadcrumbs, `【打印】【关闭】`, `来源：`, view counters, 附件
lists, page numbers and a table of contents (lines ending in a page number). They are
not imported, but never dropped silently either: the draft's header comment and the
command's report list each with its line number. `发布时间：2023-10-13 19:49` gives the
draft its 发布日期.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.importer.read import Line

PATTERNS = (
    re.compile(r"^(?:首页|您(?:当前)?的?位置|当前位置)\s*[:：>＞»/]"),  # breadcrumb
    re.compile(r"^.{0,20}(?:\s*[>＞»](?![=＝\d])\s*[^>＞»]{1,20}){2,}$"),  # 首页 > 政务公开 > 财政信息 (not >=300批次)
    re.compile(r"【\s*(?:打印|关闭|收藏|返回顶部|字体|大|中|小|打印本页|关闭窗口)\s*】"),
    re.compile(r"^(?:信息)?来源\s*[:：]"),
    re.compile(r"(?:浏览|阅读|访问|点击)(?:次数|量)\s*[:：]"),
    re.compile(r"^字[体号]\s*[:：]"),
    re.compile(r"^(?:分享到|扫一扫|打印本页|关闭窗口|返回顶部|上一篇|下一篇)"),
    re.compile(
        r"(?:网站标识码|ICP\s*备|公网安备|版权所有|主办单位\s*[:：]|承办单位\s*[:：]|技术支持\s*[:：]|网站地图|联系我们)"
    ),
    re.compile(r"^附件\s*[:：]?\s*(?:\d+[.、．]?)?.{0,60}\.(?:docx?|xlsx?|pdf|zip|rar|wps|et)$", re.I),
    re.compile(r"^\d+[.、．]\s*.{1,60}\.(?:docx?|xlsx?|pdf|zip|rar|wps|et)$", re.I),  # an item of the 附件 list
    re.compile(
        r"^(?:第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|[-—－]\s*\d+\s*[-—－]|\d+\s*/\s*\d+)$"
    ),  # page numbers
    re.compile(r"^.{2,60}?[.．。·…]{3,}\s*\d{1,3}$"),  # a contents line: 一、基本情况……3
    re.compile(r"^目\s*录$"),
    re.compile(r"^.{2,30}(?:门户网站|政府网|政务网|网站|政务服务网|信息公开网)$"),  # the site's name
)
CHROME_MAX = 150  # a longer line is text, whatever it contains
PUBLISHED = re.compile(
    r"(?:发布|发文|成文|公开)(?:时间|日期)\s*[:：]\s*(20\d\d)\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
)


@dataclass
class Chrome:
    """The chrome lines of a document, and the publication date one of them gave."""

    lines: list[Line] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # left out by the reader (an .html page's menus)
    published: str | None = None

    def notes(self) -> list[str]:
        if not self.lines and not self.dropped:
            return []
        out = ["原文中以下网页或版面文字不是公开内容，未导入（请确认）："]
        out += [f"  第{ln.no}行：{ln.text.strip()}" for ln in self.lines]
        out += [f"  页面框架：{text}" for text in self.dropped]
        return out


def is_chrome(text: str) -> bool:
    s = text.strip()
    return bool(s) and "\t" not in s and len(s) <= CHROME_MAX and any(p.search(s) for p in PATTERNS)


def find_chrome(lines: Sequence[Line], dropped: Sequence[str] = ()) -> Chrome:
    chrome = Chrome(dropped=list(dropped))
    for line in lines:
        if line.blank:
            continue
        m = PUBLISHED.search(line.text)
        if m and chrome.published is None:
            chrome.published = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        if m or is_chrome(line.text):
            chrome.lines.append(line)
    for text in dropped:
        m = PUBLISHED.search(text)
        if m and chrome.published is None:
            chrome.published = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return chrome
