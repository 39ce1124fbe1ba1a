"""Old addresses → small redirect pages, so that a link to a page never breaks (issue 17).

In: the checked corpus and the content's history (history/addresses.py `redirects`: every URL
a page of today had at an earlier commit → its URL today, chains collapsed, an address taken
again by new content left to the new content, with a located warning). Out: one plain HTML
file per old address, `<old URL>index.html` in the docs folder, which MkDocs copies untouched
(a static file, hard-linked by the plugin like the data files): a `<meta http-equiv="refresh">`
to today's page, `<link rel="canonical">` to it (relative, as every link of the site, so the site
works on any host), `noindex`, and a visible Chinese link for a
reader whose browser does not follow the refresh. The pages are in no navigation, not indexed
by search (search/index.py indexes the corpus's pages only; the body is also marked
`data-pagefind-ignore`) and not in the sitemap (the plugin passes their URLs to
data/feed.write_sitemap to leave out).

Besides the disclosure and unit addresses, a renamed unit's year folders (`<年度>/<旧单位>/`,
the page listing the unit's disclosures of a year) lead to the same year's folder of today.
An old address never shadows a page of the current site: one that is a current page is that
page (history/addresses.py already leaves out disclosure and unit pages; the year folders and
every other generated file are checked here). Without a history, the addresses that can still
be derived are kept (a unit's 别名 → the unit) and `note` says once what could not be.

All redirect pages belong to part 1 of a site built in parts (the common part), so merged
parts never hold two versions of one; every part works out the same set (the whole corpus is
checked in every part), which the sitemap of each part leaves out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from jinja2 import Environment

from generator.corpus.errors import Problem
from generator.corpus.fmt import TextFilter, rel
from generator.corpus.model import Corpus
from generator.history.addresses import redirects
from generator.history.model import History

TEMPLATE = "redirect.html.j2"
PAGE_FILE = "index.html"  # an old directory URL 'a/b/' is the file 'a/b/index.html'


@dataclass(frozen=True)
class OldAddresses:
    """What the site does with the addresses its pages had: old URL → today's URL, and why some could not be."""

    targets: dict[str, str]
    reused: tuple[Problem, ...] = ()  # located warnings: an old address that is now another page's
    note: str | None = None  # said once by the build: what could not be derived (no history)


def current_pages(corpus: Corpus) -> set[str]:
    """The URLs an old address may never take: every disclosure, unit and year-folder page of today."""
    pages = {d.url for d in corpus.disclosures} | {u.url for u in corpus.units}
    pages |= {f"{d.year}/{d.unit.slug}/" for d in corpus.disclosures}
    pages |= {f"{d.year}/" for d in corpus.disclosures}
    return pages


def old_addresses(corpus: Corpus, history: History) -> OldAddresses:
    """Every old address of the site and the page it leads to today (see the module docstring)."""
    found = redirects(corpus, history)
    pages = current_pages(corpus)
    targets = {old: new for old, new in found.targets.items() if old not in pages}
    years: dict[str, set[int]] = {}  # a unit's URL → the years it has disclosures in
    for d in corpus.disclosures:
        years.setdefault(d.unit.url, set()).add(d.year)
    for old, new in sorted(found.targets.items()):
        if not (old.startswith("units/") and new in years):
            continue
        was, now = old.split("/")[1], new.split("/")[1]
        for year in sorted(years[new]):
            folder = f"{year}/{was}/"
            if folder not in pages and folder not in targets:
                targets[folder] = f"{year}/{now}/"
    note = None
    if not history.available:
        note = (
            f"旧网址跳转不完整（{history.reason}）：只生成了由单位别名得出的 {len(targets)} 个跳转页，"
            "名称更正、单位改名或文件移动之前的旧网址打开后是“页面未找到”"
        )
    return OldAddresses(dict(sorted(targets.items())), found.reused, note)


def page_titles(corpus: Corpus) -> dict[str, str]:
    """The title of each page an old address may lead to, as the redirect page names it."""
    titles = {d.url: f"{d.unit.name} {d.year}年{d.kind.value}：{d.name}" for d in corpus.disclosures}
    titles |= {u.url: u.name for u in corpus.units}
    titles |= {f"{d.year}/{d.unit.slug}/": f"{d.unit.name} {d.year}年公开文本" for d in corpus.disclosures}
    return titles


def redirect_pages(
    corpus: Corpus, targets: Mapping[str, str], env: Environment, taken: Collection[str] = ()
) -> dict[str, str]:
    """{docs path: HTML} of the redirect pages; an old address whose file is `taken` (a generated file) is left out."""
    template = env.get_template(TEMPLATE)
    titles = page_titles(corpus)
    text = TextFilter(corpus.site.mask_private)
    out = {}
    for old, new in targets.items():
        path = old + PAGE_FILE
        if path in taken or f"{old}index.md" in taken:
            continue
        out[path] = template.render(
            page_url=old,
            target=rel(old, new),
            title=text.plain(titles.get(new, new)),
        )
    return out
