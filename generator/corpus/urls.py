"""Where each page lives: the slug assignment of unit and disclosure pages, in one place.

`validate.py` gives the current content its URLs with these functions, and the history
stage (generator/history/) gives every earlier commit its URLs with the very same ones, so
an old address found in the history is exactly the address that commit's site had.

A page's address is its folder (`units` for unit pages, `<年度>/<unit slug>` for
disclosures) and its slug: the pinned `网址` when the author wrote one, else the pinyin of
its name (`slugs.slugify`), qualified and numbered where names collide (`slugs.unique`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from generator.corpus.model import Kind
from generator.corpus.slugs import MAX_LEN, unique

UNITS_FOLDER = "units"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slug_problem(text: str) -> str | None:
    """Why a pinned `网址` cannot be a slug, or None when it can."""
    if len(text) > MAX_LEN:
        return f"网址最多 {MAX_LEN} 个字符，这里有 {len(text)} 个"
    if not SLUG.fullmatch(text):
        return "网址只能由小写字母 a-z、数字和连字符“-”组成，连字符不在首尾、不连用，如 xinfang-chutu-jingfei"
    return None


@dataclass(frozen=True)
class PageKey:
    """What a page's slug is decided from: its file (the stable order), folder, names and pin."""

    key: str  # the content file's path: collisions are numbered in this order
    folder: str  # 'units' or '<年度>/<unit slug>'
    base: str  # the slug of its name
    qualified: str  # the slug used when `base` collides within the folder
    pin: str | None = None  # 网址, when written (and valid)


def unit_names(name: str, aliases: tuple[str, ...], region: tuple[str, ...]) -> set[str]:
    """Every name a disclosure's 单位 may use for a unit: 名称, 别名, and 名称 prefixed by a region."""
    return {name, *aliases} | {level + name for level in region}


def unit_key(path: str, name: str, region: tuple[str, ...], pin: str | None, slug_of: Callable[[str], str]) -> PageKey:
    """A unit page: its name's slug, qualified by its county (or the last region level) on collision."""
    qualified = slug_of(region[-1] + name) if region else slug_of(name)
    return PageKey(path, UNITS_FOLDER, slug_of(name), qualified, pin)


def disclosure_base(kind: Kind, project_name: str | None, slug_of: Callable[[str], str]) -> str:
    """A disclosure's natural slug: its project name's (a self-evaluation report has none: its kind's)."""
    if kind is Kind.SELF_EVALUATION or project_name is None:
        return kind.slug
    return slug_of(project_name)


def disclosure_key(path: str, year: int, unit_slug: str, kind: Kind, base: str, pin: str | None) -> PageKey:
    """A disclosure page: the same project disclosed as two kinds is told apart by the kind's slug."""
    qualified = base if kind is Kind.PROJECT else f"{base}-{kind.slug}"
    return PageKey(path, f"{year}/{unit_slug}", base, qualified, pin)


def assign(keys: Iterable[PageKey]) -> dict[str, str]:
    """Each key's slug: its pin as written; otherwise the natural slug, never one a pin holds.

    Pins are not judged here (validate.py reports invalid and colliding ones); a natural slug
    that equals a pin in its folder is numbered like any other collision."""
    items = sorted(keys, key=lambda k: k.key)
    pinned = {(k.folder, k.pin) for k in items if k.pin}
    by_key = {k.key: k for k in items}
    natural = unique(
        ((k.key, f"{k.folder}/{k.base}") for k in items if not k.pin),
        lambda key: f"{by_key[key].folder}/{by_key[key].qualified}",
    )
    out = {k.key: k.pin for k in items if k.pin}
    taken = set(pinned)
    for key in sorted(natural):
        folder, slug = natural[key].rsplit("/", 1)
        candidate, n = slug, 1
        while (folder, candidate) in taken:
            n += 1
            candidate = f"{slug}-{n}"
        taken.add((folder, candidate))
        out[key] = candidate
    return out


def natural_slugs(keys: Iterable[PageKey]) -> dict[str, str]:
    """What each key's slug would be if no page had a pin (to tell a pin from the page it displaces)."""
    unpinned = [PageKey(k.key, k.folder, k.base, k.qualified) for k in keys]
    return assign(unpinned)
