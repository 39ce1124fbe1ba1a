"""XLSX downloads: read back with openpyxl they equal the JSON, and two builds are byte-identical."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import datetime
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from generator.corpus.model import Corpus
from generator.data import export as E
from generator.data import tables as T
from generator.data.xlsx import MONEY_FORMAT, content_time, parse_epoch, workbook, xlsx_number


def _xlsx(corpus: Corpus) -> bytes:
    rows = {t.name: T.table_rows(t, corpus.disclosures) for t in T.TABLES}
    return workbook(rows, datetime(2023, 6, 1), corpus.site.name)


def _cell_equals_json(column: T.Column, cell: Any, expected: Any) -> None:
    value = cell.value
    if expected is None:
        assert value is None, (column.name, value)
    elif column.kind == T.MONEY:
        assert isinstance(value, int | float), (column.name, value)
        # repr() of the double read back is the shortest decimal that round-trips: the exact figure.
        assert Decimal(repr(value)) == Decimal(expected), (column.name, value, expected)
        assert cell.number_format == MONEY_FORMAT
    elif column.kind == T.DECIMAL:
        assert Decimal(repr(value)) == Decimal(expected), (column.name, value, expected)
    else:
        assert value == expected, (column.name, value, expected)


def test_xlsx_read_back_equals_json(corpus: Corpus) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_xlsx(corpus)))
    assert book.sheetnames == ["公开文本", "资金明细", "绩效指标", "完成情况", "数据字典"]
    records = json.loads(E.to_json(E.dataset(corpus)))["公开文本"]
    expected = {
        "公开文本": records,
        "资金明细": [
            {**{k: r[k] for k in T.SHARED if k in T.LINES.names}, **i} for r in records for i in r["资金明细"]
        ],
        "绩效指标": [
            {**{k: r[k] for k in T.SHARED if k in T.INDICATORS.names}, **i} for r in records for i in r["绩效指标"]
        ],
        "完成情况": [
            {**{k: r[k] for k in T.SHARED if k in T.RESULTS.names}, **i} for r in records for i in r["完成情况"]
        ],
    }
    checked = 0
    for table in T.TABLES:
        sheet = book[table.title]
        rows = list(sheet.iter_rows())
        assert [c.value for c in rows[0]] == list(table.names)
        assert len(rows) - 1 == len(expected[table.title])
        for cells, rec in zip(rows[1:], expected[table.title], strict=True):
            for column, cell in zip(table.columns, cells, strict=True):
                _cell_equals_json(column, cell, rec[column.name])
                checked += 1
    assert checked > 500
    dictionary = list(book["数据字典"].iter_rows(values_only=True))
    assert dictionary[0] == ("表", "字段", "类型", "说明")
    assert len(dictionary) - 1 == sum(len(t.columns) for t in T.TABLES)


def test_headline_cells_hold_the_seed_figures(corpus: Corpus) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(_xlsx(corpus)))["公开文本"]
    header = [c.value for c in sheet[1]]
    amounts = {
        (r[header.index("单位")], r[header.index("年度")]): r for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    report = amounts[("盘龙区信访局", 2022)]
    assert Decimal(repr(report[header.index("金额（元）")])) == Decimal("2846343.88")
    assert Decimal(repr(report[header.index("收入合计（元）")])) == Decimal("2851958.99")


def test_two_builds_are_byte_identical_even_at_different_times(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _xlsx(corpus)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86400 * 400)  # zip entries would get this time
    second = _xlsx(corpus)
    assert first == second
    # Every zip entry, including the worksheets openpyxl spools to temporary files, has the fixed time.
    entries = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert len(entries) > 8
    assert {e.date_time for e in entries} == {(2023, 6, 1, 0, 0, 0)}


def test_timestamp_comes_from_source_date_epoch_or_content(corpus: Corpus) -> None:
    # No 发布日期 in the seeds: the newest date is the self-evaluation's 报告日期 2023-06.
    assert content_time(corpus) == content_time(corpus, parse_epoch(None)) == datetime(2023, 6, 1)
    assert parse_epoch("") is None and parse_epoch("soon") is None
    when = content_time(corpus, parse_epoch("1700000000"))
    assert when == datetime(2023, 11, 14, 22, 13, 20)
    rows = {t.name: T.table_rows(t, corpus.disclosures) for t in T.TABLES}
    props = openpyxl.load_workbook(io.BytesIO(workbook(rows, when, "x"))).properties
    assert props.created == props.modified == when


def test_numbers_a_spreadsheet_cannot_hold_exactly_are_written_as_text() -> None:
    assert xlsx_number(Decimal("535000.00")) == Decimal("535000.00")
    assert xlsx_number(Decimal("9999999999999.99")) == Decimal("9999999999999.99")  # 15 digits
    assert xlsx_number(Decimal("99999999999999.99")) == "99999999999999.99"  # 16 digits
