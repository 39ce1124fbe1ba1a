"""Rollups of the corpus: per unit and year, per year, per region. Pure functions, exact Decimals.

What "项目预算" (project budget) sums, stated once here and on the site:
the 资金安排合计 of every 项目文本, plus the 本年度预算金额 of every 绩效目标表 whose project
has no 项目文本 of the same unit, year and project name. A project disclosed both ways is
counted once. Self-evaluation figures (收入合计, 支出合计, 人员经费, 公用经费, 项目支出) are
actual spending for a whole unit and are never added to the project budget.

A fictional example unit (单位档案 `示例单位: 是`) has its own pages and region, but its money is left
out of the totals across units (a year's and the site's; its disclosures are still counted), so that
no real total carries made-up figures.

Everything is computed in one pass over the disclosures (grouped by unit and year) and
then summed upwards, so the cost grows linearly with the corpus.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from generator.corpus.model import Corpus, Disclosure, ProjectText, SelfEvaluation, TargetTable, Unit
from generator.corpus.slugs import slugify, unique

log = logging.getLogger(__name__)

UNSPECIFIED_SOURCE = "未注明"

# Metric key → Chinese label, in display order.
METRICS: tuple[tuple[str, str], ...] = (
    ("project_budget", "项目预算"),
    ("income", "收入合计"),
    ("spending", "支出合计"),
    ("personnel", "人员经费"),
    ("public", "公用经费"),
    ("project_spending", "项目支出"),
)
_PART_METRICS = {"人员经费": "personnel", "公用经费": "public", "项目支出": "project_spending"}


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None:
        return b
    if b is None:
        return a
    return a + b


@dataclass(frozen=True)
class Figures:
    """Counts and sums for a set of disclosures. A sum is None when nothing contributed to it."""

    disclosures: int = 0
    projects: int = 0
    evaluations: int = 0
    project_budget: Decimal | None = None
    by_source: tuple[tuple[str, Decimal], ...] = ()
    income: Decimal | None = None
    spending: Decimal | None = None
    personnel: Decimal | None = None
    public: Decimal | None = None
    project_spending: Decimal | None = None

    def get(self, metric: str) -> Decimal | None:
        value: Decimal | None = getattr(self, metric)
        return value

    def __add__(self, other: Figures) -> Figures:
        sources: dict[str, Decimal] = dict(self.by_source)
        for name, amount in other.by_source:
            sources[name] = sources.get(name, Decimal(0)) + amount
        return Figures(
            disclosures=self.disclosures + other.disclosures,
            projects=self.projects + other.projects,
            evaluations=self.evaluations + other.evaluations,
            project_budget=_add(self.project_budget, other.project_budget),
            by_source=_sorted_sources(sources),
            income=_add(self.income, other.income),
            spending=_add(self.spending, other.spending),
            personnel=_add(self.personnel, other.personnel),
            public=_add(self.public, other.public),
            project_spending=_add(self.project_spending, other.project_spending),
        )


def _sorted_sources(sources: dict[str, Decimal]) -> tuple[tuple[str, Decimal], ...]:
    # Largest first; "未注明" last; ties by name, so the order is stable between builds.
    return tuple(sorted(sources.items(), key=lambda kv: (kv[0] == UNSPECIFIED_SOURCE, -kv[1], kv[0])))


def total(items: Iterable[Figures]) -> Figures:
    result = Figures()
    for item in items:
        result = result + item
    return result


def unit_year_figures(disclosures: Sequence[Disclosure]) -> Figures:
    """Figures of one unit's disclosures of one year (the level at which projects are de-duplicated)."""
    with_text = {d.body.project_name.strip() for d in disclosures if isinstance(d.body, ProjectText)}
    budget: Decimal | None = None
    projects = evaluations = 0
    sources: dict[str, Decimal] = {}
    values: dict[str, Decimal | None] = {}
    for d in disclosures:
        body = d.body
        amount: Decimal | None = None
        source: str | None = None
        if isinstance(body, ProjectText):
            amount, source = body.funding.total.yuan, body.funding.source
        elif isinstance(body, TargetTable):
            if body.project_name.strip() in with_text:
                continue  # already counted through its 项目文本
            amount, source = body.budget.yuan, body.funding_source
        elif isinstance(body, SelfEvaluation):
            evaluations += 1
            values["income"] = _add(values.get("income"), body.income.yuan if body.income else None)
            values["spending"] = _add(values.get("spending"), body.spending.yuan)
            for part in body.parts:
                key = _PART_METRICS.get(part.category)
                if key is not None:
                    values[key] = _add(values.get(key), part.amount.yuan)
        if amount is not None:
            projects += 1
            budget = _add(budget, amount)
            name = (source or "").strip() or UNSPECIFIED_SOURCE
            sources[name] = sources.get(name, Decimal(0)) + amount
    return Figures(
        disclosures=len(disclosures),
        projects=projects,
        evaluations=evaluations,
        project_budget=budget,
        by_source=_sorted_sources(sources),
        **values,
    )


@dataclass(frozen=True)
class Change:
    """A metric compared with the closest earlier year that has the same metric."""

    metric: str
    label: str
    from_year: int
    previous: Decimal
    current: Decimal


@dataclass(frozen=True)
class UnitYear:
    unit: Unit
    year: int
    figures: Figures
    disclosures: tuple[Disclosure, ...]
    changes: tuple[Change, ...] = ()

    def change(self, metric: str) -> Change | None:
        return next((c for c in self.changes if c.metric == metric), None)


@dataclass(frozen=True)
class UnitSummary:
    unit: Unit
    years: tuple[UnitYear, ...]  # ascending
    figures: Figures  # all years together (counts are meaningful; sums span years)

    @property
    def latest(self) -> UnitYear | None:
        return self.years[-1] if self.years else None


@dataclass(frozen=True)
class YearSummary:
    year: int
    figures: Figures
    units: tuple[UnitYear, ...]  # ordered by region path, then unit slug


@dataclass(frozen=True)
class RegionNode:
    path: tuple[str, ...]
    slug: str
    children: tuple[RegionNode, ...]
    units: tuple[UnitSummary, ...]  # units placed exactly at this region
    all_units: tuple[UnitSummary, ...]  # this region and everything beneath
    by_year: tuple[tuple[int, Figures], ...]
    figures: Figures

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def level(self) -> int:
        return len(self.path)


@dataclass(frozen=True)
class SiteSummary:
    units: tuple[UnitSummary, ...]  # by slug
    years: tuple[YearSummary, ...]  # ascending
    regions: tuple[RegionNode, ...]  # top level (provinces), by slug
    figures: Figures
    region_by_path: dict[tuple[str, ...], RegionNode] = field(default_factory=dict)

    @property
    def latest_year(self) -> YearSummary | None:
        return self.years[-1] if self.years else None


def _with_changes(rows: list[UnitYear]) -> tuple[UnitYear, ...]:
    last_seen: dict[str, tuple[int, Decimal]] = {}
    out = []
    for row in rows:
        changes = []
        for metric, label in METRICS:
            value = row.figures.get(metric)
            if value is None:
                continue
            if metric in last_seen:
                year, prev = last_seen[metric]
                changes.append(Change(metric, label, year, prev, value))
            last_seen[metric] = (row.year, value)
        out.append(UnitYear(row.unit, row.year, row.figures, row.disclosures, tuple(changes)))
    return tuple(out)


def region_slugs(paths: Iterable[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """Slug of every region (and its ancestors): `yunnansheng/kunmingshi/panlongqu`.

    Each level is the pinyin of its name; siblings whose pinyin collide get a number in
    name order, so the same tree gives the same URLs in every build.
    """
    nodes: set[tuple[str, ...]] = set()
    for path in paths:
        nodes.update(path[:depth] for depth in range(1, len(path) + 1))
    siblings: dict[tuple[str, ...], list[tuple[str, ...]]] = defaultdict(list)
    for node in nodes:
        siblings[node[:-1]].append(node)
    part: dict[tuple[str, ...], str] = {}
    for group in siblings.values():
        names = unique(((n[-1], slugify(n[-1], fallback="diqu")) for n in group), qualify=lambda k: slugify(k))
        for n in group:
            part[n] = names[n[-1]]
    return {n: "/".join(part[n[:d]] for d in range(1, len(n) + 1)) for n in nodes}


def _real(unit: Unit, figures: Figures) -> Figures:
    """What a unit adds to totals across units: an example unit its counts only, never its money."""
    if not unit.example:
        return figures
    return Figures(disclosures=figures.disclosures, projects=figures.projects, evaluations=figures.evaluations)


def summarize(corpus: Corpus) -> SiteSummary:
    """All rollups of a corpus, in one pass over its disclosures."""
    grouped: dict[tuple[str, int], list[Disclosure]] = defaultdict(list)
    for d in corpus.disclosures:
        grouped[(d.unit.slug, d.year)].append(d)

    units = sorted(corpus.units, key=lambda u: u.slug)
    unit_summaries: list[UnitSummary] = []
    by_year: dict[int, list[UnitYear]] = defaultdict(list)
    years_of: dict[str, list[int]] = defaultdict(list)
    for key in grouped:
        years_of[key[0]].append(key[1])
    for unit in units:
        rows = []
        for year in sorted(years_of.get(unit.slug, ())):
            items = sorted(grouped[(unit.slug, year)], key=lambda d: (d.kind.value, d.slug))
            rows.append(UnitYear(unit, year, unit_year_figures(items), tuple(items)))
        unit_years = _with_changes(rows)
        for row in unit_years:
            by_year[row.year].append(row)
        unit_summaries.append(UnitSummary(unit, unit_years, total(r.figures for r in unit_years)))

    years = []
    for year in sorted(by_year):
        rows = sorted(by_year[year], key=lambda r: (r.unit.region, r.unit.slug))
        years.append(YearSummary(year, total(_real(r.unit, r.figures) for r in rows), tuple(rows)))

    region_by_path: dict[tuple[str, ...], RegionNode] = {}
    slugs = region_slugs(u.region for u in corpus.units)
    roots = _region_tree(unit_summaries, slugs.__getitem__, region_by_path)
    return SiteSummary(
        units=tuple(unit_summaries),
        years=tuple(years),
        regions=roots,
        figures=total(_real(u.unit, u.figures) for u in unit_summaries),
        region_by_path=region_by_path,
    )


def _region_tree(
    unit_summaries: list[UnitSummary],
    region_slug: Callable[[tuple[str, ...]], str],
    index: dict[tuple[str, ...], RegionNode],
) -> tuple[RegionNode, ...]:
    direct: dict[tuple[str, ...], list[UnitSummary]] = defaultdict(list)
    children: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
    for us in unit_summaries:
        path = tuple(us.unit.region)
        direct[path].append(us)
        for depth in range(1, len(path) + 1):
            children[path[: depth - 1]].add(path[:depth])

    def build(path: tuple[str, ...]) -> RegionNode:
        kids = sorted((build(p) for p in children.get(path, ())), key=lambda n: n.slug)
        here = tuple(sorted(direct.get(path, ()), key=lambda u: u.unit.slug))
        beneath = here + tuple(u for k in kids for u in k.all_units)
        per_year: dict[int, list[Figures]] = defaultdict(list)
        for us in beneath:
            for row in us.years:
                per_year[row.year].append(row.figures)
        node = RegionNode(
            path=path,
            slug=region_slug(path),
            children=tuple(kids),
            units=here,
            all_units=tuple(sorted(beneath, key=lambda u: u.unit.slug)),
            by_year=tuple((y, total(per_year[y])) for y in sorted(per_year)),
            figures=total(u.figures for u in beneath),
        )
        index[path] = node
        return node

    return tuple(sorted((build(p) for p in children.get((), ())), key=lambda n: n.slug))
