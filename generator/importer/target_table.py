"""项目支出绩效目标表: the block layout (`项目名称:⇥信访维稳工作经费⇥项目编码:⇥…`) and its indicators.

Each line of the block part holds `label: value` pairs in tab- or `|`-separated cells,
or `label: value` in one cell. OCR sometimes drops a label into the middle of its
text (`…意见》 政策依据: (九办发…`); the label is taken out and the text joined, marked
待核对. Bare amounts (`17.6`) get the unit the document uses elsewhere for the same
figure (`17.6万元`), marked 待核对. The indicator table starts at its header row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from generator.corpus.errors import ContentError
from generator.corpus.model import Kind
from generator.corpus.money import parse_money
from generator.importer.detect import Header, read_header
from generator.importer.draft import Draft, Path_
from generator.importer.indicators import Row, canon1, header_roles, parse_table, split_row
from generator.importer.read import Line
from generator.importer.text import Tracker, find_money, squash, tidy

FIELDS: dict[str, Path_] = {
    "项目名称": ("项目名称",),
    "项目编码": ("基本信息", "项目编码"),
    "项目代码": ("基本信息", "项目编码"),
    "项目类别": ("基本信息", "项目类别"),
    "项目类型": ("基本信息", "项目类别"),
    "资金用途": ("基本信息", "资金用途"),
    "开始日期": ("基本信息", "开始日期"),
    "结束日期": ("基本信息", "结束日期"),
    "项目负责人": ("基本信息", "项目负责人"),
    "联系人": ("基本信息", "联系人"),
    "联系电话": ("基本信息", "联系电话"),
    "是否重点项目": ("基本信息", "是否重点项目"),
    "资金来源": ("基本信息", "资金来源"),
    "项目总金额": ("基本信息", "项目总金额"),
    "项目总额": ("基本信息", "项目总金额"),
    "本年度预算金额": ("基本信息", "本年度预算金额"),
    "本年预算金额": ("基本信息", "本年度预算金额"),
    "年度预算金额": ("基本信息", "本年度预算金额"),
    "立项必要性": ("立项必要性",),
    "实施可行性": ("实施可行性",),
    "项目实施内容": ("项目实施内容",),
    "中长期目标": ("中长期目标",),
    "年度绩效目标": ("年度绩效目标",),
    "政策依据": ("立项依据", "政策依据"),
    "其他依据": ("立项依据", "其他依据"),
    "需要说明的其他问题": ("其他说明",),
    "其他说明": ("其他说明",),
}
MONEY_FIELDS = ("项目总金额", "本年度预算金额")
BLOCKS = ("项目支出绩效目标表", "绩效目标表", "基本信息", "基本情况", "立项依据", "年度绩效目标", "绩效指标")
UNIT_LABELS = ("单位名称", "预算单位", "主管部门", "实施单位", "部门名称")
_LABELS = "|".join(sorted([*FIELDS, *UNIT_LABELS], key=len, reverse=True))
_LABEL = re.compile(rf"(?P<label>{_LABELS})\s*(?:[（(]\s*(?P<unit>万元|元|亿元)\s*[)）])?\s*[:：]")
_FULL_LABEL = re.compile(rf"^(?P<label>{_LABELS})\s*(?:[（(]\s*(?P<unit>万元|元|亿元)\s*[)）])?\s*[:：]?$")
_MONEY_UNIT = re.compile(r"^[（(]?(?:金额|资金)?单位\s*[:：]\s*(万元|元|亿元)[)）]?$")


def _is_table_start(text: str) -> bool:
    cells = split_row(text)
    if header_roles(Row(cells, [])) is not None:
        return True
    return len(cells) >= 3 and any(canon1(c) for c in cells[:2])


def _has_label(text: str) -> bool:
    """`项目名称:…` anywhere, or a cell that is just a label (`项目名称⇥信访维稳工作经费`)."""
    return bool(_LABEL.search(text)) or any(_FULL_LABEL.match(c) for c in split_row(text) if "\t" in text)


def _label_at_start(cell: str | None) -> bool:
    m = (_LABEL.match(cell.strip()) or _FULL_LABEL.match(cell.strip())) if cell else None
    return m is not None and m.group("label") in FIELDS


class _Reader:
    def __init__(self, draft: Draft, lines: Sequence[Line], tracker: Tracker) -> None:
        self.d, self.lines, self.tracker = draft, lines, tracker
        self.context = squash("".join(ln.text for ln in lines))
        unit = re.search(r"(?:金额|资金)?单位[:：](万元|元|亿元)", self.context)
        self.money_unit = unit.group(1) if unit else None
        self.after_target_block = False

    def line(self, line: Line) -> None:
        cells = [c for c in split_row(line.text) if c] if ("\t" in line.text or "|" in line.text) else [line.text]
        rejected: list[str] = []
        i = 0
        while i < len(cells):
            used = self.cell(cells[i], cells[i + 1] if i + 1 < len(cells) else None)
            if used == 0:
                rejected.append(cells[i])
            i += max(used, 1)
        if len(rejected) < len(cells):  # the line is placed; report only the cells that are not
            self.tracker.use([line.no])
            for cell in rejected:
                self.tracker.reject(line.no, cell)

    def cell(self, cell: str, nxt: str | None) -> int:
        """Place one cell (and its value cell); returns how many cells it used (0: not placed)."""
        s = squash(cell)
        if s in BLOCKS:
            self.after_target_block = s == "年度绩效目标"
            return 1
        if _MONEY_UNIT.match(s):
            return 1
        m = _FULL_LABEL.match(cell.strip()) or _LABEL.search(cell)  # `项目名称` (a Word cell) or `项目名称:`
        if m and m.group("label") in UNIT_LABELS and not cell[: m.start()].strip():
            value, used = (cell[m.end() :].strip(), 1) if cell[m.end() :].strip() else (nxt or "", 2)
            if value and (("单位",) in self.d.doubts or not self.d.data.get("单位")):
                parent = m.group("label") == "主管部门"  # the unit itself, unless the table also names 实施单位
                self.d.doubts.pop(("单位",), None)
                self.d.put(
                    ("单位",), tidy(value), "取自“主管部门”；如实施单位不是它，请改为实施单位" if parent else None
                )
            return used if value else 1
        if m and m.group("label") in FIELDS:
            label, unit = m.group("label"), m.group("unit")
            before, after = cell[: m.start()].strip(), cell[m.end() :].strip()
            if after or before:
                doubt = f"标签“{label}:”在文字中间，已移出后接回" if before else None
                self.put(label, tidy(f"{before} {after}" if before and after else before or after), doubt, unit)
                return 1
            if nxt is not None and not _label_at_start(nxt):
                self.put(label, tidy(nxt), None, unit)
                return 2
            self.put(label, "")
            return 1
        if self.after_target_block:
            self.append_target(tidy(cell))
            return 1
        return 0

    def put(self, label: str, value: str, doubt: str | None = None, unit: str | None = None) -> None:
        path = FIELDS[label]
        if label in MONEY_FIELDS:
            value, doubt = self.money(value, unit or self.money_unit)
        elif label in ("项目编码", "项目代码") and re.fullmatch(r"[\d ]+", value) and " " in value:
            doubt, value = f"原文为“{value}”，已去掉空格", value.replace(" ", "")
        elif label == "是否重点项目" and value not in ("是", "否"):
            doubt = "只能写 是 或 否"
        existing = self.d.get(path)
        if isinstance(existing, str) and existing and path == ("年度绩效目标",):
            value = f"{existing}\n\n{value}"
            doubt = "原表“年度绩效目标”出现两次，已合并为两段"
        self.d.put(path, value, doubt)

    def append_target(self, text: str) -> None:
        self.put("年度绩效目标", text)

    def money(self, raw: str, unit: str | None) -> tuple[str, str | None]:
        """The amount with its unit: as written, from the label or table (`(万元)`), else inferred (待核对)."""
        text = raw.replace(" ", "")
        if find_money(text):
            return text, None
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            return raw, "无法识别的金额，请写成“17.6万元”或“176000元”"
        if unit:
            return f"{text}{unit}", None
        for unit in ("万元", "元"):
            if f"{text}{unit}" in self.context:
                return f"{text}{unit}", f"原表未写单位，按原文中的“{text}{unit}”推断"
        guess = "元" if number >= 10000 else "万元"
        return f"{text}{guess}", f"原表未写单位，按数额大小推断为{guess}"


def import_targets(lines: Sequence[Line], tracker: Tracker) -> Draft:
    start = next((i for i, ln in enumerate(lines) if _has_label(ln.text) or _is_table_start(ln.text)), len(lines))
    table_at = next((i for i, ln in enumerate(lines) if i >= start and _is_table_start(ln.text)), len(lines))
    head = [ln for ln in lines[:start] if not ln.blank]
    d = Draft(Kind.TARGETS)
    header = read_header(head, lines)
    _common(d, header)
    tracker.use(header.used)
    tracker.use(ln.no for ln in head if squash(ln.text) in BLOCKS)
    reader = _Reader(d, lines, tracker)
    for line in lines[start:table_at]:
        if not line.blank:
            reader.line(line)
    table = parse_table(lines[table_at:], tracker, _budget(d))
    if table.count:
        d.put(("绩效指标",), table.node)
        for path, reason in table.doubts.items():
            d.doubt(("绩效指标", *path), reason)
    d.label = f"绩效目标表：{d.data.get('项目名称', '')}"
    return d


def _common(d: Draft, header: Header) -> None:
    d.put(("类型",), Kind.TARGETS.value)
    d.put(("单位",), header.unit or "", header.doubts.get("单位"))
    d.put(("年度",), header.year or "", header.doubts.get("年度"))
    if header.title:
        d.put(("标题",), header.title)


def _budget(d: Draft) -> Decimal | None:
    value = d.get(("基本信息", "本年度预算金额"))
    try:
        return parse_money(value) if isinstance(value, str) else None
    except ContentError:
        return None
