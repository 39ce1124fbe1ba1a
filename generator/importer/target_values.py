"""The block part of a 绩效目标表: cells → labelled values, each put where the vocabulary says.

Values are kept as written except where the content format needs a form, and then the
original stays in the `# 待核对` comment: a bare amount gets its unit, a ticked box
(`R是 □否`) becomes 是, an Excel date serial (`44562`) a date, a code before the unit's
name (`820001-某某镇人民政府`) is removed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from generator.importer.draft import Draft, Path_
from generator.importer.read import Line
from generator.importer.rows import split_row
from generator.importer.text import Tracker, find_money, squash, tidy
from generator.importer.vocabulary import CHECKED, LABEL_WORDS, MONEY_UNIT_LINE, SOURCE_PART, UNIT_LABELS

MONEY_KEYS = ("基本信息.项目总金额", "基本信息.本年度预算金额")
_WORDS = sorted([*LABEL_WORDS, *UNIT_LABELS], key=len, reverse=True)
_ALT = "|".join(re.escape(w).replace("（", "[（(]").replace("）", "[)）]") for w in _WORDS)
_UNIT = r"(?:[（(]\s*(?P<unit>万元|元|亿元)\s*[)）])?"
LABEL = re.compile(rf"(?P<label>{_ALT})\s*{_UNIT}\s*[:：]")
FULL_LABEL = re.compile(rf"^(?P<label>{_ALT})\s*{_UNIT}\s*[:：]?$")
GROUP_UNIT = re.compile(r"^[\u4e00-\u9fff]{2,10}[（(]\s*(万元|元|亿元)\s*[)）][:：]?$")  # 项目资金（万元）
CODE_PREFIX = re.compile(r"^(\d{3,12})\s*[-－—_ ]\s*(?=[\u4e00-\u9fff])")
SOURCE_INLINE = re.compile(
    r"^其中[:：]?(?P<label>[\u4e00-\u9fff]{2,16}(?:资金|拨款|经费|收入))[:：](?P<value>[\d.,]+(?:万元|元)?)$"
)
SERIAL = re.compile(r"^[3-6]\d{4}(?:\.0)?$")


def _key(label: str) -> str | None:
    s = re.sub(r"[（(][^）)]*[)）]", "", squash(label))
    if s in UNIT_LABELS:
        return "单位"
    return LABEL_WORDS.get(s) or LABEL_WORDS.get(squash(label))


def label_match(text: str) -> tuple[str, str] | None:
    """(draft key, label) when the line or its first cell starts with a known label."""
    for cell in _cells(text)[:1]:
        m = LABEL.match(cell) or FULL_LABEL.match(cell)
        if m and (key := _key(m.group("label"))):
            return key, m.group("label")
    return None


def _cells(text: str) -> list[str]:
    """The cells of a block line: tabs or `|`; else runs of spaces between label words."""
    if "\t" in text or text.count("|") >= 1:
        return [c for c in split_row(text.replace("|", "\t") if "\t" not in text else text) if c]
    tokens = text.split()
    if len(tokens) > 1 and FULL_LABEL.match(tokens[0]):
        cells: list[str] = []
        for token in tokens:
            if FULL_LABEL.match(token) or not cells or FULL_LABEL.match(cells[-1]):
                cells.append(token)
            else:
                cells[-1] += " " + token
        return cells
    return [text.strip()]


class BlockReader:
    def __init__(self, draft: Draft, lines: Sequence[Line], tracker: Tracker, blocks: Sequence[str]) -> None:
        self.d, self.lines, self.tracker, self.blocks = draft, lines, tracker, blocks
        self.context = squash("".join(ln.text for ln in lines))
        self.money_unit: tuple[str, str] | None = None  # (unit, where it came from)
        for line in lines:  # `单位：万元` above the table is for every bare amount of the document
            if m := MONEY_UNIT_LINE.match(squash(line.text)):
                self.money_unit = (m.group(1), f"第{line.no}行“{line.text.strip()}”")
                break
        self.after_target_block = False
        self.no = 0
        self.unit_rank = len(UNIT_LABELS) + 1

    def line(self, line: Line) -> None:
        self.no = line.no
        cells = _cells(line.text)
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
        if s.rstrip(":：") in self.blocks:
            self.after_target_block = s.rstrip(":：") == "年度绩效目标"
            return 1
        if (m := MONEY_UNIT_LINE.match(s) or GROUP_UNIT.match(s)) and _key(s.rstrip(":：")) is None:
            self.money_unit = (m.group(1), f"第{self.no}行“{cell.strip()}”")
            return 1
        if inline := SOURCE_INLINE.match(s):
            self.source_part(inline.group("label"), inline.group("value"))
            return 1
        if src := SOURCE_PART.match(s.rstrip(":：")):
            if nxt is not None:
                self.source_part(src.group("label"), nxt)
                return 2
            return 0
        if FULL_LABEL.match(s) and not FULL_LABEL.match(cell.strip()):  # `年度本级 预算金额（万元）：`
            cell = s
        elif (m := LABEL.match(s)) and not LABEL.match(cell.strip()) and _key(m.group("label")):
            label_end = re.search(r"[:：]", cell)
            cell = f"{s[: m.end()]}{cell[label_end.end() :]}" if label_end else cell
        m = FULL_LABEL.match(cell.strip()) or LABEL.search(cell)  # `项目名称` (a Word cell) or `项目名称:`
        key = _key(m.group("label")) if m else None
        if m is None or key is None:
            if self.after_target_block:
                self.put("年度绩效目标", tidy(cell))
                return 1
            return 0
        label, unit = m.group("label"), m.group("unit")
        before, after = cell[: m.start()].strip(), cell[m.end() :].strip()
        if key == "单位":
            if before:
                return 0
            value, used = (after, 1) if after else (nxt or "", 2)
            self.unit(label, value)
            return used if value else 1
        if after or before:
            doubt = f"标签“{label}:”在文字中间，已移出后接回" if before else None
            self.put(key, tidy(f"{before} {after}" if before and after else before or after), doubt, unit)
            return 1
        if nxt is not None and not (FULL_LABEL.match(nxt.strip()) or LABEL.match(nxt.strip())):
            self.put(key, tidy(nxt), None, unit)
            return 2
        self.put(key, "")
        return 1

    def unit(self, label: str, value: str) -> None:
        """A labelled unit replaces one guessed from the title; among labels, the earlier in UNIT_LABELS wins."""
        rank = UNIT_LABELS.index(label) if label in UNIT_LABELS else len(UNIT_LABELS)
        if not value or rank >= self.unit_rank or (("单位",) not in self.d.doubts and self.d.data.get("单位")):
            if value and squash(value) != squash(str(self.d.data.get("单位", ""))):
                other = f"原表另写{label}“{tidy(value)}”"
                reason = self.d.doubts.get(("单位",))
                self.d.doubt(("单位",), f"{reason}；{other}" if reason else f"{other}，请确认是哪一个单位公开的")
            return
        self.unit_rank = rank
        doubt = "取自“主管部门”；如实施单位不是它，请改为实施单位" if label == "主管部门" else None
        value = tidy(value)
        if m := CODE_PREFIX.match(value):
            doubt, value = f"原文为“{value}”，已去掉单位编码{m.group(1)}", value[m.end() :]
        self.d.doubts.pop(("单位",), None)
        self.d.put(("单位",), value, doubt)

    def source_part(self, label: str, value: str) -> None:
        amount, doubt = self.money(value, None)
        existing = self.d.get(("基本信息", "资金来源"))
        text = f"{label}{amount}"
        note = f"原文为“其中：{label} {value}”" + (f"；{doubt}" if doubt else "")
        self.d.put(("基本信息", "资金来源"), f"{existing}；{text}" if existing else text, note)

    def put(self, key: str, value: str, doubt: str | None = None, unit: str | None = None) -> None:
        path: Path_ = tuple(key.split("."))
        if key in MONEY_KEYS and value:
            value, doubt = self.money(value, unit)
        elif key == "基本信息.项目编码" and re.fullmatch(r"[\d ]+", value) and " " in value:
            doubt, value = f"原文为“{value}”，已去掉空格", value.replace(" ", "")
        elif key == "基本信息.是否重点项目" and value not in ("是", "否"):
            value, doubt = _checked(value)
        elif key in ("基本信息.开始日期", "基本信息.结束日期") and SERIAL.match(value):
            day = dt.date(1899, 12, 30) + dt.timedelta(days=int(float(value)))
            value, doubt = day.isoformat(), f"原文为Excel日期序号“{value}”，已换算为日期"
        existing = self.d.get(path)
        if isinstance(existing, str) and existing and key == "年度绩效目标":
            value = f"{existing}\n\n{value}"
            doubt = "原表“年度绩效目标”出现两次，已合并为两段"
        elif isinstance(existing, str) and existing and existing != value and value:
            self.tracker.reject(self.no, value)  # the first value stays; the second is reported
            return
        self.d.put(path, value, doubt)

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
        if self.money_unit:
            return f"{text}{self.money_unit[0]}", f"原表未写单位，按{self.money_unit[1]}加单位"
        for guess in ("万元", "元"):
            if f"{text}{guess}" in self.context:
                return f"{text}{guess}", f"原表未写单位，按原文中的“{text}{guess}”推断"
        guess = "元" if number >= 10000 else "万元"
        return f"{text}{guess}", f"原表未写单位，按数额大小推断为{guess}"


def _checked(value: str) -> tuple[str, str]:
    """`R是 □否` → 是: the option after a ticked box (or, failing that, before one)."""
    marks = "".join(re.escape(m) for m in CHECKED)
    m = re.search(rf"[{marks}]\s*(是|否)", value) or re.search(rf"(是|否)\s*[{marks}]", value)
    if m:
        return m.group(1), f"原文为“{value}”，按勾选的一项填写"
    return value, "只能写 是 或 否"
