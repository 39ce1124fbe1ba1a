"""An .xlsx workbook (budget systems export 绩效目标表 this way): every sheet in order,
each row one line of tab-separated cells. A merged range's value stands in its first
cell and the cells it covers are empty; dates become `2022-01-01`; a sheet that is not
the first starts with its name on a line of its own. A formula without a saved result
is kept as its text (`=5个` typed into a cell is stored as a formula). A number formatted as a
percentage (执行率 `0.93` shown as `93.00%`) is read as shown."""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from generator.importer.read.normalize import cell_text


def lines(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), data_only=True)
    formulas = load_workbook(io.BytesIO(data), data_only=False)  # a text such as `=5个` was saved as a formula
    out: list[str] = []
    for n, (sheet, raw) in enumerate(zip(workbook.worksheets, formulas.worksheets, strict=True)):
        rows = [
            _row(tuple(_percent(c) if c.value is not None else f for c, f in zip(cells, texts, strict=False)))
            for cells, texts in zip(sheet.iter_rows(), raw.iter_rows(values_only=True), strict=False)
        ]
        rows = [r for r in rows if r.strip("\t ")]
        if not rows:
            continue
        if n:
            out.extend(["", sheet.title, ""])
        width = max(len(r.rstrip("\t").split("\t")) for r in rows)
        out.extend("\t".join((r.split("\t") + [""] * width)[:width]) for r in rows)
    return out


def _percent(cell: Any) -> object:
    """A number shown as a percentage (`0.93` formatted `0.00%`) as the sheet shows it: `93.00%`."""
    value, shape = cell.value, getattr(cell, "number_format", "") or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and shape.endswith("%") and value == value:
        places = len(shape.split(".")[1].rstrip("%")) if "." in shape else 0
        percent = (Decimal(repr(value)) * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return f"{percent}%"
    return value


def _row(values: tuple[object, ...]) -> str:
    return "\t".join(_cell(v).replace("\t", " ") for v in values)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else ""
    return cell_text(str(value))
