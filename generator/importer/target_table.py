"""项目支出绩效目标表: the block part (`项目名称:⇥信访维稳工作经费⇥项目编码:⇥…`) and its indicators.

Each line of the block part holds `label: value` pairs in tab-, `|`- or space-separated
cells, or `label: value` in one cell; labels are those of `vocabulary.TARGET_LABELS`.
OCR sometimes drops a label into the middle of its text (`…意见》 政策依据: (九办发…`);
the label is taken out and the text joined, marked 待核对. Bare amounts (`17.6`) take
their unit from the label (`项目总金额(万元)`), a group label (`项目资金（万元）`), a
`金额单位：万元` line, or the same figure elsewhere in the text (`17.6万元`), marked
待核对 unless the label itself gave it. The indicator table starts at its header row.
A document that repeats the block (`项目名称` again after a table), or whose table has a
项目名称 column naming several projects, gives one draft per project.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from generator.corpus.errors import ContentError
from generator.corpus.model import Kind
from generator.corpus.money import parse_money
from generator.importer.detect import Header, read_header
from generator.importer.draft import Draft
from generator.importer.indicators import Table, parse_table, split_row, starts_table
from generator.importer.read import Line
from generator.importer.rows import _stream_start
from generator.importer.target_values import BlockReader, label_match
from generator.importer.text import Tracker, squash
from generator.importer.vocabulary import TARGET_BLOCKS as BLOCKS


def _is_table_start(lines: Sequence[Line], i: int) -> bool:
    return starts_table(lines[i].text) or _stream_start(lines[i : i + 8]) == 0


def _has_label(text: str) -> bool:
    return label_match(text) is not None


def _segments(lines: Sequence[Line]) -> list[Sequence[Line]]:
    """One run of lines per project: a 项目名称 label after an indicator table starts the next."""
    cuts = [0]
    seen_table = False
    for i, line in enumerate(lines):
        if _is_table_start(lines, i):
            seen_table = True
            continue
        m = label_match(line.text)
        if seen_table and m is not None and m[0] == "项目名称":
            cuts.append(i)
            seen_table = False
    return [lines[a:b] for a, b in zip(cuts, [*cuts[1:], len(lines)], strict=True)]


def import_targets(lines: Sequence[Line], tracker: Tracker) -> list[Draft]:
    segments = _segments(lines)
    drafts: list[Draft] = []
    header: Header | None = None
    for n, segment in enumerate(segments):
        for draft in _import_one(segment, lines, tracker, header):
            drafts.append(draft)
        if n == 0 and drafts:
            header = _shared_header(drafts[0])
    for n, draft in enumerate(drafts):
        end = drafts[n + 1].span[0] - 1 if n + 1 < len(drafts) else 1 << 30
        draft.span = (draft.span[0] if n else 0, end)
    return drafts


def _shared_header(d: Draft) -> Header:
    h = Header(unit=str(d.data.get("单位") or "") or None, year=str(d.data.get("年度") or "") or None)
    h.title = str(d.data["标题"]) if "标题" in d.data else None
    for key in ("单位", "年度"):
        if (key,) in d.doubts:
            h.doubts[key] = d.doubts[(key,)]
    return h


def _import_one(
    lines: Sequence[Line], all_lines: Sequence[Line], tracker: Tracker, shared: Header | None
) -> list[Draft]:
    start = next((i for i, ln in enumerate(lines) if _has_label(ln.text) or _is_table_start(lines, i)), len(lines))
    table_at = next((i for i in range(start, len(lines)) if _is_table_start(lines, i)), len(lines))
    head = [ln for ln in lines[:start] if not ln.blank]
    d = Draft(Kind.TARGETS, span=(lines[0].no if lines else 0, 1 << 30))
    if shared is None:
        header = read_header(head, all_lines)
        tracker.use(header.used)
    else:
        header = shared
    _common(d, header)
    tracker.use(ln.no for ln in head if squash(ln.text) in BLOCKS)
    reader = BlockReader(d, all_lines, tracker, BLOCKS)
    for line in lines[:table_at]:
        if not line.blank and line.no not in tracker.used:
            reader.line(line)
    table = parse_table(lines[table_at:], tracker, _budget(d))
    parts = [p for p in table.parts if p.count] or [table]
    drafts = []
    for n, part in enumerate(parts):
        draft = d if n == 0 else _copy_common(d, part.first)
        _put_table(draft, part, reader, several=len(parts) > 1)
        drafts.append(draft)
    return drafts


def _copy_common(d: Draft, first: int) -> Draft:
    copy = Draft(Kind.TARGETS, span=(first, 1 << 30))
    for key in ("类型", "单位", "年度", "标题"):
        if key in d.data:
            copy.put((key,), d.data[key], d.doubts.get((key,)))
    return copy


def _put_table(d: Draft, part: Table, reader: BlockReader, several: bool) -> None:
    if part.project and (several or "项目名称" not in d.data):
        d.put(("项目名称",), part.project)
    if part.target and "年度绩效目标" not in d.data:
        d.put(("年度绩效目标",), part.target)
    if part.budget and not d.get(("基本信息", "本年度预算金额")):
        value, doubt = reader.money(part.budget, None)
        d.put(("基本信息", "本年度预算金额"), value, doubt)
    if part.count:
        d.put(("绩效指标",), part.node)
        for path, reason in part.doubts.items():
            d.doubt(("绩效指标", *path), reason)
    if not d.get(("项目名称",)):
        d.put(("项目名称",), "", "没有找到项目名称，请从原文填写")
    total = d.get(("基本信息", "项目总金额"))
    if not d.get(("基本信息", "本年度预算金额")) and isinstance(total, str) and total:
        d.put(("基本信息", "本年度预算金额"), total, "原表只写了项目总金额，按它填写；如本年度预算不同请改正")
    elif not d.get(("基本信息", "本年度预算金额")):
        d.put(("基本信息", "本年度预算金额"), "", "没有找到本年度预算金额，请从原文填写")
    d.label = f"绩效目标表：{d.data.get('项目名称', '')}"


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


__all__ = ["import_targets", "split_row"]
