"""`gongkai import` never crashes and never drops text, whatever it is given."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from generator.cli import main
from generator.importer import import_lines
from generator.importer.command import run_import
from generator.importer.draft import to_yaml
from generator.importer.read import Line, normalize_line, read_lines

from .conftest import SEEDS


def run(src: Path, out: Path) -> tuple[int, str]:
    buf = io.StringIO()
    code = run_import(src, out, buf)
    return code, buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "没有文字"),
        ("blank.txt", b"  \n\t\n\r\n", "没有文字"),
        ("garbage.txt", bytes(range(256)) * 8, "无法识别文件编码"),
        ("fake.docx", b"this is not a zip file", "无法打开 .docx"),
        ("broken.pdf", b"%PDF-1.4\n", "无法打开 PDF 文件"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "另存为 .docx、.xlsx 或 .txt"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "Excel 97-2003"),
        ("fake.xlsx", b"not a workbook", "无法打开文件"),
        ("empty.html", b"<html><body></body></html>", "没有文字"),
        ("zipped.txt", b"PK\x03\x04" + b"\x00" * 40, "不是纯文本"),
    ],
)
def test_unreadable_input_is_reported_in_chinese(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    src = tmp_path / name
    src.write_bytes(data)
    code, out = run(src, tmp_path / "out")
    assert code == 1
    assert message in out
    assert not (tmp_path / "out").exists()


def test_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    src = tmp_path / "other.docx"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("hello.txt", "hi")
    code, out = run(src, tmp_path / "out")
    assert code == 1 and "无法打开 .docx" in out


def test_missing_file(tmp_path: Path) -> None:
    code, out = run(tmp_path / "nope.txt", tmp_path / "out")
    assert code == 1 and "没有这个文件或文件夹" in out


def test_latin_text_goes_to_unplaced(tmp_path: Path) -> None:
    src = tmp_path / "letter.txt"
    src.write_text("Dear colleagues,\n\nplease find the budget attached.\nRegards\n", encoding="utf-8")
    code, out = run(src, tmp_path / "out")
    assert code == 0
    (written,) = (tmp_path / "out").glob("*.yml")
    assert written.name == "weizhi-weishibie-1.yml"
    data = YAML(typ="safe").load(written.read_text(encoding="utf-8"))
    assert data["类型"] == ""
    assert data["未识别"] == ["第1–4行：Dear colleagues,\nplease find the budget attached.\nRegards\n"]
    assert "第1–4行：Dear colleagues," in out
    assert "gongkai check 会报错" in out


def test_gb18030_text_reads_like_utf8(tmp_path: Path) -> None:
    seed = next(SEEDS.glob("004_*.txt"))
    src = tmp_path / "gbk.txt"
    src.write_bytes(seed.read_text(encoding="utf-8").encode("gb18030"))
    (a,) = import_lines(read_lines(src), src.name)
    (b,) = import_lines(read_lines(seed), seed.name)
    assert a.data == b.data


def test_existing_drafts_are_not_overwritten(tmp_path: Path) -> None:
    seed = next(SEEDS.glob("004_*.txt"))
    out = tmp_path / "out"
    assert run(seed, out)[0] == 0
    first = (out / "2022-xiangmu-1.yml").read_text(encoding="utf-8")
    (out / "2022-xiangmu-1.yml").write_text("# 作者已经改过\n", encoding="utf-8")
    assert run(seed, out)[0] == 0
    assert (out / "2022-xiangmu-1.yml").read_text(encoding="utf-8") == "# 作者已经改过\n"
    assert (out / "2022-xiangmu-2.yml").read_text(encoding="utf-8") == first


def test_cli_subcommand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = next(SEEDS.glob("002_*.txt"))
    assert main(["import", str(seed), "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "共写入 2 个草稿文件" in out
    assert sorted(p.name for p in tmp_path.glob("*.yml")) == ["2022-xiangmu-1.yml", "2022-xiangmu-2.yml"]


# Fragments of real layouts, shuffled by hypothesis into texts the importer has never seen.
FRAGMENTS = [
    "一、项目名称", "项目名称", "信访工作经费", "六、资金安排情况", "（一）会议费0.5万元。", "预算3万元，资金安排情况：",
    "一般公共预算安排535000元。", "九、项目绩效目标表", "\t产出指标", "\t数量", "指标", "\t", "\t>=30次",
    "产出指标\t数量\t处置数(件)\t>=10件", "\t\t信访事项处理数\t>=400件", "一级指标 二级指标\t三级指标\t指标值",
    "| 满意度 | 满意度 | 群众满意度 | >=80% |", "项目支出绩效目标表", "(2022年度)", "本年度预算金额:\t17.6",
    "政策依据: 文件", "绩效自评报告", "一、部门概况", "(一) 职能", "1. 标题", "收入合计：1元，支出合计：1元。",
    "人员经费支出1元", "评价小组 机构职位\t姓名\t职务\t单位", "组长\t张三\t局长\t某局", "(项目一：甲)", "**(项目二：乙",
    "经费)**", "单位名称：某某局", "XX הם", "$\\geq 95\\%$", "", "", "……", "2023年6月", "ÿ\x00",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=40))
def test_any_text_gives_valid_yaml_and_keeps_every_line(pieces: list[str]) -> None:
    lines = [Line(i, normalize_line(t)) for i, t in enumerate("\n".join(pieces).split("\n"), 1)]
    errors: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = errors.append  # type: ignore[method-assign,assignment]
    logger = logging.getLogger("generator.importer")
    logger.addHandler(handler)
    try:
        drafts = import_lines(lines, "随机.txt")
    finally:
        logger.removeHandler(handler)
    assert not [r for r in errors if r.levelno >= logging.ERROR], "the importer fell back after an internal error"
    assert drafts
    numbers = {ln.no for ln in lines}
    for draft in [*drafts, *(c for d in drafts for c in d.companions)]:
        data = YAML(typ="safe").load(to_yaml(draft))
        assert isinstance(data, dict)
        for chunk in draft.unplaced:
            assert chunk.first in numbers and chunk.last in numbers


IMPORT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


def test_scanned_pdf_needs_ocr(tmp_path: Path) -> None:
    code, out = run(IMPORT_FIXTURES / "p03_scanned.pdf", tmp_path / "out")
    assert code == 1
    assert "没有文字层" in out and "OCR" in out
    assert not (tmp_path / "out").exists()


def test_folder_with_one_unreadable_file_imports_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "原文"
    folder.mkdir()
    for name in ("t01_omitted_cells.txt", "x01_targets_merged.xlsx"):
        (folder / name).write_bytes((IMPORT_FIXTURES / name).read_bytes())
    (folder / "坏.docx").write_bytes(b"this is not a zip file")
    (folder / "说明.png").write_bytes(b"\x89PNG")  # not a document: left alone
    code, out = run(folder, tmp_path / "out")
    assert code == 1
    assert f"导入失败：{folder / '坏.docx'}：无法打开 .docx" in out
    assert out.count("已归位") == 2
    assert out.endswith("共导入 2 个文件，1 个失败。\n")
    assert len(list((tmp_path / "out").glob("*.yml"))) == 2
