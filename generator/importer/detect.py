"""What kind of disclosure a text is, and the unit, year and title its first lines name."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.corpus.model import Kind
from generator.importer.read import Line
from generator.importer.text import LABEL_LINE, squash, tidy

YEAR = re.compile(r"(20\d\d|二[〇○零][一二三四五六七八九〇○零]{2})\s*年")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}
ORG_SUFFIX = re.compile(
    r"(?:局|委员会|委|办公室|办|中心|院|厅|部|所|站|队|馆|人民政府|政府|街道办事处|处|会|社|校|学院|公司|集团)$"
)
UNIT_AFTER_YEAR = re.compile(
    r"^度?\s*([\u4e00-\u9fff]{2,20}?(?:局|委员会|办公室|中心|院|厅|人民政府))(?=部门|单位|整体|项目|预算|财政|绩效|重点|关于)"
)
PLACE = re.compile(r"[省市州县区旗盟]")
UNIT_LABELS = ("单位名称", "部门名称", "预算单位", "预算部门", "单位", "主管部门", "实施单位")
TARGET_TITLES = ("绩效目标表", "绩效目标申报表", "绩效目标批复表", "目标申报表", "绩效目标公开")
EVALUATION_TITLES = ("项目支出绩效自评表", "项目绩效自评表", "支出绩效自评表", "项目自评表", "绩效自评表")
HEAD_LINES = 15  # how many non-blank lines count as the document's head


@dataclass
class Header:
    """Unit, year and title guessed from the head of a document; `doubts` says what is unsure."""

    unit: str | None = None
    year: str | None = None
    title: str | None = None
    doubts: dict[str, str] = field(default_factory=dict)
    used: list[int] = field(default_factory=list)  # the lines that gave the title and unit


def year_of(m: re.Match[str]) -> str:
    """`2022` or `二〇二二` → `2022`."""
    return "".join(_CN_DIGIT.get(c, c) for c in m.group(1))


def head_text(lines: Sequence[Line]) -> str:
    texts = [squash(ln.text) for ln in lines if not ln.blank][:HEAD_LINES]
    return "".join(texts)


def detect_kind(lines: Sequence[Line], project_headings: int) -> tuple[Kind | None, bool]:
    """The kind named by the head of the text (not guessed); else guessed from its body: (kind, guessed)."""
    head = head_text(lines)
    body = "".join(squash(ln.text) for ln in lines)
    if _is_evaluation_form(head, body):
        return Kind.PROJECT_EVALUATION, not any(w in head for w in EVALUATION_TITLES)
    if "自评" in head or "评价报告" in head:
        return Kind.SELF_EVALUATION, False
    if any(w in head for w in TARGET_TITLES) and "项目文本" not in head and project_headings < 3:
        return Kind.TARGETS, False
    if "项目文本" in head or project_headings >= 3:
        return Kind.PROJECT, project_headings < 3
    targets = sum(w in body for w in ("三级指标", "指标值", "本年度预算金额", "项目编码", "绩效目标", "一级指标"))
    if project_headings >= 2 and targets < 3:
        return Kind.PROJECT, True
    if targets >= 2 or ("三级指标" in body and "指标值" in body):
        return Kind.TARGETS, True
    if "支出合计" in body and ("人员经费" in body or "评价" in body):
        return Kind.SELF_EVALUATION, True
    if project_headings >= 2:
        return Kind.PROJECT, True
    return None, True


def _is_evaluation_form(head: str, body: str) -> bool:
    """A 项目支出绩效自评表: named so in its head, or a form with 实际完成值 and the 项目资金 columns."""
    if "整体" in head or "自评报告" in head or "评价报告" in head:
        return False
    if any(w in head for w in EVALUATION_TITLES):
        return True
    return "实际完成值" in body and sum(w in body for w in ("全年执行数", "全年预算数", "年初预算数", "执行率")) >= 2


def labelled(text: str, labels: Sequence[str]) -> str | None:
    """`单位名称：昆明市盘龙区信访局` → `昆明市盘龙区信访局` when the label is one of `labels`."""
    m = LABEL_LINE.match(text.strip())
    if not m:
        return None
    label = re.sub(r"[（(][^）)]*[)）]", "", squash(m.group(0)).rstrip(":："))  # 单位名称（盖章）：
    if label not in labels:
        return None
    value = tidy(text.strip()[m.end() :]).rstrip("。.;；")
    return value or None


def split_title(title: str) -> tuple[str | None, str | None]:
    """`盘龙区信访局2022年部门整体支出…` → (`盘龙区信访局`, `2022`)."""
    m = YEAR.search(title)
    if not m:
        return None, None
    before = title[: m.start()].strip(" （(")
    unit = before if before and ORG_SUFFIX.search(before) and len(before) <= 30 else None
    if unit is None and not before:  # `2022年度某某县财政局部门整体支出…`
        after = UNIT_AFTER_YEAR.match(title[m.end() :])
        unit = after.group(1) if after else None
    return unit, year_of(m)


def _clean(line: Line) -> str:
    return tidy(line.text.replace("\t", " "))


def _is_unit_line(line: Line) -> bool:
    """A line that is only a unit's name (one cell, short, ends like 局/委员会/中心 …, no year)."""
    if sum(1 for cell in line.text.split("\t") if cell.strip()) != 1:
        return False
    text = _clean(line)
    return bool(text) and len(text) <= 30 and bool(ORG_SUFFIX.search(text)) and not YEAR.search(text)


def _cells_line(line: Line) -> bool:
    """A line of table cells or `label value` pairs: never part of a title."""
    from generator.importer.target_values import label_match

    cells = [c for c in re.split(r"\t|\s{2,}|\|", line.text.strip()) if c.strip()]
    return len(cells) > 1 or label_match(line.text) is not None


def _names_own_unit(lines: Sequence[Line], line: Line) -> bool:
    """Does the line after `line` begin with a unit of its own (`某某市信访局2023年…`)?"""
    rest = [ln for ln in lines if not ln.blank and ln.no > line.no]
    return bool(rest) and not _cells_line(rest[0]) and split_title(_clean(rest[0]))[0] is not None


def title_lines(lines: Sequence[Line]) -> tuple[list[Line], Line | None]:
    """The lines that make up the title, and a unit line standing after the title (seed 003)."""
    out: list[Line] = []
    seen_year = False
    lead: Line | None = None
    for line in (ln for ln in lines if not ln.blank):
        text = _clean(line)
        if seen_year and _is_unit_line(line):
            return out, line
        if not out and lead is None and _is_unit_line(line) and _names_own_unit(lines, line):
            lead = line  # a site's unit above a title that names its own unit: not part of the title
            continue
        if len(text) > 60 or text.endswith("。") or LABEL_LINE.match(text) or len(out) >= 4 or _cells_line(line):
            break
        out.append(line)
        seen_year = seen_year or bool(YEAR.search(text))
    return out, lead


def read_header(head: Sequence[Line], all_lines: Sequence[Line]) -> Header:
    """Title from the first lines of `head`; unit from a label line, the title or a short line; year."""
    header = Header()
    lines, unit_line = title_lines(head)
    title = tidy("".join(_clean(ln) for ln in lines))
    header.title = title or None
    header.used = [ln.no for ln in lines]
    unit, year = split_title(title) if title else (None, None)
    header.year = year
    for line in all_lines:  # a labelled name (单位名称：…) is more reliable than the title's prefix
        value = labelled(line.text, UNIT_LABELS[:4])
        if value and ORG_SUFFIX.search(value):
            unit = value
            break
    if unit is None:
        for line in [*lines, *([unit_line] if unit_line else [])]:
            if _is_unit_line(line):
                unit = _clean(line)
                header.used.append(line.no)
                if line in lines and len(lines) > 1:
                    lines.remove(line)
                    header.title = tidy("".join(_clean(ln) for ln in lines)) or None
                break
    header.unit = unit
    _doubts(header, all_lines)
    return header


def _doubts(header: Header, all_lines: Sequence[Line]) -> None:
    unit = header.unit
    if unit is None:
        header.doubts["单位"] = "没有找到单位名称，请填写与单位档案一致的名称"
    elif not PLACE.search(unit[:-1]):
        header.doubts["单位"] = f"原文只写“{unit}”，请改为单位档案中的全称或别名"
    if header.year is None:
        for line in all_lines[:40]:
            m = YEAR.search(line.text)
            if m:
                header.year = year_of(m)
                header.doubts["年度"] = f"取自第{line.no}行，请核对是否为预算年度"
                break
    if header.year is None:
        header.doubts["年度"] = "没有找到年度"
