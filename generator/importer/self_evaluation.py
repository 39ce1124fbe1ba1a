"""整体绩效自评报告: cover page, 评价小组 table, the report outline and its budget figures.

The cover gives 标题, `项目名称：`, `部门名称：`, `评价机构：` and a date line; the team
table has a header row naming 姓名. The body from the first `一、` heading becomes
正文: `一、` → sections, `（一）` → 小节, and a short `1.` line that is followed by
text (not by `2.`) → a third level. 预算收支 is read from sentences anywhere in the
body: `收入合计：2851958.99元`, `人员经费支出2107912.71元；日常办公经费支出…`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from generator.corpus import fields as F
from generator.corpus.model import Kind
from generator.importer.detect import UNIT_LABELS, labelled, read_header
from generator.importer.draft import Draft, Node
from generator.importer.indicators import split_row
from generator.importer.read import Line
from generator.importer.text import (
    MARK_L1,
    MARK_L2,
    MARK_L3,
    MONEY_IN_TEXT,
    TERMINAL,
    Tracker,
    find_money,
    paragraphs,
    prose,
    squash,
    strip_marker,
    tidy,
)
from generator.importer.vocabulary import TEAM_ROLES

DATE_LINE = re.compile(r"^(20\d\d)\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?$")
FIGURE = re.compile(
    r"(?P<label>收入合计|收入总计|总收入|支出合计|支出总计|总支出|人员经费(?:支出)?|(?:日常)?(?:办公|公用)经费(?:支出)?"
    r"|项目支出|项目经费(?:支出)?)[：:为共计是]*\s*(?=\d)"
)
HEADING_MAX = 40
L3_MAX = 30


@dataclass
class _Section:
    title: str
    lines: list[Line] = field(default_factory=list)
    children: list[_Section] = field(default_factory=list)


def _is_heading(text: str, pattern: re.Pattern[str], limit: int) -> bool:
    return bool(pattern.match(text)) and len(text) <= limit and text[-1] not in TERMINAL


def _outline(lines: Sequence[Line]) -> list[_Section]:
    top: list[_Section] = []
    l2: _Section | None = None
    l3: _Section | None = None
    following = [""] * len(lines)  # the next non-blank line's text after each line
    for i in range(len(lines) - 2, -1, -1):
        after = lines[i + 1]
        following[i] = following[i + 1] if after.blank else after.text.strip()
    for i, line in enumerate(lines):
        text = line.text.strip()
        nxt = following[i]
        if line.blank:
            if top:
                (l3 or l2 or top[-1]).lines.append(line)
        elif _is_heading(text, MARK_L1, HEADING_MAX) or not top:
            top.append(_Section(tidy(strip_marker(text))) if MARK_L1.match(text) else _Section("", [line]))
            l2 = l3 = None
        elif _is_heading(text, MARK_L2, HEADING_MAX):
            l2, l3 = _Section(tidy(strip_marker(text))), None
            top[-1].children.append(l2)
        elif _is_heading(text, MARK_L3, L3_MAX) and nxt and not MARK_L3.match(nxt):
            l3 = _Section(tidy(strip_marker(text)))
            (l2 or top[-1]).children.append(l3)
        else:
            (l3 or l2 or top[-1]).lines.append(line)
    return top


def _node(section: _Section) -> dict[str, Node]:
    out: dict[str, Node] = {"标题": section.title}
    text = prose(section.lines)
    if text:
        out["内容"] = text
    if section.children:
        out["小节"] = [_node(c) for c in section.children]
    return out


def _figures(text: str) -> list[tuple[str, str, str]]:
    """(label, amount, the note after it up to the next ；or 。) for each budget figure in `text`."""
    out = []
    for m in FIGURE.finditer(text):
        money = MONEY_IN_TEXT.match(text, m.end())
        if not money or not find_money(money.group(0)):
            continue
        rest = re.split(r"[；;。]", text[money.end() :], maxsplit=1)[0]
        if nxt := FIGURE.search(rest):  # `…，日常公用经费支出346500.00元`: the next figure ends the note
            rest = rest[: nxt.start()]
        rest = rest.strip("，, ")
        out.append((m.group("label"), find_money(money.group(0))[0].text, rest))
    return out


def _budget(d: Draft, body: Sequence[Line]) -> None:
    totals: dict[str, str] = {}
    parts: list[Node] = []
    amounts: list[Decimal] = []
    for para in paragraphs(body):
        for label, amount, rest in _figures(para.text):
            key = _total_key(label)
            if key:
                totals.setdefault(key, amount)
                continue
            core = label[:-2] if label.endswith("支出") and label != "项目支出" else label
            name = _category(label, core)
            if any(isinstance(p, dict) and p.get("名称") == name for p in parts):
                continue
            item: dict[str, Node] = {"名称": name, "金额": amount}
            note = rest if core == name else f"{label}，{rest}" if rest else label
            if note:
                item["说明"] = note
            parts.append(item)
            amounts.append(find_money(amount)[0].yuan)
    for key, amount in totals.items():
        d.put(("预算收支", key), amount)
    if parts:
        d.put(("预算收支", "支出构成"), parts)
    spending = totals.get("支出合计")
    if spending is None:
        d.put(("预算收支", "支出合计"), "", "没有找到“支出合计”，请从原文填写")
    elif amounts and sum(amounts) != find_money(spending)[0].yuan:
        d.doubt(("预算收支", "支出合计"), f"支出构成之和为{sum(amounts)}元，与支出合计不符")


def _total_key(label: str) -> str | None:
    if "收入" in label:
        return "收入合计"
    return "支出合计" if "支出合" in label or label in ("支出总计", "总支出") else None


def _category(label: str, core: str) -> str:
    if core in F.SPENDING_CATEGORIES:
        return core
    alias = F.SPENDING_ALIASES.get(label) or F.SPENDING_ALIASES.get(core)
    return alias or ("项目支出" if "项目" in core else "公用经费")


def _team(d: Draft, rows: Sequence[Line], tracker: Tracker) -> None:
    roles: list[str] | None = None
    members: list[Node] = []
    for line in rows:
        cells = split_row(line.text)
        if roles is None:
            if any("姓名" in squash(c) for c in cells):
                roles = [next((r for w, r in TEAM_ROLES if w in squash(c)), "") for c in cells]
                tracker.use([line.no])
            continue
        values = {r: tidy(c) for r, c in zip(roles, cells, strict=False) if r and c.strip()}
        if not values.get("姓名"):
            continue
        sign = values.pop("签字", None)
        members.append({k: values[k] for k in ("角色", "姓名", "职务", "单位") if k in values})
        tracker.use([line.no])
        if sign and sign != values["姓名"]:
            tracker.reject(line.no, sign)
    if members:
        d.put(("评价小组",), members)


def import_self_evaluation(lines: Sequence[Line], tracker: Tracker) -> Draft:
    start = next((i for i, ln in enumerate(lines) if _is_heading(ln.text.strip(), MARK_L1, HEADING_MAX)), len(lines))
    cover, body = lines[:start], lines[start:]
    title_at = next((i for i, ln in enumerate(cover) if "报告" in ln.text), 0)
    header = read_header(cover[title_at:], lines)
    d = Draft(Kind.SELF_EVALUATION)
    d.put(("类型",), Kind.SELF_EVALUATION.value)
    d.put(("单位",), header.unit or "", header.doubts.get("单位"))
    d.put(("年度",), header.year or "", header.doubts.get("年度"))
    if header.title:
        d.put(("标题",), header.title)
    tracker.use(header.used)
    _cover(d, cover, tracker, header.title or "")
    _team(d, [ln for ln in cover if "\t" in ln.text], tracker)
    _budget(d, body)
    sections = _outline(body)
    if sections:
        d.put(("正文",), [_node(s) for s in sections])
        tracker.use_lines(body)
    d.label = f"自评报告：{d.data.get('标题', '')}"
    return d


def _cover(d: Draft, cover: Sequence[Line], tracker: Tracker, title: str) -> None:
    for line in cover:
        text = tidy(line.text.replace("\t", " "))
        if title and squash(text) == squash(title):
            tracker.use([line.no])
        elif m := DATE_LINE.match(text):
            day = f"-{int(m.group(3)):02d}" if m.group(3) else ""
            d.put(("报告日期",), f"{m.group(1)}-{int(m.group(2)):02d}{day}")
            tracker.use([line.no])
        elif (value := labelled(text, ("项目名称",))) is not None:
            d.put(("项目名称",), value)
            tracker.use([line.no])
        elif (value := labelled(text, ("评价机构", "评价单位"))) is not None:
            d.put(("评价机构",), value)
            tracker.use([line.no])
        elif labelled(text, UNIT_LABELS) is not None or re.fullmatch(r"评价小组(?:成员)?[:：]?", squash(text)):
            tracker.use([line.no])  # the unit was read by read_header; the team table follows
