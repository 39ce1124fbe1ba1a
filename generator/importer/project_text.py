"""项目文本: the numbered sections 一、项目名称 … 八、项目实施成效 (九、项目绩效目标表) → drafts.

Headings are found with or without their numbers (`六、资金安排情况`, `项目名称`), alone on
a line or as a label (`项目实施单位：通海县信访局。` when that section has not begun yet).
`（项目一：…）` markers, or a second 项目名称 heading, start another project; each
project becomes its own draft sharing the document's unit, year and title.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.corpus.model import Kind
from generator.importer.detect import Header, read_header
from generator.importer.draft import Draft, Node
from generator.importer.funding import budget_of, parse_funding
from generator.importer.indicators import parse_table
from generator.importer.profile import implementer_section
from generator.importer.read import Line
from generator.importer.text import (
    MARK_L1,
    MARK_L2,
    MARK_L3,
    Para,
    Tracker,
    paragraphs,
    squash,
    strip_marker,
    tidy,
)
from generator.importer.vocabulary import PROJECT_SECTIONS as SECTIONS

ORDER = list(SECTIONS)
_ALIAS = {alias: key for key, aliases in SECTIONS.items() for alias in aliases}
LONG_TEXT = ("立项依据", "项目基本概况", "项目实施内容", "项目实施计划", "项目实施成效")
PROJECT_MARK = re.compile(
    r"^(?:[（(]\s*项目\s*[一二三四五六七八九十\d]+\s*[:：]?|项目\s*[一二三四五六七八九十\d]+\s*[:：])"
)
TITLE_MAX = 40


@dataclass
class Heading:
    key: str
    numbered: bool
    inline: str | None  # text after `标签：` on the same line
    minor: bool = False  # numbered （一） or 1. rather than 一、


def heading_of(text: str) -> Heading | None:
    """The section a line opens, if it is a section heading of a 项目文本."""
    if "\t" in text.strip("\t") or len(text) > 200:
        return None
    s = text.strip()
    m = MARK_L1.match(s)
    any_mark = m or MARK_L2.match(s) or MARK_L3.match(s)  # （一）项目名称 / 1.项目名称: only as a whole line
    rest = squash(s[any_mark.end() :] if any_mark else s).rstrip(":：")
    if rest in _ALIAS:
        return Heading(_ALIAS[rest], any_mark is not None, None, minor=any_mark is not None and m is None)
    parts = re.split(r"[:：]", s[m.end() :] if m else s, maxsplit=1)
    if len(parts) == 2 and squash(parts[0]) in _ALIAS and parts[1].strip():
        return Heading(_ALIAS[squash(parts[0])], bool(m), parts[1].strip())
    return None


def count_headings(lines: Sequence[Line]) -> int:
    """Distinct sections opened by a heading line (or a numbered `一、项目名称：…` line)."""
    return len({h.key for ln in lines if (h := heading_of(ln.text)) and (h.inline is None or h.numbered)})


@dataclass
class _Project:
    first: int
    marker: str | None = None
    sections: dict[str, list[Line]] = field(default_factory=dict)
    inline: dict[str, tuple[int, str]] = field(default_factory=dict)
    minor: bool = False  # its 项目名称 heading was numbered （一） or 1.: so are its other headings


def _marker_text(lines: Sequence[Line], i: int) -> tuple[str, int]:
    """`（项目二：……工作\\n经费专项资金）` may span lines: the marker's text and how many lines it takes."""
    text = lines[i].text.strip()
    n = 1
    while text[:1] in "（(" and not re.search(r"[)）]\s*$", text) and i + n < len(lines) and n < 4:
        if not lines[i + n].blank:
            text += lines[i + n].text.strip()
        n += 1
    return tidy(text), n


def split_projects(lines: Sequence[Line], tracker: Tracker) -> tuple[list[Line], list[_Project]]:
    """(lines before the first section, the projects with their sections' lines)."""
    preamble: list[Line] = []
    projects: list[_Project] = []
    current: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        if PROJECT_MARK.match(line.text.strip()):
            text, n = _marker_text(lines, i)
            projects.append(_Project(line.no, marker=text))
            tracker.use(ln.no for ln in lines[i : i + n])
            current, i = None, i + n
            continue
        h = heading_of(line.text)
        project = projects[-1] if projects else None
        if h and _opens(h, project, current):
            if project is None or h.key in project.sections:
                project = _Project(line.no)
                projects.append(project)
            if not project.sections:
                project.minor = h.minor
            project.sections[h.key] = []
            if h.inline:
                project.inline[h.key] = (line.no, h.inline)
            tracker.use([line.no])
            current = h.key
        elif project is not None and current is not None:
            project.sections[current].append(line)
        else:
            preamble.append(line)
        i += 1
    return preamble, projects


def _opens(h: Heading, project: _Project | None, current: str | None) -> bool:
    """Does heading `h` open a section here? `标签：值` lines only when they cannot be body text,
    `（一）实施计划` / `1.实施计划` only in a text whose 项目名称 heading is numbered that way."""
    if h.minor and project is not None and project.sections and not project.minor:
        return False
    if h.inline is None:
        return project is None or h.key not in project.sections or h.key == "项目名称"
    if project is None or not project.sections:
        return h.key == "项目名称" or h.numbered
    if h.key in project.sections:
        return h.key == "项目名称" and h.numbered  # the next project
    return current is not None and ORDER.index(h.key) > ORDER.index(current)


def long_text(lines: Sequence[Line]) -> tuple[Node, str | None]:
    """A long section: paragraphs, or titled items when it is a list （一）（二）…; and a doubt."""
    paras = paragraphs(lines)
    if len(paras) < 2 or not MARK_L2.match(paras[0].text) or sum(bool(MARK_L2.match(p.text)) for p in paras) < 2:
        return "\n\n".join(p.text for p in paras), None
    items: list[Node] = []
    doubt = None
    for p in paras:
        if MARK_L2.match(p.text):
            parts = _split_title(strip_marker(p.text))
            if parts is None:
                return "\n\n".join(p.text for p in paras), None
            title, body, split = parts
            doubt = doubt or ("按（一）（二）……分条，标题取每条第一个逗号之前的文字" if split else None)
            items.append({"标题": title, "内容": body} if body else {"标题": title})
        else:
            last = items[-1]
            assert isinstance(last, dict)
            last["内容"] = f"{last['内容']}\n\n{p.text}" if "内容" in last else p.text
    return items, doubt


def _split_title(text: str) -> tuple[str, str, bool] | None:
    """(title, body, whether the title was cut at a comma), or None when the item has no title."""
    if len(text) <= TITLE_MAX and text[-1:] not in "。；;":
        return text, "", False
    m = re.search(r"[，,：:]", text)
    if m and 2 <= m.start() <= TITLE_MAX:
        return text[: m.start()], text[m.end() :].strip(), True
    return None


def import_projects(lines: Sequence[Line], tracker: Tracker) -> list[Draft]:
    preamble, projects = split_projects(lines, tracker)
    header = read_header(preamble, lines)
    tracker.use(header.used)
    drafts = []
    for n, project in enumerate(projects):
        draft = _project_draft(project, header, tracker, len(projects) > 1)
        end = projects[n + 1].first - 1 if n + 1 < len(projects) else 1 << 30
        draft.span = (project.first if n else 0, end)
        drafts.append(draft)
    return drafts


def _project_draft(project: _Project, header: Header, tracker: Tracker, several: bool) -> Draft:
    d = Draft(Kind.PROJECT)
    d.put(("类型",), Kind.PROJECT.value)
    d.put(("单位",), header.unit or "", header.doubts.get("单位"))
    d.put(("年度",), header.year or "", header.doubts.get("年度"))
    if header.title:
        marker = project.marker or ""
        marker = marker if marker[:1] in "（(" or not marker else f"（{marker}）"
        title = f"{header.title}{marker}"  # the marker is part of what the document says about this project
        d.put(("标题",), title)
    sec = project.sections
    for key in sec:
        body = sec[key]
        if key in project.inline:
            no, text = project.inline[key]
            body = [Line(no, text), *body]
        _section(d, key, body, tracker, project)
    if "项目名称" not in d.data:
        name = re.sub(r"^[（(]?\s*项目\s*[一二三四五六七八九十\d]+\s*[:：]?|[)）]$", "", project.marker or "")
        d.put(("项目名称",), name, "原文没有“项目名称”一节，取自项目标记" if name else "没有找到项目名称")
    implementer = d.data.get("项目实施单位")
    if isinstance(implementer, str) and header.unit and implementer != header.unit and ("单位",) not in d.doubts:
        d.doubt(("单位",), f"标题中的单位与项目实施单位“{implementer}”不同，请确认是哪一个单位公开的")
    d.label = f"项目文本：{d.data.get('项目名称', '')}"
    return d


def _section(d: Draft, key: str, body: list[Line], tracker: Tracker, project: _Project) -> None:
    if key == "项目名称":
        paras = paragraphs(body)
        if paras:
            d.put(("项目名称",), paras[0].text)
            tracker.use(range(paras[0].first, paras[0].last + 1))
    elif key in LONG_TEXT:
        value, doubt = long_text(body)
        if value:
            d.put((key,), value, doubt)
            tracker.use_lines(body)
    elif key == "项目实施单位":
        implementer_section(d, body, tracker)
    elif key == "资金安排":
        _funding(d, paragraphs(body), tracker, body)
    elif key == "绩效目标":
        _targets(d, body, tracker)


def _funding(d: Draft, paras: list[Para], tracker: Tracker, body: list[Line]) -> None:
    funding = parse_funding(paras)
    if not funding.found:
        return
    node = funding.node()
    existing = d.get(("资金安排",))
    if isinstance(existing, dict):  # 资金来源 from 项目实施单位 (经费来源：…)
        node = {**existing, **node}
    d.put(("资金安排",), node)
    for key, reason in funding.doubts.items():
        d.doubt(("资金安排", key), reason)
    for i, reason in funding.line_doubts.items():
        d.doubt(("资金安排", "明细", i), reason)
    tracker.use_lines(body)


def _targets(d: Draft, body: list[Line], tracker: Tracker) -> None:
    table = parse_table(body, tracker, budget_of(d))
    if table.target:
        d.put(("绩效目标", "年度目标"), table.target)
    if table.count:
        d.put(("绩效目标", "绩效指标"), table.node)
        for path, reason in table.doubts.items():
            d.doubt(("绩效目标", "绩效指标", *path), reason)
    name = d.data.get("项目名称")
    if table.project and name and squash(table.project) != squash(str(name)):
        tracker.reject(body[0].no if body else 0, table.project)
