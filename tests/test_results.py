"""目标完成情况 (site/results.py): counts per unit-year, year and site, the lists of indicators not
met, and where the pages show them; the 完成情况 data table (data/results.py)."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarks.synth import synthesize
from generator.cli import main
from generator.corpus.accountability import Verdict, link
from generator.corpus.model import Corpus, Kind
from generator.corpus.validate import check_tree
from generator.data import tables as T
from generator.site.render import Renderer, results_summary
from generator.site.results import Tally, tally
from generator.site.summaries import summarize
from tests.conftest import CONTENT


def test_rate_leaves_out_what_cannot_be_judged() -> None:
    t = Tally(targets=2, results=2, linked=1, met=6, unmet=1, unknown=2, score_sum=Decimal("194.6"))
    assert t.rate == Decimal(6) / Decimal(7) and t.rate_text == "85.7%"
    assert t.indicators == 9 and t.average_text == "97.3"
    assert Tally(unknown=3).rate is None and Tally(unknown=3).rate_text == "—" and Tally().average_text == "—"
    assert (t + t).rate == t.rate and (t + t).average_score == t.average_score


def test_a_project_with_two_target_documents_counts_once(corpus: Corpus) -> None:
    target = next(d for d in corpus.disclosures if d.kind is Kind.TARGETS and d.unit.example)
    twin = dataclasses.replace(target, slug="twin", src_path="twin.yml")
    assert tally([target, twin], ()).targets == 1


def test_example_unit_has_its_figures_but_is_not_in_the_totals(corpus: Corpus) -> None:
    results = Renderer(corpus, summarize(corpus)).results
    example = next(u for u in corpus.units if u.example)
    [row] = results.of_unit(example)
    assert (row.year, row.tally.met, row.tally.unmet, row.tally.unknown) == (2022, 6, 1, 2)
    assert row.tally.rate_text == "85.7%" and row.tally.average_text == "97.3"
    year = results.of_year(2022)
    assert year is not None and year.tally.results == 0 and year.tally.unmet == 0
    assert year.unmet_count == year.example_unmet == 1  # listed, marked, not counted
    assert results.tally.results == 0


@pytest.fixture
def real(tmp_path: Path) -> Corpus:
    """The bundled content with the example unit declared real: its 自评表 counts in the totals."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    unit = content / "units" / "shilixian-xinfangju.yml"
    unit.write_text(re.sub(r"^示例单位: 是$", "示例单位: 否", unit.read_text(encoding="utf-8"), flags=re.M), "utf-8")
    corpus = check_tree(content).corpus
    assert corpus is not None
    return corpus


def test_a_real_unit_counts_in_the_year_and_site_and_on_the_home_page(real: Corpus) -> None:
    renderer = Renderer(real, summarize(real))
    year = renderer.results.of_year(2022)
    assert year is not None
    assert (year.tally.results, year.tally.linked, year.tally.met, year.tally.unmet, year.tally.unknown) == (
        1,
        1,
        6,
        1,
        2,
    )
    assert renderer.results.latest is year and renderer.results.tally == sum(
        (y.tally for y in renderer.results.years), Tally()
    )
    pages = renderer.render_all()
    home = pages["index.md"]
    assert "## 目标完成情况：2022年" in home and '未完成</span> <a href="results/2022/">1 项</a>' in home
    assert "<dt>完成率</dt><dd>85.7%</dd>" in home and "<dt>平均总分</dt><dd>97.3</dd>" in home
    assert "<dt>完成率</dt><dd>85.7%</dd>" in pages["2022/index.md"]


def test_every_number_of_the_unit_page_leads_to_its_source(corpus: Corpus) -> None:
    pages = Renderer(corpus, summarize(corpus)).render_all()
    unit = pages["units/shilixian-xinfangju/index.md"]
    section = unit[unit.index("## 目标完成情况") : unit.index("## 公开文本")]
    assert '<a href="../../results/2022/#u-shilixian-xinfangju">1</a>' in section  # 未完成 → the list
    assert '<a href="../../2022/shilixian-xinfangju/">2022年</a>' in section  # the year's disclosures
    assert "xinfang-jiedai-ziping.yml.html#L83" in section  # 总分, at its line
    assert '<td class="gk-num">6 / 1 / 2</td>' in section and "完成率 = 完成的指标" in section
    listing = pages["results/2022/index.md"]
    assert 'id="u-shilixian-xinfangju"' in listing
    assert listing.count("gk-src") == 2 and "xinfang-jiedai-mubiao.yml.html#L31" in listing  # target and result lines


def test_each_region_anchor_is_placed_once_on_its_first_block(tmp_path: Path) -> None:
    synthesize(150, tmp_path / "c", seed=2)
    corpus = check_tree(tmp_path / "c").corpus
    assert corpus is not None
    summary = summarize(corpus)
    results = results_summary(summary, link(corpus.disclosures).of_result)
    for year in results.years:
        anchors = [a for r in year.unmet for a in (*(x[1] for x in r.above), r.anchor)]
        assert len(anchors) == len(set(anchors)), year.year
        assert [p for p, _ in year.regions] == sorted(p for p, _ in year.regions)
        paths = {p for p, _ in year.regions}
        assert all(r.region[:d] in paths for r in year.unmet for d in range(1, len(r.region) + 1))
        assert year.unmet_count == sum(
            1 for u in year.units for c in u.comparisons for row in c.rows if row.verdict is Verdict.UNMET
        )


def test_results_table_has_one_row_per_compared_indicator(corpus: Corpus) -> None:
    rows = T.table_rows(T.RESULTS, corpus.disclosures)
    [c] = link(corpus.disclosures).comparisons
    assert len(rows) == len(c.rows) == 9
    unmet = [r for r in rows if r["是否完成"] == "未完成"]
    assert [(r["三级指标"], r["目标值"], r["实际完成值"], r["得分"], r["分值"]) for r in unmet] == [
        ("信访事项按期办结率", "≥95%", "93%", Decimal(8), Decimal(10))
    ]
    assert {r["对照情况"] for r in rows} == {"目标与自评均有", "自评表未填报", "目标中没有"}
    assert all(r["目标网址"] == c.target.url for r in rows if c.target is not None)
    only_target = next(r for r in rows if r["对照情况"] == "自评表未填报")
    assert (
        only_target["实际完成值"] is None
        and only_target["是否完成"] == "无法判断"
        and only_target["源文件行号"] is None
    )


def test_cli_exports_the_results_table(tmp_path: Path) -> None:
    out = tmp_path / "完成情况.csv"
    assert main(["export", str(CONTENT), "--format", "csv", "--table", "完成情况", "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 9 and rows[0]["网址"].startswith("2022/shilixian-xinfangju/")


def test_search_indexes_the_self_evaluation_with_its_facets_and_table(corpus: Corpus, bundled_site: Path) -> None:
    """A 自评表 is a search result like the other kinds: its own 类型 facet, year, region and unit;
    the target-beside-result table is in its text. The 目标完成情况 pages are not results."""
    from generator.search.index import records

    recs = {r.url: r for r in records(corpus, bundled_site)}
    d = next(d for d in corpus.disclosures if d.kind is Kind.PROJECT_EVALUATION)
    rec = recs[d.url]
    assert rec.filters["类型"] == ("项目支出绩效自评表",) and rec.filters["年度"] == ("2022",)
    facets = {v for vs in rec.filters.values() for v in vs}
    assert rec.filters["单位"] == (d.unit.name,) and set(d.unit.region[:2]) <= facets  # 省, 市 (as for every kind)
    assert "信访事项按期办结率" in rec.body and "93%" in rec.body and "✗ 未完成" in rec.body
    assert not any(url.startswith("results/") for url in recs)
