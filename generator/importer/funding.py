"""资金安排: money figures read out of the sentences of a project text's sixth section.

Recognized shapes (from the seeds and the official template):
  `一般公共预算安排535000元。`                          → 资金来源 + 合计
  `……专项资金预算3万元，资金安排情况：会议费0.5万元，……`   → 合计 + 明细
  `（一）……劝返工作经费30.58万元。` one per paragraph   → 明细
A figure whose name ends in 预算/合计/安排/总投入 … is the total; the others are lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from generator.corpus.errors import ContentError
from generator.corpus.money import parse_money
from generator.importer.draft import Draft, Node
from generator.importer.text import MoneyHit, Para, find_money, strip_marker, tidy

TOTAL_WORDS = re.compile(r"(?:预算|合计|总计|共计|总额|总金额|总投入|安排|预算资金|预算金额)[为是共:：]?$")
SOURCES = (
    "一般公共预算",
    "政府性基金预算",
    "国有资本经营预算",
    "社会保险基金预算",
    "财政拨款",
    "上级补助",
    "上级转移支付",
    "自筹资金",
)
_CLAUSE_SPLIT = re.compile(r"[，；;。]|(?<!\d),|,(?!\d)")
_JOINERS = re.compile(r"^(?:其中|和|及|以及|与|、|另|含)+")


@dataclass
class Funding:
    """The parsed section, ready to be written under 资金安排; `doubts` by key."""

    source: str | None = None
    total: str | None = None
    lines: list[dict[str, Node]] = field(default_factory=list)
    note: str | None = None
    doubts: dict[str, str] = field(default_factory=dict)
    line_doubts: dict[int, str] = field(default_factory=dict)

    def node(self) -> dict[str, Node]:
        out: dict[str, Node] = {}
        if self.source:
            out["资金来源"] = self.source
        if self.total:
            out["合计"] = self.total
        if self.lines:
            out["明细"] = list(self.lines)
        if self.note:
            out["说明"] = self.note
        return out

    @property
    def found(self) -> bool:
        return bool(self.total or self.lines)


@dataclass
class _Figure:
    name: str
    hit: MoneyHit
    rest: str  # text after the figure in its clause


def _figures(text: str) -> tuple[list[_Figure], list[str]]:
    """Figures with the name before each; clauses without a figure are returned as leftovers."""
    figures: list[_Figure] = []
    leftovers: list[str] = []
    for clause in _CLAUSE_SPLIT.split(text):
        clause = clause.strip()
        hits = find_money(clause)
        if not hits:
            if clause:
                leftovers.append(clause)
            continue
        start = 0
        for i, hit in enumerate(hits):
            name = clause[start : hit.start]
            segments = [seg for seg in re.split(r"[:：]", name) if seg.strip()]  # `资金安排情况：会议费` / `会议费：`
            name = segments[-1] if segments else ""
            name = _JOINERS.sub("", strip_marker(name)).strip(" 、")
            end = hits[i + 1].start if i + 1 < len(hits) else len(clause)
            rest = clause[hit.end : end] if i + 1 == len(hits) else ""
            figures.append(_Figure(name, hit, rest.strip()))
            start = hit.end
    return figures, leftovers


def _source_in(name: str) -> str | None:
    return next((s for s in SOURCES if s in name), None)


def parse_funding(paras: list[Para]) -> Funding:
    """Read 资金安排 from its paragraphs; unsure results carry doubts."""
    result = Funding()
    all_figures: list[_Figure] = []
    leftovers: list[str] = []
    for para in paras:
        figures, rest = _figures(para.text)
        all_figures.extend(figures)
        if figures:
            leftovers.extend(r for r in rest if not re.fullmatch(r"资金安排(?:情况)?[:：]?", r))
        else:
            leftovers.append(para.text)
    totals = [f for f in all_figures if TOTAL_WORDS.search(f.name) or not f.name]
    if len(all_figures) == 1 and not totals and ("安排" in all_figures[0].name or _source_in(all_figures[0].name)):
        totals = list(all_figures)  # `一般公共预算安排临时救助资金60万元`: the project's one amount
    lines = [f for f in all_figures if f not in totals]
    if len(all_figures) == 1 and not totals:
        lines = all_figures
    if totals:
        first = totals[0]
        result.total = first.hit.text
        result.source = _source_in(first.name)
        for extra in totals[1:]:
            if extra.hit.yuan != first.hit.yuan:
                result.doubts["合计"] = f"原文另有金额“{extra.name}{extra.hit.text}”，请核对哪一个是合计"
                leftovers.append(f"{extra.name}{extra.hit.text}")
    for f in lines:
        item: dict[str, Node] = {"名称": f.name, "金额": f.hit.text}
        if f.rest:
            item["说明"] = tidy(f.rest)
        result.lines.append(item)
        if len(f.name) > 40:
            result.line_doubts[len(result.lines) - 1] = "名称较长，可能混入了说明文字"
    _check_sum(result, [f.hit.yuan for f in lines], totals[0].hit.yuan if totals else None)
    if len(paras) == 1 or leftovers:
        result.note = "\n\n".join(p.text for p in paras) if len(paras) == 1 else "\n\n".join(leftovers)
    return result


def _check_sum(result: Funding, amounts: list[Decimal], total: Decimal | None) -> None:
    if total is None or not amounts or sum(amounts) == total:
        return
    result.doubts["合计"] = f"明细之和为{sum(amounts)}元，与合计{total}元不符，请核对原文"


def budget_of(draft: Draft) -> Decimal | None:
    """The project's budget in 元 from its 资金安排 (合计, else the sum of 明细), if readable."""
    node = draft.get(("资金安排",))
    if not isinstance(node, dict):
        return None
    try:
        total = node.get("合计")
        if isinstance(total, str):
            return parse_money(total)
        lines = node.get("明细")
        if isinstance(lines, list) and lines:
            return sum((parse_money(str(i["金额"])) for i in lines if isinstance(i, dict)), Decimal(0))
    except ContentError:
        return None
    return None
