"""The columns of the open-data tables: value kinds, `Column`, `Table`, and the columns several tables share.

Declared apart from the tables themselves (`tables.py`, `results.py`) so that each table's module
can use them without importing the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

# Column value kinds: how each is typed in JSON, CSV, XLSX and Table Schema.
TEXT = "text"  # free text written by authors (masked when 隐私脱敏 is on)
ID = "id"  # identifiers, names and codes (never masked)
INT = "integer"
MONEY = "money"  # exact 元, two decimals
DECIMAL = "decimal"  # a parsed number of any precision
DATE = "date"  # ISO date, or year-month when the author gave only the month

Value = str | int | Decimal | None
Row = dict[str, Value]


@dataclass(frozen=True)
class Column:
    name: str  # the Chinese header: CSV/XLSX header and JSON key
    kind: str
    description: str  # the data dictionary entry


@dataclass(frozen=True)
class Table:
    name: str  # ASCII resource name, used in file names
    title: str
    description: str
    columns: tuple[Column, ...]

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def col(name: str, kind: str, description: str) -> Column:
    return Column(name, kind, description)


YEAR = col("年度", INT, "预算年度")
KIND = col("类型", ID, "公开文本类型：项目文本、绩效目标表、整体绩效自评报告 或 项目支出绩效自评表")
UNIT = col("单位", TEXT, "预算单位名称（以单位档案中的名称为准）")  # TEXT: masked too
REGION = col("地区", ID, "单位所在地区，从省到县逐级用“/”连接，如 云南省/昆明市/盘龙区")
NAME = col("名称", TEXT, "项目名称；整体绩效自评报告为报告标题")
URL = col("网址", ID, "本网站上该公开文本页面的相对网址，可作为每份公开文本的唯一编号")
FILE = col("源文件", ID, "数据所在的 YAML 文件（相对 content/ 文件夹）")
LINE = col("源文件行号", INT, "该行数据在源文件中的行号，便于核对")
