"""`gongkai import` of the 项目支出绩效自评表 in the family of layouts units print it.

The property tests draw a form (random indicators, figures, texts) and a layout (column
orders, one- or two-row headers, merged or repeated 一级/二级 cells, weights, 当年/本年,
the unit in the header, a line, the cells or nowhere, full-width digits, spaced labels,
总分 and 自评等级 in their variants), render it as .txt (tabs, `|`, spaces), .xlsx, .docx or
.html (tests/evaluation_forms.py), import it, and require the draft's values to be the
form's, nothing under 未识别, and every run of the document found in the draft.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from generator.corpus.fields import LEVEL1
from generator.corpus.model import Kind, ProjectEvaluation
from generator.corpus.project_evaluation import grade_of
from generator.corpus.validate import check_tree
from generator.importer import Options, import_document, import_lines
from generator.importer.coverage import lost_runs
from generator.importer.draft import Draft, to_yaml
from generator.importer.project_evaluation import import_evaluations
from generator.importer.read import Document, Line, normalize_line, read_document
from generator.importer.text import Tracker
from generator.importer.units import UnitIndex

from . import evaluation_forms as E
from .conftest import CONTENT
from .regen_import import UNITS, fixtures

CHARS = "接待群众来访调处矛盾纠纷排查宣传培训督导信息系统网络档案法律援助走访"
SUFFIX = ("批次", "次数", "覆盖率", "满意度", "办结率", "经费", "时间", "人数")
VALUES = (">=300批次", "≥95%", "=100%", "持续向好", "≤20万元", "12次", "100%", "326", "按期完成", "≥90%", "92.5%")


def lines_of(text: str) -> list[Line]:
    return [Line(i, normalize_line(t)) for i, t in enumerate(text.split("\n"), 1)]


@st.composite
def forms(draw: st.DrawFn) -> E.Form:
    l1s = draw(st.lists(st.sampled_from(list(LEVEL1)), min_size=1, max_size=3, unique=True))
    rows: list[E.Indicator] = []
    names: set[str] = set()
    for l1 in sorted(l1s, key=list(LEVEL1).index):
        l2s = draw(st.lists(st.sampled_from(LEVEL1[l1]), min_size=1, max_size=2, unique=True))
        for l2 in sorted(l2s, key=LEVEL1[l1].index):
            for _ in range(draw(st.integers(1, 3))):
                name = draw(st.text(CHARS, min_size=2, max_size=8)) + draw(st.sampled_from(SUFFIX))
                if name in names:
                    continue
                names.add(name)
                points = draw(st.integers(1, 20))
                score = draw(st.sampled_from([str(points), str(max(points - 1, 0)), f"{points - 0.5:g}"]))
                deviation = draw(st.one_of(st.just(""), st.text(CHARS + "，；。0123456789", min_size=1, max_size=120)))
                deviation = deviation if not deviation or deviation[0] in CHARS else "原因" + deviation
                rows.append(E.Indicator(l1, l2, name, draw(st.sampled_from(VALUES)), draw(st.sampled_from(VALUES)),
                                        str(points), score, deviation))  # fmt: skip
    budget = Decimal(draw(st.integers(100, 99999))) / 100
    spent = Decimal(draw(st.integers(1, int(budget * 100)))) / 100
    part = (budget / 2).quantize(Decimal("0.01"))
    spent_part = (spent / 2).quantize(Decimal("0.01"))
    rate = E.rate(spent, budget)
    funds = {"年度资金总额": {"年初预算数": str(budget), "全年预算数": str(budget), "全年执行数": str(spent),
                             "分值": "10", "执行率": rate, "得分": "9"}}  # fmt: skip
    parts = draw(st.sampled_from([("本年财政拨款",), ("本年财政拨款", "上年结转资金"), ("本年财政拨款", "其他资金")]))
    if len(parts) == 1:
        funds[parts[0]] = {
            "年初预算数": str(budget),
            "全年预算数": str(budget),
            "全年执行数": str(spent),
            "执行率": rate,
        }
    else:
        for key, b, s in ((parts[0], budget - part, spent - spent_part), (parts[1], part, spent_part)):
            funds[key] = {"年初预算数": str(b), "全年预算数": str(b), "全年执行数": str(s)}
    total = sum((Decimal(r.score) for r in rows), Decimal(9))
    points_sum = sum((Decimal(r.points) for r in rows), Decimal(10))
    return E.Form(
        project=draw(st.text(CHARS, min_size=2, max_size=10)) + "项目",
        indicators=tuple(rows),
        funds=funds,
        total=f"{total:f}",
        points_total=draw(st.sampled_from([f"{points_sum:f}", None])),
        grade=draw(st.sampled_from([grade_of(total), None])),
        remark=draw(st.sampled_from([None, "本表金额单位为万元，分值和得分为自评结果。"])),
    )


@st.composite
def layouts(draw: st.DrawFn, spaces: bool = False) -> E.Layout:
    order = draw(st.permutations(["target", "actual", "points", "score"]))
    deviation_at = len(order) if spaces else draw(st.integers(0, len(order)))
    row_order = (*order[:deviation_at], "deviation", *order[deviation_at:])
    two_row = draw(st.sampled_from(["none", "value", "levels"]))
    if two_row == "value" and abs(row_order.index("target") - row_order.index("actual")) != 1:
        two_row = "none"
    return E.Layout(
        fund_order=tuple(draw(st.permutations(list(E.FUND_COLUMNS)))),
        row_order=row_order,
        label_column=draw(st.booleans()) and two_row != "levels",
        two_row_fund=draw(st.booleans()),
        two_row_rows=two_row,
        appropriation=draw(st.sampled_from(["本年财政拨款", "当年财政拨款"])),
        unit_in=draw(st.sampled_from(["header", "line", "cells", "none"])),
        fullwidth=draw(st.booleans()),
        spaced=draw(st.booleans()),
        merged=draw(st.booleans()),
        weights=draw(st.booleans()),
        total_style=draw(st.sampled_from(["grid", "short"])),
        grade_style=draw(st.sampled_from(["inline", "row", "none"])),
        goal_style=draw(st.sampled_from(["header", "side"])),
    )


def check(drafts: list[Draft], lines: list[Line], form: E.Form, layout: E.Layout) -> None:
    assert len(drafts) == 1
    (d,) = drafts
    want = E.expected(form, layout)
    got = {k: d.data.get(k) for k in want}
    assert got == want
    assert d.unplaced == []
    assert lost_runs(lines, drafts) == []
    assert d.rescued == []


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(forms(), layouts(), st.sampled_from(["tabs", "pipes"]))
def test_text_tables(form: E.Form, layout: E.Layout, style: str) -> None:
    rows, _ = E.grid(form, layout)
    lines = lines_of(E.text(rows, style))
    check(import_lines(lines, "form.txt"), lines, form, layout)


@SETTINGS
@given(forms(), layouts(spaces=True), st.sampled_from([None, 12, 30]))
def test_space_separated_text(form: E.Form, layout: E.Layout, wrap: int | None) -> None:
    """… also with the long texts (年度总体目标, 偏差原因) wrapped over lines of their own."""
    rows, _ = E.grid(form, layout)
    lines = lines_of(E.text(rows, "spaces", wrap))
    check(import_lines(lines, "form.txt"), lines, form, layout)


def _read(name: str, data: bytes) -> Document:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return read_document(path)


# Shrinking a file-rendering example takes minutes on a shared machine: set GK_SHRINK=1 to shrink.
FILE_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=tuple(Phase) if os.environ.get("GK_SHRINK") else (Phase.explicit, Phase.reuse, Phase.generate),
)


@FILE_SETTINGS
@given(forms(), layouts(), st.sampled_from(["xlsx", "xlsx-numbers", "docx", "html"]))
def test_workbooks_word_tables_and_web_pages(form: E.Form, layout: E.Layout, suffix: str) -> None:
    """Merged cells as the files store them: a merged range's text in its first cell (rowspan/colspan in HTML)."""
    rows, merges = E.grid(form, layout)
    data = {
        "xlsx": lambda: E.xlsx(rows, merges),
        "xlsx-numbers": lambda: E.xlsx(rows, merges, numbers=True),
        "docx": lambda: E.docx(rows, merges),
        "html": lambda: E.html_page(rows, merges).encode("utf-8"),
    }[suffix]()
    name = f"form.{suffix.split('-')[0]}"
    document = _read(name, data)
    check(import_document(document, name), document.lines, form, layout)


def checked(drafts: list[Draft], folder: Path) -> object:
    """The drafts as written by `gongkai import`, untouched, in a copy of the demo content tree, checked."""
    root = folder / "content"
    shutil.copytree(CONTENT / "units", root / "units")
    shutil.copy(CONTENT / "site.yml", root / "site.yml")
    for n, draft in enumerate(drafts):
        dest = root / "2022" / "import" / f"ziping-{n}.yml"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(to_yaml(draft), encoding="utf-8")
    return check_tree(root)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms(), layouts(), st.sampled_from(["tabs", "pipes", "xlsx"]))
def test_gongkai_check_accepts_the_draft(form: E.Form, layout: E.Layout, style: str) -> None:
    """A consistent form gives a draft that `gongkai check` accepts as written, with the form's figures."""
    rows, merges = E.grid(form, layout)
    if style == "xlsx":
        document = _read("form.xlsx", E.xlsx(rows, merges))
        drafts = import_document(document, "form.xlsx")
    else:
        drafts = import_lines(lines_of(E.text(rows, style)), "form.txt")
    with tempfile.TemporaryDirectory() as folder:
        result = checked(drafts, Path(folder))
    assert [str(e) for e in result.errors] == []  # type: ignore[attr-defined]
    corpus = result.corpus  # type: ignore[attr-defined]
    (d,) = [d for d in corpus.disclosures if d.kind is Kind.PROJECT_EVALUATION and "import" in d.src_path]
    body = d.body
    assert isinstance(body, ProjectEvaluation)
    assert body.total.spent is not None
    assert body.total.spent.yuan == Decimal(form.funds["年度资金总额"]["全年执行数"]) * 10000
    assert [(r.name, r.target.text, r.actual.text) for r in body.indicators] == [
        (r.name, r.target, r.actual) for r in form.indicators
    ]
    assert body.total_score.value == Decimal(form.total)


EVALUATION_FIXTURES = [p for p in fixtures() if "evaluation" in p.name and "self_evaluation" not in p.name]


def test_fixtures_cover_the_file_types_and_layouts() -> None:
    assert {p.suffix for p in EVALUATION_FIXTURES} == {".txt", ".xlsx", ".docx", ".html", ".pdf"}
    assert len(EVALUATION_FIXTURES) >= 7


@pytest.mark.parametrize("path", EVALUATION_FIXTURES, ids=lambda p: p.name)
def test_each_fixture_gives_drafts_gongkai_check_accepts(path: Path, tmp_path: Path) -> None:
    document = read_document(path)
    drafts = import_document(document, path.name, Options(units=UnitIndex.load(UNITS)))
    assert all(d.kind is Kind.PROJECT_EVALUATION and not d.unplaced for d in drafts)
    result = checked(drafts, tmp_path)
    assert [str(e) for e in result.errors] == []  # type: ignore[attr-defined]
    names = {d.name for d in result.corpus.disclosures if "import" in d.src_path}  # type: ignore[attr-defined]
    assert names == {str(d.data["项目名称"]) for d in drafts}


def test_an_inconsistent_form_keeps_everything_and_check_locates_each_problem(tmp_path: Path) -> None:
    """The document's own mistakes (a wrong 总分, 执行率 and 自评等级) stay in the draft as written;
    `gongkai check` names each one at its line."""
    form = dataclasses.replace(E.SAMPLE, total="95", grade="良")
    funds = {**form.funds, "年度资金总额": {**form.funds["年度资金总额"], "执行率": "90.00%"}}
    form = dataclasses.replace(form, funds=funds)
    lines = lines_of(E.text(E.grid(form, E.Layout())[0], "tabs"))
    drafts = import_lines(lines, "form.txt")
    check(drafts, lines, form, E.Layout())
    result = checked(drafts, tmp_path)
    errors = [str(e) for e in result.errors]  # type: ignore[attr-defined]
    text = to_yaml(drafts[0]).splitlines()
    where = {
        key: next(n for n, line in enumerate(text, 1) if line.lstrip().startswith(f"{key}:"))
        for key in ("总分", "自评等级")
    }
    assert any(f"ziping-0.yml:{where['总分']}:" in e and "总分 95" in e for e in errors), errors
    assert any(f"ziping-0.yml:{where['自评等级']}:" in e and "自评等级“良”" in e for e in errors), errors
    assert any("项目资金.年度资金总额.执行率" in e and "90.00%" in e for e in errors), errors


def test_a_dropped_indicator_is_caught_by_the_no_loss_check() -> None:
    """Break the behaviour once: lose one 三级指标 of a draft, and the check names its line."""
    lines = lines_of(E.text(E.grid(E.SAMPLE, E.Layout())[0], "tabs"))
    drafts = import_lines(lines, "form.txt")
    group = drafts[0].get(("绩效指标", "效益指标(30分)", "社会效益指标"))
    assert isinstance(group, list)
    group.pop()
    assert [run for _, run in lost_runs(lines, drafts)] == [
        "全县信访秩序",
        "持续向好",
        "持续向好，全年未发生群体性事件",
    ]


PIECES = [
    "示例县信访局2022年度项目支出绩效自评表", "项目名称\t甲项目", "项 目 名 称    乙项目", "主管部门：示例县信访局  实施单位：示例县信访局",
    "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分", "\t年度资金总额\t\t20\t20\t18.6\t10\t93.00%\t9.3",
    "其中：当年财政拨款    18    16.74    93%", "上年结转资金 | / | / | / |", "其他资金", "金额单位：万元",
    "年度总体目标\t预期目标\t实际完成情况", "\t完成接待。\t已完成。", "预期目标：甲", "实际完成情况：乙",
    "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施",
    "一级指标 | 二级指标 | 三级指标 | 指标值 | | 分值 | 得分", "| | | | 年度指标值 | 实际完成值 | | |",
    "\t产出指标(50分)\t数量指标\t接待批次\t>=300批次\t326批次\t10\t10\t", "\t\t\t联合接访\t≥12次\t12次\t10\t8\t原因",
    "效益指标    社会效益指标    秩序    持续向好    向好    30    30", "满意度指标 | | | | | 10 | 9 |", "数量指标\t\t\t", "产出指标",
    "总分\t\t\t\t\t\t100\t97.3\t自评等级：优", "总分    97.3", "总分：97.3 自评等级：优秀", "自评等级    良", "备注：无",
    "填表人：张三", "１０", "９３％", "—", "/", "B/A", "", "",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=30))
def test_any_mix_of_form_pieces_is_read_without_error_or_loss(pieces: list[str]) -> None:
    """Pieces of forms in any order and with noise: the 自评表 reader never fails, and nothing is lost."""
    lines = lines_of("\n".join(["项目支出绩效自评表", *pieces]))
    drafts = import_evaluations(lines, Tracker(lines))  # raises on a bug (import_lines would catch it)
    assert drafts and all(d.kind is Kind.PROJECT_EVALUATION for d in drafts)
    drafts = import_lines(lines, "随机.txt")
    assert lost_runs(lines, drafts) == []
    for draft in drafts:
        assert isinstance(YAML(typ="safe").load(to_yaml(draft)), dict)
