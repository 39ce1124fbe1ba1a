"""The 绩效指标 table of a 项目支出绩效自评表: header row(s) → column roles, each row → one 三级指标.

The header is the row that names 三级指标 and 年度指标值 or 实际完成值 among at least three
columns (`vocabulary.EVAL_COLUMNS`), or two rows that do so together: `指标值` spanning
`年度指标值 | 实际完成值`, or `绩效指标` spanning `一级指标 | 二级指标 | 三级指标`. A data row as
wide as the header is read cell by cell; a narrower one (a text table whose merged or empty
cells left no trace) is placed at the offset where its cells fit the columns best (a
一级 label under 一级指标, a number under 分值 …). Merged 一级/二级 cells come out empty and
take the label above (before the first label, the one below). An 一级 label may carry its
weight (`产出指标(50分)`); an 一级 row without a 三级指标 but with a 分值 gives that weight.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from generator.corpus import fields as F
from generator.corpus.convert import split_weight
from generator.corpus.money import normalize
from generator.importer.draft import Node, Path_
from generator.importer.tables import LEVEL2_PARENT, canon1, canon2
from generator.importer.text import join_pieces, squash, tidy
from generator.importer.vocabulary import EVAL_BLOCKS, EVAL_COLUMNS, MEASURES, form_word, term_key

SCORE = re.compile(r"^[-+]?\d+(?:\.\d+)?分?$")
PLACEHOLDER = re.compile(r"^[—–\-－/／\\、.。…]*$")  # empty, or a dash for "not applicable"
WEIGHT_SUFFIX = re.compile(r"^(?P<name>.+?)(?P<w>\d+(?:\.\d+)?)分$")  # 产出指标50分
ITEM_KEYS = {"name": "名称", "target": "年度指标值", "actual": "实际完成值", "unit": "计量单位",
             "points": "分值", "score": "得分", "deviation": "偏差原因分析及改进措施"}  # fmt: skip
CARRIED = "原表第{}行起省略了一级/二级指标单元格，按上一行归类"


def is_score(cell: str) -> bool:
    return bool(SCORE.match(normalize(cell).replace(" ", "")))


def is_blank(cell: str) -> bool:
    return PLACEHOLDER.match(squash(cell)) is not None


def level1(cell: str) -> tuple[str, Decimal | None] | None:
    """`产出指标(50分)` → (产出指标, 50); `产出` → (产出指标, None); not an 一级 label → None."""
    s = squash(cell)
    bare, weight = split_weight(s)
    if weight is None and (m := WEIGHT_SUFFIX.match(normalize(s))) and canon1(m["name"]):
        bare, weight = m["name"], Decimal(m["w"])
    c = canon1(bare)
    return (c, weight) if c else None


def role(cell: str) -> str | None:
    return term_key(cell, EVAL_COLUMNS) if cell.strip() else None


def _header_word(cell: str) -> bool:
    return not cell.strip() or role(cell) is not None or form_word(cell) in EVAL_BLOCKS


def _header_row(cells: Sequence[str]) -> bool:
    """Header words only, but for a few the vocabulary lacks (`备注`); never a label or figure of a data row."""
    unknown = [c for c in cells if not _header_word(c)]
    if any(level1(c) or canon2(c) or is_score(c) for c in unknown):
        return False
    return len(unknown) <= min(2, sum(1 for c in cells if role(c)) // 3)


@dataclass
class Header:
    roles: list[str]  # per column; "" for a column without a known header (the spanning 绩效指标)
    labels: list[str]
    rows: int  # 1 or 2

    def index(self, key: str) -> int | None:
        return self.roles.index(key) if key in self.roles else None


def _complete(roles: Sequence[str]) -> bool:
    known = {r for r in roles if r}
    return "name" in known and bool({"target", "actual"} & known) and len(known) >= 3


def _roles(cells: Sequence[str]) -> list[str]:
    return [role(c) or "" for c in cells]


def header_at(rows: Sequence[Sequence[str]], i: int) -> Header | None:
    """The indicator header starting at row `i` (one or two rows), or None."""
    upper = list(rows[i])
    if not any(role(c) for c in upper) or not _header_row(upper):
        return None
    roles = _roles(upper)
    lower = list(rows[i + 1]) if i + 1 < len(rows) else []
    sub = any(role(c) for c in lower) and all(_header_word(c) for c in lower)
    if sub and not (_complete(roles) and [r for r in _roles(lower) if r] == [r for r in roles if r]):
        merged = _merge(upper, lower)
        if _complete(merged.roles):
            return merged
    if _complete(roles):
        return Header(roles, [c.strip() for c in upper], 1)
    return None


def _merge(upper: list[str], lower: list[str]) -> Header:
    """Two header rows as one: on a grid the lower word wins; else the lower words take the
    place of the upper cell they refine (the spanning 绩效指标, or the 指标值 they split)."""
    if any(not c.strip() for c in (*upper, *lower)):  # grid rows (one without its trailing empty cells)
        width = max(len(upper), len(lower))
        upper, lower = [*upper, *[""] * (width - len(upper))], [*lower, *[""] * (width - len(lower))]
    up, low = _roles(upper), _roles(lower)
    if len(upper) == len(lower):
        roles = [lr or ur for ur, lr in zip(up, low, strict=True)]
        labels = [(lc if lr else uc).strip() for uc, lc, lr in zip(upper, lower, low, strict=True)]
        return Header(roles, labels, 2)
    words = [(r, c.strip()) for r, c in zip(low, lower, strict=True) if c.strip()]
    spanned = [up.index(r) for r, _ in words if r in up]  # the upper cell the lower words split (指标值)
    at = min(spanned) if spanned else up.index("") if "" in up else len(up)
    roles = [*up[:at], *(r for r, _ in words), *up[at + 1 :]]
    labels = [*(c.strip() for c in upper[:at]), *(c for _, c in words), *(c.strip() for c in upper[at + 1 :])]
    return Header(roles, labels, 2)


def _fit_score(roles: Sequence[str], cells: Sequence[str]) -> int:
    score = 0
    for r, cell in zip(roles, cells, strict=True):
        if is_blank(cell):
            continue
        label = 1 if level1(cell) else 2 if canon2(cell) else 0
        number = is_score(cell)
        if r == "l1":
            score += 3 if label == 1 else -3
        elif r == "l2":
            score += 3 if label == 2 else -3
        elif label:
            score -= 3
        elif r in ("points", "score"):
            score += 2 if number else -3
        elif r == "name":
            score += -2 if number else 2
        elif r == "unit":
            score += 2 if squash(cell) in MEASURES else -2 if len(squash(cell)) > 4 else 0
        elif r in ("target", "actual"):
            score += 1
        elif r == "deviation":
            score += -1 if number else 1
        else:
            score -= 1
    return score


def fit(header: Header, cells: Sequence[str]) -> tuple[dict[str, str], bool]:
    """The row's cells by role (a cell under a column without a known header under `?<header>`), and
    whether the row's leading cells were missing, so that its place was inferred."""
    cells = [c.strip() for c in cells]
    while cells and not cells[-1]:
        cells.pop()
    n, m = len(header.roles), len(cells)
    if m >= n:
        columns = [*range(n), *[n - 1] * (m - n)]
    else:
        offsets = range(n - m, -1, -1)  # ties: the rightmost (the leading cells were merged away)
        best = max(offsets, key=lambda k: _fit_score(header.roles[k : k + m], cells))
        columns = list(range(best, best + m))
    shifted = m < n and columns[0] > 0
    out: dict[str, str] = {}
    for c, cell in zip(columns, cells, strict=True):
        if not cell or (not header.roles[c] and form_word(cell) in EVAL_BLOCKS):
            continue
        key = header.roles[c] or f"?{header.labels[c]}"
        out[key] = join_pieces(out[key], cell) if key in out else cell
    return out, shifted


@dataclass
class Results:
    """The 绩效指标 node, its doubts (paths relative to it), the lines it used, what it could not place."""

    node: dict[str, Node] = field(default_factory=dict)
    doubts: dict[Path_, str] = field(default_factory=dict)
    count: int = 0
    points: list[str] = field(default_factory=list)  # every 分值 and 得分 placed, for the 总分 check
    scores: list[str] = field(default_factory=list)
    subtotals: list[str] = field(default_factory=list)  # 一级 subtotal rows, for the header comment


class ResultsBuilder:
    """Rows of the indicator table, one at a time (`row`), into `Results`; `finish` when done."""

    def __init__(self, header: Header) -> None:
        self.header = header
        self.out = Results()
        self.l1: str | None = None
        self.l2: str | None = None
        self.keys1: dict[str, str] = {}
        self.keys2: dict[tuple[str, str], str] = {}
        self.weights: dict[str, str] = {}
        self.pending: list[tuple[int, dict[str, str]]] = []
        self.labelled = False
        self.last: dict[str, Node] | None = None  # the item whose 偏差原因 ended its row (a wrapped line continues it)

    def row(self, no: int, cells: Sequence[str]) -> list[str]:
        """Place one row; returns the cells it could not place ([]: all placed)."""
        got, shifted = fit(self.header, cells)
        self.last = None
        if not got:
            return []
        rejected: list[str] = []
        l1 = self._label1(got, rejected)
        l2 = self._label2(got, l1, rejected)
        if l1:
            if l1 != self.l1:
                self.l2 = None
            self.l1 = l1
        self.labelled = bool(l2)
        if l2:
            self.l2 = l2
            self._flush()
        elif l1 and l1 in F.LEVEL1 and len(F.LEVEL1[l1]) == 1:
            self.l2 = F.LEVEL1[l1][0]
            self.keys2.setdefault((l1, self.l2), self.l2)
            self.labelled = True
        if not any(k in got for k in ("name", "target", "actual")):
            return self._label_row(no, got, l1, rejected)
        if self.l2 is None:
            self.pending.append((no, got))
        else:
            self._add(no, got, None, carried=shifted and not self.labelled)
            filled = [c.strip() for c in cells if c.strip()]
            last = self._items()[-1]
            if got.get("deviation") and filled and filled[-1] == got["deviation"] and isinstance(last, dict):
                self.last = last
        return rejected

    def _items(self) -> list[Node]:
        assert self.l1 is not None and self.l2 is not None
        group = self.out.node[self.keys1[self.l1]]
        assert isinstance(group, dict)
        items = group[self.keys2[(self.l1, self.l2)]]
        assert isinstance(items, list)
        return items

    def continue_text(self, text: str) -> bool:
        """Append a wrapped line to the 偏差原因分析及改进措施 that ended the last row; False if none did."""
        if self.last is None:
            return False
        key = ITEM_KEYS["deviation"]
        self.last[key] = join_pieces(str(self.last[key]), tidy(text))
        return True

    def _label1(self, got: dict[str, str], rejected: list[str]) -> str | None:
        raw = got.get("l1")
        if raw is None:
            return None
        found = level1(raw)
        if found is None:
            if canon2(raw) and "l2" not in got:  # a 二级 label in the 一级 column (merged across)
                got["l2"] = got.pop("l1")
                return None
            self.keys1.setdefault(squash(raw), squash(raw))
            return squash(raw)  # kept as written: `gongkai check` names the unknown 一级指标
        canon, weight = found
        self.keys1.setdefault(canon, squash(raw))
        if weight is not None and "(" not in self.keys1[canon] and "（" not in self.keys1[canon]:
            self.keys1[canon] = squash(raw)
        return canon

    def _label2(self, got: dict[str, str], l1: str | None, rejected: list[str]) -> str | None:
        raw = got.get("l2")
        if raw is None:
            return None
        c = canon2(raw)
        parent = LEVEL2_PARENT.get(c) if c else None
        if c is None:
            c, parent = squash(raw), l1 or self.l1
            if parent is None:
                rejected.append(raw)
                return None
        elif l1 and parent != l1 and l1 in F.LEVEL1:
            parent = l1  # a 二级 under another 一级: kept where the table puts it; `gongkai check` judges
        assert parent is not None
        if parent != self.l1:
            self.keys1.setdefault(parent, parent)
            self.l1 = parent
        self.keys2.setdefault((parent, c), squash(raw))
        return c

    def _label_row(self, no: int, got: dict[str, str], l1: str | None, rejected: list[str]) -> list[str]:
        """A row of labels only; with a 分值 under an 一级 label it is the 一级's weight (and subtotal)."""
        points, score = got.get("points"), got.get("score")
        if l1 and points and is_score(points) and "l2" not in got:
            self.weights[l1] = squash(normalize(points)).removesuffix("分")
            text = f"第{no}行“{self.keys1.get(l1, l1)}”小计：分值 {points}" + (f"，得分 {score}" if score else "")
            self.out.subtotals.append(text)
            return rejected
        rest = [v for k, v in got.items() if k not in ("l1", "l2") and not is_blank(v)]
        return rejected + rest

    def _flush(self) -> None:
        for no, got in self.pending:
            self._add(no, got, "原表此行的一级/二级指标单元格为空，按下方第一个标签归类")
        self.pending.clear()

    def _add(self, no: int, got: dict[str, str], doubt: str | None, carried: bool = False) -> None:
        assert self.l2 is not None and self.l1 is not None
        l1 = self.l1
        item: dict[str, Node] = {}
        extra = [f"{k[1:]}：{v}" if k[1:] else v for k, v in got.items() if k.startswith("?") and not is_blank(v)]
        for r, key in ITEM_KEYS.items():
            value = tidy(got.get(r, ""))
            if r == "deviation" and extra:
                value = "；".join([*([value] if value and not is_blank(value) else []), *extra])
            if r in ("name", "target", "actual") or (value and not is_blank(value)):
                item[key] = value
        k1 = self.keys1.setdefault(l1, l1)
        k2 = self.keys2.setdefault((l1, self.l2), self.l2)
        group = self.out.node.setdefault(k1, {})
        assert isinstance(group, dict)
        items = group.setdefault(k2, [])
        assert isinstance(items, list)
        path: Path_ = (k1, k2, len(items))
        items.append(item)
        self.out.count += 1
        for key, values in (("分值", self.out.points), ("得分", self.out.scores)):
            if isinstance(item.get(key), str):
                values.append(str(item[key]))
        missing = [key for key in ("名称", "年度指标值", "实际完成值") if not item[key]]
        if missing:
            self.out.doubts[path] = f"原表此行没有{'、'.join(missing)}，请从原文补上"
        elif doubt:
            self.out.doubts[path] = doubt
        if extra:
            self.out.doubts[(*path, "偏差原因分析及改进措施")] = "原表另有表头不认得的一列，已并入这里"
        if carried:
            self.out.doubts.setdefault((k1, k2), CARRIED.format(no))

    def finish(self) -> Results:
        """Rows still waiting for a label go under the first 一级 seen (or are kept whole by the caller)."""
        if self.pending and self.l1 is not None:
            self.l2 = self.l2 or next(iter(F.LEVEL1.get(self.l1, ("",))), "")
            self._flush()
        for l1, weight in self.weights.items():
            key = self.keys1.get(l1, l1)
            if key in self.out.node and split_weight(key)[1] is None:
                self.out.node = {(f"{k}({weight}分)" if k == key else k): v for k, v in self.out.node.items()}
                self.out.doubts = {_rename(p, key, f"{key}({weight}分)"): r for p, r in self.out.doubts.items()}
                self.out.doubts[(f"{key}({weight}分)",)] = "分值取自原表的一级指标小计行"
        return self.out

    @property
    def stranded(self) -> list[int]:
        """Lines of rows that never found a label (no 一级/二级 anywhere in the table)."""
        return [no for no, _ in self.pending]


def _rename(path: Path_, old: str, new: str) -> Path_:
    return (new, *path[1:]) if path and path[0] == old else path
