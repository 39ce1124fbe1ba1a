"""项目支出绩效自评表: the form of one project and year, in any of the layouts units print it.

The form is read row by row, each row a list of cells (tabs from the readers, `|`, runs of
spaces), by what the row is, not where it stands:
- `项目名称`, `主管部门`, `实施单位`, `预期目标`, `实际完成情况`, `总分`, `自评等级` (and their
  spellings in `vocabulary.EVAL_LABELS`), as a label cell before its value cell or as
  `label：value` in one cell (several such in one line are cut apart); header text may
  have spaces (`项 目 名 称`);
- the 项目资金 header and rows (`evaluation_funds.py`), the 绩效指标 header and rows
  (`evaluation_rows.py`); cells and labels from `evaluation_cells.py`;
- `年度总体目标 | 预期目标 | 实际完成情况` over a row of the two texts (or each label beside
  its text);
- `总分` with its figures (`100 | 97.3`: 分值合计, then 得分; on a grid, by the columns) and,
  in the same row or its own, the 自评等级;
- 备注, 填表人 and other rows the format has no key for go into the draft's header comment.
A cell the form has no place for goes to 未识别. A document holding several forms (a
`项目名称` row after a table) gives one draft per form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from generator.corpus.model import Kind
from generator.corpus.money import normalize
from generator.importer.detect import PLACE, YEAR, Header, read_header
from generator.importer.draft import Draft, Node
from generator.importer.evaluation_cells import Row, cells_of, label_of, one_cell, segments, unit_line
from generator.importer.evaluation_funds import FundReader, fund_columns, fund_label
from generator.importer.evaluation_rows import Header as RowsHeader
from generator.importer.evaluation_rows import ResultsBuilder, header_at, is_blank, is_score, level1
from generator.importer.read import Line
from generator.importer.tables import canon2
from generator.importer.text import LABEL_LINE, Tracker, join_pieces, squash, tidy
from generator.importer.vocabulary import (
    EVAL_BLOCKS,
    GRADE_WORDS,
    form_word,
)

GOAL = ("年度总体目标.预期目标", "年度总体目标.实际完成情况")


def import_evaluations(lines: Sequence[Line], tracker: Tracker) -> list[Draft]:
    content = [ln for ln in lines if not ln.blank]
    pipes = sum(1 for ln in content if "|" in ln.text) * 2 > len(content)
    rows: list[Row] = [(ln, cells_of(ln.text, pipes) if not ln.blank else []) for ln in lines]
    drafts = [_Form(seg, lines, tracker).read() for seg in segments(rows)]
    for n, draft in enumerate(drafts):
        end = drafts[n + 1].span[0] - 1 if n + 1 < len(drafts) else 1 << 30
        draft.span = (draft.span[0] if n else 0, end)
    return drafts


def _plain_text(cell: str) -> bool:
    """Prose, not a label, figure, dash or part of the form's frame."""
    return (
        not is_blank(cell)
        and not is_score(cell)
        and form_word(cell) not in EVAL_BLOCKS
        and level1(cell) is None
        and canon2(cell) is None
        and unit_line([cell]) is None
    )


class _Form:
    def __init__(self, rows: Sequence[Row], all_lines: Sequence[Line], tracker: Tracker) -> None:
        self.rows, self.all_lines, self.tracker = rows, all_lines, tracker
        first = rows[0][0].no if rows else 0
        self.d = Draft(Kind.PROJECT_EVALUATION, span=(first, 1 << 30))
        self.values: dict[str, tuple[str, str | None]] = {}  # key → (value, doubt)
        self.unit: tuple[str, str] | None = None
        self.funds: FundReader | None = None
        self.results: ResultsBuilder | None = None
        self.goal_columns: tuple[int, dict[int, str]] | None = None  # (header width, index → key)
        self.total: tuple[str, str | None] | None = None
        self.points_total: str | None = None
        self.grade: str | None = None
        self.remarks: list[str] = []
        self.open_text: str | None = None  # what a wrapped line continues: a GOAL key, "results" or "remark"
        for _, cells in rows:  # `金额单位：万元` anywhere in the form is for every bare amount
            if (m := unit_line(cells)) is not None:
                self.unit = (m.group(1), f"“{m.group(0)}”")
                break

    def read(self) -> Draft:
        start = next(
            (i for i, (ln, cells) in enumerate(self.rows) if not ln.blank and self._starts(cells)), len(self.rows)
        )
        head = [one_cell(ln, cells) for ln, cells in self.rows[:start] if not ln.blank]
        titled = next((n for n, ln in enumerate(head) if "自评" in ln.text or YEAR.search(ln.text)), 0)
        for line in head[:titled]:  # `附件3`, a sheet's name: above the title, kept in the header comment
            self.remarks.append(f"原表第{line.no}行（标题之上）：{line.text.strip()}")
            self.tracker.use([line.no])
        header = read_header(head[titled:], self.all_lines)
        self.tracker.use(header.used)
        i = 0
        while i < len(self.rows):
            i += self._row(i)
        self._assemble(header)
        return self.d

    def _starts(self, cells: Sequence[str]) -> bool:
        filled = [c for c in cells if c.strip()]
        if any(label_of(c) for c in filled) or bool(filled and LABEL_LINE.match(filled[0])):
            return True
        if "自评" in "".join(filled) and all(c.strip() and fund_columns([c]) is None for c in filled):
            return False  # a title with spaces in it (`示例县信访局 2022 年度项目支出绩效自评表`)
        return len(filled) > 1

    # -- one row ---------------------------------------------------------------------------------

    def _row(self, i: int) -> int:
        line, cells = self.rows[i]
        if line.blank or line.no in self.tracker.used:
            return 1
        if unit_line(cells) is not None:
            self.tracker.use([line.no])
            return 1
        if self.funds is None and (columns := fund_columns(cells)) is not None:
            self.funds = FundReader(cells, columns, self.unit)
            self.tracker.use([line.no])
            return 1
        if self.results is None and (header := header_at([c for _, c in self.rows[i : i + 2]], 0)) is not None:
            self.results = ResultsBuilder(header)
            self.tracker.use(ln.no for ln, _ in self.rows[i : i + header.rows])
            return header.rows
        first = next((c for c in cells if c.strip()), "")
        found = label_of(first)
        if self._continues(line, cells, found):
            return 1
        in_funds = self.funds is not None and self.results is None and fund_label(cells) is not None
        if found is not None and found[0] == "总分" and not in_funds:  # `合计` is also a 项目资金 row
            self._done(line, self._total(cells))
            return 1
        if self.goal_columns is not None and found is None and fund_label(cells) is None:
            self._done(line, self._goal_texts(cells))
            return 1
        self.goal_columns = None
        if self.funds is not None and self.results is None and (label := fund_label(cells)) is not None:
            self._done(line, self.funds.row(line.no, cells, label))
            return 1
        if (
            self.results is not None
            and found is None
            and (form_word(first) not in EVAL_BLOCKS or form_word(first) == "绩效指标")
        ):
            self._done(line, self.results.row(line.no, cells))
            self.open_text = "results"
            return 1
        self._done(line, self._labels(line, cells))
        return 1

    def _continues(self, line: Line, cells: Sequence[str], found: tuple[str, str | None] | None) -> bool:
        """A line of one text cell after a text that ended its row: the text wrapped (a .txt from a PDF)."""
        open_text, self.open_text = self.open_text, None
        filled = [c.strip() for c in cells if c.strip()]
        if len(filled) != 1 or found is not None or not _plain_text(filled[0]) or fund_label(cells) is not None:
            return False
        if open_text == "remark" and self.remarks:
            self.remarks[-1] = join_pieces(self.remarks[-1], tidy(filled[0]))
        elif open_text in self.values:
            value, doubt = self.values[open_text]
            self.values[open_text] = (join_pieces(value, tidy(filled[0])), doubt)
        elif not (open_text == "results" and self.results is not None and self.results.continue_text(filled[0])):
            return False
        self.open_text = open_text
        self.tracker.use([line.no])
        return True

    def _done(self, line: Line, rejected: Sequence[str]) -> None:
        """Mark the line placed, and report the cells that were not; a line with nothing placed stays unplaced."""
        filled = [c for c in self.rows_cells(line) if c.strip() and not is_blank(c)]
        rejected = [c for c in rejected if c.strip() and not is_blank(c)]
        if filled and len(rejected) >= len(filled):
            return
        self.tracker.use([line.no])
        for cell in rejected:
            self.tracker.reject(line.no, cell)

    def rows_cells(self, line: Line) -> list[str]:
        return next(cells for ln, cells in self.rows if ln.no == line.no)

    def _labels(self, line: Line, cells: Sequence[str]) -> list[str]:
        rejected: list[str] = []
        filled = [c.strip() for c in cells if c.strip() and not is_blank(c)]
        goal = {n: label_of(c) for n, c in enumerate(cells) if c.strip()}
        bare = {n: f[0] for n, f in goal.items() if f and f[1] is None and f[0] in GOAL}
        if len(bare) >= 2 and all(label_of(c) or form_word(c) in EVAL_BLOCKS for c in filled):
            self.goal_columns = (len(cells), bare)  # `年度总体目标 | 预期目标 | 实际完成情况` over the texts
            return []
        k = 0
        while k < len(filled):
            cell = filled[k]
            nxt = filled[k + 1] if k + 1 < len(filled) else None
            free = nxt is not None and label_of(nxt) is None and form_word(nxt) not in EVAL_BLOCKS
            found = label_of(cell)
            if found is None:
                if form_word(cell) in ("年度总体目标", "总体目标") and free and not any(label_of(c) for c in filled):
                    assert nxt is not None
                    self._put(GOAL[0], nxt, "原表“年度总体目标”只有一栏文字，已填为预期目标；如含实际完成情况请分开")
                    k += 2
                    continue
                if form_word(cell) not in EVAL_BLOCKS:
                    rejected.append(cell)
                k += 1
                continue
            key, value = found
            if value is None and free:
                assert nxt is not None
                value, k = nxt, k + 1
            k += 1
            if key.startswith("!"):
                self.remarks.append(
                    f"原表第{line.no}行{key[1:]}：{value}" if value else f"原表第{line.no}行：{key[1:]}"
                )
                self.open_text = "remark" if value and k >= len(filled) else None
            elif key == "自评等级":
                if value:
                    self._grade(value, rejected)
            elif value is not None:
                rejected.extend(self._put(key, value))
                if key in GOAL and k >= len(filled):
                    self.open_text = key
        return rejected

    def _put(self, key: str, value: str, doubt: str | None = None) -> list[str]:
        value = tidy(value)
        if key in self.values and self.values[key][0]:
            return [] if squash(self.values[key][0]) == squash(value) else [value]
        self.values[key] = (value, doubt)
        return []

    def _goal_texts(self, cells: Sequence[str]) -> list[str]:
        assert self.goal_columns is not None
        width, columns = self.goal_columns
        self.goal_columns = None
        if len(cells) == width:
            texts = {key: cells[n] for n, key in columns.items() if cells[n].strip()}
            rest = [c for n, c in enumerate(cells) if n not in columns and form_word(c) not in EVAL_BLOCKS]
        else:
            filled = [c for c in cells if c.strip() and form_word(c) not in EVAL_BLOCKS]
            keys = [columns[n] for n in sorted(columns)]
            texts = dict(zip(keys, filled, strict=False))
            rest = filled[len(keys) :]
        for key, text in texts.items():
            rest.extend(self._put(key, text))
        filled = [c.strip() for c in cells if c.strip()]
        last = [k for k, t in texts.items() if filled and t.strip() == filled[-1]]
        self.open_text = last[0] if last and not rest else None
        return rest

    def _total(self, cells: Sequence[str]) -> list[str]:
        rejected: list[str] = []
        numbers: list[tuple[int, str]] = []
        start = next(n for n, c in enumerate(cells) if c.strip())
        found = label_of(cells[start])
        assert found is not None
        items = [(start, found[1])] if found[1] else []
        items += [(n, c.strip()) for n, c in enumerate(cells) if n > start and c.strip()]
        k = 0
        while k < len(items):
            n, cell = items[k]
            label = label_of(cell)
            if is_score(cell):
                numbers.append((n, re.sub(r"\s+", "", cell)))
            elif label and label[0] == "自评等级":
                value = label[1] or (items[k + 1][1] if k + 1 < len(items) else None)
                k += 0 if label[1] else 1
                if value:
                    self._grade(value, rejected)
            elif squash(cell) in GRADE_WORDS or form_word(cell) in GRADE_WORDS:
                self._grade(cell, rejected)
            elif not is_blank(cell):
                rejected.append(cell)
            k += 1
        header = self.results.header if self.results else None
        total, points = self._total_figures(numbers, header, len(cells), rejected)
        if total is not None:
            self.total = (total, None)
        self.points_total = points
        return rejected

    def _total_figures(
        self, numbers: list[tuple[int, str]], header: RowsHeader | None, width: int, rejected: list[str]
    ) -> tuple[str | None, str | None]:
        """(总分, 分值合计) from the figures of the 总分 row."""
        if header is not None and width == len(header.roles) and len(numbers) >= 1:
            by = dict(numbers)
            s, p = header.index("score"), header.index("points")
            if s is not None and s in by:
                rejected.extend(v for n, v in numbers if n not in (s, p))
                return by[s], by.get(p) if p is not None else None
        values = [v for _, v in numbers]
        if not values:
            return None, None
        if len(values) == 1:
            return values[0], None
        rejected.extend(values[:-2])
        a, b = values[-2:]
        try:  # 得分 is never above 分值: the smaller figure is the 总分, the larger the 分值合计
            low_first = Decimal(normalize(a).removesuffix("分")) <= Decimal(normalize(b).removesuffix("分"))
        except InvalidOperation:
            low_first = False
        return (a, b) if low_first else (b, a)

    def _grade(self, value: str, rejected: list[str]) -> None:
        word = squash(value)
        grade = GRADE_WORDS.get(word) or GRADE_WORDS.get(form_word(value))  # `优（90分及以上）`
        if grade is None or self.grade is not None:
            rejected.append(value)
            return
        self.grade = grade
        if grade != word:
            self.d.doubt(("自评等级",), f"原文为“{value.strip()}”，已按 优 良 中 差 填写")

    # -- the draft -------------------------------------------------------------------------------

    def _assemble(self, header: Header) -> None:
        d = self.d
        d.put(("类型",), Kind.PROJECT_EVALUATION.value)
        unit, doubt = self._unit(header)
        d.put(("单位",), unit, doubt)
        d.put(("年度",), header.year or "", header.doubts.get("年度"))
        if header.title:
            d.put(("标题",), header.title)
        name = self.values.get("项目名称", ("", None))[0]
        d.put(("项目名称",), name, None if name else "没有找到项目名称，请从原文填写")
        for key in ("主管部门", "实施单位"):
            if self.values.get(key, ("", None))[0]:
                d.put((key,), self.values[key][0])
        self._put_funds()
        for key in GOAL:
            if key in self.values:
                value, reason = self.values[key]
                d.put(tuple(key.split(".")), value, reason)
        self._put_results()
        self._put_total()
        d.label = f"项目支出绩效自评表：{name}"
        d.remarks.extend(self.remarks)

    def _unit(self, header: Header) -> tuple[str, str | None]:
        for key in ("实施单位", "主管部门"):
            value = self.values.get(key, ("", None))[0]
            if value:
                doubt = "取自“主管部门”；如实施单位不是它，请改为实施单位" if key == "主管部门" else None
                if not PLACE.search(value[:-1]):
                    doubt = f"原文只写“{value}”，请改为单位档案中的全称或别名"
                return value, doubt
        return header.unit or "", header.doubts.get("单位")

    def _put_funds(self) -> None:
        if self.funds is None:
            self.d.put(
                ("项目资金",),
                {"年度资金总额": {"全年预算数": "", "全年执行数": ""}},
                "没有找到项目资金表，请从原文填写",
            )
            return
        funds = self.funds.result()
        node: dict[str, Node] = dict(funds.node)
        if "年度资金总额" not in node:
            node["年度资金总额"] = {"全年预算数": "", "全年执行数": ""}
            funds.doubts[("年度资金总额",)] = "没有找到“年度资金总额”一行，请从原文填写"
        self.d.put(("项目资金",), node)
        for path, reason in funds.doubts.items():
            self.d.doubt(("项目资金", *path), reason)

    def _put_results(self) -> None:
        if self.results is None:
            self.d.put(("绩效指标",), {}, "没有找到绩效指标表，请从原文填写")
            return
        results = self.results.finish()
        for no in self.results.stranded:
            line = next(ln for ln, _ in self.rows if ln.no == no)
            self.tracker.used.discard(no)
            self.tracker.reject(no, line.text.replace("\t", " | ").strip())
            self.tracker.use([no])
        self.d.put(("绩效指标",), results.node, None if results.count else "没有读出三级指标，请从原文填写")
        for path, reason in results.doubts.items():
            self.d.doubt(("绩效指标", *path), reason)
        self.remarks.extend(f"原表{s}（格式中没有一级指标小计，草稿不另记）" for s in results.subtotals)

    def _put_total(self) -> None:
        d = self.d
        if self.total is None:
            d.put(("总分",), "", "没有找到总分，请从原文填写")
        else:
            d.put(("总分",), self.total[0])
        if self.grade is not None:
            d.put(("自评等级",), self.grade, d.doubts.get(("自评等级",)))
        if self.points_total is None:
            return
        points = [str(v) for v in _scores(d.data, "分值")]
        summed = _sum(points)
        given = _sum([self.points_total])
        if summed is not None and summed == given:
            self.remarks.append(f"原表总分行的分值合计 {self.points_total}，与各项分值之和相符。")
        else:
            d.doubt(("总分",), f"原表总分行另写分值合计 {self.points_total}，而各项分值之和为 {summed}")


def _scores(node: Node, key: str) -> list[Node]:
    """Every value under `key` anywhere in `node`."""
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == key and isinstance(v, str)] + [
            x for k, v in node.items() if k != key for x in _scores(v, key)
        ]
    if isinstance(node, list):
        return [x for item in node for x in _scores(item, key)]
    return []


def _sum(values: Sequence[str]) -> Decimal | None:
    try:
        return sum((Decimal(normalize(v).replace(" ", "").removesuffix("分")) for v in values if v), Decimal(0))
    except InvalidOperation:
        return None


__all__ = ["import_evaluations"]
