"""Target beside result: 自评表 ↔ 绩效目标表 by unit, year and project name; rows by level and name;
完成 / 未完成 / 无法判断 from the parsed values; the page shows one table, unmatched rows included."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from generator.commands.check import run_check
from generator.corpus.accountability import Verdict, judge, link, project_key
from generator.corpus.money import parse_indicator
from generator.corpus.validate import check_tree
from generator.site.render import render_site
from tests.conftest import FIXTURES

RESULTS = FIXTURES / "results"


@pytest.fixture
def content(base_content: Path) -> Path:
    for path in (RESULTS / "2022").glob("*.yml"):
        shutil.copy(path, base_content / "2022" / path.name)
    return base_content


@pytest.mark.parametrize(
    ("target", "actual", "level2", "verdict"),
    [
        ("≥95%", "93%", "质量指标", Verdict.UNMET),  # the issue's own example
        ("≥95%", "95%", "质量指标", Verdict.MET),
        (">=30次", "32次", "数量指标", Verdict.MET),
        ("=100%", "99.9%", "质量指标", Verdict.UNMET),
        ("≤2小时", "3小时", "时效指标", Verdict.UNMET),
        ("≤20万元", "186000元", "成本指标", Verdict.MET),  # money units converted
        ("20万元", "21万元", "成本指标", Verdict.UNMET),  # no operator: a cost must not exceed
        ("30", "31", "数量指标", Verdict.MET),  # no operator otherwise: at least
        ("持续向好", "持续向好", "社会效益指标", Verdict.UNKNOWN),  # text only
        ("≥95%", "已完成", "质量指标", Verdict.UNKNOWN),
        ("≥30次", "30%", "数量指标", Verdict.UNKNOWN),  # different units
    ],
)
def test_judge(target: str, actual: str, level2: str, verdict: Verdict) -> None:
    assert judge(parse_indicator(target), parse_indicator(actual), level2) is verdict


def test_project_names_compare_as_units_write_them() -> None:
    same = ["信访接待服务经费", "信访接待服务经费项目", "2022年度 信访接待服务经费", "信访接待服务", "信访接待服务项目"]
    assert {project_key(n, 2022) for n in same} == {"信访接待服务"}
    assert project_key("（矛盾）纠纷【调处】", 2022) == project_key("(矛盾)纠纷(调处)", 2022)
    assert project_key("信访接待服务", 2022) != project_key("信访接待", 2022)
    assert project_key("2021年信访经费", 2022) == "2021年信访"  # another year's prefix is part of the name


def test_rows_matched_by_level_and_name_none_dropped(content: Path) -> None:
    corpus = check_tree(content).corpus
    assert corpus is not None
    [c] = link(corpus.disclosures).comparisons
    assert c.target is not None and c.target.src_path == "2022/targets.yml"
    rows = {r.name: r for r in c.rows}
    assert list(rows) == ["办结率", "调处 成功率", "受理时限", "社会秩序", "长效机制"]
    assert rows["办结率"].verdict is Verdict.UNMET and rows["办结率"].deviation == "部分事项跨部门"
    assert rows["调处 成功率"].target is not None and rows["调处 成功率"].target.text == "≥90%"  # the promise
    assert rows["调处 成功率"].restated == "≥85%" and rows["调处 成功率"].verdict is Verdict.MET
    assert rows["受理时限"].actual is None and rows["受理时限"].verdict is Verdict.UNKNOWN  # not reported
    assert rows["社会秩序"].verdict is Verdict.UNKNOWN  # text only
    assert rows["长效机制"].target_src is None and rows["长效机制"].verdict is Verdict.UNMET  # no target row
    assert (c.count(Verdict.MET), c.count(Verdict.UNMET), c.count(Verdict.UNKNOWN)) == (1, 2, 2)
    assert c.rate_text == "33.3%"


def test_both_pages_show_the_one_table(content: Path) -> None:
    corpus = check_tree(content).corpus
    assert corpus is not None
    pages = render_site(corpus)
    by_kind = {d.kind.value: pages[f"{d.url}index.md"] for d in corpus.disclosures}
    for text in (by_kind["绩效目标表"], by_kind["项目支出绩效自评表"]):
        head = text.index('<table class="gk-table gk-compare">')
        table = text[head : text.index("</table>", head)]
        assert '<th scope="col">指标</th><th scope="col">目标值</th><th scope="col">实际完成值</th>' in table
        assert table.count("<tr>") == 6  # header + 5 rows: none dropped
        assert '<span aria-hidden="true">✗</span> 未完成' in table  # text and symbol
        assert "自评表未填报" in table and "目标表中没有这条指标" in table and "自评表写作“≥85%”" in table
        assert "完成 1 项，未完成 2 项，无法判断 2 项；完成率 33.3%" in text
        assert "<dt>执行率</dt><dd>95.00%</dd>" in text
    assert "## 目标完成情况" in by_kind["绩效目标表"] and "## 目标完成情况" not in by_kind["项目文本"]


def _warnings(root: Path) -> list[str]:
    out = io.StringIO()
    assert run_check(root, out=out) == 0
    return [line for line in out.getvalue().splitlines() if "警告" in line and "检查通过" not in line]


def test_no_match_and_two_matches_are_located_warnings(content: Path) -> None:
    assert _warnings(content) == []
    (content / "2022" / "targets.yml").unlink()
    assert _warnings(content) == [
        "2022/result.yml:4:7: 项目名称: 警告：没有找到通海县信访局 2022 年项目“2022年 矛盾纠纷调处(经费)项目”的绩效目标表"
        "（或带绩效目标的项目文本），网站上只能显示自评表本身，无法对照目标；"
        "请核对项目名称（比较时不计空格、全角半角、开头的年度和结尾的“项目”“经费”）"
    ]
    for name in ("a.yml", "b.yml"):
        shutil.copy(RESULTS / "2022" / "targets.yml", content / "2022" / name)
    (content / "2022" / "b.yml").write_text(
        (content / "2022" / "b.yml").read_text(encoding="utf-8").replace("（经费）", " (经费)项目"), encoding="utf-8"
    )
    assert _warnings(content) == [
        "2022/result.yml:4:7: 项目名称: 警告：项目“2022年 矛盾纠纷调处(经费)项目”对应多份目标"
        "（2022/a.yml、2022/b.yml），无法确定对照哪一份；请核对项目名称"
    ]


def test_every_prefix_of_a_disclosure_url_is_a_page(content: Path) -> None:
    corpus = check_tree(content).corpus
    assert corpus is not None
    pages = render_site(corpus)
    for d in corpus.disclosures:
        parts = d.url.strip("/").split("/")
        for depth in range(1, len(parts) + 1):
            assert "/".join(parts[:depth]) + "/index.md" in pages, d.url
    unit_year = pages["2022/tonghaixian-xinfangju/index.md"]
    assert '<a href="../../units/tonghaixian-xinfangju/">' in unit_year
    assert all(f'href="{d.slug}/"' in unit_year for d in corpus.disclosures)
