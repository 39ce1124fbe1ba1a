"""CSV cells a spreadsheet would run as formulas are neutralised (OWASP "CSV injection").

The CSV files are meant for Excel/WPS (UTF-8 with a BOM). A text that begins with `=`, `+`,
`-`, `@`, a tab or a carriage return is a formula there (`=HYPERLINK(…)` becomes a link that
runs on a click). The CSV writer puts a `'` before such text; JSON and XLSX keep the exact text.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl
import pytest

from generator.corpus.model import Corpus
from generator.corpus.validate import check_tree
from generator.data import export as E
from generator.data import tables as T

HOSTILE = {
    "project": '=HYPERLINK("http://example.invalid/","点我")',
    "line1": "+1 会议费",
    "line2": "-差旅费",
    "line3": "@SUM(1+1)",
}
YAML = f"""类型: 项目文本
单位: 通海县信访局
年度: 2022
项目名称: '{HOSTILE["project"]}'
资金安排:
  合计: 3万元
  明细:
    - 名称: "{HOSTILE["line1"]}"
      金额: 0.5万元
    - 名称: "{HOSTILE["line2"]}"
      金额: 2万元
    - 名称: "{HOSTILE["line3"]}"
      金额: 0.5万元
"""
FORMULA = re.compile(r"^[=+\-@\t\r]")


@pytest.fixture
def corpus(base_content: Path) -> Corpus:
    (base_content / "2022" / "ok.yml").write_text(YAML, encoding="utf-8")
    result = check_tree(base_content)
    assert result.corpus is not None, [str(p) for p in result.errors]
    return result.corpus


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def spreadsheet_cells(data: bytes) -> list[list[tuple[str, str]]]:
    """Each cell as Excel reads a CSV cell: ('text', shown) after a leading `'`, ('number', …) for a
    number, ('formula', …) for anything else that starts with = + - @ tab or CR, else ('text', …)."""
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    rows = []
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")):
        cells = []
        for cell in row:
            if cell.startswith("'"):
                cells.append(("text", cell[1:]))
            elif _is_number(cell):
                cells.append(("number", cell))
            elif FORMULA.match(cell):
                cells.append(("formula", cell))
            else:
                cells.append(("text", cell))
        rows.append(cells)
    return rows


@pytest.mark.parametrize("table", T.TABLES, ids=lambda t: t.name)
def test_no_csv_cell_is_a_formula_and_the_text_shows_as_typed(corpus: Corpus, table: T.Table) -> None:
    rows = spreadsheet_cells(E.to_csv(table, T.table_rows(table, corpus.disclosures)))
    kinds = {kind for row in rows for kind, _ in row}
    assert "formula" not in kinds
    shown = {text for row in rows for kind, text in row if kind == "text"}
    # the indicators table has no row here (the project lists none): only its header is checked
    expected = {T.DISCLOSURES.name: {HOSTILE["project"]}, T.LINES.name: set(HOSTILE.values())}.get(table.name, set())
    assert expected <= shown  # the reader sees the original text, the guard hidden


def test_guard_is_one_quote_and_leaves_other_text_and_figures_alone() -> None:
    assert E.csv_cell("=1+1") == "'=1+1"
    assert E.csv_cell("\t=1") == "'\t=1"
    assert E.csv_cell("预算=100万元") == "预算=100万元"  # only the first character counts
    assert E.csv_cell("＝全角") == "＝全角"  # full-width signs start no formula
    assert E.csv_cell(None) is None and E.csv_cell(3) == 3


def test_json_and_xlsx_keep_the_exact_text(corpus: Corpus, tmp_path: Path) -> None:
    record = json.loads(E.export_bytes(corpus, "json"))["公开文本"][0]
    assert record["名称"] == HOSTILE["project"]
    assert {line["明细名称"] for line in record["资金明细"]} >= {HOSTILE["line1"], HOSTILE["line2"], HOSTILE["line3"]}
    path = tmp_path / "数据.xlsx"
    path.write_bytes(E.export_bytes(corpus, "xlsx"))
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value in HOSTILE.values()]
    assert {c.value for c in cells} == set(HOSTILE.values())
    assert all(c.data_type == "s" for c in cells)  # stored as text: no formula in the workbook


def test_data_dictionary_says_how_csv_guards_formulas() -> None:
    assert "单引号" in E.CSV_NOTE
    assert all(E.CSV_NOTE in str(table["说明"]) for table in E.dictionary().values())
