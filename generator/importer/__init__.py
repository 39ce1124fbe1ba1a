"""`gongkai import`: existing disclosures (.txt .docx .xlsx .pdf .html) → YAML drafts.

In: a file (`read/` makes a `Document` of numbered lines, tables as tab-separated rows).
Out: `Draft`s in the content format, each value either placed or listed under 未识别.

The pipeline, one module per stage:
  read/              file → Document (one reader per file type)
  chrome.py          page chrome (menus, 【打印】, page numbers, contents) set apart and listed
  detect.py          which kind of disclosure; unit, year and title from its head
  rows.py, tables.py table rows out of lines; header row(s) → column roles; rows fitted to them
  vocabulary.py      every label and column header with its synonyms (listed in the author docs)
  project_text.py    项目文本 sections (with profile.py, funding.py, indicators.py)
  target_table.py    项目支出绩效目标表 (with target_values.py, indicators.py)
  self_evaluation.py 整体绩效自评报告 outline and budget figures
  project_evaluation.py 项目支出绩效自评表 (with evaluation_cells.py, evaluation_funds.py, evaluation_rows.py)
  units.py           the drafted 单位 matched against content/units
  coverage.py        the no-loss check: every run of the input is in a draft
  draft.py           drafts → YAML with `# 待核对` comments
  command.py         the command: files and folders, write drafts, report

Nothing is dropped: every input line is placed in a draft, listed under the draft's
未识别 key with its line number, or (page chrome) named in the draft's header comment.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from generator.corpus.model import Kind
from generator.importer.chrome import Chrome, find_chrome
from generator.importer.coverage import lost_runs
from generator.importer.detect import detect_kind, read_header
from generator.importer.draft import Draft
from generator.importer.project_evaluation import import_evaluations
from generator.importer.project_text import count_headings, import_projects
from generator.importer.read import Document, Line
from generator.importer.self_evaluation import import_self_evaluation
from generator.importer.target_table import import_targets
from generator.importer.text import Chunk, Tracker
from generator.importer.units import UnitIndex

log = logging.getLogger(__name__)

__all__ = ["Draft", "Options", "import_document", "import_lines"]


@dataclass(frozen=True)
class Options:
    """What the author said on the command line, and the unit profiles to match against."""

    unit: str | None = None
    year: str | None = None
    units: UnitIndex | None = None


def import_lines(lines: Sequence[Line], source: str, options: Options | None = None) -> list[Draft]:
    """Drafts for the text `lines` read from the file named `source`; never raises on odd input."""
    return import_document(Document(list(lines)), source, options)


def import_document(document: Document, source: str, options: Options | None = None) -> list[Draft]:
    options = options or Options()
    lines = document.lines
    chrome = find_chrome(lines, document.dropped)
    chrome_nos = {ln.no for ln in chrome.lines}
    body = [Line(ln.no, "") if ln.no in chrome_nos else ln for ln in lines]
    tracker = Tracker(body)
    kind, guessed = detect_kind(body, count_headings(body))
    try:
        drafts = _parse(kind, body, tracker)
    except Exception:  # the importer must not crash on any text: keep it all for the author instead
        log.exception("导入“%s”时内部出错，全部文字放在“未识别”下", source)
        tracker = Tracker(body)
        drafts = [_unknown(body, tracker)]
    _distribute(drafts, tracker)
    for draft in drafts:
        _finish(draft, chrome, options, body, guessed and draft.recognized)
        draft.notes = _notes(source, draft, chrome if draft is drafts[0] else Chrome())
        for companion in draft.companions:
            companion.notes = _notes(source, companion, Chrome())
    _rescue(lines, drafts)
    return drafts


def _parse(kind: Kind | None, lines: Sequence[Line], tracker: Tracker) -> list[Draft]:
    if kind is Kind.PROJECT:
        drafts = import_projects(lines, tracker)
        if drafts:
            return drafts
    if kind is Kind.TARGETS:
        return import_targets(lines, tracker)
    if kind is Kind.SELF_EVALUATION:
        return [import_self_evaluation(lines, tracker)]
    if kind is Kind.PROJECT_EVALUATION:
        return import_evaluations(lines, tracker)
    return [_unknown(lines, tracker)]


def _unknown(lines: Sequence[Line], tracker: Tracker) -> Draft:
    """No layout recognized: the common keys (guessed where possible) and all text under 未识别."""
    header = read_header(lines[:10], lines)
    d = Draft(Kind.PROJECT, recognized=False)
    d.put(("类型",), "", "未能判断文本类型：请填写 项目文本、绩效目标表、整体绩效自评报告 或 项目支出绩效自评表")
    d.put(("单位",), header.unit or "", header.doubts.get("单位"))
    d.put(("年度",), header.year or "", header.doubts.get("年度"))
    d.label = "未能识别的文本"
    return d


def _finish(draft: Draft, chrome: Chrome, options: Options, lines: Sequence[Line], guessed: bool) -> None:
    """发布日期 from the page, the unit matched to a profile, the author's --unit/--year, the kind's doubt."""
    if chrome.published and "发布日期" not in draft.data:
        draft.put(("发布日期",), chrome.published)
    if options.units is not None and isinstance(draft.data.get("单位"), str):
        options.units.match(draft, lines)
    if options.unit:
        draft.doubts.pop(("单位",), None)
        draft.put(("单位",), options.unit)
    if options.year:
        draft.doubts.pop(("年度",), None)
        draft.put(("年度",), options.year)
    draft.guessed_kind = guessed


def _distribute(drafts: list[Draft], tracker: Tracker) -> None:
    """Give each draft the unplaced text of its own lines; text outside every draft goes to the first."""
    spans = [d.span for d in drafts]
    for chunk in tracker.unplaced():
        owner = next((d for d, (a, b) in zip(drafts, spans, strict=True) if a <= chunk.first <= b), drafts[0])
        owner.unplaced.append(chunk)


def _rescue(lines: Sequence[Line], drafts: list[Draft]) -> None:
    """The no-loss guarantee: a line with a run found in no draft goes whole under 未识别."""
    lost = sorted({no for no, _ in lost_runs(lines, drafts)})
    if not lost:
        return
    log.warning("有 %d 行文字没有归位，已整行放在“未识别”下", len(lost))
    by_no = {ln.no: ln for ln in lines}
    for no in lost:
        owner = next((d for d in drafts if d.span[0] <= no <= d.span[1]), drafts[0])
        owner.unplaced.append(Chunk(no, no, by_no[no].text.replace("\t", " | ").strip()))
        owner.unplaced.sort(key=lambda c: c.first)
        owner.rescued.append(no)


def _notes(source: str, draft: Draft, chrome: Chrome) -> list[str]:
    notes = []
    if draft.guessed_kind and draft.kind is not None:
        notes.append(f"类型“{draft.kind.value}”是推测的：原文开头没有写明文本类型，请核对“类型”。")
    notes.append(f"由 gongkai import 从“{source}”生成的草稿，发布前请逐项对照原文核对。")
    if draft.kind is None:
        notes.append("单位档案草稿：放到 content/units/；如果已有该单位的档案，请把新信息合并过去，不要重复建档。")
    if draft.doubts:
        notes.append("标有“# 待核对”的值是推测出来的，请确认或改正后删去该注释。")
    if draft.unplaced:
        notes.append(
            "“未识别”下是没能归位的原文（带行号）：请把它们移到正确的键下，然后删去“未识别”，"
            "否则 gongkai check 会报“不认识的键”。"
        )
    notes.extend(draft.remarks)
    notes.extend(chrome.notes())
    return notes
