"""What one revision changed: the figures (old → new, rows added and removed) and the sections.

Both versions of a changed section are read with the check's own converters (convert.py,
by the declarations in fields.py), so `3万元` and `30000元` are the same figure and a
moved comment is no change. Figures are amounts (exact 元), indicator values, the other
typed values (年度, dates, 是/否) and short names; rows of 资金安排.明细, 支出构成 and the
indicator table are matched by their names, so a row added, removed or changed is named.
Any other difference (prose, lists of text) marks its section as changed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from generator.corpus import fields as F
from generator.corpus.model import Date, Indicator, Kind, Money
from generator.corpus.money import yuan_text
from generator.history.sections import Version

SHORT_TEXT = 40  # a one-line text field up to this long is shown old → new (names, codes)
_TYPED = (F.MONEY, F.DATE, F.MONTH, F.YEAR, F.YESNO, F.KIND)


@dataclass(frozen=True)
class FigureChange:
    """One figure: `资金安排.合计 30,000.00 元 → 35,000.00 元`; a row added has no `old`, a removed one no `new`."""

    path: str  # the author's keys: 资金安排.合计, 资金安排.明细, 绩效指标
    old: str | None
    new: str | None
    row: str | None = None  # the row's name, for rows of a table
    column: str | None = None  # the row's key that changed (金额, 指标值), for a changed row

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.path} {self.old} → {self.new}"
        if self.old is None:
            return f"{self.path} 新增“{self.row}”：{self.new}"
        if self.new is None:
            return f"{self.path} 删除“{self.row}”（原为 {self.old}）"
        return f"{self.path}“{self.row}”.{self.column} {self.old} → {self.new}"


@dataclass(frozen=True)
class Changes:
    figures: tuple[FigureChange, ...] = ()
    sections: tuple[str, ...] = ()  # top-level keys whose text changed, in file order


def spec_of(rel: str, kind: Kind | None) -> tuple[F.Field, ...]:
    """The declared keys of a file: a unit profile's, or a disclosure's of its 类型."""
    if rel.startswith("units/"):
        return F.UNIT.children
    return F.COMMON + (F.KINDS[kind.value] if kind is not None else ())


def compare(old: Version, new: Version, spec: Sequence[F.Field]) -> Changes:
    """The changes from `old` to `new`, section by section (unchanged sections cost a bytes compare)."""
    fields = {f.key: f for f in spec}
    present = set(new.keys())
    keys = new.keys() + [k for k in old.keys() if k not in present]  # noqa: SIM118 (Version, not a dict)
    figures: list[FigureChange] = []
    sections: list[str] = []
    for key in keys:
        if old.same(new, key):
            continue
        field = fields.get(key)
        before = _read(old, key, field)
        after = _read(new, key, field)
        if field is None:
            sections.append(key)  # an undeclared key (the check reports it): its text changed
            continue
        found = list(_diff(key, field, before, after))
        figures.extend(c for c in found if isinstance(c, FigureChange))
        if any(c is _TEXT for c in found):
            sections.append(key)
    return Changes(tuple(figures), tuple(sections))


def read(version: Version, field: F.Field) -> Any:
    """One section's value, converted as the check converts it (None when absent or invalid)."""
    return _read(version, field.key, field)


def _read(version: Version, key: str, field: F.Field | None) -> Any:
    return version.value(key, field)


_TEXT = object()  # a marker: some text of the section changed
Found = Iterator["FigureChange | object"]


def _diff(path: str, field: F.Field, old: Any, new: Any) -> Found:
    if field.type in _TYPED:
        if _shown(old) != _shown(new):
            yield FigureChange(path, _shown(old), _shown(new))
    elif field.type == F.MAP:
        old, new = old or {}, new or {}
        for child in field.children:
            if child.key in old or child.key in new:
                yield from _diff(f"{path}.{child.key}", child, old.get(child.key), new.get(child.key))
    elif field.type == F.LIST:
        yield from _rows(path, field.children[0], old or [], new or [])
    elif field.type == F.INDICATORS:
        yield from _indicators(path, old or (), new or ())
    elif field.type == F.TEXT and _short(old) and _short(new) and old != new:
        yield FigureChange(path, f"“{old}”" if old else "（空）", f"“{new}”" if new else "（空）")
    elif old != new:
        yield _TEXT


def _shown(value: Any) -> str:
    """A typed value as the site shows it: 元 exact with two decimals, dates as written."""
    if value is None:
        return "（空）"
    if isinstance(value, Money):
        return f"{yuan_text(value.yuan)} 元"
    if isinstance(value, Date):
        return value.iso
    if isinstance(value, Kind):
        return value.value
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _short(text: Any) -> bool:
    return text is None or (isinstance(text, str) and "\n" not in text and len(text) <= SHORT_TEXT)


def _rows(path: str, item: F.Field, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> Found:
    """List rows matched by name: rows with amounts are figures (added, removed, changed); others are text."""
    money = [f for f in item.children if f.type in _TYPED]
    if not money:
        if old != new:
            yield _TEXT
        return
    before, after = _by_name(old), _by_name(new)
    for name, row in after.items():
        if name not in before:
            yield FigureChange(path, None, _row_figures(row, money), row=name[0])
    for name, row in before.items():
        if name not in after:
            yield FigureChange(path, _row_figures(row, money), None, row=name[0])
    for name, row in after.items():
        if name in before:
            was = before[name]
            for f in money:
                if _shown(was.get(f.key)) != _shown(row.get(f.key)):
                    yield FigureChange(path, _shown(was.get(f.key)), _shown(row.get(f.key)), name[0], f.key)
            rest = [f.key for f in item.children if f not in money]
            if any(was.get(k) != row.get(k) for k in rest):
                yield _TEXT
    if list(before) != list(after) and set(before) == set(after):
        yield _TEXT  # the same rows in another order


def _by_name(rows: list[dict[str, Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    """Rows keyed by (名称, occurrence): two rows of one name are matched in order."""
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for row in rows:
        name = str(row.get("名称") or row.get("姓名") or "")
        n = 0
        while (name, n) in out:
            n += 1
        out[(name, n)] = row
    return out


def _row_figures(row: dict[str, Any], money: list[F.Field]) -> str:
    return "，".join(_shown(row[f.key]) for f in money if f.key in row) or "（空）"


def _indicators(path: str, old: Sequence[Indicator], new: Sequence[Indicator]) -> Found:
    """Indicator rows matched by 一级/二级/名称: values changed, rows added and removed."""
    before, after = _by_level(old), _by_level(new)
    for key, ind in after.items():
        if key not in before:
            yield FigureChange(path, None, _value(ind), row=key[2])
    for key, ind in before.items():
        if key not in after:
            yield FigureChange(path, _value(ind), None, row=key[2])
    for key, ind in after.items():
        was = before.get(key)
        if was is None:
            continue
        if _value(was) != _value(ind):
            yield FigureChange(path, _value(was), _value(ind), key[2], "指标值")
        if (was.weight or "") != (ind.weight or ""):
            yield FigureChange(path, was.weight or "（空）", ind.weight or "（空）", key[2], "权重")
        if (was.explanation, was.basis) != (ind.explanation, ind.basis):
            yield _TEXT


def _by_level(rows: Sequence[Indicator]) -> dict[tuple[str, str, str, int], Indicator]:
    out: dict[tuple[str, str, str, int], Indicator] = {}
    for ind in rows:
        n = 0
        while (ind.level1, ind.level2, ind.name, n) in out:
            n += 1
        out[(ind.level1, ind.level2, ind.name, n)] = ind
    return out


def _value(ind: Indicator) -> str:
    unit = ind.measure_unit
    return f"{ind.value.text}{unit}" if unit and not ind.value.text.endswith(unit) else ind.value.text
