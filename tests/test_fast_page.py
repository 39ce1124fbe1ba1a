"""fast_page: a generated page converted without Python-Markdown is the page Python-Markdown makes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils.meta import get_data

from generator.plugin.fast_page import PrerenderedPage, convert, prerender, toc_settings
from generator.plugin.html_stash import stash

REPO = Path(__file__).resolve().parent.parent
GOLDEN_DOCS = REPO / "tests" / "cases" / "site" / "expected" / "docs"


@pytest.fixture(scope="module")
def config() -> MkDocsConfig:
    return load_config(config_file=str(REPO / "mkdocs.yml"))


def _toc(toc: TableOfContents) -> list[Any]:
    return [(i.title, i.url, i.level, _toc(i.children)) for i in toc]  # type: ignore[arg-type]


def _both(config: MkDocsConfig, markdown: str) -> tuple[Page, Page | None]:
    """The stashed page rendered by MkDocs (Python-Markdown), and by fast_page (None: it declined)."""
    settings = toc_settings(config)
    assert settings is not None
    text, _ = stash(markdown)
    pages: list[Page] = []
    for fast in (False, True):
        file = File("2022/a/b/index.md", "docs", "site", use_directory_urls=True)
        files = Files([file])
        page = Page(None, file, config)
        page.markdown, page.meta = text, {}
        if fast:
            converted = convert(text, settings)
            if converted is None:
                return pages[0], None
            prerender(page, converted)
            assert isinstance(page, PrerenderedPage)
        page.render(config, files)
        pages.append(page)
    return pages[0], pages[1]


def _same(slow: Page, fast: Page) -> None:
    assert fast.content == slow.content
    assert _toc(fast.toc) == _toc(slow.toc)
    assert fast._title_from_render == slow._title_from_render
    assert fast.present_anchor_ids == slow.present_anchor_ids
    assert _by_path(fast.links_to_anchors) == _by_path(slow.links_to_anchors)


def _by_path(links: dict[File, dict[str, str]] | None) -> dict[str, dict[str, str]] | None:
    return None if links is None else {f.src_uri: v for f, v in links.items()}


def test_every_golden_page_renders_the_same(config: MkDocsConfig) -> None:
    converted = 0
    for path in sorted(GOLDEN_DOCS.rglob("*.md")):
        markdown, _ = get_data(path.read_text(encoding="utf-8"))
        slow, fast = _both(config, markdown)
        if fast is not None:
            _same(slow, fast)
            converted += 1
    assert converted >= 10  # the disclosure, unit, year and region pages take the fast path


@pytest.mark.parametrize(
    "markdown",
    [
        '# 标题\n\n<div class="x">\n<p>一</p>\n</div>\n\n## 一、项目名称\n\n<p>二</p>\n\n## 一、项目名称\n\n## 一、项目名称\n',
        "## 不是一级\n\n# 后来的一级\n\n<p>x</p>\n",
        "<p>先有块</p>\n\n# 标题\n",
        "###### 六级 Heading 2024 年（含“引号”）\n\n#### 四级\n",
        "# 标题 #\n",  # closing hashes: declined
        "# A & B\n",  # an entity: declined
        "# 标题\n\n正文段落\n",  # a paragraph: declined
        "#标题\n",  # no space: declined
    ],
)
def test_fast_or_declined(config: MkDocsConfig, markdown: str) -> None:
    slow, fast = _both(config, markdown)
    declined = any(s in markdown for s in ("#\n", "&", "正文", "#标题"))
    assert (fast is None) == declined
    if fast is not None:
        _same(slow, fast)


def test_other_extensions_keep_python_markdown(config: MkDocsConfig) -> None:
    other = load_config(config_file=str(REPO / "mkdocs.yml"))
    other.markdown_extensions.append("attr_list")
    assert toc_settings(other) is None
    assert toc_settings(config) is not None
