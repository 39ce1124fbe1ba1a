"""`gongkai check`: every kind of bad input gets the exact located, plain-Chinese message.

Each fixture in tests/fixtures/bad/ is named after what it breaks; it is dropped into a
valid minimal content tree, and the whole output of the check is compared.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.commands.check import run_check
from tests.conftest import CONTENT, FIXTURES

BAD = FIXTURES / "bad"

EXPECTED = {
    "anchor_alias.yml": "2022/anchor_alias.yml:2:5: 本格式不使用锚点（&）和别名（*），请把内容直接写出",
    "bad_year.yml": "2022/bad_year.yml:3:5: 年度: 年度“22”不对，请写四位年份，如 2022",
    "bom.yml": "2022/bom.yml:1:1: 文件开头有 BOM 标记，请另存为“UTF-8（无 BOM）”",
    "cost_indicator_mismatch.yml": "2022/cost_indicator_mismatch.yml:12:16: 绩效目标.绩效指标.产出指标.成本指标[1].指标值: "
    "成本指标“经费”的金额 35,000.00 元与资金安排合计 30,000.00 元不相等",
    "duplicate_key.yml": "2022/duplicate_key.yml:5:1: 项目名称: 键“项目名称”重复（第 4 行已经写过）",
    "empty_file.yml": "2022/empty_file.yml:1:1: 文件是空的",
    "end_before_start.yml": "2022/end_before_start.yml:7:9: 基本信息.结束日期: 结束日期 2022-01-01 早于开始日期 2022-12-31",
    "funding_lines_not_sum.yml": "2022/funding_lines_not_sum.yml:6:7: 资金安排.合计: "
    "明细之和 29,000.00 元与合计 30,000.00 元不相等（相差 1,000.00 元）",
    "funding_without_total.yml": "2022/funding_without_total.yml:6:3: 资金安排: 资金安排里至少要写“合计”或“明细”之一",
    "impossible_date.yml": "2022/impossible_date.yml:6:9: 基本信息.开始日期: 日期“2022-02-30”不存在",
    "indicator_vocabulary.yml": "2022/indicator_vocabulary.yml:13:5: 绩效目标.绩效指标.效果指标: "
    "一级指标“效果指标”不在规定的指标体系中，是不是“效益指标”？（可选：产出指标、效益指标、满意度指标）\n"
    "2022/indicator_vocabulary.yml:18:7: 绩效目标.绩效指标.效益指标.政治效益指标: "
    "“效益指标”下的二级指标“政治效益指标”不在规定的指标体系中，是不是“经济效益指标”？"
    "（可选：经济效益指标、社会效益指标、生态效益指标、可持续影响指标）",
    "missing_kind.yml": "2022/missing_kind.yml:1:1: 类型: 缺少必填项“类型”"
    "（公开文本类型：项目文本、绩效目标表、整体绩效自评报告 或 项目支出绩效自评表）",
    "missing_project_name.yml": "2022/missing_project_name.yml:1:1: 项目名称: 缺少必填项“项目名称”（一、项目名称）",
    "money_below_cent.yml": "2022/money_below_cent.yml:6:7: 资金安排.合计: 金额“3.1234567万元”换算成元后超过两位小数（精确到分）",
    "money_in_words.yml": "2022/money_in_words.yml:6:7: 资金安排.合计: "
    "无法识别的金额“三万元”，请写成“535000元”“535,000.00元”或“53.5万元”",
    "money_without_unit.yml": "2022/money_without_unit.yml:6:7: 资金安排.合计: "
    "金额“30000”缺少单位：是元还是万元？请写成“30000元”或“30000万元”",
    "negative_amount.yml": "2022/negative_amount.yml:6:7: 资金安排.合计: 金额不能为负数：“-3万元”",
    "non_utf8.yml": "2022/non_utf8.yml:1:1: 文件不是 UTF-8 编码，看起来是 GBK/GB18030 编码，请另存为 UTF-8",
    "only_comment.yml": "2022/only_comment.yml:1:1: 文件是空的",
    "spending_parts_not_sum.yml": "2022/spending_parts_not_sum.yml:5:9: 预算收支.支出合计: "
    "支出构成之和 90.00 元与支出合计 100.00 元不相等（相差 10.00 元）",
    # 项目支出绩效自评表: one fixture per rule of generator/corpus/project_evaluation.py
    "result_both_appropriation_rows.yml": "2022/result_both_appropriation_rows.yml:15:3: 项目资金.当年财政拨款: "
    "“当年财政拨款”和“本年财政拨款”是同一项的两种写法，只写一个",
    "result_fund_parts_not_sum.yml": "2022/result_fund_parts_not_sum.yml:8:12: 项目资金.年度资金总额.全年执行数: "
    "年度资金总额的全年执行数 90,000.00 元与其中各项之和 85,000.00 元不相等（相差 5,000.00 元）",
    "result_grade_mismatch.yml": "2022/result_grade_mismatch.yml:21:7: 自评等级: 自评等级“良”与总分 99 不符，应为“优”"
    "（90 分及以上为优，80–90 分为良，60–80 分为中，60 分以下为差）",
    "result_rate_mismatch.yml": "2022/result_rate_mismatch.yml:10:10: 项目资金.年度资金总额.执行率: "
    "执行率“91.00%”与全年执行数 ÷ 全年预算数不符：90,000.00 元 ÷ 100,000.00 元 = 90.00%",
    "result_rate_without_percent.yml": "2022/result_rate_without_percent.yml:10:10: 项目资金.年度资金总额.执行率: "
    "无法识别的百分比“0.9”，请写成如 95.00% 的形式（带百分号）",
    "result_score_above_points.yml": "2022/result_score_above_points.yml:19:13: 绩效指标.产出指标(90分).数量指标[1].得分: "
    "得分 95 大于分值 90",
    "result_score_not_number.yml": "2022/result_score_not_number.yml:11:9: 项目资金.年度资金总额.得分: "
    "无法识别的分数“九分”，请写成数字，如 10 或 9.5",
    "result_total_mismatch.yml": "2022/result_total_mismatch.yml:20:5: 总分: "
    "总分 98 与各项得分之和 99 不相等（项目资金 9，绩效指标 90）",
    "result_weight_mismatch.yml": "2022/result_weight_mismatch.yml:13:3: 绩效指标.产出指标(80分): "
    "一级指标“产出指标”标明 80 分，其下各三级指标的分值之和为 90 分",
    "result_zero_budget_rate.yml": "2022/result_zero_budget_rate.yml:10:10: 项目资金.年度资金总额.执行率: "
    "全年预算数为 0，无法计算执行率；请把执行率留空",
    "syntax_error.yml": "2022/syntax_error.yml:4:8: 这里不能出现冒号“: ”（值里有冒号时，请给整个值加引号）",
    "tab_indent.yml": "2022/tab_indent.yml:3:1: 用了 Tab 缩进，请改用空格",
    "top_level_list.yml": "2022/top_level_list.yml:1:1: 文件的最外层应为“键: 值”的形式",
    "unknown_key.yml": "2022/unknown_key.yml:4:1: 项目名字: 不认识的键“项目名字”，是不是“项目名称”？",
    "unknown_key_and_unit.yml": "2022/unknown_key_and_unit.yml:2:5: 单位: "
    "找不到单位“玉溪市信访局”的档案：请在 units/ 下建档，或把它写进已有档案的“别名”\n"
    "2022/unknown_key_and_unit.yml:5:1: 未识别: 不认识的键“未识别”；这里可以写：项目名称、立项依据、项目实施单位、项目基本概况、"
    "项目实施内容、资金安排、项目实施计划、项目实施成效、绩效目标",
    "unknown_kind.yml": "2022/unknown_kind.yml:1:5: 类型: 不认识的类型“项目说明”，"
    "只能是：项目文本、绩效目标表、整体绩效自评报告、项目支出绩效自评表",
    "unknown_unit.yml": "2022/unknown_unit.yml:2:5: 单位: "
    "找不到单位“玉溪市信访局”的档案：请在 units/ 下建档，或把它写进已有档案的“别名”",
    "wrong_type.yml": "2022/wrong_type.yml:4:7: 项目名称: 这里应为文字，实际写的是列表",
    "units/bad_credit_code.yml": "units/bad_credit_code.yml:3:11: 统一社会信用代码: "
    "统一社会信用代码校验位不对：按前 17 位计算应为“J”，请核对是否抄错",
    "units/duplicate_unit.yml": "units/tonghai.yml:1:1: 名称: "
    "单位“通海县信访局”已在 units/duplicate_unit.yml 中建档，同一地区的单位名称不能重复",
    "units/missing_region.yml": "units/missing_region.yml:1:1: 地区: "
    "缺少必填项“地区”（所在地区，从省到县逐级列出，如 [云南省, 昆明市, 盘龙区]）",
}


def _check(root: Path, strict: bool = False) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = run_check(root, strict=strict, out=out)
    return code, out.getvalue().splitlines()


def test_every_bad_fixture_has_an_expectation() -> None:
    names = {p.relative_to(BAD).as_posix() for p in BAD.rglob("*.yml")}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture_gives_exact_located_message(name: str, base_content: Path) -> None:
    src = BAD / name
    dest = base_content / name if name.startswith("units/") else base_content / "2022" / Path(name).name
    shutil.copy(src, dest)
    code, lines = _check(base_content)
    assert code == 1
    assert lines[:-1] == EXPECTED[name].split("\n")
    assert lines[-1].startswith("检查未通过：")


def test_bundled_content_passes_with_summary() -> None:
    code, lines = _check(CONTENT)
    assert code == 0
    assert lines[-1].startswith(
        "检查通过：5 个单位，8 份公开文本（项目文本 4、绩效目标表 2、整体绩效自评报告 1、项目支出绩效自评表 1）"
    )
    assert "项目预算合计 1,356,000.00 元，自评报告支出合计 2,846,343.88 元" in lines[-1]


def test_strict_turns_warnings_into_failure(base_content: Path) -> None:
    profile = base_content / "units" / "tonghai.yml"
    profile.write_text(profile.read_text(encoding="utf-8") + '联系电话: "13879227100"\n', encoding="utf-8")
    code, lines = _check(base_content)
    assert code == 0
    assert lines[0] == (
        "units/tonghai.yml:3:7: 联系电话: 警告：含有手机号码“13879227100”，请确认可以公开（网站上默认部分隐去；site.yml 写“隐私脱敏: 否”时原样公开）"
    )
    code, lines = _check(base_content, strict=True)
    assert code == 1
    assert lines[-1] == "检查未通过：0 个错误，1 条警告（--strict：警告视为错误），共检查 2 个文件。"


def test_all_problems_reported_at_once(base_content: Path) -> None:
    for name in ("bad_year.yml", "money_without_unit.yml", "unknown_key.yml"):
        shutil.copy(BAD / name, base_content / "2022" / name)
    code, lines = _check(base_content)
    assert code == 1
    assert len(lines) == 4
    assert lines[-1] == "检查未通过：3 个错误，共检查 5 个文件。"


def test_empty_folder_and_missing_folder(tmp_path: Path) -> None:
    code, lines = _check(tmp_path)
    assert code == 1
    assert lines[0] == f"{tmp_path}:0:0: 文件夹里没有内容：需要 units/ 下的单位档案和公开文本 .yml 文件"
    code, lines = _check(tmp_path / "nope")
    assert lines[0] == f"{tmp_path / 'nope'}:0:0: 找不到内容文件夹"


def test_same_name_in_two_counties_needs_region(base_content: Path) -> None:
    (base_content / "units" / "lushan.yml").write_text(
        "名称: 信访局\n地区: [江西省, 九江市, 庐山市]\n", encoding="utf-8"
    )
    (base_content / "units" / "wuning.yml").write_text(
        "名称: 信访局\n地区: [江西省, 九江市, 武宁县]\n", encoding="utf-8"
    )
    ambiguous = base_content / "2022" / "x.yml"
    ambiguous.write_text(
        "类型: 项目文本\n单位: 信访局\n年度: 2022\n项目名称: 甲\n资金安排:\n  合计: 1元\n", encoding="utf-8"
    )
    code, lines = _check(base_content)
    assert code == 1
    assert lines[0] == (
        "2022/x.yml:2:5: 单位: “信访局”对应多个单位档案（江西省/九江市/庐山市 的 units/lushan.yml、"
        "江西省/九江市/武宁县 的 units/wuning.yml），请写上地区，如“庐山市信访局”"
    )
    ambiguous.write_text(ambiguous.read_text(encoding="utf-8").replace("单位: 信访局", "单位: 庐山市信访局"), "utf-8")
    code, _ = _check(base_content)
    assert code == 0


def test_cli_never_shows_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "c"
    (bad / "units").mkdir(parents=True)
    (bad / "units" / "x.yml").write_bytes(b"\xff\xfe\x00garbage: [")
    (bad / "y.yml").write_bytes(b"{{{{")
    proc = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", str(bad)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.count(":1:") >= 2


def test_summary_counts_a_project_disclosed_twice_once(base_content: Path) -> None:
    """The 项目文本 and the 绩效目标表 of the same project are one budget, as on the site."""
    (base_content / "2022" / "targets.yml").write_text(
        "类型: 绩效目标表\n单位: 通海县信访局\n年度: 2022\n项目名称: 信访专项工作经费专项资金\n"
        "基本信息:\n  本年度预算金额: 3万元\n绩效指标:\n  产出指标:\n    数量指标:\n"
        "      - 名称: 件数\n        指标值: '>=30件'\n",
        encoding="utf-8",
    )
    code, lines = _check(base_content)
    assert code == 0
    assert lines[-1] == "检查通过：1 个单位，2 份公开文本（项目文本 1、绩效目标表 1），项目预算合计 30,000.00 元。"


def test_recheck_sees_an_edit_that_keeps_size_and_mtime(base_content: Path) -> None:
    """The per-process cache is keyed by content: a same-size edit with the old mtime is judged again."""
    import os

    path = base_content / "2022" / "ok.yml"
    assert _check(base_content)[0] == 0
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("年度: 2022", "年度: 1022"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    code, lines = _check(base_content)
    assert code == 1
    assert lines[0] == "2022/ok.yml:3:5: 年度: 年度“1022”不对，请写四位年份，如 2022"
