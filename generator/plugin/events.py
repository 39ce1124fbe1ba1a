"""The `gongkai` MkDocs plugin: generation runs inside `mkdocs build` and `mkdocs serve`.

on_config: check the content folder; on errors, stop the build with every located
message (no traceback) — or, while serving, log them and keep showing the last good
pages. Otherwise render all pages into the generated docs folder (only changed files
are rewritten) and point MkDocs at it. on_serve: watch the content, templates and theme
overrides instead of the generated folder, so saving a YAML file regenerates and reloads.

The theme is layered: the site's own overrides (theme.custom_dir), then gongkai's (packaged, added
here with their stylesheets and scripts), then Material; page templates likewise: the site's own
site_templates/, then gongkai's (`layer_theme`, `_templates`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, PrefixLoader
from markupsafe import Markup
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.assets import asset_dir
from generator.corpus.fmt import TextFilter
from generator.corpus.model import Corpus, SiteConfig
from generator.corpus.validate import CheckResult, check_tree
from generator.data.feed import write_sitemap
from generator.history import History
from generator.plugin.a11y import label_scroll_boxes
from generator.plugin.dirty import DirtyRebuilds, quiet_dirty_notice
from generator.plugin.fast_page import TocSettings, convert, prerender, toc_settings
from generator.plugin.html_stash import restore, stash
from generator.plugin.page_cache import CACHED_TEMPLATE, PageCache, _CachedPage
from generator.plugin.scripts import write_search_script
from generator.plugin.whitespace import squeeze
from generator.search.index import SearchIndexError, build_index
from generator.site.cache import BuildCache
from generator.site.dates import content_date
from generator.site.generate import generate
from generator.site.parts import Part
from generator.site.render import TEMPLATES_DIR
from generator.store import DEFAULT_DIR, Digests, Store, open_store

log = logging.getLogger("mkdocs.plugins.gongkai")

OVERRIDES_DIR = asset_dir("overrides")  # gongkai's theme overrides (the site's own theme.custom_dir goes first)
# The overrides' stylesheets and scripts, in cascade order (a site's own extra_css come after them).
THEME_CSS = (
    "assets/stylesheets/gongkai.css",
    "assets/stylesheets/gk-search.css",  # header search box and the 搜索 page
    "assets/stylesheets/a11y.css",  # contrast, focus, scroll boxes, 长者模式 (issue 7)
    "assets/stylesheets/print.css",  # A4 printing
)
THEME_JS = ("assets/javascripts/gk-a11y.js",)  # the 长者模式 switch; keyboard access to the phone menu


class GongkaiConfig(base.Config):  # type: ignore[no-untyped-call]
    content = c.Type(str, default="content")  # the content folder, relative to mkdocs.yml
    output = c.Type(str, default=".build/docs")  # the generated docs folder (git-ignored)
    templates = c.Type(str, default="site_templates")  # the site's own page templates, if the folder exists
    history = c.Type(bool, default=True)  # read the content's git history (修订记录, old addresses); false: don't
    cache = c.Type(bool, default=True)  # keep the persistent build cache (generator/store); false: every build cold
    cache_dir = c.Type(str, default=DEFAULT_DIR)  # where, relative to mkdocs.yml (git-ignored)


class GongkaiPlugin(BasePlugin[GongkaiConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.preloaded: CheckResult | None = None  # set by `gongkai build`, which has checked already
        self.part: Part | None = None  # set by `gongkai build --part`: build only that part's pages (parts.py)
        # This run's memory of its earlier builds (site/cache.py): kept between `mkdocs serve`'s
        # rebuilds (MkDocs keeps the plugin instance, as it has on_startup); a one-off build drops it.
        self.cache = BuildCache()
        self.own_store = True  # open the store named in mkdocs.yml; `gongkai build` hands in its own (or none)
        self.prune = True  # bound the store after the build (`gongkai build` prunes once, after all parts)
        self.pages: PageCache | None = None  # this build's HTML cache (page_cache.py)
        self.serving = False
        self.dirty: DirtyRebuilds | None = None  # `gongkai serve` (MkDocs dirty): what to rebuild after a save
        self._files: Files | None = None  # this build's files, for removing stale ones after a dirty rebuild
        self._templated = 0  # pages MkDocs templated in this build (a dirty rebuild skips the others)
        self.corpus: Corpus | None = None  # the last good content, for on_post_build
        self.history: History | None = None  # its history, for the sitemap's lastmod
        self.content_date = ""  # the newest date of the content (site/dates.py)
        self.redirects: frozenset[str] = frozenset()  # its old addresses' pages (site/redirects.py): not in the sitemap
        self.digests: Digests = {}  # the content digests generate made (store.value_digest), for the search index
        self._stashed: list[str] = []  # raw HTML blocks of the page being converted
        self._toc: TocSettings | None = None  # how headings render, when pages may skip Python-Markdown (fast_page.py)

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"
        if self.serving and dirty:  # `gongkai serve`: rebuild what a save changed (dirty.py)
            self.dirty = DirtyRebuilds()
            quiet_dirty_notice()

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = self._root(config)
        content = root / self.config.content
        out = root / self.config.output
        if self.part is not None:  # parts may be built at once from one checkout: one folder each
            out = out.with_name(f"{out.name}-part{self.part.number}of{self.part.count}")
            # Pages of the other parts are not in this build: links to them are checked in a whole build.
            config.validation.links.not_found = logging.INFO
            config.validation.nav.not_found = logging.DEBUG  # its pages are part 1's (on_files)
        out.mkdir(parents=True, exist_ok=True)
        config.docs_dir = str(out)
        if self.own_store:  # once: the store stays open while serving
            self.own_store = False
            if self.config.cache:
                self.cache = BuildCache(store=open_store(root / self.config.cache_dir))
        elif self.serving and self.cache.store is not None:
            self.cache.store.begin()

        result, self.preloaded = self.preloaded, None
        if result is None:
            result = check_tree(content, self.cache.check)
            for warning in result.warnings:
                # INFO, not WARNING: `mkdocs build --strict` must not fail on content warnings
                # (personal data found); `gongkai check --strict` is the place for that.
                log.info("内容警告：%s", warning)
        if result.errors or result.corpus is None:
            lines = "\n".join(f"  {self.config.content}/{p}" for p in result.errors)
            message = f"内容检查发现 {len(result.errors)} 个错误，网站未更新：\n{lines}"
            if self.serving:
                log.error(message)
                return config
            raise PluginError(message)

        layer_theme(config)
        history = self._history(content)
        generated = generate(
            result.corpus,
            content,
            out,
            self.part,
            result.raw,
            self._templates(root),
            cache=self.cache,
            history=history,
        )
        if not self.serving:  # only `mkdocs serve` generates again with this plugin: keep nothing in memory
            self.cache = BuildCache(store=self.cache.store)
        _apply_site_settings(config, result.corpus.site)
        # PubDate of a page without its own (the home and index pages, 404): a template global, not
        # config.extra — every page's cached HTML is keyed by the config (page_cache.py), and the site's
        # newest date would change them all.
        self.content_date = content_date(result.corpus)
        self._toc = toc_settings(config)
        self.corpus, self.history = result.corpus, history
        self.redirects, self.digests = generated.redirects, generated.digests
        return config

    def _history(self, content: Path) -> History:
        """The content's git history (history/), read again while serving only after a new commit."""
        if not self.config.history:
            return History.unavailable("mkdocs.yml 中 gongkai 插件设置了 history: false")
        history = self.cache.history.read(content)
        if not history.available:  # said once per build; INFO so that --strict builds without history
            log.info("修订记录不可用：%s", history.reason)
        return history

    def _templates(self, root: Path) -> tuple[Path, ...]:
        """The page template folders in search order: the site's own (if any), then gongkai's."""
        own = root / self.config.templates
        return (own, TEMPLATES_DIR) if own.is_dir() and own.resolve() != TEMPLATES_DIR.resolve() else (TEMPLATES_DIR,)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        # The generated data files and YAML copies (a third of a large site's files) are linked, not copied.
        docs = os.path.normpath(config.docs_dir)
        files = Files([_linked(f) if _generated_static(f, docs) else f for f in files])
        if self.part is not None:
            # The navigation's pages belong to part 1; the other parts link to them without building them.
            for path in _nav_paths(config.nav or []):
                if files.get_file_from_path(path) is None:
                    files.append(File.generated(config, path, content="", inclusion=InclusionLevel.EXCLUDED))
        self._files = files
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.dirty is not None:
            self.dirty.choose(files, nav, config, self.content_date)
        if self.cache.store is not None:
            self.pages = PageCache(self.cache.store, config, nav, self.part is not None, self.content_date)
        return nav

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        if self.pages is not None:
            self.pages.lookup(page)  # a page whose HTML is stored becomes a _CachedPage: not converted again
        return page

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        # overrides/partials/nav.html renders the navigation once per depth for pages not in it.
        env.globals["gk_nav_key"] = _nav_key
        env.globals["gk_nav_cache"] = {}  # one build's
        env.globals["gk_t"] = _translations(env, str(config.theme["language"]))  # overrides/partials/language.html
        env.globals["gk_content_date"] = self.content_date
        # A site's own main.html may extend gongkai's: {% extends "gongkai/main.html" %} (docs/authors/site.md).
        gongkai = PrefixLoader({"gongkai": FileSystemLoader(str(OVERRIDES_DIR))})
        cached = DictLoader({CACHED_TEMPLATE: ""})  # a cached page's template: its HTML comes from the store
        env.loader = ChoiceLoader([env.loader, gongkai, cached] if env.loader else [gongkai, cached])
        return env

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if isinstance(page, _CachedPage):
            return markdown
        # The generator's HTML blocks skip Python-Markdown's HTML parser (html_stash.py), and a page of
        # nothing but headings and such blocks skips Python-Markdown altogether (fast_page.py).
        text, self._stashed = stash(markdown)
        converted = convert(text, self._toc) if self._toc is not None else None
        if converted is not None:
            prerender(page, converted)
        return text

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if isinstance(page, _CachedPage):
            return html
        html, self._stashed = restore(html, self._stashed), []
        return label_scroll_boxes(html)  # wide tables: keyboard-scrollable, named regions (a11y.py)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        self._templated += 1
        output = squeeze(output)  # the theme's indentation and blank lines out (whitespace.py)
        # the stored HTML of a cached page; else this one, stored for the next build (page_cache.py)
        return self.pages.finish(output, page) if self.pages is not None else output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        write_search_script(Path(config.site_dir))  # the 搜索 page's three scripts as one (scripts.py)
        if self.corpus is not None:  # replace MkDocs' sitemap with one dated from the content (data/feed.py)
            write_sitemap(self.corpus, Path(config.site_dir), self.history, skip=self.redirects)
            _search_index(self.corpus, Path(config.site_dir), self.serving, self.part, self.cache.store, self.digests)
        self.digests = {}  # one build's (its keys are object ids)
        if self.dirty is not None and self._files is not None:
            gone = self.dirty.remove_stale(self._files, Path(config.site_dir))
            log.info("预览：%d 个页面重新生成，%d 个文件已删除", self._templated, gone)
        self._files, self._templated = None, 0
        self._close_pages()
        if self.cache.store is not None and self.prune:
            self.cache.store.prune()

    def on_build_error(self, *, error: Exception) -> None:
        self._close_pages()

    def _close_pages(self) -> None:
        if self.pages is not None:
            self.pages.close()
            log.info("缓存：%d 个页面沿用上次生成的结果，%d 个页面重新生成", self.pages.hits, self.pages.built)
            self.pages = None

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        root = self._root(config)
        server.unwatch(config.docs_dir)  # generated here; the sources below are what changes
        server.watch(str(root / self.config.content))
        for folder in self._templates(root):
            server.watch(str(folder))
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        return server


def layer_theme(config: MkDocsConfig) -> None:
    """gongkai's theme overrides between the site's own (theme.custom_dir) and Material, and their
    stylesheets and scripts before the site's own, so a site's colours win. Nothing in mkdocs.yml
    needs a path into the installed package; a setting already there is not added twice."""
    dirs = config.theme.dirs
    if not any(Path(d).resolve() == OVERRIDES_DIR.resolve() for d in dirs):
        dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES_DIR))
    config.extra_css[:0] = [css for css in THEME_CSS if css not in config.extra_css]
    scripts = {str(js) for js in config.extra_javascript}
    config.extra_javascript[:0] = [js for js in THEME_JS if js not in scripts]


def _translations(env: Environment, language: str) -> Callable[[str], Markup]:
    """Material's `lang.t`: the theme language's text for `key`, else English, else the key — each
    looked up once a build (Material's macro builds the language's whole table on every call)."""
    own = env.get_template(f"partials/languages/{language}.html").module
    english = env.get_template("partials/languages/en.html").module
    known: dict[str, Markup] = {}

    def t(key: str) -> Markup:
        text = known.get(key)
        if text is None:
            text = known[key] = Markup(str(own.t(key)) or str(english.t(key)) or key)  # type: ignore[attr-defined]
        return text

    return t


def _nav_key(page: Any, nav: Navigation) -> str | None:
    """The cache key of the primary navigation's HTML on `page`: None for a page in the navigation
    (its item is marked active); else what its relative links depend on: the page's first folder
    (shared with a navigation target or not, the nav's pages being one folder deep) and its depth."""
    if not isinstance(page, Page) or any(p is page for p in nav.pages):
        return None
    return f"{page.url.split('/', 1)[0]}:{page.url.count('/')}"


class _LinkedFile(File):
    """A static file of the generated folder, put into the site as a hard link where the file system allows.

    Safe because the writer never changes a generated file in place (writer.py replaces it
    with a new file), so the site keeps the bytes it was built with."""

    def copy_file(self, dirty: bool = False) -> None:
        if self.abs_src_path is None or (dirty and not self.is_modified()):
            return super().copy_file(dirty)
        dest = self.abs_dest_path
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            if os.path.lexists(dest):
                os.unlink(dest)
            os.link(self.abs_src_path, dest)
        except OSError:  # another file system, or links not allowed: copy
            super().copy_file(dirty)


def _generated_static(f: File, docs: str) -> bool:
    return (
        not f.is_documentation_page()
        and f.abs_src_path is not None
        and f.generated_by is None
        and f.abs_src_path.startswith(docs + os.sep)
    )


def _linked(f: File) -> File:
    return _LinkedFile(
        f.src_path, f.src_dir, f.dest_dir, f.use_directory_urls, dest_uri=f.dest_uri, inclusion=f.inclusion
    )


def _nav_paths(nav: Any) -> Iterator[str]:
    """The Markdown paths named in mkdocs.yml's nav (entries are 'path', {title: path} or {title: [...]})."""
    items = nav.values() if isinstance(nav, dict) else nav if isinstance(nav, list) else [nav]
    for item in items:
        if isinstance(item, str):
            if item.endswith(".md"):
                yield item
        else:
            yield from _nav_paths(item)


def _search_index(
    corpus: Corpus, site_dir: Path, serving: bool, part: Part | None, store: Store | None, digests: Digests
) -> None:
    """The Pagefind index of the pages just written (generator/search.py)."""
    try:
        if part is None:  # a preview's search loads the parts (merging them is a published site's)
            build_index(corpus, site_dir, store=store, digests=digests, merge=not serving)
        else:
            # a part's index is merged with the others' where the parts are merged (publish/merge.py)
            years, common = part.years, part.common
            build_index(corpus, site_dir, years=years, units=common, store=store, merge=False, digests=digests)
    except SearchIndexError as exc:
        if serving:
            log.error("搜索索引未生成：%s", exc)
            return
        raise PluginError(f"搜索索引未生成：{exc}") from exc


def _apply_site_settings(config: MkDocsConfig, site: SiteConfig) -> None:
    """site.yml → the site name and the government-site footer/metadata the theme overrides show."""
    text = TextFilter(site.mask_private)  # 隐私脱敏 covers the footer too (a 联系方式 may be a mobile)
    config.site_name = text.title(site.name)
    config.site_description = text.title(site.description)
    config.extra["gongkai"] = {
        "site_name": text.plain(site.name),
        "domain": site.domain or "",
        "sponsor": text.plain(site.sponsor),
        "contact": text.plain(site.contact),
        "site_code": text.plain(site.site_code),
        "icp": text.plain(site.icp),
        "police": text.plain(site.police),
    }
