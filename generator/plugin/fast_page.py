"""Generated pages converted without Python-Markdown when nothing in them needs it.

After `html_stash.stash`, a generated page is only ATX headings (`## 一、项目名称`) and
placeholder paragraphs. Python-Markdown would still build a Markdown instance with every
extension, parse, run its tree processors and serialize — about half of MkDocs' own time
per page. For such a page the result is known: each heading becomes
`<hN id="slug">text<a class="headerlink" …>¶</a></hN>` (toc extension: ids made unique on
the page) and each placeholder `<p>placeholder</p>`, one per line. `convert` returns that,
with the table of contents tokens, the anchors and the self-links MkDocs would have
collected; any other page (a line that is neither, heading text that an inline pattern
could touch, a site with other Markdown extensions or toc settings) returns None and goes
through Python-Markdown as before. tests/test_fast_page.py checks both paths give the same
page, byte for byte.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import markdown
from markdown.extensions.toc import nest_toc_tokens, unique
from markdown.serializers import _escape_attrib_html, _escape_cdata
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.plugin.html_stash import PLACEHOLDER_LINE

# The extensions MkDocs always loads; a page converted here needs nothing of them but toc.
_KNOWN_EXTENSIONS = frozenset({"toc", "tables", "fenced_code"})
_HEADING = re.compile(r"(#{1,6}) +(.*?) *")
# Heading text that no inline pattern, extension or closing-hash rule would change.
_SPECIAL = re.compile(r"[\\`*_\[\]!<>&|#{}]|^\s|\s$|  ")
_pages_log = logging.getLogger("mkdocs.structure.pages")


@dataclass(frozen=True)
class TocSettings:
    """What the toc extension of this build does to a heading (read from a real Markdown instance)."""

    slugify: Callable[[str, str], str]
    separator: str
    permalink: str  # the permalink's HTML text
    permalink_class: str
    permalink_title: str
    toc_top: int
    toc_bottom: int


def toc_settings(config: MkDocsConfig) -> TocSettings | None:
    """This build's heading rendering, or None when pages may need Python-Markdown (other extensions or settings)."""
    names = config.markdown_extensions
    if not all(isinstance(n, str) and n in _KNOWN_EXTENSIONS for n in names) or "toc" not in names:
        return None
    if set(config.mdx_configs or {}) - {"toc"}:
        return None
    md = markdown.Markdown(extensions=names, extension_configs=config.mdx_configs or {})
    toc: Any = md.treeprocessors["toc"]
    permalink = toc.use_permalinks
    if permalink in (False, None) or toc.use_anchors or toc.permalink_leading or toc.base_level != 0:
        return None
    if toc.marker and toc.marker != "[TOC]":
        return None
    text = "&para;" if permalink is True else _escape_cdata(str(permalink))
    return TocSettings(
        toc.slugify, toc.sep, text, toc.permalink_class, toc.permalink_title or "", toc.toc_top, toc.toc_bottom
    )


@dataclass(frozen=True)
class Converted:
    """One page as Page.render would leave it."""

    content: str
    toc_tokens: list[Any]  # nested as the toc extension nests them
    title: str | None  # the first element's text when it is an h1
    anchors: tuple[str, ...]  # the headings' ids, in page order


def convert(text: str, settings: TocSettings) -> Converted | None:
    """`text` (stashed Markdown) as HTML without Python-Markdown, or None when it needs Python-Markdown."""
    out: list[str] = []
    tokens: list[dict[str, Any]] = []
    used: set[str] = set()
    anchors: list[str] = []
    counters: dict[str, int] = {}
    title: str | None = None
    for line in text.split("\n"):
        if not line:
            continue
        if PLACEHOLDER_LINE.fullmatch(line):
            out.append(f"<p>{line}</p>")
            continue
        m = _HEADING.fullmatch(line)
        if m is None or not m[2] or _SPECIAL.search(m[2]):
            return None
        level, name = len(m[1]), m[2]
        anchor = unique(settings.slugify(html.unescape(name), settings.separator), used, counters)
        anchors.append(anchor)
        if not out and level == 1:
            title = name
        if settings.toc_top <= level <= settings.toc_bottom:
            tokens.append({"level": level, "id": anchor, "name": name, "html": name, "data-toc-label": ""})
        attr = _escape_attrib_html(anchor)
        link = f'<a class="{_escape_attrib_html(settings.permalink_class)}" href="#{attr}"'
        if settings.permalink_title:
            link += f' title="{_escape_attrib_html(settings.permalink_title)}"'
        out.append(f'<h{level} id="{attr}">{name}{link}>{settings.permalink}</a></h{level}>')
    return Converted("\n".join(out), nest_toc_tokens(tokens), title, tuple(anchors))


class PrerenderedPage(Page):
    """A page whose Markdown `convert` already turned into HTML: `render` fills in what Page.render would."""

    gk_converted: Converted

    def render(self, config: MkDocsConfig, files: Files) -> None:
        done = self.gk_converted
        self.content = done.content
        self.toc = get_toc(done.toc_tokens)
        self._title_from_render = done.title
        self.present_anchor_ids = set(done.anchors)
        if _pages_log.getEffectiveLevel() > logging.DEBUG:  # as Page.render: the permalinks link to the page
            self.links_to_anchors = {self.file: {a: f"#{a}" for a in done.anchors}} if done.anchors else {}


def prerender(page: Page, converted: Converted) -> None:
    """Make `page` render from `converted` (MkDocs calls page.render next, in the same build step)."""
    page.__class__ = PrerenderedPage
    assert isinstance(page, PrerenderedPage)
    page.gk_converted = converted
