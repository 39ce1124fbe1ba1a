"""The 项目资金 block of a 项目支出绩效自评表: its header row → columns, its rows → figures.

The header is the row naming at least three of 年初预算数, 全年预算数, 全年执行数, 分值,
执行率, 得分 (`vocabulary.FUND_COLUMNS`; `（万元）`, `(A)`, `(B/A)` after a word are allowed),
in any order. A row is the one whose label (in its first cells) is 年度资金总额, 其中：本年
(当年)财政拨款, 上年结转资金 or 其他资金. A row as wide as the header is read cell by cell;
a narrower one (a text table without its empty cells) by what its cells are: a percentage
is 执行率, the other figures fill the columns in header order, amounts first. A dash
(`—`, `/`) is an empty cell. Bare amounts take their unit from the block's label
(`项目资金（万元）`), the column's header, a `金额单位：万元` line, or, failing all, 万元 (the
form's unit), marked 待核对.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.corpus import fields as F
from generator.corpus.money import normalize
from generator.importer.draft import Node, Path_
from generator.importer.evaluation_rows import is_blank, role
from generator.importer.text import find_money
from generator.importer.vocabulary import EVAL_BLOCKS, FUND_COLUMNS, FUND_ROWS, form_word, term_key

MONEY_COLUMNS = ("年初预算数", "全年预算数", "全年执行数")
COLUMNS = (*MONEY_COLUMNS, "分值", "执行率", "得分")  # the order of fields.PROJECT_EVALUATION
NUMBER = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?$")
PERCENT = re.compile(r"^[-+]?\d+(?:\.\d+)?%$")
UNIT_IN = re.compile(r"[（(]\s*(万元|元|亿元)\s*[)）]")
DEFAULT_UNIT = "万元"


def fund_columns(cells: Sequence[str]) -> dict[int, str] | None:
    """{cell index: column} when `cells` is the 项目资金 header row."""
    columns = {i: key for i, c in enumerate(cells) if c.strip() and (key := term_key(c, FUND_COLUMNS))}
    if len(columns) < 3 or not set(columns.values()) & set(MONEY_COLUMNS):
        return None
    if any(role(c) in ("name", "target", "actual") for c in cells):
        return None
    return columns


def fund_label(cells: Sequence[str]) -> tuple[int, str] | None:
    """(index, row key) of the row label among the first cells: 年度资金总额, 其中：当年财政拨款 …"""
    for i, cell in enumerate(cells[:3]):
        if (key := term_key(cell, FUND_ROWS)) is not None:
            written = form_word(cell)
            return i, "当年财政拨款" if key == "本年财政拨款" and written == "当年财政拨款" else key
        if cell.strip() and not is_blank(cell) and form_word(cell) not in ("", *EVAL_BLOCKS):  # `其中：` alone
            return None
    return None


def _kind(cell: str) -> str:
    s = normalize(cell).replace(" ", "")
    if is_blank(s):
        return "blank"
    if PERCENT.match(s.replace("％", "%")):
        return "percent"
    if NUMBER.match(s) or find_money(s):
        return "number"
    return "text"


@dataclass
class Funds:
    node: dict[str, Node] = field(default_factory=dict)
    doubts: dict[Path_, str] = field(default_factory=dict)
    width: int = 0  # the header row's width
    columns: dict[int, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # column → unit from its header
    unit: tuple[str, str] | None = None  # (unit, where from) for the whole block
    defaulted: bool = False


class FundReader:
    """The 项目资金 rows of one form, read against its header row."""

    def __init__(self, header: Sequence[str], columns: dict[int, str], unit: tuple[str, str] | None) -> None:
        self.out = Funds(width=len(header), columns=columns, unit=unit)
        for i, key in columns.items():
            if m := UNIT_IN.search(header[i]):
                self.out.units[key] = m.group(1)
        for cell in header:
            if (m := UNIT_IN.search(cell)) and not term_key(cell, FUND_COLUMNS):
                self.out.unit = (m.group(1), f"表头“{cell.strip()}”")

    def row(self, no: int, cells: Sequence[str], label: tuple[int, str]) -> list[str]:
        """Read one row; returns the cells it could not place."""
        at, key = label
        values = self._values(cells, at)
        rejected = values.pop("?", "").split("\t") if "?" in values else []
        row: dict[str, Node] = {}
        for column in COLUMNS:
            if column in values:
                row[column] = self._value(key, column, values[column])
        existing = self.out.node.get(key)
        if not row and key != F.FUND_TOTAL:
            return rejected  # a row of dashes: nothing to keep
        if isinstance(existing, dict):
            return [*rejected, *(str(v) for v in row.values())]
        self.out.node[key] = row
        for column in ("全年预算数", "全年执行数") if key == F.FUND_TOTAL else ():
            if column not in row:
                row[column] = ""
                self.out.doubts[(key, column)] = f"原表第{no}行没有{column}，请从原文补上"
        return [c for c in rejected if c]

    def _values(self, cells: Sequence[str], at: int) -> dict[str, str]:
        columns = self.out.columns
        if len(cells) == self.out.width and at < min(columns):
            return {key: cells[i].strip() for i, key in columns.items() if i < len(cells) and not is_blank(cells[i])}
        rest = [c.strip() for c in cells[at + 1 :]]
        while rest and not rest[-1]:
            rest.pop()
        order = [columns[i] for i in sorted(columns)]
        if len(rest) == len(order):
            return {key: cell for key, cell in zip(order, rest, strict=True) if not is_blank(cell)}
        present = [c for c in rest if c]
        out: dict[str, str] = {}
        spare: list[str] = []
        figures = [c for c in present if _kind(c) != "percent"]
        slots = [k for k in order if k in MONEY_COLUMNS] + [
            k for k in order if k not in MONEY_COLUMNS and k != "执行率"
        ]
        if len(figures) == len(order) - ("执行率" in order):
            slots = [k for k in order if k != "执行率"]  # every figure given: in the header's order
        for cell in present:
            if _kind(cell) == "percent" and "执行率" in order and "执行率" not in out:
                out["执行率"] = cell
            elif _kind(cell) == "percent" or not slots:
                spare.append(cell)
            else:
                slot = slots.pop(0)
                if not is_blank(cell):
                    out[slot] = cell
        if spare:
            out["?"] = "\t".join(spare)
        return out

    def _value(self, key: str, column: str, cell: str) -> str:
        text = re.sub(r"\s+", "", cell)
        if column not in MONEY_COLUMNS or find_money(normalize(text)) or not NUMBER.match(normalize(text)):
            return text
        unit = self.out.units.get(column) or (self.out.unit[0] if self.out.unit else None)
        if unit is None:
            self.out.defaulted = True
            unit = DEFAULT_UNIT
        return f"{text}{unit}"

    def result(self) -> Funds:
        if self.out.defaulted:
            self.out.doubts[()] = f"原表没有写金额单位，按自评表的通常写法加了“{DEFAULT_UNIT}”，请核对"
        return self.out


__all__ = ["FundReader", "Funds", "fund_columns", "fund_label"]
