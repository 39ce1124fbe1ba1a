"""`gongkai import` on the standard layouts, one excerpt each (tests/fixtures/import/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.importer import import_lines
from generator.importer.draft import Draft, to_yaml
from generator.importer.funding import parse_funding
from generator.importer.read import Line, normalize_line, read_lines
from generator.importer.self_evaluation import import_self_evaluation
from generator.importer.text import Para, Tracker, paragraphs

from .conftest import FIXTURES

IMPORT = FIXTURES / "import"


def drafts_of(name: str) -> list[Draft]:
    path = IMPORT / name
    return import_lines(read_lines(path), path.name)


def lines_of(text: str) -> list[Line]:
    return [Line(i, normalize_line(t)) for i, t in enumerate(text.split("\n"), 1)]


def rows(draft: Draft, *path: str) -> list[tuple[str, str, str, str]]:
    """(一级 key, 二级 key, 名称, 指标值) for every indicator row under `path`."""
    node = draft.get(path)
    assert isinstance(node, dict)
    out = []
    for k1, group in node.items():
        assert isinstance(group, dict)
        for k2, items in group.items():
            assert isinstance(items, list)
            for item in items:
                assert isinstance(item, dict)
                out.append((k1, k2, str(item["名称"]), str(item["指标值"])))
    return out


def test_cell_per_line_table_with_split_label_cell() -> None:
    (d,) = drafts_of("000_project_table.txt")
    assert d.data["项目名称"] == "信访处突经费"
    assert d.get(("资金安排",)) == {
        "资金来源": "一般公共预算",
        "合计": "535000元",
        "说明": "一般公共预算安排535000元。",
    }
    assert rows(d, "绩效目标", "绩效指标") == [
        ("产出指标", "数量指标", "解决突出信访事项", "60"),  # '数量\n\n指标' is one cell
        ("产出指标", "质量指标", "完成信访事件化解率90%以上", "90"),
        ("产出指标", "质量指标", "按照2020年工作计划、安排，有序推进各项信访工作", "按计划完成各项工作任务"),
    ]
    assert str(d.get(("绩效目标", "年度目标"))).startswith("群众满意、领导满意、息诉息访、社会稳定。")
    first = d.get(("绩效目标", "绩效指标", "产出指标", "数量指标"))
    assert isinstance(first, list) and isinstance(first[0], dict)
    assert first[0]["指标值说明"] == first[0]["依据"]  # the two long columns, in the order of the hand transcription
    assert ("绩效目标", "绩效指标") in d.doubts  # no header row: the column meanings are a guess
    assert d.unplaced == []


def test_two_projects_split_into_two_drafts() -> None:
    one, two = drafts_of("002_two_projects.txt")
    assert one.data["项目名称"] == "信访专项工作经费专项资金"
    assert two.data["项目名称"] == "通海县社会矛盾纠纷调处督导中心工作经费专项资金"
    assert one.data["标题"] == "通海县信访局2022年预算重点领域财政项目文本公开(项目一：信访专项工作经费专项资金)"
    assert two.data["标题"] == (
        "通海县信访局2022年预算重点领域财政项目文本公开(项目二：通海县社会矛盾纠纷调处督导中心工作经费专项资金)"
    )
    assert one.data["单位"] == two.data["单位"] == "通海县信访局"
    assert one.data["年度"] == "2022"
    funding = one.get(("资金安排",))
    assert isinstance(funding, dict)
    assert funding["合计"] == "3万元"
    assert funding["明细"] == [
        {"名称": "专用设备购置费（警用执法记录仪）", "金额": "0.49万元"},
        {"名称": "会议费", "金额": "0.5万元"},
        {"名称": "差旅费", "金额": "0.81万元"},
        {"名称": "办公费", "金额": "0.8万元"},
        {"名称": "培训费", "金额": "0.4万元"},
    ]
    assert two.get(("资金安排", "明细")) == [
        {"名称": "委托业务费", "金额": "2.06万元"},
        {"名称": "差旅费", "金额": "0.94万元"},
    ]
    assert not one.doubts and not two.doubts and not one.unplaced and not two.unplaced


def test_headings_without_numbers() -> None:
    (d,) = drafts_of("004_unnumbered.txt")
    assert d.data["标题"] == "楚雄州信访局2022年预算重点领域财政项目文本公开"
    assert d.data["单位"] == "楚雄州信访局"
    assert d.data["项目名称"] == "信访工作经费"
    assert d.get(("资金安排", "明细")) == [
        {"名称": "重大活动、重要节点期间开展信访保障服务及劝返工作经费", "金额": "30.58万元"},
        {"名称": "省州领导包案重点信访问题化解", "金额": "5万元"},
        {"名称": "信访事项督查督办", "金额": "2万元"},
        {"名称": "重点信访工作督查调研指导", "金额": "1.01万元"},
    ]
    assert d.get(("资金安排", "合计")) is None  # the text gives no total; the site sums the lines


def test_block_layout_with_merged_cells_and_ocr_noise() -> None:
    (d,) = drafts_of("003_targets_block.txt")
    assert d.data["单位"] == "信访局" and ("单位",) in d.doubts
    assert d.data["年度"] == "2022"
    assert d.data["项目名称"] == "信访维稳工作经费"
    assert d.get(("基本信息", "项目编码")) == "360483218888030000231"
    assert ("基本信息", "项目编码") in d.doubts  # OCR space removed
    assert d.get(("基本信息", "本年度预算金额")) == "17.6万元"
    assert "17.6万元" in d.doubts[("基本信息", "本年度预算金额")]  # unit taken from the text
    assert d.get(("基本信息", "开始日期")) == "2022-01-01"
    assert d.get(("基本信息", "是否重点项目")) == "否"
    got = rows(d, "绩效指标")
    assert len(got) == 12
    assert got[0] == ("产出指标", "数量", "参与维护现场秩序行动数(次)", ">=30次")  # label below, carried up
    assert ("绩效指标", "产出指标", "数量", 0) in d.doubts
    assert got[7] == ("产出指标", "时效", "集体上访、群体性事件处置所需时间(小时)", "<=2小时")  # 'XX הם' ignored
    assert got[9][:2] == ("效益指标", "社会效益")  # empty 一级 cell: from the 二级 label
    assert got[11][:2] == ("满意度", "满意度")
    assert [(c.where, c.text) for c in d.unplaced] == [("第23行", "XX הם")]


def test_pipe_table_with_units_in_labels() -> None:
    (d,) = drafts_of("targets_pipe.txt")
    assert d.data["单位"] == "昆明市五华区财政局" and ("单位",) not in d.doubts
    assert d.get(("基本信息", "本年度预算金额")) == "12.5万元"
    assert ("基本信息", "本年度预算金额") not in d.doubts  # `(万元)` in the label
    assert d.get(("基本信息", "联系电话")) == "0871-63100000"
    assert rows(d, "绩效指标") == [
        ("产出指标", "数量指标", "购置电脑台数", "=40台"),
        ("产出指标", "数量指标", "购置打印机台数", "=5台"),
        ("产出指标", "成本指标", "购置经费", "≤12.5万元"),
        ("效益指标", "社会效益指标", "办公效率", "明显提升"),
        ("满意度指标", "服务对象满意度指标", "职工满意度", "≥90%"),
    ]
    assert d.unplaced == []
    # the only doubt: 购置打印机台数 took its 一级/二级 labels from the row above
    assert d.doubts == {
        ("绩效指标", "产出指标", "数量指标"): "原表第15行起的一级/二级指标单元格为空或省略，按上一行归类"
    }


def test_space_separated_table() -> None:
    (d,) = drafts_of("targets_space.txt")
    assert d.get(("基本信息", "本年度预算金额")) == "125000元"
    got = rows(d, "绩效指标")
    assert got[:3] == [
        ("产出指标", "数量指标", "购置电脑台数", "=40台"),
        ("产出指标", "数量指标", "购置打印机台数", "=5台"),  # merged labels carried down
        ("产出指标", "成本指标", "购置经费", "≤12.5万元"),
    ]
    assert got[4] == ("满意度", "服务对象满意度指标", "群众满意度 (%)", "≥90%")
    assert ("绩效指标", "满意度", "服务对象满意度指标", 0) in d.doubts  # the name/value split is a guess
    assert d.unplaced == []


@pytest.mark.parametrize(
    ("text", "total", "lines", "source"),
    [
        ("一般公共预算安排535000元。", "535000元", [], "一般公共预算"),
        ("项目预算 3 万元，资金安排情况：委托业务费 2.06 万元，差旅费 0.94 万元。", "3万元", [("委托业务费", "2.06万元"), ("差旅费", "0.94万元")], None),
        ("会议费0.5万元", None, [("会议费", "0.5万元")], None),
        ("合计：535,000.00元，其中：印刷费35,000.00元；租赁费500,000元。", "535,000.00元", [("印刷费", "35,000.00元"), ("租赁费", "500,000元")], None),
    ],
)  # fmt: skip
def test_money_in_sentences(text: str, total: str | None, lines: list[tuple[str, str]], source: str | None) -> None:
    funding = parse_funding([Para(normalize_line(text), 1, 1)])
    assert funding.total == total
    assert [(i["名称"], i["金额"]) for i in funding.lines] == lines
    assert funding.source == source
    assert funding.doubts == {}


def test_money_lines_that_do_not_add_up_are_marked() -> None:
    funding = parse_funding([Para("预算3万元，资金安排情况：会议费1万元，差旅费1万元。", 1, 1)])
    assert funding.total == "3万元"
    assert "合计" in funding.doubts


def test_normalization_of_pdf_and_ocr_artefacts() -> None:
    assert normalize_line(r"受理率 $\geq 95\%$ ，") == "受理率 ≥95% ，"
    assert normalize_line("**(项目二：某某工作") == "(项目二：某某工作"
    assert normalize_line("坏\x00字") == "坏\ufffd字"
    para = paragraphs(lines_of("共接处信访事项 2371 件，比去年同期接处的信访事项2371\n\n件，上升41.4%。"))
    assert [p.text for p in para] == ["共接处信访事项2371件，比去年同期接处的信访事项2371件，上升41.4%。"]
    heading = paragraphs(lines_of("1. 强化政治责任担当，圆满完成政治任务\n\n我局按照年初工作计划……"))
    assert len(heading) == 2  # a short heading is not joined with the text after it


def test_self_evaluation_outline_and_figures() -> None:
    text = "\n".join(
        [
            "某某局2023年部门整体支出绩效自评报告",
            "部门名称：某某县某某局",
            "2024年3月",
            "一、部门概况",
            "（一）预算执行情况",
            "本年收入合计：100.50万元，支出合计：100万元，其中，人员经费支出60万元；公用经费30万元，主要用于办公；项目支出10万元。",
            "二、评价结论",
            "1. 总体情况",
            "资金使用规范。",
        ]
    )
    lines = lines_of(text)
    d = import_self_evaluation(lines, Tracker(lines))
    assert d.data["单位"] == "某某县某某局"  # the labelled name wins over the title's prefix
    assert d.data["报告日期"] == "2024-03"
    assert d.get(("预算收支",)) == {
        "收入合计": "100.50万元",
        "支出合计": "100万元",
        "支出构成": [
            {"名称": "人员经费", "金额": "60万元"},
            {"名称": "公用经费", "金额": "30万元", "说明": "主要用于办公"},
            {"名称": "项目支出", "金额": "10万元"},
        ],
    }
    assert d.doubts == {}
    body = d.get(("正文",))
    assert isinstance(body, list) and len(body) == 2
    assert body[1] == {"标题": "评价结论", "小节": [{"标题": "总体情况", "内容": "资金使用规范。"}]}


def test_draft_yaml_has_header_comment_and_doubt_comments(tmp_path: Path) -> None:
    (d,) = drafts_of("003_targets_block.txt")
    text = to_yaml(d)
    assert text.startswith("# 由 gongkai import 从“003_targets_block.txt”生成的草稿")
    assert "单位: 信访局  # 待核对：" in text
    data = YAML(typ="safe").load(text)
    assert list(data)[:6] == ["类型", "单位", "年度", "标题", "项目名称", "基本信息"]
    assert list(data)[-1] == "未识别"
    assert data["未识别"] == ["第23行：XX הם"]


def test_numbered_headings_with_inline_values() -> None:
    (d,) = drafts_of("project_inline_headings.txt")
    assert d.data["单位"] == "某某县财政局"  # `2023年度某某县财政局预算…`: the unit after the year
    assert ("单位",) in d.doubts  # … but the 项目实施单位 is another unit
    assert d.data["项目名称"] == "乡村道路养护经费"
    assert d.data["项目实施单位"] == "某某县交通运输局"
    assert d.data["立项依据"] == "根据《某某县农村公路养护管理办法》。"
    assert d.get(("资金安排", "合计")) == "120万元"
    assert d.get(("资金安排", "明细")) == [
        {"名称": "日常养护费", "金额": "80万元"},  # `其中：1.日常养护费：80万元`
        {"名称": "小修工程费", "金额": "40万元"},
    ]
    assert d.data["项目实施成效"] == "优良路率达到80%以上。"
    assert d.unplaced == []


def test_word_style_target_table_without_colons() -> None:
    (d,) = drafts_of("targets_word_columns.txt")
    assert d.data["项目名称"] == "办公设备更新"
    assert d.data["单位"] == "某某县财政局信息中心"  # 实施单位 wins over 主管部门
    assert ("单位",) not in d.doubts
    assert d.get(("基本信息", "本年度预算金额")) == "12.5万元"
    group = d.get(("绩效指标", "产出指标", "数量指标"))
    assert group == [
        {"名称": "购置电脑台数", "指标值": "≥40", "计量单位": "台", "权重": "20"},  # 指标性质 column + 指标值
        {"名称": "购置打印机台数", "指标值": "=5", "计量单位": "台", "权重": "10"},
    ]
    assert d.get(("绩效指标", "效益指标", "社会效益指标", 0, "指标值说明")) == "指标性质：定性"
    assert d.unplaced == []


def test_year_in_chinese_numerals() -> None:
    text = "二〇二三年度某某县财政局部门整体支出绩效自评报告\n\n一、部门概况\n收入合计：100万元，支出合计：100万元。"
    lines = lines_of(text)
    d = import_self_evaluation(lines, Tracker(lines))
    assert (d.data["年度"], d.data["单位"]) == ("2023", "某某县财政局")


def test_rows_above_the_indicator_header_are_not_indicators() -> None:
    text = "\n".join(
        [
            "某某局2023年项目文本",
            "一、项目名称",
            "培训经费",
            "六、资金安排情况",
            "合计5万元。",
            "九、项目绩效目标表",
            "项目名称:\t培训经费\t项目编码:\t123",
            "一级指标\t二级指标\t三级指标\t指标值",
            "产出指标\t数量指标\t培训人次\t≥100人次",
        ]
    )
    (d,) = import_lines(lines_of(text), "x.txt")
    assert rows(d, "绩效目标", "绩效指标") == [("产出指标", "数量指标", "培训人次", "≥100人次")]
    assert [(c.where, c.text) for c in d.unplaced] == [("第7行", "项目名称: 培训经费 项目编码: 123")]


def test_minor_numbered_headings() -> None:
    """`（一）项目名称` … are headings in a text numbered that way; `1.实施计划` inside a 一、 text is not."""
    minor = "\n".join(
        [
            "某某局2023年项目文本",
            "（一）项目名称",
            "培训经费",
            "（二）立项依据",
            "上级文件。",
            "（三）资金安排",
            "会议费1万元。",
        ]
    )
    (d,) = import_lines(lines_of(minor), "x.txt")
    assert (d.data["项目名称"], d.data["立项依据"]) == ("培训经费", "上级文件。")
    major = "\n".join(
        ["某某局2023年项目文本", "一、项目名称", "培训经费", "二、项目实施内容", "1.实施计划", "按月培训。"]
    )
    (d,) = import_lines(lines_of(major), "x.txt")
    assert d.data["项目实施内容"] == "1.实施计划\n\n按月培训。"
    assert "项目实施计划" not in d.data
