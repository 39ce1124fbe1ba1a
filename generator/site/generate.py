"""The pipeline in one place: a checked Corpus → every file of the generated docs folder.

`generate` gathers everything first (pages, published YAML copies, source views, data
downloads) and then writes it in one pass (`writer.sync_tree`: only changed files are
rewritten). `gongkai build`, `mkdocs build` and `mkdocs serve` all run it, through the
MkDocs plugin (generator/plugin/).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.corpus.model import Corpus
from generator.corpus.validate import SITE_FILE, YAML_SUFFIXES
from generator.data.downloads import data_files
from generator.history.model import History
from generator.site.cache import BuildCache
from generator.site.parts import Part
from generator.site.redirects import PAGE_FILE, old_addresses, redirect_pages
from generator.site.render import SOURCE_DIR, TEMPLATES_DIR, Renderer, source_owners
from generator.site.summaries import summarize
from generator.site.writer import SyncStats, sync_tree
from generator.store import DIGEST, Digests

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Generated:
    pages: int
    sources: int
    stats: SyncStats
    seconds: float
    redirects: frozenset[str] = frozenset()  # the old URLs that lead to today's pages (not in the sitemap)
    digests: Digests = field(default_factory=dict)  # value_digest's memo of this build (for the search index's keys)


def body_digests(corpus: Corpus, content: Path, raw: Mapping[str, bytes] | None) -> Digests:
    """value_digest's memo for one build, seeded with the digest of every disclosure's body by
    the bytes of its file: the pages' and data's cache keys (store.value_digest) then need not
    walk the bodies — most of what a warm build spent digesting (BENCHMARKS.md, Build cache).

    Sound because a body is made from its file alone: its bytes and its path, which the body's
    located sources carry (corpus/validate.py `_draft`; the unit, slug and everything resolved
    across files live beside the body in the Disclosure, and are walked). A file reached through
    a symbolic link is left to the walk (the check does not cache its judgement either)."""
    digests: Digests = {}
    if raw is None:
        return digests
    for d in corpus.disclosures:
        data = raw.get(d.src_path)
        if data is None or (content / d.src_path).is_symlink():
            continue
        rel = d.src_path.encode()
        seed = hashlib.blake2b(b"disclosure body\0", digest_size=DIGEST)
        seed.update(len(rel).to_bytes(8, "little") + rel + data)
        digests[id(d.body)] = (d.body, seed.digest())
    return digests


def content_sources(content: Path, raw: Mapping[str, bytes] | None = None) -> dict[str, str]:
    """Every YAML file of the content folder as text, keyed by its '/'-separated relative path.

    `raw` is what the check read (CheckResult.raw: every unit and disclosure file): those
    files are not listed or read again; only site.yml is."""
    if raw is None:
        return {rel: path.read_text(encoding="utf-8-sig") for rel, path in _yaml_files(content)}
    out = {rel: _decode(data) for rel, data in sorted(raw.items())}
    site = content / SITE_FILE
    if site.is_file():
        out[SITE_FILE] = site.read_text(encoding="utf-8-sig")
    return out


def _yaml_files(content: Path) -> Iterator[tuple[str, Path]]:
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(content)
        if path.is_file() and path.suffix in YAML_SUFFIXES and not any(p.startswith(".") for p in rel.parts):
            yield rel.as_posix(), path


def _decode(data: bytes) -> str:
    """As `Path.read_text(encoding="utf-8-sig")` decodes: the BOM dropped, newlines made \\n."""
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def generate(
    corpus: Corpus,
    content: Path,
    out_dir: Path,
    part: Part | None = None,
    raw: Mapping[str, bytes] | None = None,
    templates: Sequence[Path] = (TEMPLATES_DIR,),
    *,
    cache: BuildCache | None = None,
    history: History | None = None,
) -> Generated:
    """Render every page of `corpus` (of `part`, when given) and the published copies of its YAML into `out_dir`.

    `cache` is what this run's earlier builds remember (None: a cold build, see site/cache.py);
    `history` the content folder's git history (history/; None: built without one, as from a
    folder that is not a repository); `templates` the page template folders, searched in order
    (a site's own site_templates/ first)."""
    start = time.perf_counter()
    cache = cache if cache is not None else BuildCache()
    summary = summarize(corpus)
    history = history if history is not None else History.unavailable("未读取修订记录")
    digests = body_digests(corpus, content, raw) if cache.store is not None else {}
    renderer = Renderer(corpus, summary, templates, cache=cache.render, history=history, digests=digests)
    files: dict[str, bytes] = {k: v.encode() for k, v in renderer.render_all(part).items()}
    pages = len(files)
    old = old_addresses(corpus, history)  # every part knows them (the sitemap leaves them out); part 1 writes them
    moved = frozenset(old.targets)
    if part is not None and not part.common:  # the YAML copies, source views, data and redirects are part 1's
        stats = sync_tree(files, out_dir, cache.write)
        seconds = time.perf_counter() - start
        log.info("生成分片 %s 的 %d 个页面：%s（%.2f 秒）", part.label, pages, stats, seconds)
        return Generated(pages, 0, stats, seconds, moved, digests)
    for problem in old.reused:  # INFO: `mkdocs build --strict` must not fail on it; `gongkai check --strict` does
        log.info("内容警告：%s", problem)
    if old.note is not None:
        log.info("%s", old.note)
    sources = content_sources(content, raw)
    for rel, text in sources.items():
        # The raw copy is what "下载 YAML" serves; masked like the pages when the site asks for it.
        files[f"{SOURCE_DIR}/{rel}"] = renderer.text.plain(text).encode()
    for rel, html in renderer.source_pages(sources, source_owners(corpus, summary)).items():
        files[rel] = html.encode()
    # 数据下载: the data sets and their page (data/downloads.py); the feed carries the revisions
    files.update(data_files(corpus, cache.data, history, digests))
    moves = redirect_pages(corpus, old.targets, renderer.env, taken=files.keys())  # old addresses (redirects.py)
    files.update((path, html.encode()) for path, html in moves.items())
    stats = sync_tree(files, out_dir, cache.write)
    seconds = time.perf_counter() - start
    made = (pages, len(sources), len(moves), stats, seconds)
    log.info("生成 %d 个页面、%d 个源文件和 %d 个旧网址跳转页：%s（%.2f 秒）", *made)
    return Generated(pages, len(sources), stats, seconds, frozenset(p.removesuffix(PAGE_FILE) for p in moves), digests)
