"""`gongkai import` on .docx: documents built here with python-docx from the seeds' text,
with real Word tables (vertically and horizontally merged cells) for the table parts."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from generator.corpus.model import ProjectText
from generator.corpus.validate import check_tree
from generator.importer import import_lines
from generator.importer.command import run_import
from generator.importer.read import read_lines

from .conftest import CONTENT, SEEDS


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def seed_lines(prefix: str) -> list[str]:
    return seed(prefix).read_text(encoding="utf-8").split("\n")


def hand_project(name: str) -> ProjectText:
    result = check_tree(CONTENT)
    assert result.corpus is not None
    body = next(d.body for d in result.corpus.disclosures if d.name == name)
    assert isinstance(body, ProjectText)
    return body


def test_project_text_with_word_table(tmp_path: Path) -> None:
    """Seed 000: paragraphs up to 九、, then the 绩效目标表 as a Word table with a header row,
    项目名称/年度目标 merged down the whole table and each 一级 label merged over its rows."""
    hand = hand_project("信访处突经费")
    doc = Document()
    for text in seed_lines("000"):
        if text.startswith(("\t", " \t")):
            break
        doc.add_paragraph(text)
    header = ["项目名称", "项目年度绩效目标", "一级指标", "二级指标", "三级指标", "指标值", "指标值说明", "依据"]
    table = doc.add_table(rows=1 + len(hand.indicators), cols=len(header))
    for c, word in enumerate(header):
        table.cell(0, c).text = word
    start1 = 1
    for r, ind in enumerate(hand.indicators, 1):
        values = ["", "", "", ind.level2, ind.name, ind.value.text, ind.explanation or "", ind.basis or ""]
        for c, value in enumerate(values):
            table.cell(r, c).text = value
        if r == 1 or ind.level1 != hand.indicators[r - 2].level1:
            table.cell(r, 2).text = ind.level1
            if r > 1:
                table.cell(start1, 2).merge(table.cell(r - 1, 2))
            start1 = r
    table.cell(start1, 2).merge(table.cell(len(hand.indicators), 2))
    table.cell(1, 0).text = hand.project_name
    table.cell(1, 1).text = hand.target_text or ""
    table.cell(1, 0).merge(table.cell(len(hand.indicators), 0))
    table.cell(1, 1).merge(table.cell(len(hand.indicators), 1))
    path = tmp_path / "000.docx"
    doc.save(str(path))

    (draft,) = import_lines(read_lines(path), path.name)
    assert draft.unplaced == []
    assert draft.get(("资金安排", "合计")) == "535000元"
    assert draft.get(("绩效目标", "年度目标")) == hand.target_text
    got = draft.get(("绩效目标", "绩效指标"))
    assert isinstance(got, dict)
    flat = [
        (k1, k2, item["名称"], item["指标值"], item.get("指标值说明"), item.get("依据"))
        for k1, group in got.items()
        if isinstance(group, dict)
        for k2, items in group.items()
        if isinstance(items, list)
        for item in items
        if isinstance(item, dict)
    ]
    want = [(i.level1, i.level2, i.name, i.value.text, i.explanation, i.basis) for i in hand.indicators]
    assert flat == want
    assert ("绩效目标", "绩效指标") not in draft.doubts  # the header row names every column


def test_block_table_docx_gives_the_same_draft_as_the_text(tmp_path: Path) -> None:
    """Seed 003 as one Word table: title rows merged across, label/value cells, indicator rows."""
    lines = [ln for ln in seed_lines("003") if ln.strip()]
    cells = [ln.split("\t") for ln in lines]
    width = max(len(c) for c in cells)
    doc = Document()
    table = doc.add_table(rows=len(cells), cols=width)
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
        filled = [c for c, value in enumerate(row) if value.strip()]
        if filled == [0]:  # a title row such as 基本信息: one cell across the table
            table.cell(r, 0).merge(table.cell(r, width - 1))
    path = tmp_path / "003.docx"
    doc.save(str(path))

    (from_docx,) = import_lines(read_lines(path), path.name)
    (from_text,) = import_lines(read_lines(seed("003")), seed("003").name)
    assert from_docx.data == from_text.data
    assert set(from_docx.doubts) == set(from_text.doubts)
    assert [c.text for c in from_docx.unplaced] == ["XX הם"]


def test_paragraph_docx_via_the_command(tmp_path: Path) -> None:
    """Seed 004 typed into Word paragraph by paragraph: same draft as from the text file."""
    doc = Document()
    for text in seed_lines("004"):
        if text.strip():
            doc.add_paragraph(text)
    path = tmp_path / "004.docx"
    doc.save(str(path))
    out = tmp_path / "out"
    report = []

    class Sink:
        def write(self, s: str) -> int:
            report.append(s)
            return len(s)

    assert run_import(path, out, Sink()) == 0  # type: ignore[arg-type]
    (written,) = out.glob("*.yml")
    assert written.name == "2022-xiangmu-1.yml"
    assert f"已写入 {written}" in "".join(report)
    (from_text,) = import_lines(read_lines(seed("004")), seed("004").name)
    (from_docx,) = import_lines(read_lines(path), path.name)
    assert from_docx.data == from_text.data


def test_nested_table_text_is_kept(tmp_path: Path) -> None:
    doc = Document()
    outer = doc.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "备注"
    inner = outer.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "甲单元"
    inner.cell(0, 1).text = "乙单元"
    path = tmp_path / "nested.docx"
    doc.save(str(path))
    texts = [ln.text for ln in read_lines(path) if not ln.blank]
    assert texts == ["备注\t甲单元 乙单元"]
