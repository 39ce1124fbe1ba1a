"""The binary fixtures of tests/fixtures/import/, built here so that they can be rebuilt.

.docx with python-docx, .xlsx with openpyxl (merged cells, date serials, two sheets), and
.pdf printed by Chromium from the HTML under tests/fixtures/import/src/ (a ruled table, a
cover page, and a canvas-only page that stands for a scan). `make golden-import` builds
the ones that are missing (delete one to rebuild it; PDFs need /usr/bin/chromium), then
regenerates the expected drafts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from docx import Document
from openpyxl import Workbook

from . import evaluation_forms as E

IMPORT = Path(__file__).resolve().parent / "fixtures" / "import"
SRC = IMPORT / "src"
CHROMIUM = Path("/usr/bin/chromium")


def d01_merged_cells(path: Path) -> None:
    """A 绩效目标表 as Word tables: label cells merged across, 一级 cells merged down, ☑ box."""
    doc = Document()
    doc.add_paragraph("某某县退役军人事务局2023年项目支出绩效目标表")
    block = doc.add_table(rows=4, cols=4)
    rows = [
        ("项目名称", "退役军人就业创业培训", "", ""),
        ("实施单位", "某某县退役军人服务中心", "是否重点项目", "□是 ☑否"),
        ("项目总金额（万元）", "15", "本年度预算金额（万元）", "15"),
        ("年度绩效目标", "组织退役军人参加职业技能培训不少于120人次，培训合格率90%以上。", "", ""),
    ]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value:
                block.cell(r, c).text = value
    block.cell(0, 1).merge(block.cell(0, 3))
    block.cell(3, 1).merge(block.cell(3, 3))
    table = doc.add_table(rows=7, cols=4)
    data = [
        ("一级指标", "二级指标", "三级指标", "指标值"),
        ("产出指标", "数量指标", "培训人次", "≥120人次"),
        ("", "质量指标", "培训合格率", "≥90%"),
        ("", "时效指标", "培训完成时间", "2023年10月底前"),
        ("效益指标", "社会效益指标", "培训后就业率", "≥70%"),
        ("", "可持续影响指标", "就业服务长效机制", "逐步建立"),
        ("满意度指标", "服务对象满意度指标", "参训退役军人满意度", "≥90%"),
    ]
    for r, values in enumerate(data):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(3, 0))
    table.cell(4, 0).merge(table.cell(5, 0))
    doc.save(str(path))


def d02_project_text(path: Path) -> None:
    """A 项目文本 in paragraphs, its 绩效目标表 as a Word table with 一级 merged down."""
    doc = Document()
    for text in [
        "某某县民政局2023年预算重点领域财政项目文本公开",
        "一、项目名称",
        "困难群众临时救助资金",
        "二、立项依据",
        "根据《社会救助暂行办法》和省、市关于进一步加强临时救助工作的通知设立。",
        "三、项目实施单位",
        "某某县民政局",
        "四、项目基本概况",
        "对遭遇突发事件、意外伤害、重大疾病等导致基本生活陷入困境的家庭给予临时救助。",
        "五、项目实施内容",
        "按照“先行救助、事后补办”的原则，及时发放临时救助金。",
        "六、资金安排情况",
        "一般公共预算安排临时救助资金60万元。",
        "七、项目实施计划",
        "全年常态化受理，按月审核发放。",
        "八、项目实施成效",
        "困难群众临时救助及时率达到95%以上。",
        "九、项目绩效目标表",
    ]:
        doc.add_paragraph(text)
    table = doc.add_table(rows=4, cols=4)
    data = [
        ("一级指标", "二级指标", "三级指标", "指标值"),
        ("产出指标", "数量指标", "临时救助人次", "≥600人次"),
        ("", "时效指标", "救助金发放及时率", "≥95%"),
        ("满意度指标", "服务对象满意度指标", "救助对象满意度", "≥90%"),
    ]
    for r, values in enumerate(data):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    table.cell(1, 0).merge(table.cell(2, 0))
    doc.save(str(path))


def x01_targets_merged(path: Path) -> None:
    """A 绩效目标表 exported by a budget system: merged cells, dates as serials, a second sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "绩效目标表"
    ws.append(["2023年度项目支出绩效目标表"])
    ws.merge_cells("A1:D1")
    ws.append(["单位名称", "某某县住房和城乡建设局", None, None])
    ws.merge_cells("B2:D2")
    ws.append(["项目名称", "城镇老旧小区改造", "项目编码", "360483230000000088"])
    ws.append(["开始日期", 44927, "结束日期", 45291])  # serials: the cells were not formatted as dates
    ws.append(["项目总金额", 380, "本年度预算金额", 380])
    ws.append(["金额单位：万元", None, None, None])
    ws.append(["年度绩效目标", "完成5个老旧小区改造，惠及居民860户。", None, None])
    ws.merge_cells("B7:D7")
    ws.append(["一级指标", "二级指标", "三级指标", "指标值"])
    rows = [
        ("产出指标", "数量指标", "改造小区个数", "=5个"),
        (None, None, "惠及居民户数", "≥860户"),
        (None, "质量指标", "工程验收合格率", "100%"),
        (None, "时效指标", "开工时间", dt.date(2023, 6, 30)),
        ("效益指标", "社会效益指标", "居住环境", "明显改善"),
        ("满意度指标", "服务对象满意度指标", "居民满意度", "≥90%"),
    ]
    for row in rows:
        ws.append(list(row))
    ws.merge_cells("A9:A12")
    ws.merge_cells("B9:B10")
    notes = wb.create_sheet("填报说明")
    notes.append(["本表由某某县住房和城乡建设局填报，数据截至2023年1月。"])
    wb.save(str(path))


def x02_department_projects(path: Path) -> None:
    """A department's table of projects with a two-row header: 指标值 over 比较符 | 数值 | 计量单位."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "部门项目绩效目标"
    ws.append(["某某市生态环境局2023年部门项目支出绩效目标表"])
    ws.merge_cells("A1:H1")
    ws.append(["金额单位：万元"])
    ws.append(["项目名称", "预算数", "一级指标", "二级指标", "三级指标", "指标值", None, None])
    ws.append([None, None, None, None, None, "比较符", "数值", "计量单位"])
    for col in "ABCDE":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("F3:H3")
    rows = [
        ("大气污染防治", 210, "产出指标", "数量指标", "监测站点运维数", "=", 12, "个"),
        (None, None, None, "质量指标", "数据有效率", "≥", 90, "%"),
        (None, None, "效益指标", "生态效益指标", "空气质量优良天数比例", "≥", 92, "%"),
        ("水污染防治", 96.5, "产出指标", "数量指标", "水质监测断面数", "=", 8, "个"),
        (None, None, "满意度指标", "服务对象满意度指标", "群众满意度", "≥", 85, "%"),
    ]
    for row in rows:
        ws.append(list(row))
    ws.merge_cells("A5:A7")
    ws.merge_cells("B5:B7")
    ws.merge_cells("C5:C6")
    ws.merge_cells("A8:A9")
    ws.merge_cells("B8:B9")
    wb.save(str(path))


def x03_evaluation_two_forms(path: Path) -> None:
    """Two 项目支出绩效自评表 on two sheets, as a budget system exports them: figures as numbers,
    执行率 as fractions shown as %, a spanning 项目资金 column, 指标值 over 年度/实际 (merged)."""
    layout = E.Layout(two_row_fund=True, unit_in="line", two_row_rows="value")
    second = E.Layout(label_column=False, weights=False, total_style="short", grade_style="row")
    sheets = [
        (name, *E.grid(form, lay)) for name, form, lay in (("项目1", E.SAMPLE, layout), ("项目2", E.SECOND, second))
    ]
    path.write_bytes(E.workbook(sheets, numbers=True))


def d03_evaluation_repeated(path: Path) -> None:
    """A 自评表 as a Word table: 一级/二级 written on every row, 绩效指标 over 一级/二级/三级,
    当年财政拨款, full-width digits, columns in another order, no 自评等级."""
    layout = E.Layout(
        fund_order=("全年预算数", "全年执行数", "执行率", "年初预算数", "分值", "得分"),
        row_order=("target", "actual", "deviation", "score", "points"),
        label_column=False,
        two_row_rows="levels",
        merged=False,
        weights=False,
        appropriation="当年财政拨款",
        fullwidth=True,
        grade_style="none",
    )
    path.write_bytes(E.docx(*E.grid(E.SAMPLE, layout)))


PAGE_LAYOUT = E.Layout(spaced=True, goal_style="side", unit_in="cells", grade_style="row", total_style="short")


def page_source() -> str:
    """The web page fixture h04 and the HTML printed to p04 (ruled, as PDFs of forms are)."""
    return E.html_page(*E.grid(E.SECOND, PAGE_LAYOUT))


def _pdf(source: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM))
            page = browser.new_page()
            page.goto((SRC / source).as_uri())
            page.pdf(path=str(path), format="A4", print_background=True)
            browser.close()

    return build


BUILDERS: dict[str, Callable[[Path], None]] = {
    "d01_merged_cells.docx": d01_merged_cells,
    "d02_project_text.docx": d02_project_text,
    "x01_targets_merged.xlsx": x01_targets_merged,
    "x02_department_projects.xlsx": x02_department_projects,
    "p01_ruled_table.pdf": _pdf("p01_targets.html"),
    "p02_self_evaluation.pdf": _pdf("p02_self_evaluation.html"),
    "p03_scanned.pdf": _pdf("p03_scanned.html"),
    "x03_evaluation_two_forms.xlsx": x03_evaluation_two_forms,
    "d03_evaluation_repeated.docx": d03_evaluation_repeated,
    "p04_evaluation.pdf": _pdf("p04_evaluation.html"),
}


def build_missing() -> list[str]:
    """Build every binary fixture that is missing; the names built."""
    built = []
    for name, build in BUILDERS.items():
        path = IMPORT / name
        if path.exists():
            continue
        if name.endswith(".pdf") and not CHROMIUM.exists():
            print(f"跳过 {name}：需要 {CHROMIUM}")
            continue
        build(path)
        built.append(name)
    return built
