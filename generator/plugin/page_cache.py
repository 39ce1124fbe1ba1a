"""MkDocs' HTML of each page, kept in the persistent store (generator/store) between builds.

A page's HTML is a function of its Markdown, its place (path, URL) and what every page is
rendered with: the resolved MkDocs config (site.yml's name and footer are in it), the theme
folders' files, the navigation, and the versions of gongkai, MkDocs, Material and
Python-Markdown (`site_key`). An unchanged page is neither converted nor templated again:
`PageCache.lookup` turns it into a `_CachedPage`, whose Markdown and content are empty and whose
template is an empty one, and `finish` puts the stored HTML where MkDocs writes the page.

Not cached, so always built by MkDocs: the navigation's own pages (their titles come from a
render and appear on every page), pages whose Markdown has Markdown links (MkDocs checks and
rewrites them against the set of files: gongkai's generated links are raw HTML), files with no
source on disk, and any page whose build logged a warning (so a cached build warns — and a
strict build fails — exactly where a cold one does).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import material as material_package
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.store import Store

CACHED_TEMPLATE = "gk-cached.html"  # an empty template (events.on_env): the HTML is put in by `finish`
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pygments", "markupsafe")
# Config keys that are paths of this run, not what a page shows (a part builds into its own docs folder).
PATH_KEYS = {"docs_dir", "site_dir", "config_file_path", "plugins", "watch", "dev_addr", "hooks"}
ADDRESS = re.compile(r" at 0x[0-9a-f]+")  # a repr's memory address differs in every process
MARKDOWN_LINK = ("](", "]:", "<http", "<mailto")


class _CachedPage(Page):
    """A page whose HTML is in the store: nothing to read, convert or template."""

    gk_html: str = ""

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", {"template": CACHED_TEMPLATE}

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content, self.toc, self._title_from_render = "", get_toc([]), None


class _Warnings(logging.Handler):
    """The pages that logged a warning while MkDocs converted or templated them (config._current_page)."""

    def __init__(self, config: MkDocsConfig) -> None:
        super().__init__(logging.WARNING)
        self.config = config
        self.pages: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        page = getattr(self.config, "_current_page", None)
        if page is not None:
            self.pages.add(page.file.src_uri)


class PageCache:
    """One build's use of the store for pages: made in on_nav, closed in on_post_build."""

    def __init__(self, store: Store, config: MkDocsConfig, nav: Navigation, part: bool, content_date: str) -> None:
        self.store = store
        self.content_date = content_date  # shown by a page whose front matter has no pub_date
        self.site = site_key(config, nav, part)
        self.nav = {p.file.src_uri for p in nav.pages}
        self.keys: dict[str, str] = {}  # src_uri → key, of pages built by MkDocs (stored in `finish`)
        self.hits = 0
        self.built = 0
        self.warnings = _Warnings(config)
        logging.getLogger("mkdocs").addHandler(self.warnings)

    def lookup(self, page: Page) -> None:
        """Make `page` a `_CachedPage` when its HTML is stored; else remember its key (if cacheable)."""
        src = page.file.abs_src_path
        if src is None or page.file.src_uri in self.nav or page.file.generated_by is not None:
            return
        try:
            markdown = Path(src).read_bytes()
        except OSError:
            return  # MkDocs reports it
        if any(m.encode() in markdown for m in MARKDOWN_LINK):
            return
        undated = b"\npub_date:" not in markdown.split(b"\n---", 2)[0] if markdown.startswith(b"---") else True
        date = self.content_date if undated else ""
        key = self.store.key_of("page", self.site, page.file.src_uri, page.url, date, markdown)
        body = self.store.get(key)
        if body is None:
            self.keys[page.file.src_uri] = key
            return
        page.__class__ = _CachedPage
        assert isinstance(page, _CachedPage)
        page.gk_html = body.decode("utf-8")
        self.hits += 1

    def finish(self, output: str, page: Page) -> str:
        """The HTML MkDocs writes for `page`: the stored one of a cached page; else `output`, stored
        when the page built without a warning."""
        if isinstance(page, _CachedPage):
            return page.gk_html
        self.built += 1
        key = self.keys.pop(page.file.src_uri, None)
        if key is not None and page.file.src_uri not in self.warnings.pages:
            # MkDocs writes output.encode("utf-8", "xmlcharrefreplace"): the same bytes read back.
            self.store.put(key, output.encode("utf-8", errors="xmlcharrefreplace"))
        return output

    def close(self) -> None:
        logging.getLogger("mkdocs").removeHandler(self.warnings)


def site_key(config: MkDocsConfig, nav: Navigation, part: bool) -> bytes:
    """What every page's HTML is rendered with: config, theme files, navigation, package versions."""
    digest = hashlib.blake2b(digest_size=20)
    settings = {k: v for k, v in config.items() if k not in PATH_KEYS and not k.startswith("_")}
    digest.update(json.dumps(settings, sort_keys=True, default=_plain, ensure_ascii=False).encode())
    if config.config_file_path:  # what JSON cannot show (a slugify function's arguments, !!python tags)
        digest.update(Path(config.config_file_path).read_bytes())
    for name in PACKAGES:
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=\0".encode())
    material = Path(material_package.__file__ or "").resolve().parent
    for folder in config.theme.dirs:
        path = Path(folder).resolve()
        digest.update(b"\2" + str(path).encode())
        if not path.is_relative_to(material):  # Material's own files are its version's
            _digest_tree(digest, path)
    digest.update(json.dumps(_nav_items(nav.items), ensure_ascii=False).encode())
    for (
        page
    ) in nav.pages:  # titled in every page's navigation: by mkdocs.yml (an instance attribute), else by its Markdown
        src = page.file.abs_src_path
        if "title" not in vars(page) and src is not None and Path(src).is_file():
            digest.update(page.file.src_uri.encode() + b"\0" + Path(src).read_bytes())
    digest.update(b"part" if part else b"whole")
    return digest.digest()


def _digest_tree(digest: Any, folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\1")


def _nav_items(items: Any) -> list[Any]:
    out: list[Any] = []
    for item in items:
        children = getattr(item, "children", None)
        url = getattr(item, "url", None)
        title = vars(item).get("title") if isinstance(item, Page) else item.title  # a Page's, before it is read
        out.append([type(item).__name__, title, url, _nav_items(children) if children else None])
    return out


def _plain(value: Any) -> Any:
    """A config value as JSON: mappings and sequences as such, objects by their public settings."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, (list, tuple, set)):
        return list(value)
    if hasattr(value, "items") and callable(value.items):
        return dict(value.items())
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    if hasattr(value, "__dict__"):
        return {k: v for k, v in vars(value).items() if not k.startswith("_")}
    return ADDRESS.sub("", repr(value))
