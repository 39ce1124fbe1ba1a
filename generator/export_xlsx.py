"""XLSX export: the three tables and the data dictionary as one workbook, byte-for-byte reproducible.

Money is written as a number with a two-decimal format, so spreadsheet sums work;
an amount is written as a number only when it has at most 15 significant digits
(what a spreadsheet keeps exactly), otherwise as text. Reading a cell back gives
the same figure as the JSON.

openpyxl's `save_workbook` stamps the current time into the document properties
and into every zip entry; here the workbook is written through openpyxl's
`ExcelWriter` into a zip whose entries all carry one fixed time, and the
properties carry the same fixed time (from SOURCE_DATE_EPOCH or the content).
"""

from __future__ import annotations

import io
import logging
import os
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from .export_tables import DECIMAL, INT, MONEY, TABLES, Column, Row, Table, dictionary_rows
from .feeds import entry_date
from .model import Corpus

log = logging.getLogger(__name__)

MONEY_FORMAT = "#,##0.00"
MAX_EXACT_DIGITS = 15
_HEADER = Font(bold=True)


class _FixedTimeZip(zipfile.ZipFile):
    """A ZipFile whose entries all get the same timestamp and permissions."""

    def __init__(self, file: io.BytesIO, when: datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED)
        self._when = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)

    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        """Files (write-only worksheets are spooled to temporary files) go in with the fixed time too."""
        with open(filename, "rb") as f:
            self.writestr(str(arcname or filename), f.read())


def content_time(corpus: Corpus) -> datetime:
    """The time stamped into XLSX files: SOURCE_DATE_EPOCH, else the newest date in the content."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    newest = max((entry_date(d) for d in corpus.disclosures), default=None)
    return datetime(newest.year, newest.month, newest.day) if newest else datetime(2000, 1, 1)


def xlsx_number(value: Decimal) -> Decimal | str:
    """A Decimal a spreadsheet can hold exactly, else its exact text."""
    digits = len(value.normalize().as_tuple().digits)
    return value if digits <= MAX_EXACT_DIGITS else format(value, "f")


def _text(value: str) -> str:
    if ILLEGAL_CHARACTERS_RE.search(value):
        log.warning("XLSX 不能保存控制字符，已删去：%r", value[:40])
        return str(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def _cell(ws: Any, column: Column, value: object) -> WriteOnlyCell:
    if value is None:
        return WriteOnlyCell(ws, None)
    if column.kind in (MONEY, DECIMAL):
        number = xlsx_number(Decimal(str(value)))
        cell = WriteOnlyCell(ws, number)
        if column.kind == MONEY and not isinstance(number, str):
            cell.number_format = MONEY_FORMAT
        return cell
    if column.kind == INT:
        return WriteOnlyCell(ws, int(str(value)))
    return WriteOnlyCell(ws, _text(str(value)))


def _sheet(wb: Workbook, title: str, header: Sequence[str]) -> Any:
    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    cells = []
    for name in header:
        cell = WriteOnlyCell(ws, name)
        cell.font = _HEADER
        cells.append(cell)
    ws.append(cells)
    return ws


def to_xlsx(tables: Sequence[tuple[Table, Sequence[Row]]], when: datetime, title: str) -> bytes:
    """A workbook with one sheet per table plus 数据字典; identical input gives identical bytes."""
    wb = Workbook(write_only=True)
    for table, rows in tables:
        ws = _sheet(wb, table.title, table.names)
        for row in rows:
            ws.append([_cell(ws, c, row[c.name]) for c in table.columns])
    ws = _sheet(wb, "数据字典", ["表", "字段", "类型", "说明"])
    for entry in dictionary_rows():
        ws.append(entry)
    stamp = when.replace(tzinfo=None, microsecond=0)
    wb.properties.creator = "gongkai"
    wb.properties.title = title
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buf = io.BytesIO()
    with _FixedTimeZip(buf, stamp) as archive:
        ExcelWriter(wb, archive).write_data()
    return buf.getvalue()


def workbook(rows_by_table: Mapping[str, Sequence[Row]], when: datetime, title: str) -> bytes:
    """`to_xlsx` over the standard tables, given their rows keyed by table name."""
    return to_xlsx([(t, rows_by_table[t.name]) for t in TABLES], when, title)
