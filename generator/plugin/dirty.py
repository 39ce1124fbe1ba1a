"""`gongkai serve`: after a save, MkDocs rebuilds only the pages the save changed.

MkDocs' own `--dirty` rebuild skips every page whose Markdown is older than its HTML, which
is wrong for pages whose HTML depends on more than their Markdown (MkDocs warns about it).
`gongkai serve` runs MkDocs dirty and this object makes it right: the generator rewrites
only the Markdown files whose text changed (site/writer.py), so their pages are rebuilt;
everything else a page shows — the config (site.yml's name and footer are in it), the theme
folders, the navigation and the content date of undated pages (page_cache.site_key) — is
compared with the previous rebuild, and when any of it changed every page is rebuilt. The
navigation's own pages are always rebuilt (their titles appear on every page). Files that are
gone since the previous rebuild (a deleted or renamed disclosure) are removed from the served
folder, which a dirty build never does.

One serve session's state, kept by the plugin instance between rebuilds; a plain `mkdocs
build` or `gongkai build` never uses it (they start from an empty folder).
"""

from __future__ import annotations

import contextlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from generator.plugin.page_cache import site_key

DIRTY_NOTICE = "A 'dirty' build is being performed"  # MkDocs' warning, not true of these rebuilds


class _QuietDirty(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(DIRTY_NOTICE)


def quiet_dirty_notice() -> None:
    """Drop MkDocs' warning that a dirty build may be inaccurate (once per process)."""
    logger = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _QuietDirty) for f in logger.filters):
        logger.addFilter(_QuietDirty())


def _rebuild(self: File) -> bool:  # bound to a File as its is_modified: always rebuilt
    return True


@dataclass
class DirtyRebuilds:
    """What the previous rebuild of a serve session showed on every page, and which files it served."""

    shown: bytes | None = None  # page_cache.site_key + content date of the previous rebuild
    served: set[str] = field(default_factory=set)  # dest paths (site-relative) of its files

    def choose(self, files: Files, nav: Navigation, config: MkDocsConfig, content_date: str) -> None:
        """Mark the pages MkDocs must rebuild (`is_modified`) beyond those whose Markdown changed."""
        shown = site_key(config, nav, False) + content_date.encode()
        every, self.shown = shown != self.shown, shown
        in_nav = {p.file.src_uri for p in nav.pages}
        for f in files.documentation_pages():
            if every or f.src_uri in in_nav:
                f.is_modified = _rebuild.__get__(f)  # type: ignore[method-assign]

    def remove_stale(self, files: Files, site_dir: Path) -> int:
        """Delete what the previous rebuild served and this one does not; the number of files deleted."""
        now = {f.dest_uri for f in files}
        gone = sorted(self.served - now)
        for rel in gone:
            with contextlib.suppress(OSError):  # already gone
                os.unlink(site_dir / rel)
        self.served = now
        return len(gone)
