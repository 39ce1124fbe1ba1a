"""Stage 4: the validated corpus → the site's Markdown pages, through Jinja2 templates.

`render_site` returns every generated file as {dest_path: text}; nothing here touches the
disk (see `writer.py`). One Jinja Environment per build, templates compiled once, and
all per-site work (summaries, indexes) done once before the per-page loop.

Templates (site_templates/*.j2) are autoescaped: every author string that reaches the
Markdown is HTML-escaped; content that must stay literal inside Markdown (headings) goes
through the `h` filter, which also escapes Markdown syntax. Author text is only ever a
template *variable*, never template source, so `{{ x }}` typed in YAML prints as typed.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from generator.assets import asset_dir
from generator.corpus import fmt
from generator.corpus.accountability import Comparison, Verdict, link
from generator.corpus.model import (
    Corpus,
    Disclosure,
    FundRow,
    Indicator,
    Kind,
    ProjectText,
    SelfEvaluation,
    Source,
    Unit,
)
from generator.corpus.project_evaluation import expected_rates, number_text
from generator.corpus.validate import is_web_url
from generator.data.downloads import disclosure_json_path
from generator.data.feed import entry_date
from generator.history.model import History
from generator.site.charts import unit_chart
from generator.site.dates import content_date
from generator.site.parts import Part
from generator.site.results import RESULTS_URL, ResultsSummary, results_year_url, summarize_results
from generator.site.revisions import RECENT_URL, Revisions
from generator.site.summaries import (
    METRICS,
    Change,
    RegionNode,
    SiteSummary,
    UnitSummary,
    UnitYear,
    YearSummary,
    summarize,
)
from generator.store import Digests, Store, Unkeyable, value_digest

log = logging.getLogger(__name__)

TEMPLATES_DIR = asset_dir("site_templates")  # gongkai's; a site's own site_templates/ are searched first
SOURCE_DIR = "source"  # the published copies of the content YAML, under /source/
HOME_LATEST_LIMIT = 20  # disclosures listed on the home page (the year page lists all)

_CN_DIGITS = "零一二三四五六七八九"
_KIND_TEMPLATE = {
    Kind.PROJECT: "disclosure_project.md.j2",
    Kind.TARGETS: "disclosure_targets.md.j2",
    Kind.SELF_EVALUATION: "disclosure_evaluation.md.j2",
    Kind.PROJECT_EVALUATION: "disclosure_result.md.j2",
}


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (section numbering)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")


def dest_path(url: str) -> str:
    """Directory URL → the Markdown file MkDocs turns into it: 'units/x/' → 'units/x/index.md'."""
    return f"{url}index.md"


def unit_url(unit: Unit) -> str:
    return f"units/{unit.slug}/"


def year_url(year: int) -> str:
    return f"{year}/"


class SourceUrls(dict[str, str]):
    """Links to the published copies of content files, each file path quoted once per render
    (every 来源 link of a page quotes the same path): '#', '?', '%', spaces and quotes are escaped."""

    def __missing__(self, path: str) -> str:
        url = self[path] = quote(path, safe="/")
        return url

    def source_url(self, src: Source) -> str:
        """The source viewer page of a content file, at the line a figure was read from."""
        anchor = f"#L{src.line}" if src.line else ""
        return f"{SOURCE_DIR}/{self[src.path]}.html{anchor}"

    def raw_source_url(self, path: str) -> str:
        return f"{SOURCE_DIR}/{self[path]}"

    def source_url_of(self, path: str) -> str:
        return f"{SOURCE_DIR}/{self[path]}.html"


def section_number(depth: int, index: int) -> str:
    """Official outline numbering by depth: 一、 → （一） → 1. → （1）."""
    if depth == 1:
        return f"{cn_number(index)}、"
    if depth == 2:
        return f"（{cn_number(index)}）"
    if depth == 3:
        return f"{index}. "
    if depth == 4:
        return f"（{index}）"
    return ""


def year_disclosures(ys: YearSummary) -> list[Disclosure]:
    return [d for row in ys.units for d in row.disclosures]


def region_years(node: RegionNode, limit: int = 3) -> list[int]:
    """The latest years of a region, newest first (columns of the sub-region table)."""
    return [year for year, _ in node.by_year][-limit:][::-1]


def indicator_groups(indicators: Sequence[Indicator]) -> list[tuple[str, int, list[tuple[str | None, int, Indicator]]]]:
    """The three-level table as (一级, rows it spans, [(二级 or None when merged, span, indicator)]).

    Indicators are grouped by (一级, 二级) in order of first appearance, so each merged
    cell covers contiguous rows, like the official form.
    """
    groups: dict[str, dict[str, list[Indicator]]] = {}
    for ind in indicators:
        groups.setdefault(ind.level1, {}).setdefault(ind.level2, []).append(ind)
    out = []
    for level1, by_level2 in groups.items():
        rows: list[tuple[str | None, int, Indicator]] = []
        for level2, items in by_level2.items():
            rows.extend((level2 if i == 0 else None, len(items), ind) for i, ind in enumerate(items))
        out.append((level1, len(rows), rows))
    return out


def indicator_columns(indicators: Sequence[Indicator]) -> list[tuple[str, str]]:
    """Optional short columns present in at least one row: (attribute, Chinese header).

    The long 指标值说明 and 依据 texts go in a collapsible note under the 三级指标 name instead,
    so the table stays readable on a phone.
    """
    optional = (("measure_unit", "计量单位"), ("weight", "权重"))
    return [(attr, label) for attr, label in optional if any(getattr(i, attr) for i in indicators)]


FUND_COLUMNS = (
    ("initial", "年初预算数"),
    ("budget", "全年预算数"),
    ("spent", "全年执行数"),
    ("points", "分值"),
    ("rate", "执行率"),
    ("score", "得分"),
)


def fund_columns(funds: Sequence[FundRow]) -> list[tuple[str, str]]:
    """The 项目资金 columns some row fills: (attribute, Chinese header), in the form's order."""
    return [(attr, label) for attr, label in FUND_COLUMNS if any(getattr(f, attr) is not None for f in funds)]


def spending_rate(c: Comparison) -> str:
    """执行率 of a 自评表 as printed, or computed to two places when it was not (— without a budget)."""
    total = c.body.total
    if total.rate is not None:
        return total.rate.text
    if total.budget is None or total.spent is None or total.budget.yuan == 0:
        return "—"
    return f"{expected_rates(total.spent.yuan, total.budget.yuan, 2)[0]}%（计算值）"


@dataclass
class RenderCache:
    """The pages of a run's previous render, by URL: (template, context, text).

    A page whose template and context are equal to last time's (unchanged model objects are
    the very same objects, corpus/validate.py) is not rendered again; everything is forgotten
    whenever anything all pages may show changes (`fingerprint`, see `_fingerprint`), and pages
    not rendered in a build are forgotten after it. `mkdocs serve` keeps one between rebuilds and
    re-renders only what an edit touched; a fresh RenderCache is a cold render.
    """

    pages: dict[str, tuple[str, dict[str, Any], str]] = field(default_factory=dict)
    fingerprint: object = None
    # The persistent cache (generator/store): a page not in `pages` is looked up there by a digest of
    # its template, URL, context and the fingerprint (store.value_digest), so a fresh process renders
    # only pages whose inputs changed.
    store: Store | None = None


def _fingerprint(corpus: Corpus, summary: SiteSummary, templates: tuple[Path, ...]) -> object:
    """What a memoised page may show besides its own context: templates, site settings, region slugs, dates."""
    digest = hashlib.blake2b(digest_size=16)
    for folder in templates:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
        digest.update(b"\1")
    regions = tuple(sorted((node.path, node.slug) for node in summary.region_by_path.values()))  # same in every process
    return (digest.digest(), templates, corpus.site, regions, content_date(corpus))


class Renderer:
    """One Jinja Environment for a whole build, configured for one site."""

    def __init__(
        self,
        corpus: Corpus,
        summary: SiteSummary,
        templates_dir: Path | Sequence[Path] = TEMPLATES_DIR,
        cache: RenderCache | None = None,
        history: History | None = None,
        digests: Digests | None = None,
    ) -> None:
        """`templates_dir`: one folder, or several searched in order (a site's own, then gongkai's);
        `history`: the content's git history (revisions of each page), unavailable when not given;
        `digests`: this build's memo of content digests (store.value_digest), shared with the data."""
        self.corpus = corpus
        self.history = history if history is not None else History.unavailable("未读取修订记录")
        self.revisions = Revisions(corpus, self.history)  # 修订记录 of each page (site/revisions.py)
        self.summary = summary
        self.links = link(corpus.disclosures)  # 自评表 beside their targets (corpus/accountability.py)
        self.results = results_summary(summary, self.links.of_result)  # 目标完成情况 (site/results.py)
        self.text = fmt.TextFilter(corpus.site.mask_private)
        urls = SourceUrls()
        templates = (templates_dir,) if isinstance(templates_dir, Path) else tuple(templates_dir)
        env = Environment(
            loader=FileSystemLoader([str(d) for d in templates]),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,
        )
        env.filters.update(
            wan=fmt.wan,
            yuan=fmt.yuan,
            change=self._change,
            percent=fmt.percent,
            p=self.text.paragraphs,
            t=self.text.inline,
            h=self.text.heading,
            fm=self._front_matter_string,
            cn=cn_number,
            score=number_text,
        )
        env.tests["web_url"] = is_web_url  # the only author-written links published: http(s)
        env.globals.update(
            link=_link,
            unit_url=unit_url,
            year_url=year_url,
            region_url=self.region_url,
            results_url=RESULTS_URL,
            results_year_url=results_year_url,
            source_url=urls.source_url,
            raw_source_url=urls.raw_source_url,
            source_url_of=urls.source_url_of,
            disclosure_json_path=disclosure_json_path,
            section_number=section_number,
            year_disclosures=year_disclosures,
            region_years=region_years,
            indicator_groups=indicator_groups,
            indicator_columns=indicator_columns,
            fund_columns=fund_columns,
            Verdict=Verdict,
            spending_rate=spending_rate,
            chart=lambda us: unit_chart(us, self.text.plain(us.unit.name)),
            Kind=Kind,
            METRICS=METRICS,
            site=corpus.site,
            summary=summary,
            is_project=lambda d: isinstance(d.body, ProjectText),
            is_evaluation=lambda d: isinstance(d.body, SelfEvaluation),
            site_title=self.text.title(corpus.site.name),
            content_date=content_date(corpus),  # PubDate of the pages that show the whole site (搜索)
            newest_date=newest_date,  # PubDate of a unit, year or region page: its newest disclosure's
            entry_date=entry_date,  # PubDate of a disclosure without 发布日期, as in the feed and sitemap
        )
        self.env = env
        self.cache = cache if cache is not None else RenderCache()
        fingerprint = _fingerprint(corpus, summary, templates)
        same = self.cache.fingerprint == fingerprint
        self._last = self.cache.pages if same else {}  # what this render may reuse
        self.cache.pages, self.cache.fingerprint = {}, fingerprint  # what this render makes
        self._digests: Digests = digests if digests is not None else {}  # value_digest's memo: this build's objects
        self._fingerprint = value_digest(fingerprint, self._digests) if self.cache.store is not None else b""

    def region_url(self, path: Sequence[str]) -> str:
        return f"regions/{self.summary.region_by_path[tuple(path)].slug}/"

    def _front_matter_string(self, text: str | None) -> Markup:
        # A JSON string is a valid YAML double-quoted scalar.
        return Markup(json.dumps(self.text.title(text), ensure_ascii=False))

    @staticmethod
    def _change(c: Change | None) -> str:
        return fmt.change(c.previous, c.current) if c else ""

    def page(self, template: str, url: str, **context: Any) -> tuple[str, str]:
        return dest_path(url), self.env.get_template(template).render(page_url=url, **context)

    def _memo(self, template: str, url: str, context: dict[str, Any], make: Callable[[], str]) -> str:
        """`make()`, or last render's text when template and context are equal (compared by identity first)."""
        hit = self._last.get(url)
        if hit is not None and hit[0] == template and hit[1] == context:
            self.cache.pages[url] = hit
            return hit[2]
        store, key = self.cache.store, None
        if store is not None:
            try:
                key = store.key_of(
                    "page-markdown", self._fingerprint, template, url, value_digest(context, self._digests)
                )
            except Unkeyable:  # a value the store cannot name (a site's own template's context): rendered
                key = None
            body = store.get(key) if key is not None else None
            if body is not None:
                text = body.decode("utf-8")
                self.cache.pages[url] = (template, context, text)
                return text
        text = make()
        self.cache.pages[url] = (template, context, text)
        if store is not None and key is not None:
            store.put(key, text.encode("utf-8"))
        return text

    def memo_page(self, template: str, url: str, **context: Any) -> tuple[str, str]:
        """`page(...)`, not rendered again while its template and context stay the same (see `RenderCache`)."""
        text = self._memo(template, url, context, lambda: self.page(template, url, **context)[1])
        return dest_path(url), text

    def render_all(self, part: Part | None = None) -> dict[str, str]:
        """Every generated page (of `part` only, when given), keyed by its path under the docs dir."""
        pages: dict[str, str] = {}
        disclosures = [d for d in self.corpus.disclosures if part is None or part.has_year(d.year)]
        if part is None or part.common:
            pages.update(self._common_pages())
        for ys in self.summary.years:  # /<年度>/<单位>/: a page at every prefix of a disclosure's URL
            if part is None or part.has_year(ys.year):
                for row in ys.units:
                    pages.update([self.memo_page("unit_year.md.j2", f"{row.year}/{row.unit.slug}/", row=row)])
        for d in disclosures:
            path, text = self.memo_page(
                _KIND_TEMPLATE[d.kind],
                d.url,
                d=d,
                body=d.body,
                comparisons=self.comparisons(d),
                revisions=self.revisions.of(d.src_path),
            )
            pages[path] = text
        return pages

    def comparisons(self, d: Disclosure) -> tuple[Comparison, ...]:
        """The target-beside-result tables a disclosure page shows: its own (a 自评表), or those of its results."""
        if d.kind is Kind.PROJECT_EVALUATION:
            own = self.links.of_result(d)
            return (own,) if own is not None else ()
        return self.links.of_target(d)

    def _common_pages(self) -> dict[str, str]:
        """The pages that span years: home, 关于, 搜索, the unit, year and region pages and their indexes."""
        summary = self.summary
        pages: dict[str, str] = {}

        def add(item: tuple[str, str]) -> None:
            pages[item[0]] = item[1]

        latest = summary.latest_year
        kind_counts = Counter(d.kind for d in self.corpus.disclosures)
        latest_items = year_disclosures(latest)[:HOME_LATEST_LIMIT] if latest else []
        home = {"kind_counts": kind_counts, "latest_items": latest_items, "res": self.results}
        add(self.page("home.md.j2", "", **home))
        add(self.page("about.md.j2", "about/"))
        add(self.page("search.md.j2", "search/"))  # the site search (generator/search.py)
        recent = self.revisions.recent()
        add(self.page("revisions.md.j2", RECENT_URL, recent=recent, history_available=self.history.available))
        add(
            self.page(
                "units_index.md.j2",
                "units/",
                initials=_initials(summary.units),
                units_by_region=_by_region(summary.units),
            )
        )
        add(self.page("years_index.md.j2", "years/"))
        add(self.page("regions_index.md.j2", "regions/"))
        for us in summary.units:
            revisions = self.revisions.of(us.unit.src.path)
            add(
                self.memo_page(
                    "unit.md.j2", unit_url(us.unit), us=us, revisions=revisions, res=self.results.of_unit(us.unit)
                )
            )
        for ys in summary.years:
            add(self.memo_page("year.md.j2", year_url(ys.year), ys=ys, res=self.results.of_year(ys.year)))
        add(self.memo_page("results.md.j2", RESULTS_URL, res=self.results))
        years = tuple(y.year for y in self.results.years)
        for yr in self.results.years:
            add(self.memo_page("results_year.md.j2", results_year_url(yr.year), yr=yr, years=years))
        for node in summary.region_by_path.values():
            add(self.memo_page("region.md.j2", self.region_url(node.path), node=node))
        return pages

    def _source_dates(self) -> dict[str, str]:
        """{content file: the PubDate of its source view}: a disclosure's own date, a unit profile's
        newest disclosure's, and the site's content date for site.yml."""
        out = {"site.yml": content_date(self.corpus)}
        for d in self.corpus.disclosures:
            out[d.src_path] = d.published.iso if d.published else entry_date(d).isoformat()
        for us in self.summary.units:
            out[us.unit.src.path] = newest_date(us.years)
        return out

    def source_pages(self, sources: dict[str, str], owners: dict[str, tuple[str, str]]) -> dict[str, str]:
        """Line-numbered HTML views of the content files, for the 来源 links (written as static pages)."""
        template = self.env.get_template("source.html.j2")
        unit_of = {d.src_path: d.unit.name for d in self.corpus.disclosures}  # ContentSource <meta>
        unit_of |= {u.src.path: u.name for u in self.corpus.units}
        dated = self._source_dates()  # PubDate <meta>: what the file shows, not the site's newest date
        out = {}
        for path, text in sources.items():
            url = f"{SOURCE_DIR}/{path}.html"
            shown = self.text.plain(text)
            context = {"path": path, "owner": owners.get(path), "unit": unit_of.get(path), "pub_date": dated.get(path)}
            out[url] = self._memo(
                "source.html.j2",
                url,
                {**context, "text": shown},
                lambda: template.render(page_url=url, lines=shown.splitlines(), **context),  # noqa: B023 (called at once)
            )
        return out


def newest_date(rows: Iterable[UnitYear | UnitSummary]) -> str:
    """The newest date (feed.entry_date) of the disclosures of `rows` (a unit's years, a year's units, a
    region's units), as YYYY-MM-DD; '' if none. A page's PubDate depends only on what it shows."""
    days = [
        entry_date(d)
        for row in rows
        for year in (row.years if isinstance(row, UnitSummary) else (row,))
        for d in year.disclosures
    ]
    return max(days).isoformat() if days else ""


@pass_context
def _link(context: Context, url: str) -> str:
    """A link from the page being rendered to a site URL, relative so the site works on any host."""
    return fmt.rel(context["page_url"], url)


def results_summary(summary: SiteSummary, of_result: Callable[[Disclosure], Comparison | None]) -> ResultsSummary:
    """The 目标完成情况 counts and lists, from the summary's unit-years (disclosures in page order)."""
    rows = ((row.unit, row.year, row.disclosures) for ys in summary.years for row in ys.units)
    return summarize_results(rows, of_result, {node.path: node.slug for node in summary.region_by_path.values()})


def _initials(units: Sequence[UnitSummary]) -> list[tuple[str, list[UnitSummary]]]:
    from generator.corpus.slugs import initial

    groups: dict[str, list[UnitSummary]] = {}
    for us in units:
        groups.setdefault(initial(us.unit.name), []).append(us)
    return sorted(groups.items(), key=lambda kv: (kv[0] == "#", kv[0]))


def _by_region(units: Sequence[UnitSummary]) -> list[tuple[tuple[str, ...], list[UnitSummary]]]:
    groups: dict[tuple[str, ...], list[UnitSummary]] = {}
    for us in units:
        groups.setdefault(tuple(us.unit.region), []).append(us)
    return sorted(groups.items())


def source_owners(corpus: Corpus, summary: SiteSummary) -> dict[str, tuple[str, str]]:
    """Which page each content file belongs to: src path → (page URL, page title)."""
    owners = {d.src_path: (d.url, d.name) for d in corpus.disclosures}
    owners.update({u.src.path: (unit_url(u), u.name) for u in corpus.units})
    return owners


def render_site(corpus: Corpus, templates_dir: Path = TEMPLATES_DIR) -> dict[str, str]:  # a cold render
    """Convenience for tests and tools: summaries + all Markdown pages of a corpus."""
    return Renderer(corpus, summarize(corpus), templates_dir).render_all()
