"""Old addresses → today's pages: the redirects of the current site.

Every URL a file that still exists had at an earlier commit (model.PastAddress) leads
straight to that file's page today, so a chain A → B → C sends A to C. An address held by
several files over time belongs to the one that held it last; an address that is a page
of the current content is that page's (and a warning says, located, that an old address
is being reused). Without a history, the addresses that can still be derived are kept:
each unit's 别名 (a former or other name) leads to the unit's page.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.corpus.errors import Problem, Source
from generator.corpus.model import Corpus
from generator.corpus.slugs import slugify
from generator.history.model import History


@dataclass(frozen=True)
class Redirects:
    targets: dict[str, str]  # old URL → the current URL it leads to (site-relative directory URLs)
    reused: tuple[Problem, ...] = ()  # warnings: an old address that is now another page's


def current_urls(corpus: Corpus) -> dict[str, str]:
    """Each content file's page URL (disclosures and units), by the file's path."""
    urls = {d.src_path: d.url for d in corpus.disclosures}
    urls.update({u.src.path: u.url for u in corpus.units})
    return urls


def redirects(corpus: Corpus, history: History) -> Redirects:
    current = current_urls(corpus)
    holder = {url: path for path, url in current.items()}
    best: dict[str, tuple[int, str]] = {}
    reused: dict[str, Problem] = {}
    for past in history.addresses:
        if past.path not in current:
            continue  # a file of the last commit that is not a page now (being renamed, or with errors)
        owner = holder.get(past.url)
        if owner is not None:
            if owner != past.path and past.url not in reused:
                message = (
                    f"本页的网址 {past.url} 以前是 {past.path} 的网址（它现在在 {current[past.path]}）："
                    f"旧链接从此打开本页，不再跳转到 {past.path} 的页面"
                )
                reused[past.url] = Problem(Source(owner, 1, 1), "", message, warning=True)
            continue
        if past.url not in best or past.until > best[past.url][0]:
            best[past.url] = (past.until, past.path)
    targets = {url: current[path] for url, (_, path) in sorted(best.items())}
    for unit in corpus.units:
        for alias in unit.aliases:
            url = f"units/{slugify(alias)}/"
            if url not in holder and url not in targets:
                targets[url] = unit.url
    return Redirects(dict(sorted(targets.items())), tuple(sorted(reused.values())))
