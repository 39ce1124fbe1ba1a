"""Target beside result: each 项目支出绩效自评表 linked to the 绩效目标表 (or 项目文本 with 绩效目标)
of the same unit, year and project, and each of its indicators to the target row it reports on.

The rules, as docs/content-format.md ("目标与完成情况的对照") states them for authors:

- project names are compared by `project_key`: spaces dropped, full-width forms made half-width
  (NFKC; 【】〔〕［］ count as brackets), a leading "<year>年(度)" dropped, then one trailing 项目
  and one trailing 经费;
- a 绩效目标表 is preferred; only without one, a 项目文本 whose 绩效目标 has indicators; no match,
  or two of the preferred kind, is a located warning at the 自评表's 项目名称;
- indicators are the same when their canonical 一级 and 二级 and their `name_key` agree; rows on
  either side without a partner are kept and marked, never dropped;
- 完成 / 未完成 / 无法判断 (`judge`) comes from the target's operator and number against the
  actual number (no operator: ≤ for a 成本指标, ≥ otherwise), in the same unit (money units
  converted); text-only values, or different units, cannot be judged.

Pure functions over model objects: both the check (warnings) and the site and data use them.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from generator.corpus.errors import Problem, Source
from generator.corpus.model import (
    Disclosure,
    Indicator,
    IndicatorValue,
    Kind,
    ProjectEvaluation,
    ProjectText,
    ResultRow,
    Score,
    TargetTable,
)
from generator.corpus.money import indicator_money

_BRACKETS = str.maketrans("【】〔〕［］[]", "()()()()")
_SPACES = re.compile(r"\s+")


def name_key(name: str) -> str:
    """An indicator's or project's name as compared: NFKC, brackets alike, no spaces."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name).translate(_BRACKETS))


def project_key(name: str, year: int) -> str:
    """`2022年 信访接待服务经费项目` → `信访接待服务` (see the module docstring)."""
    key = name_key(name)
    for prefix in (f"{year}年度", f"{year}年"):
        key = key.removeprefix(prefix)
    return key.removesuffix("项目").removesuffix("经费") or key


class Verdict(enum.Enum):
    MET = "完成"
    UNMET = "未完成"
    UNKNOWN = "无法判断"

    @property
    def symbol(self) -> str:
        return {"完成": "✓", "未完成": "✗", "无法判断": "？"}[self.value]

    @property
    def css(self) -> str:
        return {"完成": "met", "未完成": "unmet", "无法判断": "unknown"}[self.value]


def judge(target: IndicatorValue, actual: IndicatorValue, level2: str, measure_unit: str | None = None) -> Verdict:
    """Was the target met? From the parsed operator and number of both values."""
    if target.number is None or actual.number is None:
        return Verdict.UNKNOWN
    want, got = target.number, actual.number
    target_money = indicator_money(target, measure_unit)
    actual_money = indicator_money(actual, measure_unit if actual.unit is None else None)
    if target_money is not None and actual_money is not None:
        want, got = target_money, actual_money
    elif target.unit and actual.unit and target.unit != actual.unit:
        return Verdict.UNKNOWN
    op = target.op or ("≤" if level2 == "成本指标" else "≥")
    met = {"≥": got >= want, ">": got > want, "≤": got <= want, "<": got < want, "=": got == want}[op]
    return Verdict.MET if met else Verdict.UNMET


@dataclass(frozen=True)
class ComparedRow:
    """One line of the target-beside-result table."""

    level1: str
    level2: str
    name: str
    target: IndicatorValue | None  # the promise: the target table's 指标值 (else the 自评表's 年度指标值)
    restated: str | None  # the 自评表's 年度指标值 when it differs from the target table's
    actual: IndicatorValue | None  # None: the 自评表 does not report this target
    points: Score | None
    score: Score | None
    deviation: str | None
    verdict: Verdict
    matched: bool  # False: only on one side (see `target_src` / `result_src`)
    target_src: Source | None
    result_src: Source | None


@dataclass(frozen=True)
class Comparison:
    """A 自评表 and the target disclosure it was linked to (None when there is none, or two)."""

    result: Disclosure
    target: Disclosure | None
    rows: tuple[ComparedRow, ...]

    @property
    def body(self) -> ProjectEvaluation:
        assert isinstance(self.result.body, ProjectEvaluation)
        return self.result.body

    def count(self, verdict: Verdict) -> int:
        return sum(row.verdict is verdict for row in self.rows)

    @property
    def rate(self) -> Decimal | None:
        """完成率: 完成 ÷ (完成 + 未完成); None when no row could be judged."""
        met, unmet = self.count(Verdict.MET), self.count(Verdict.UNMET)
        return None if met + unmet == 0 else Decimal(met) / Decimal(met + unmet)

    @property
    def rate_text(self) -> str:
        """完成率 in percent with one decimal (half up), or — when nothing could be judged."""
        return "—" if self.rate is None else f"{(self.rate * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class Links:
    comparisons: tuple[Comparison, ...]  # one per 自评表, in corpus order
    warnings: tuple[Problem, ...]

    @cached_property
    def _by_result(self) -> dict[str, Comparison]:
        return {c.result.url: c for c in self.comparisons}

    @cached_property
    def _by_target(self) -> dict[str, tuple[Comparison, ...]]:
        found: dict[str, list[Comparison]] = defaultdict(list)
        for c in self.comparisons:
            if c.target is not None:
                found[c.target.url].append(c)
        return {url: tuple(items) for url, items in found.items()}

    def of_result(self, d: Disclosure) -> Comparison | None:
        """The comparison of a 自评表 (looked up by URL: every disclosure page asks, so not a scan)."""
        return self._by_result.get(d.url)

    def of_target(self, d: Disclosure) -> tuple[Comparison, ...]:
        return self._by_target.get(d.url, ())


def target_rows(d: Disclosure) -> Sequence[Indicator]:
    """The target rows a disclosure promises: a 绩效目标表's, or a 项目文本's 绩效目标."""
    return d.body.indicators if isinstance(d.body, TargetTable | ProjectText) else ()


def link(disclosures: Iterable[Disclosure]) -> Links:
    """Every 自评表 with its target disclosure and rows; a warning for each one without a single match."""
    items = list(disclosures)
    candidates: dict[tuple[str, int, str], list[Disclosure]] = defaultdict(list)
    for d in items:
        if target_rows(d):
            candidates[(d.unit.slug, d.year, project_key(d.name, d.year))].append(d)
    comparisons, warnings = [], []
    for d in items:
        if not isinstance(d.body, ProjectEvaluation):
            continue
        found = candidates.get((d.unit.slug, d.year, project_key(d.body.project_name, d.year)), [])
        preferred = [t for t in found if t.kind is Kind.TARGETS] or found
        target = preferred[0] if len(preferred) == 1 else None
        if target is None:
            warnings.append(_warning(d, d.body, preferred))
        rows = compare(target_rows(target) if target else (), d.body.indicators)
        comparisons.append(Comparison(d, target, rows))
    return Links(tuple(comparisons), tuple(warnings))


def _warning(d: Disclosure, body: ProjectEvaluation, found: list[Disclosure]) -> Problem:
    if not found:
        message = (
            f"没有找到{d.unit.name} {d.year} 年项目“{body.project_name}”的绩效目标表（或带绩效目标的项目文本），"
            "网站上只能显示自评表本身，无法对照目标；请核对项目名称（比较时不计空格、全角半角、开头的年度和结尾的“项目”“经费”）"
        )
    else:
        files = "、".join(t.src_path for t in found)
        message = f"项目“{body.project_name}”对应多份目标（{files}），无法确定对照哪一份；请核对项目名称"
    return Problem(body.name_src, "项目名称", message, warning=True)


def _row_key(level1: str, level2: str, name: str) -> tuple[str, str, str]:
    return (level1, level2, name_key(name))


def compare(targets: Sequence[Indicator], results: Sequence[ResultRow]) -> tuple[ComparedRow, ...]:
    """The rows of the table: each target in its order with its result, then results without a target."""
    by_key: dict[tuple[str, str, str], list[ResultRow]] = defaultdict(list)
    for result in results:
        by_key[_row_key(result.level1, result.level2, result.name)].append(result)
    rows: list[ComparedRow] = []
    for t in targets:
        partners = by_key.get(_row_key(t.level1, t.level2, t.name))
        rows.append(_row(t, partners.pop(0) if partners else None))
    left = {id(result) for unmatched in by_key.values() for result in unmatched}
    rows.extend(_row(None, result) for result in results if id(result) in left)
    return tuple(_in_level_order(rows))


def _row(t: Indicator | None, r: ResultRow | None) -> ComparedRow:
    assert t is not None or r is not None
    target = t.value if t is not None else r.target if r is not None else None
    restated = None
    if r is not None and t is not None and name_key(r.target.text) != name_key(t.value.text):
        restated = r.target.text
    unit = (t.measure_unit if t is not None else None) or (r.measure_unit if r is not None else None)
    level2 = t.level2 if t is not None else r.level2  # type: ignore[union-attr]
    verdict = judge(target, r.actual, level2, unit) if target is not None and r is not None else Verdict.UNKNOWN
    return ComparedRow(
        level1=t.level1 if t is not None else r.level1,  # type: ignore[union-attr]
        level2=level2,
        name=t.name if t is not None else r.name,  # type: ignore[union-attr]
        target=target,
        restated=restated,
        actual=r.actual if r is not None else None,
        points=r.points if r is not None else None,
        score=r.score if r is not None else None,
        deviation=r.deviation if r is not None else None,
        verdict=verdict,
        matched=t is not None and r is not None,
        target_src=t.src if t is not None else None,
        result_src=r.src if r is not None else None,
    )


def _in_level_order(rows: list[ComparedRow]) -> list[ComparedRow]:
    """Grouped by 一级 then 二级 in order of first appearance (a stable sort keeps rows within a group)."""
    first1: dict[str, int] = {}
    first2: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows):
        first1.setdefault(row.level1, i)
        first2.setdefault((row.level1, row.level2), i)
    return sorted(rows, key=lambda row: (first1[row.level1], first2[(row.level1, row.level2)]))
