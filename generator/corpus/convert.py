"""Stage 2a: located nodes → Python values, field by field, as `fields.py` declares.

A `Reader` walks one file's node tree with a spec, converts each value (money,
dates, long texts, indicators …) and records every problem with its file, line,
column and key path. It never stops at the first problem: authors fix all of them
in one round trip.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from generator.corpus import fields as F
from generator.corpus.errors import ContentError, Problem
from generator.corpus.load import Map, Node, Scalar, Seq
from generator.corpus.model import (
    Date,
    Indicator,
    Kind,
    Money,
    Rate,
    ReportSection,
    ResultRow,
    Score,
    Source,
    TextItem,
)
from generator.corpus.money import normalize, parse_indicator, parse_money
from generator.corpus.privacy import find_invisible, find_personal_data, strip_invisible

_TYPE_NAMES = {Map: "一组键值", Seq: "列表", Scalar: "文字"}


class Reader:
    """Converts the nodes of one file, collecting problems instead of raising."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    # -- reporting -------------------------------------------------------------------------

    def src(self, node: Node | None, line: int = 0, col: int = 0) -> Source:
        if node is not None:
            return Source(self.rel, node.line, node.col)
        return Source(self.rel, line, col)

    def error(self, node: Node | None, path: str, message: str) -> None:
        self.problems.append(Problem(self.src(node), path, message))

    def error_at(self, line: int, col: int, path: str, message: str) -> None:
        self.problems.append(Problem(Source(self.rel, line, col), path, message))

    # -- structure ---------------------------------------------------------------------------

    def read_map(self, node: Node | None, spec: tuple[F.Field, ...], path: str) -> dict[str, Any]:
        """Read a mapping by its spec: unknown keys, missing required keys, each value converted."""
        if not isinstance(node, Map):
            self._wrong_type(node, path, "一组键值（键: 值）")
            return {}
        known = {f.key: f for f in spec} | {a: f for f in spec for a in f.aliases}
        out: dict[str, Any] = {}
        written: dict[str, str] = {}  # field key → the spelling used in this file
        for key in node.items:
            field = known.get(key)
            line, col = node.keys[key]
            if field is None:
                self.error_at(line, col, _join(path, key), _unknown_key(key, list(known)))
                continue
            if field.key in written:
                message = f"“{key}”和“{written[field.key]}”是同一项的两种写法，只写一个"
                self.error_at(line, col, _join(path, key), message)
                continue
            written[field.key] = key
            value = self.read_value(node.items[key], field, _join(path, key))
            if value is not None:
                out[field.key] = value
        for field in spec:
            if field.required and field.key not in written:
                self.error(node, _join(path, field.key), f"缺少必填项“{field.key}”（{field.help}）")
        return out

    def read_value(self, node: Node, field: F.Field, path: str) -> Any:
        if isinstance(node, Scalar) and node.text is None and field.type not in (F.LONGTEXT, F.TEXT):
            if field.required:
                self.error(node, path, f"“{field.key}”不能为空（{field.help}）")
            return None
        kind = field.type
        if kind == F.MAP:
            return self.read_map(node, field.children, path)
        if kind == F.LIST:
            return self._read_list(node, field.children[0], path)
        if kind == F.TEXTS:
            return self._read_texts(node, path)
        if kind == F.LONGTEXT:
            return self._read_longtext(node, field, path)
        if kind == F.INDICATORS:
            return self.read_indicators(node, path)
        if kind == F.RESULTS:
            return self.read_results(node, path)
        if kind == F.SECTIONS:
            return self._read_sections(node, path)
        scalar = self.scalar(node, path)
        if scalar is None:
            return None
        if kind == F.TEXT:
            if not scalar and field.required:
                self.error(node, path, f"“{field.key}”不能为空（{field.help}）")
            return scalar
        return self._convert_scalar(node, scalar, kind, path)

    def _convert_scalar(self, node: Node, text: str, kind: str, path: str) -> Any:
        try:
            if kind == F.MONEY:
                return Money(parse_money(text), text, self.src(node))
            if kind in (F.DATE, F.MONTH):
                return parse_date(text, allow_month=kind == F.MONTH)
            if kind == F.YEAR:
                return parse_year(text)
            if kind == F.YESNO:
                return parse_yesno(text)
            if kind == F.KIND:
                return parse_kind(text)
            if kind == F.VERSION:
                return parse_version(text)
            if kind == F.SCORE:
                return Score(parse_score(text), text, self.src(node))
            if kind == F.PERCENT:
                percent, places = parse_percent(text)
                return Rate(percent, places, text, self.src(node))
            if kind == F.GRADE:
                return parse_grade(text)
        except ContentError as exc:
            self.error(node, path, exc.message)
            return None
        raise AssertionError(f"unknown field type {kind}")  # pragma: no cover

    def scalar(self, node: Node, path: str) -> str | None:
        """The text of a scalar node ('' for empty), or None after reporting a wrong type."""
        if not isinstance(node, Scalar):
            self._wrong_type(node, path, "文字")
            return None
        text = _clean(node.text or "")
        if (invisible := find_invisible(text)) is not None:
            self.warnings.append(Problem(self.src(node), path, invisible, warning=True))
            text = strip_invisible(text)
        for message in find_personal_data(text):
            self.warnings.append(Problem(self.src(node), path, message, warning=True))
        return text

    def _wrong_type(self, node: Node | None, path: str, expected: str) -> None:
        if node is None:
            self.error(None, path, f"这里应为{expected}")
            return
        got = _TYPE_NAMES[type(node)]
        if isinstance(node, Scalar) and node.text is None:
            got = "空值"
        self.error(node, path, f"这里应为{expected}，实际写的是{got}")

    def _read_list(self, node: Node, item: F.Field, path: str) -> list[dict[str, Any]]:
        if not isinstance(node, Seq):
            self._wrong_type(node, path, "列表（每项以“- ”开头）")
            return []
        return [self.read_map(child, item.children, f"{path}[{i}]") for i, child in enumerate(node.items, 1)]

    def _read_texts(self, node: Node, path: str) -> tuple[str, ...]:
        if not isinstance(node, Seq):
            self._wrong_type(node, path, "列表（如 [云南省, 昆明市] 或每项以“- ”开头）")
            return ()
        items = (self.scalar(child, f"{path}[{i}]") for i, child in enumerate(node.items, 1))
        return tuple(t for t in items if t)

    def _read_longtext(self, node: Node, field: F.Field, path: str) -> tuple[TextItem, ...]:
        if isinstance(node, Scalar):
            text = self.scalar(node, path) or ""
            return (TextItem(None, text),) if text else ()
        if not isinstance(node, Seq):
            self._wrong_type(node, path, "文字，或由“标题/内容”组成的列表")
            return ()
        spec = (F.Field("标题", F.TEXT, "小标题"), F.Field("内容", F.TEXT, "正文", required=True))
        items = []
        for i, child in enumerate(node.items, 1):
            if isinstance(child, Scalar):  # a plain list of paragraphs is fine too
                para = self.scalar(child, f"{path}[{i}]")
                if para:
                    items.append(TextItem(None, para))
                continue
            got = self.read_map(child, spec, f"{path}[{i}]")
            items.append(TextItem(got.get("标题") or None, got.get("内容") or ""))
        return tuple(items)

    def _read_sections(self, node: Node, path: str, depth: int = 1) -> tuple[ReportSection, ...]:
        if not isinstance(node, Seq):
            self._wrong_type(node, path, "由“标题/内容/小节”组成的列表")
            return ()
        out: list[ReportSection] = []
        spec = tuple(f for f in F.SECTION.children if f.key != "小节")
        for i, child in enumerate(node.items, 1):
            here = f"{path}[{i}]"
            children: tuple[ReportSection, ...] = ()
            if isinstance(child, Map) and "小节" in child.items:
                if depth >= 4:
                    self.error(child.items["小节"], f"{here}.小节", "小节最多四级")
                else:
                    children = self._read_sections(child.items["小节"], f"{here}.小节", depth + 1)
                child = without(child, "小节")
            got = self.read_map(child, spec, here)
            if "标题" in got:
                out.append(ReportSection(got["标题"], got.get("内容") or None, children))
        return tuple(out)

    # -- indicators --------------------------------------------------------------------------

    def read_indicators(self, node: Node, path: str) -> tuple[Indicator, ...]:
        """一级 → 二级 → rows, vocabulary checked, aliases mapped, every row located."""
        return tuple(self._indicator_tree(node, path, self._indicator_rows, weighted=False))

    def read_results(self, node: Node, path: str) -> tuple[ResultRow, ...]:
        """The indicator tree of a 自评表: like `read_indicators`, 一级 headings may carry a weight."""
        return tuple(self._indicator_tree(node, path, self._result_rows, weighted=True))

    def _indicator_tree(self, node: Node, path: str, read_rows: _RowReader[_R], weighted: bool) -> list[_R]:
        if not isinstance(node, Map):
            self._wrong_type(node, path, "一级指标 → 二级指标 → 指标列表")
            return []
        rows: list[_R] = []
        for label1 in node.items:
            line, col = node.keys[label1]
            p1 = _join(path, label1)
            bare, weight = split_weight(label1) if weighted else (label1, None)
            level1 = _canonical(bare, F.LEVEL1, F.LEVEL1_ALIASES)
            if level1 is None:
                self.error_at(line, col, p1, _vocab_message("一级指标", bare, list(F.LEVEL1)))
                continue
            sub = node.items[label1]
            if not isinstance(sub, Map):
                self._wrong_type(sub, p1, "二级指标 → 指标列表")
                continue
            allowed2 = {k: k for k in F.LEVEL1[level1]}
            aliases2 = {a: c for a, c in F.LEVEL2_ALIASES.items() if c in allowed2}
            for label2 in sub.items:
                l2, c2 = sub.keys[label2]
                level2 = _canonical(label2, allowed2, aliases2)
                p2 = _join(p1, label2)
                if level2 is None:
                    self.error_at(l2, c2, p2, _vocab_message(f"“{level1}”下的二级指标", label2, list(allowed2)))
                    continue
                labels = _Labels(level1, level2, label1, label2, weight)
                rows.extend(read_rows(sub.items[label2], p2, labels))
        if not rows:
            self.error(node, path, "绩效指标里至少要有一条三级指标")
        return rows

    def _indicator_rows(self, node: Node, path: str, labels: _Labels) -> list[Indicator]:
        out: list[Indicator] = []
        for i, row in enumerate(self._read_list(node, F.INDICATOR_ROW, path)):
            if "名称" not in row or "指标值" not in row:
                continue
            out.append(
                Indicator(
                    level1=labels.level1,
                    level2=labels.level2,
                    name=row["名称"],
                    value=parse_indicator(row["指标值"]),
                    src=self._row_src(node, i, "指标值"),
                    measure_unit=row.get("计量单位") or None,
                    explanation=row.get("指标值说明") or None,
                    basis=row.get("依据") or None,
                    weight=row.get("权重") or None,
                    label1=labels.own1(),
                    label2=labels.own2(),
                )
            )
        return out

    def _result_rows(self, node: Node, path: str, labels: _Labels) -> list[ResultRow]:
        out: list[ResultRow] = []
        for i, row in enumerate(self._read_list(node, F.RESULT_ROW, path)):
            if "名称" not in row or "年度指标值" not in row or "实际完成值" not in row:
                continue
            out.append(
                ResultRow(
                    level1=labels.level1,
                    level2=labels.level2,
                    name=row["名称"],
                    target=parse_indicator(row["年度指标值"]),
                    actual=parse_indicator(row["实际完成值"]),
                    src=self._row_src(node, i, "实际完成值"),
                    measure_unit=row.get("计量单位") or None,
                    points=row.get("分值"),
                    score=row.get("得分"),
                    deviation=row.get("偏差原因分析及改进措施") or None,
                    label1=labels.own1(),
                    label2=labels.own2(),
                    weight1=labels.weight,
                )
            )
        return out

    def _row_src(self, node: Node, index: int, key: str) -> Source:
        if isinstance(node, Seq) and index < len(node.items):
            item = node.items[index]
            if isinstance(item, Map) and key in item.items:
                return self.src(item.items[key])
            return self.src(item)
        return self.src(node)


class _Labels:
    """The levels of a row: canonical names, the author's own labels, the 一级 weight."""

    def __init__(self, level1: str, level2: str, label1: str, label2: str, weight: Decimal | None) -> None:
        self.level1, self.level2, self.label1, self.label2, self.weight = level1, level2, label1, label2, weight

    def own1(self) -> str | None:
        return self.label1 if self.label1 != self.level1 else None

    def own2(self) -> str | None:
        return self.label2 if self.label2 != self.level2 else None


_R = TypeVar("_R")
_RowReader = Callable[[Node, str, _Labels], list[_R]]


# -- value parsers (raise ContentError) ---------------------------------------------------------

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月?)$")


def parse_date(text: str, allow_month: bool = False) -> Date:
    m = _DATE.match(normalize(text))
    if m is None or (m[3] is None and not allow_month):
        form = "“2022-01-01”或“2022年1月1日”" + ("，也可只写到月“2023-06”" if allow_month else "")
        raise ContentError(f"无法识别的日期“{text}”，请写成{form}")
    year, month = int(m[1]), int(m[2])
    day = int(m[3]) if m[3] else None
    try:
        datetime.date(year, month, day or 1)
    except ValueError as exc:
        raise ContentError(f"日期“{text}”不存在") from exc
    return Date(year, month, day, text)


def parse_year(text: str) -> int:
    t = normalize(text).removesuffix("年度").removesuffix("年")
    if not t.isdigit() or not 2000 <= int(t) <= 2100:
        raise ContentError(f"年度“{text}”不对，请写四位年份，如 2022")
    return int(t)


def parse_version(text: str) -> int:
    t = normalize(text)
    if not t.isdigit() or int(t) < 1:
        raise ContentError(f"格式版本“{text}”不对，请写正整数，如 1")
    return int(t)


def parse_yesno(text: str) -> bool:
    if text in ("是", "否"):
        return text == "是"
    raise ContentError(f"这里只能写“是”或“否”，实际写的是“{text}”")


def parse_kind(text: str) -> Kind:
    for kind in Kind:
        if text == kind.value or text == kind.official_name:
            return kind
    names = "、".join(k.value for k in Kind)
    raise ContentError(f"不认识的类型“{text}”，只能是：{names}")


_SCORE = re.compile(r"^(\d+(?:\.\d+)?)\s*分?$")
_PERCENT = re.compile(r"^(\d+(?:\.(\d+))?)\s*%$")
_WEIGHT = re.compile(r"^(?P<name>.*?)\s*[(（]\s*(?P<w>\d+(?:\.\d+)?)\s*分?\s*[)）]$")


def parse_score(text: str) -> Decimal:
    """`10`, `9.5`, `9.5分` → Decimal (exact as printed)."""
    m = _SCORE.match(normalize(text).replace(" ", ""))
    if m is None:
        raise ContentError(f"无法识别的分数“{text}”，请写成数字，如 10 或 9.5")
    return Decimal(m[1])


def parse_percent(text: str) -> tuple[Decimal, int]:
    """`95.00%` → (95.00, 2): the percentage and the decimal places it was printed with."""
    m = _PERCENT.match(normalize(text).replace(" ", ""))
    if m is None:
        raise ContentError(f"无法识别的百分比“{text}”，请写成如 95.00% 的形式（带百分号）")
    return Decimal(m[1]), len(m[2] or "")


def parse_grade(text: str) -> str:
    grades = [g for g, _ in F.GRADES]
    if text in grades:
        return text
    raise ContentError(f"自评等级只能是：{'、'.join(grades)}，实际写的是“{text}”")


def split_weight(label: str) -> tuple[str, Decimal | None]:
    """`产出指标(50分)` / `产出指标（50）` → (`产出指标`, 50); a label without a weight → (label, None)."""
    m = _WEIGHT.match(normalize(label))
    if m is None:
        return label, None
    return m["name"], Decimal(normalize(m["w"]))


# -- helpers ------------------------------------------------------------------------------------


def only(node: Map, keys: set[str], keep: bool = True) -> Map:
    """The same mapping with only (or all but) `keys`, positions kept."""
    return Map({k: v for k, v in node.items.items() if (k in keys) == keep}, node.keys, node.line, node.col)


def without(node: Map, key: str) -> Map:
    return only(node, {key}, keep=False)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_TRAILING_SPACE = re.compile(r"[ \t\u3000]+\n")


def _clean(text: str) -> str:
    """Trim the value and trailing spaces of its lines (invisible, and they break diffs)."""
    text = text.strip()
    return _TRAILING_SPACE.sub("\n", text) if "\n" in text else text


def _unknown_key(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
    if close:
        return f"不认识的键“{key}”，是不是“{close[0]}”？"
    return f"不认识的键“{key}”；这里可以写：{'、'.join(allowed)}"


def _canonical(label: str, allowed: dict[str, Any], aliases: dict[str, str]) -> str | None:
    label = label.strip()
    if label in allowed:
        return label
    return aliases.get(label)


def _vocab_message(what: str, label: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(label, allowed, n=1, cutoff=0.4)
    hint = f"，是不是“{close[0]}”？" if close else ""
    return f"{what}“{label}”不在规定的指标体系中{hint}（可选：{'、'.join(allowed)}）"
