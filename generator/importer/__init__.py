"""`gongkai import`: an existing disclosure (.txt/.docx) → YAML drafts in the content format.

The pipeline, one module per stage:
  read.py            file → normalized numbered lines
  detect.py          which kind of disclosure; unit, year and title from its head
  project_text.py    项目文本 sections (with profile.py, funding.py, indicators.py)
  target_table.py    项目支出绩效目标表 block layout (with indicators.py)
  self_evaluation.py 整体绩效自评报告 outline and budget figures
  draft.py           drafts → YAML with `# 待核对` comments
  command.py         the command: write files, report what could not be placed

Nothing is dropped: every input line is either placed in a draft or listed under
the draft's 未识别 key (and in the command's report) with its line number.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from generator.corpus.model import Kind
from generator.importer.detect import detect_kind, read_header
from generator.importer.draft import Draft
from generator.importer.project_text import count_headings, import_projects
from generator.importer.read import Line
from generator.importer.self_evaluation import import_self_evaluation
from generator.importer.target_table import import_targets
from generator.importer.text import Tracker

log = logging.getLogger(__name__)

__all__ = ["Draft", "import_lines"]


def import_lines(lines: Sequence[Line], source: str) -> list[Draft]:
    """Drafts for the text `lines` read from the file named `source`; never raises on odd input."""
    tracker = Tracker(lines)
    kind = detect_kind(lines, count_headings(lines))
    try:
        drafts = _parse(kind, lines, tracker)
    except Exception:  # the importer must not crash on any text: keep it all for the author instead
        log.exception("导入“%s”时内部出错，全部文字放在“未识别”下", source)
        tracker = Tracker(lines)
        drafts = [_unknown(lines, tracker)]
    _distribute(drafts, tracker)
    for draft in drafts:
        draft.notes = _notes(source, draft)
        for companion in draft.companions:
            companion.notes = _notes(source, companion)
    return drafts


def _parse(kind: Kind | None, lines: Sequence[Line], tracker: Tracker) -> list[Draft]:
    if kind is Kind.PROJECT:
        drafts = import_projects(lines, tracker)
        if drafts:
            return drafts
    if kind is Kind.TARGETS:
        return [import_targets(lines, tracker)]
    if kind is Kind.SELF_EVALUATION:
        return [import_self_evaluation(lines, tracker)]
    return [_unknown(lines, tracker)]


def _unknown(lines: Sequence[Line], tracker: Tracker) -> Draft:
    """No layout recognized: the common keys (guessed where possible) and all text under 未识别."""
    header = read_header(lines[:10], lines)
    d = Draft(Kind.PROJECT, recognized=False)
    d.put(("类型",), "", "未能判断文本类型：请填写 项目文本、绩效目标表 或 整体绩效自评报告")
    d.put(("单位",), header.unit or "", header.doubts.get("单位"))
    d.put(("年度",), header.year or "", header.doubts.get("年度"))
    d.label = "未能识别的文本"
    return d


def _distribute(drafts: list[Draft], tracker: Tracker) -> None:
    """Give each draft the unplaced text of its own lines; text outside every draft goes to the first."""
    spans = [d.span for d in drafts]
    for chunk in tracker.unplaced():
        owner = next((d for d, (a, b) in zip(drafts, spans, strict=True) if a <= chunk.first <= b), drafts[0])
        owner.unplaced.append(chunk)


def _notes(source: str, draft: Draft) -> list[str]:
    notes = [f"由 gongkai import 从“{source}”生成的草稿，发布前请逐项对照原文核对。"]
    if draft.kind is None:
        notes.append("单位档案草稿：放到 content/units/；如果已有该单位的档案，请把新信息合并过去，不要重复建档。")
    if draft.doubts:
        notes.append("标有“# 待核对”的值是推测出来的，请确认或改正后删去该注释。")
    if draft.unplaced:
        notes.append(
            "“未识别”下是没能归位的原文（带行号）：请把它们移到正确的键下，然后删去“未识别”，"
            "否则 gongkai check 会报“不认识的键”。"
        )
    return notes
