"""Nothing lost: the no-loss check itself, and the importer under a fuzzer built from real layouts.

The fixtures' property is in test_import_golden.py; here hypothesis shuffles pieces of the
layouts (table rows in every separator, labels, headers, chrome, money lines) into texts the
importer has never seen, and every run of characters must still be in the drafts, with the
未识别 pieces in input order and valid YAML out.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from generator.importer import import_lines
from generator.importer.coverage import lost_runs, placed_share
from generator.importer.draft import to_yaml
from generator.importer.read import Line, normalize_line

from .import_fixtures import IMPORT


def lines_of(text: str) -> list[Line]:
    return [Line(i, normalize_line(t)) for i, t in enumerate(text.split("\n"), 1)]


def test_the_check_finds_a_dropped_indicator_row() -> None:
    """Break the behaviour once: remove an indicator row from a draft and the check reports it."""
    lines = lines_of((IMPORT / "t01_omitted_cells.txt").read_text(encoding="utf-8"))
    drafts = import_lines(lines, "t01.txt")
    assert lost_runs(lines, drafts) == []
    group = drafts[0].get(("绩效指标", "产出指标", "质量指标"))
    assert isinstance(group, list)
    group.pop()  # 培训合格率 | ≥90%
    assert lost_runs(lines, drafts) == [(11, "培训合格率")]  # (its ≥90% is also another row's value)


def test_placed_share_counts_unplaced_characters() -> None:
    lines = lines_of("项目支出绩效目标表\n项目名称：甲\nXXXXXXXXXX")
    drafts = import_lines(lines, "x.txt")
    assert [c.text for d in drafts for c in d.unplaced] == ["XXXXXXXXXX"]
    assert placed_share(lines, drafts) == 1 - 10 / (9 + 6 + 10)


FRAGMENTS = [
    "项目支出绩效目标表", "（2023年度）", "单位名称：某某县财政局", "项目名称：办公设备更新", "项目名称",
    "本年度预算金额：12.5", "金额单位：万元", "单位：元", "其中：当年市级财政资金：10", "是否重点项目：R是 □否",
    "项目名称    2023年乡村道路养护    项目分类    一般性项目", "预算单位：820001-某某镇人民政府",
    "一级指标\t二级指标\t三级指标\t指标值", "一级指标 | 二级指标 | 三级指标 | 指标值", "本年度 绩效指标",
    "| 一级指标 | 二级指标 | 三级指标 | 指标值 | |", "| | | | 比较符 | 数值 | 计量单位 |",
    "产出指标 | 数量指标 | 培训人次 | 280人次", "数量指标 | 培训人次 | 280人次", "质量指标 | 合格率 | ≥90%",
    "| 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥ | 95 | % | 10 | 正向指标 |", "\t\t快检批次\t≥3000批次",
    "一级指标|", "二级指标|", "三级指标|", "指标值|", "产出指标", "数量指标", "≥", "%", "95", "定性",
    "| 项目名称 | 预算数 | 一级指标 | 二级指标 | 三级指标 | 指标值 |", "| 城乡低保 | 860 | 产出指标 | 数量指标 | 人数 | ≥3200人 |",
    "首页 > 政务公开 > 财政信息", "发布时间：2023-10-13 19:49  来源：某某局", "【打印】【关闭】", "目  录",
    "一、部门基本情况……………1", "第 3 页 共 3 页", "附件：1.目标表.xlsx", "一、项目名称", "六、资金安排情况",
    "预算资金25万元，资金安排情况：律师费10万元，救助金15万元。", "绩效自评报告", "收入合计：1元，支出合计：1元。",
    "XX הם", "", "", "$\\geq 95\\%$", "ÿ\x00", "(项目一：甲)",
]  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=40))
def test_no_run_of_any_text_is_lost(pieces: list[str]) -> None:
    lines = lines_of("\n".join(pieces))
    drafts = import_lines(lines, "随机.txt")
    assert lost_runs(lines, drafts) == []
    for draft in [*drafts, *(c for d in drafts for c in d.companions)]:
        assert isinstance(YAML(typ="safe").load(to_yaml(draft)), dict)
        firsts = [c.first for c in draft.unplaced]
        assert firsts == sorted(firsts)
