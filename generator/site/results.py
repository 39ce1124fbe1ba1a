"""目标完成情况: every 项目支出绩效自评表 beside its targets (corpus/accountability.py), counted per
unit and year, per year and for the site, and the indicators not met, grouped for their pages.

What the counts mean, stated once here and on the site (`_results_note.md.j2`):

- 有绩效目标的项目: the projects of a unit and year with a target (a 绩效目标表, or a 项目文本 with
  绩效目标), each project once however many of its documents state targets (`project_key`);
- 有自评表的项目: the unit's 自评表 of that year, and how many of them were linked to a target;
- 完成 / 未完成 / 无法判断: the indicators of those 自评表 by verdict; 完成率 = 完成 ÷ (完成 + 未完成):
  an indicator that cannot be judged (text values, different units, a target the 自评表 does not
  report, or a result without a target) is neither, and is counted and shown on its own;
- 平均总分: the mean 总分 of the 自评表 (each counts once).

A fictional example unit (示例单位) has its figures on its own pages and its rows on the not-met
list (marked), but is left out of the year's and the site's counts, as its money is (summaries.py).

Computed once per build from the links the renderer made, in one pass; frozen values only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from generator.corpus.accountability import ComparedRow, Comparison, Verdict, project_key, target_rows
from generator.corpus.model import Disclosure, Unit
from generator.corpus.project_evaluation import number_text

RESULTS_URL = "results/"  # the site-wide 目标完成情况 page; each year's list of indicators not met beneath it


def results_year_url(year: int) -> str:
    return f"{RESULTS_URL}{year}/"


def percent_text(ratio: Decimal | None) -> str:
    """A ratio as a percentage with one decimal (half up), or — when there is none."""
    return "—" if ratio is None else f"{(ratio * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class Tally:
    """Counts over a set of disclosures (see the module docstring for what each means)."""

    targets: int = 0
    results: int = 0
    linked: int = 0
    met: int = 0
    unmet: int = 0
    unknown: int = 0
    score_sum: Decimal = Decimal(0)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.targets + other.targets,
            self.results + other.results,
            self.linked + other.linked,
            self.met + other.met,
            self.unmet + other.unmet,
            self.unknown + other.unknown,
            self.score_sum + other.score_sum,
        )

    @property
    def indicators(self) -> int:
        return self.met + self.unmet + self.unknown

    @property
    def rate(self) -> Decimal | None:
        """完成率 = 完成 ÷ (完成 + 未完成); None when no indicator could be judged."""
        judged = self.met + self.unmet
        return None if judged == 0 else Decimal(self.met) / Decimal(judged)

    @property
    def rate_text(self) -> str:
        return percent_text(self.rate)

    @property
    def average_score(self) -> Decimal | None:
        return None if self.results == 0 else self.score_sum / Decimal(self.results)

    @property
    def average_text(self) -> str:
        """平均总分 to one decimal (half up), or — without a 自评表."""
        average = self.average_score
        return "—" if average is None else number_text(average.quantize(Decimal("0.1"), ROUND_HALF_UP))


def tally(disclosures: Iterable[Disclosure], comparisons: Sequence[Comparison]) -> Tally:
    """The counts of one unit's disclosures of one year and the comparisons of its 自评表."""
    projects = {project_key(d.name, d.year) for d in disclosures if target_rows(d)}
    return Tally(
        targets=len(projects),
        results=len(comparisons),
        linked=sum(c.target is not None for c in comparisons),
        met=sum(c.count(Verdict.MET) for c in comparisons),
        unmet=sum(c.count(Verdict.UNMET) for c in comparisons),
        unknown=sum(c.count(Verdict.UNKNOWN) for c in comparisons),
        score_sum=sum((c.body.total_score.value for c in comparisons), Decimal(0)),
    )


def total(items: Iterable[Tally]) -> Tally:
    out = Tally()
    for item in items:
        out = out + item
    return out


@dataclass(frozen=True)
class UnitYearResults:
    unit: Unit
    year: int
    tally: Tally
    comparisons: tuple[Comparison, ...]  # the unit's 自评表 of the year, in page order


@dataclass(frozen=True)
class UnmetRow:
    """One indicator not met, with the 自评表 (and target) it comes from."""

    comparison: Comparison
    row: ComparedRow


@dataclass(frozen=True)
class UnmetUnit:
    unit: Unit
    anchor: str  # id of its block on the year's list: u-<unit slug>
    rows: tuple[UnmetRow, ...]


@dataclass(frozen=True)
class UnmetRegion:
    region: tuple[str, ...]
    anchor: str  # id of the region's block: r-<region slug, / as _>
    above: tuple[tuple[tuple[str, ...], str], ...]  # (path, id) of the higher regions whose first block this is
    units: tuple[UnmetUnit, ...]

    @property
    def count(self) -> int:
        return sum(len(u.rows) for u in self.units)


@dataclass(frozen=True)
class YearResults:
    year: int
    tally: Tally  # real units only (example units left out)
    units: tuple[UnitYearResults, ...]  # units with targets or 自评表, by region, then slug
    unmet: tuple[UnmetRegion, ...]  # every unit's indicators not met, example units included (marked)

    @property
    def unmet_count(self) -> int:
        return sum(r.count for r in self.unmet)

    @property
    def example_unmet(self) -> int:
        return sum(len(u.rows) for r in self.unmet for u in r.units if u.unit.example)

    @property
    def regions(self) -> tuple[tuple[tuple[str, ...], str], ...]:
        """Every region of the list and each higher region once, in path order: (path, id of its first block)."""
        return tuple(item for r in self.unmet for item in (*r.above, (r.region, r.anchor)))


@dataclass(frozen=True)
class ResultsSummary:
    years: tuple[YearResults, ...]  # ascending; only years with a target or a 自评表
    tally: Tally  # the site: real units only
    by_unit: dict[str, tuple[UnitYearResults, ...]]  # unit slug → its years, ascending

    def of_unit(self, unit: Unit) -> tuple[UnitYearResults, ...]:
        return self.by_unit.get(unit.slug, ())

    def of_year(self, year: int) -> YearResults | None:
        return next((y for y in self.years if y.year == year), None)

    @property
    def latest(self) -> YearResults | None:
        """The newest year with a 自评表 (results are published a year after the targets)."""
        return next((y for y in reversed(self.years) if y.tally.results or y.unmet), None)


def _anchor(prefix: str, slug: str) -> str:
    return f"{prefix}-{slug.replace('/', '_')}"


def _unmet(rows: Sequence[UnitYearResults], region_slug: dict[tuple[str, ...], str]) -> tuple[UnmetRegion, ...]:
    groups: dict[tuple[str, ...], list[UnmetUnit]] = defaultdict(list)
    for r in rows:
        found = tuple(UnmetRow(c, row) for c in r.comparisons for row in c.rows if row.verdict is Verdict.UNMET)
        if found:
            groups[tuple(r.unit.region)].append(UnmetUnit(r.unit, _anchor("u", r.unit.slug), found))
    out = []
    placed: set[tuple[str, ...]] = set()
    for region in sorted(groups):
        higher = [region[:d] for d in range(1, len(region)) if region[:d] not in placed]
        placed.update(higher)
        placed.add(region)
        above = tuple((p, _anchor("r", region_slug[p])) for p in higher)
        out.append(UnmetRegion(region, _anchor("r", region_slug[region]), above, tuple(groups[region])))
    return tuple(out)


def summarize_results(
    grouped: Iterable[tuple[Unit, int, Sequence[Disclosure]]],
    of_result: Callable[[Disclosure], Comparison | None],
    region_slug: dict[tuple[str, ...], str],
) -> ResultsSummary:
    """The counts and lists of every page, from each unit's disclosures of each year and `of_result`
    (a 自评表 → its comparison, `Links.of_result`)."""
    by_year: dict[int, list[UnitYearResults]] = defaultdict(list)
    by_unit: dict[str, list[UnitYearResults]] = defaultdict(list)
    for unit, year, disclosures in grouped:
        comparisons = tuple(c for d in disclosures if (c := of_result(d)) is not None)
        counts = tally(disclosures, comparisons)
        if counts.targets == 0 and counts.results == 0:
            continue
        row = UnitYearResults(unit, year, counts, comparisons)
        by_year[year].append(row)
        by_unit[unit.slug].append(row)
    years = []
    for year in sorted(by_year):
        rows = sorted(by_year[year], key=lambda r: (r.unit.region, r.unit.slug))
        real = total(r.tally for r in rows if not r.unit.example)
        years.append(YearResults(year, real, tuple(rows), _unmet(rows, region_slug)))
    return ResultsSummary(
        years=tuple(years),
        tally=total(y.tally for y in years),
        by_unit={slug: tuple(sorted(rows, key=lambda r: r.year)) for slug, rows in by_unit.items()},
    )
