"""Rollups: what 项目预算 sums (each project once), self-evaluation figures, year-over-year, regions."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from generator.corpus.model import Corpus
from generator.corpus.validate import check_tree
from generator.site.summaries import UNSPECIFIED_SOURCE, region_slugs, summarize

from .site_helpers import write_content


def project(unit: str, year: int, name: str, amount: str, source: str | None = None) -> str:
    src = f"\n  资金来源: {source}" if source else ""
    return f"类型: 项目文本\n单位: {unit}\n年度: {year}\n项目名称: {name}\n资金安排:{src}\n  合计: {amount}\n"


def targets(unit: str, year: int, name: str, amount: str, source: str | None = None) -> str:
    src = f"\n  资金来源: {source}" if source else ""
    return (
        f"类型: 绩效目标表\n单位: {unit}\n年度: {year}\n项目名称: {name}\n基本信息:{src}\n  本年度预算金额: {amount}\n"
        '绩效指标:\n  产出指标:\n    数量指标:\n      - 名称: 次数\n        指标值: ">=1次"\n'
    )


def evaluation(unit: str, year: int, parts: dict[str, str], income: str | None = None) -> str:
    total = sum((Decimal(v.removesuffix("元")) for v in parts.values()), Decimal(0))
    lines = "".join(f"    - 名称: {k}\n      金额: {v}\n" for k, v in parts.items())
    inc = f"  收入合计: {income}\n" if income else ""
    return f"类型: 整体绩效自评报告\n单位: {unit}\n年度: {year}\n预算收支:\n{inc}  支出合计: {total}元\n  支出构成:\n{lines}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("summaries") / "content"
    write_content(
        root,
        {
            "units/a.yml": "名称: 甲局\n地区: [云南省, 昆明市, 五华区]\n",
            "units/b.yml": "名称: 乙局\n地区: [云南省, 玉溪市]\n",
            "units/c.yml": "名称: 丙局\n地区: [云南省]\n",
            "units/d.yml": "名称: 丁局\n地区: [江西省, 九江市]\n",
            # 甲局 2020: one project disclosed twice (项目文本 + 绩效目标表) and one only as 绩效目标表
            "2020/a/p.yml": project("甲局", 2020, "信访经费", "10万元", "一般公共预算"),
            "2020/a/t.yml": targets("甲局", 2020, "信访经费", "10万元", "一般公共预算"),
            "2020/a/q.yml": targets("甲局", 2020, "宣传经费", "5000元"),
            # 甲局 2021: a self-evaluation only
            "2021/a/e.yml": evaluation(
                "甲局",
                2021,
                {"人员经费": "800000.00元", "公用经费": "150000.50元", "项目支出": "49999.50元"},
                income="1000001.00元",
            ),
            # 甲局 2022: projects again
            "2022/a/p.yml": project("甲局", 2022, "信访经费", "12万元", "一般公共预算"),
            "2022/a/r.yml": project("甲局", 2022, "培训经费", "0.5万元", "政府性基金预算"),
            "2022/b/p.yml": project("乙局", 2022, "调解经费", "3万元"),
            "2022/c/e.yml": evaluation("丙局", 2022, {"人员经费": "100元", "项目支出": "0.01元"}),
        },
    )
    result = check_tree(root)
    assert result.errors == [], [str(p) for p in result.errors]
    assert result.corpus is not None
    return result.corpus


def _unit(corpus: Corpus, name: str):  # type: ignore[no-untyped-def]
    s = summarize(corpus)
    return next(u for u in s.units if u.unit.name == name)


def test_project_budget_counts_each_project_once(corpus: Corpus) -> None:
    a2020 = _unit(corpus, "甲局").years[0]
    assert a2020.year == 2020
    f = a2020.figures
    assert f.disclosures == 3
    assert f.projects == 2
    assert f.project_budget == Decimal("105000.00")  # 10万 once + 5000元; the 绩效目标表 of 信访经费 not again
    assert f.by_source == (("一般公共预算", Decimal("100000.00")), (UNSPECIFIED_SOURCE, Decimal("5000.00")))
    assert f.spending is None and f.income is None and f.evaluations == 0


def test_self_evaluation_figures_stay_separate(corpus: Corpus) -> None:
    a2021 = _unit(corpus, "甲局").years[1]
    f = a2021.figures
    assert f.project_budget is None  # no project disclosed, which is not the same as zero
    assert (f.income, f.spending) == (Decimal("1000001.00"), Decimal("1000000.00"))
    assert (f.personnel, f.public, f.project_spending) == (
        Decimal("800000.00"),
        Decimal("150000.50"),
        Decimal("49999.50"),
    )
    c = _unit(corpus, "丙局").years[0].figures
    assert c.public is None and c.project_spending == Decimal("0.01") and c.income is None


def test_year_over_year_compares_with_the_last_year_that_has_the_metric(corpus: Corpus) -> None:
    years = _unit(corpus, "甲局").years
    assert [y.year for y in years] == [2020, 2021, 2022]
    assert years[0].changes == () and years[1].changes == ()
    change = years[2].change("project_budget")
    assert change is not None
    assert (change.from_year, change.previous, change.current) == (2020, Decimal("105000.00"), Decimal("125000.00"))
    assert years[2].change("spending") is None
    assert years[2].figures.by_source == (
        ("一般公共预算", Decimal("120000.00")),
        ("政府性基金预算", Decimal("5000.00")),
    )


def test_year_and_site_totals(corpus: Corpus) -> None:
    s = summarize(corpus)
    assert [y.year for y in s.years] == [2020, 2021, 2022]
    y2022 = s.years[-1]
    assert [r.unit.name for r in y2022.units] == ["丙局", "甲局", "乙局"]  # by region path, then slug
    assert y2022.figures.project_budget == Decimal("155000.00")
    assert y2022.figures.spending == Decimal("100.01")
    assert y2022.figures.disclosures == 4
    assert s.figures.disclosures == len(corpus.disclosures) == 8
    assert s.latest_year is y2022


def test_region_rollups_cover_units_beneath(corpus: Corpus) -> None:
    s = summarize(corpus)
    assert [r.name for r in s.regions] == ["江西省", "云南省"]  # by slug: jiangxisheng < yunnansheng
    yunnan = s.region_by_path[("云南省",)]
    assert [u.unit.name for u in yunnan.units] == ["丙局"]  # placed at the province itself
    assert {u.unit.name for u in yunnan.all_units} == {"丙局", "甲局", "乙局"}
    assert [c.name for c in yunnan.children] == ["昆明市", "玉溪市"]
    by_year = dict(yunnan.by_year)
    assert by_year[2022].project_budget == Decimal("155000.00")
    assert by_year[2022].spending == Decimal("100.01")
    assert by_year[2020].project_budget == Decimal("105000.00")
    kunming = s.region_by_path[("云南省", "昆明市")]
    assert kunming.slug == "yunnansheng/kunmingshi"
    assert s.region_by_path[("云南省", "昆明市", "五华区")].slug == "yunnansheng/kunmingshi/wuhuaqu"
    assert dict(s.region_by_path[("江西省",)].by_year) == {}  # 丁局 has no disclosures yet
    assert [u.unit.name for u in s.region_by_path[("江西省",)].all_units] == ["丁局"]


def test_region_slugs_resolve_collisions_deterministically() -> None:
    # 常宁市 and 尝宁市 read the same in pinyin: siblings must still get different slugs
    paths = [("湖南省", "常宁市"), ("湖南省", "尝宁市"), ("上海市", "嘉定区")]
    first = region_slugs(paths)
    assert first == region_slugs(list(reversed(paths)))
    siblings = [first[("湖南省", "常宁市")], first[("湖南省", "尝宁市")]]
    assert len(set(siblings)) == 2 and all(s.startswith("hunansheng/changning") for s in siblings)
    assert first[("上海市", "嘉定区")] == "shanghaishi/jiadingqu"
    assert first[("湖南省",)] == "hunansheng"


def test_summaries_of_an_empty_corpus(tmp_path: Path) -> None:
    root = write_content(tmp_path, {"units/a.yml": "名称: 甲局\n地区: [云南省]\n"})
    corpus = check_tree(root).corpus
    assert corpus is not None
    s = summarize(corpus)
    assert s.years == () and s.latest_year is None
    assert s.units[0].years == () and s.units[0].latest is None
