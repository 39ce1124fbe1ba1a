"""The importer's vocabulary, declared once: every label and column header it knows,
with the spellings real documents use.

It drives the readers (`target_table.py` matches labels, `tables.py` maps column headers
to fields) and the list in the author docs (`docs/authors/import.md`, checked against
`markdown()` by a test), so the two cannot drift apart. Words are compared with all
whitespace removed (`本年度 绩效指标` is `本年度绩效指标`); a longer word is tried
before a shorter one it contains (`指标值说明` before `指标值`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.corpus.fields import LEVEL1, LEVEL1_ALIASES, LEVEL2_ALIASES


@dataclass(frozen=True)
class Term:
    """One field of a draft and the words that name it in a document."""

    key: str  # where it goes: a dotted path in the draft, or a column role
    words: tuple[str, ...]
    help: str


def _t(key: str, help_: str, *words: str) -> Term:
    return Term(key, words, help_)


# Labels of a 绩效目标表's block part (`项目名称：…` or a label cell beside its value cell).
TARGET_LABELS = (
    _t("项目名称", "项目名称", "项目名称", "项目支出名称", "项目（支出）名称", "项目全称"),
    _t("基本信息.项目编码", "项目编码", "项目编码", "项目代码", "项目编号"),
    _t("基本信息.项目类别", "项目类别", "项目类别", "项目类型", "项目分类", "项目属性"),
    _t("基本信息.资金用途", "资金用途", "资金用途", "支出用途"),
    _t("基本信息.开始日期", "开始日期", "开始日期", "开始时间", "项目开始时间", "起始日期"),
    _t("基本信息.结束日期", "结束日期", "结束日期", "结束时间", "项目结束时间", "截止日期", "完成时间"),
    _t("基本信息.项目负责人", "项目负责人", "项目负责人", "负责人"),
    _t("基本信息.联系人", "联系人", "联系人", "经办人"),
    _t("基本信息.联系电话", "联系电话", "联系电话", "电话"),
    _t("基本信息.是否重点项目", "是否重点项目（是/否，含勾选 R √ ☑）", "是否重点项目", "重点项目"),
    _t("基本信息.资金来源", "资金来源（`其中：…资金` 一行也放在这里）", "资金来源", "经费来源"),
    _t(
        "基本信息.项目总金额",
        "项目总金额",
        "项目总金额",
        "项目总额",
        "项目金额",
        "资金总额",
        "项目总预算",
        "项目总投资",
        "总投资",
    ),
    _t(
        "基本信息.本年度预算金额",
        "本年度预算金额",
        "本年度预算金额",
        "本年预算金额",
        "年度预算金额",
        "当年年度预算",
        "当年预算金额",
        "本年度申请资金",
        "年度本级预算金额",
        "本级预算金额",
        "年度资金总额",
        "年度预算数",
        "本年度资金",
        "预算金额",
        "预算数",
        "申请金额",
    ),
    _t("立项必要性", "立项必要性", "立项必要性", "项目立项必要性"),
    _t("实施可行性", "实施可行性", "实施可行性", "项目实施可行性"),
    _t("项目实施内容", "项目实施内容", "项目实施内容", "项目内容", "实施内容", "项目概况"),
    _t("中长期目标", "中长期目标", "中长期目标", "长期目标", "总体目标"),
    _t(
        "年度绩效目标",
        "年度绩效目标",
        "年度绩效目标",
        "年度绩效目标（文字）",
        "项目年度绩效目标",
        "年度目标",
        "本年度绩效目标",
        "绩效目标",
    ),
    _t("立项依据.政策依据", "政策依据", "政策依据", "立项依据"),
    _t("立项依据.其他依据", "其他依据", "其他依据"),
    _t("其他说明", "需要说明的其他问题", "需要说明的其他问题", "其他说明", "备注"),
)
# Cells of a 绩效目标表 that only head a block of it (`基本信息`, `立项依据` alone in its cell).
TARGET_BLOCKS = (
    "项目支出绩效目标表",
    "绩效目标表",
    "基本信息",
    "基本情况",
    "立项依据",
    "年度绩效目标",
    "绩效指标",
    "项目基本情况",
    "项目基本信息",
    "绩效目标",
    "本年度绩效指标",
    "年度绩效指标",
    "项目资金",
    "项目资金情况",
    "资金情况",
    "资金投入情况",
)
# Where a document names its unit; 主管部门 is the parent, so it is used only when nothing else is.
UNIT_LABELS = ("单位名称", "实施单位", "项目实施单位", "预算单位", "部门名称", "预算部门", "填报单位", "发布机构",
               "主管部门")  # fmt: skip
# `金额单位：万元` above a table gives every bare amount below it that unit.
MONEY_UNIT_LINE = re.compile(r"^[（(]?(?:金额|资金|货币)?单位\s*[:：]\s*(万元|元|亿元)[)）]?$")
# `其中：当年市级财政资金 12.5` is a part of the budget: it is kept under 资金来源 with its amount.
SOURCE_PART = re.compile(r"^其中\s*[:：]?\s*(?P<label>[\u4e00-\u9fff]{2,16}(?:资金|拨款|经费|收入))$")

# Column headers of an indicator table → the role of the column.
COLUMNS = (
    _t("basis", "依据", "指标值设定依据及数据来源", "绩效指标值设定依据", "设定依据", "数据来源", "依据"),
    _t(
        "explanation",
        "指标值说明",
        "指标值说明",
        "指标说明",
        "指标解释",
        "评（扣）分标准",
        "评分标准",
        "指标内容",
        "备注",
    ),
    _t("l1", "一级指标", "一级指标", "一级"),
    _t("l2", "二级指标", "二级指标", "二级"),
    _t("name", "三级指标（名称）", "三级指标", "指标名称", "三级", "具体指标"),
    _t("op", "比较符（并入指标值）", "比较符", "指标性质", "运算符", "符号"),
    _t("unit", "计量单位", "计量单位", "度量单位", "单位"),
    _t("direction", "指标方向（写入指标值说明）", "指标方向", "方向", "指标类型"),
    _t("weight", "权重", "权重", "分值", "分数", "权重（分）"),
    _t("value", "指标值", "年度指标值", "指标值", "目标值", "数值", "指标目标值", "标准值", "年度目标值"),
    _t("target", "年度目标（表中的一列）", "年度绩效目标", "项目年度绩效目标", "年度目标", "绩效目标"),
    _t("project", "项目名称（表中的一列：一个项目一份草稿）", "项目名称", "项目支出名称"),
    _t("budget", "本年度预算金额（表中的一列）", "预算数", "预算金额", "年度预算", "本年度预算", "资金"),
    _t("indicator", "（表头“绩效指标”只是标题，不是一列）", "本年度绩效指标", "绩效指标", "指标"),
)

# 项目文本: section headings (`一、项目名称`, or without the number) → the draft's key.
PROJECT_SECTIONS: dict[str, tuple[str, ...]] = {
    "项目名称": ("项目名称",),
    "立项依据": ("立项依据", "项目立项依据"),
    "项目实施单位": ("项目实施单位", "实施单位", "项目单位"),
    "项目基本概况": ("项目基本概况", "项目概况", "基本概况", "项目基本情况", "项目概述"),
    "项目实施内容": ("项目实施内容", "实施内容", "项目内容"),
    "资金安排": ("资金安排情况", "资金安排", "项目资金安排情况", "项目资金安排", "资金使用安排"),
    "项目实施计划": ("项目实施计划", "实施计划"),
    "项目实施成效": ("项目实施成效", "实施成效", "项目预期成效", "预期成效", "项目成效"),
    "绩效目标": ("项目绩效目标表", "绩效目标表", "项目绩效目标", "绩效目标"),
}
# 项目实施单位 details that belong in the unit profile (单位档案).
PROFILE_LABELS = {
    "组织机构代码": "统一社会信用代码",
    "统一社会信用代码": "统一社会信用代码",
    "社会信用代码": "统一社会信用代码",
    "地址": "地址",
    "单位地址": "地址",
    "通讯地址": "地址",
    "联系电话": "联系电话",
    "电话": "联系电话",
    "法人代表": "法定代表人",
    "法定代表人": "法定代表人",
    "单位概况": "单位概况",
    "单位简介": "单位概况",
    "主要职能": "主要职能",
    "职能职责": "主要职能",
    "主要职责": "主要职能",
}
# 整体绩效自评报告: the 评价小组 table's columns.
TEAM_ROLES = (("姓名", "姓名"), ("职务", "职务"), ("职称", "职务"), ("单位", "单位"), ("处室", "单位"),
              ("签字", "签字"), ("签名", "签字"), ("职位", "角色"), ("角色", "角色"), ("分工", "角色"))  # fmt: skip

# 项目支出绩效自评表 (project_evaluation.py): the labels of the form's block part.
EVAL_LABELS = (
    _t("项目名称", "项目名称", "项目名称", "项目支出名称", "项目（支出）名称", "项目全称"),
    _t("主管部门", "主管部门", "主管部门", "主管单位", "主管部门（单位）"),
    _t("实施单位", "实施单位", "实施单位", "项目实施单位", "执行单位", "预算单位"),
    _t("年度总体目标.预期目标", "年度总体目标：预期目标", "预期目标", "年度预期目标", "预期总体目标"),
    _t("年度总体目标.实际完成情况", "年度总体目标：实际完成情况", "实际完成情况", "总体目标完成情况",
       "目标实际完成情况", "完成情况"),
    _t("总分", "总分（表末一行）", "总分", "总得分", "自评总分", "综合得分", "合计得分", "总计", "合计"),
    _t("自评等级", "自评等级（优 良 中 差；优秀、良好、合格、不合格也认得，待核对）", "自评等级", "评价等级",
       "绩效等级", "等级", "自评结果"),
)  # fmt: skip
# The 项目资金 block: its columns and its rows (`其中：` before a row is dropped).
FUND_COLUMNS = (
    _t("年初预算数", "年初预算数", "年初预算数", "年初预算", "年初预算金额", "年初预算资金"),
    _t("全年预算数", "全年预算数", "全年预算数", "全年预算", "调整后预算数", "全年预算金额", "预算数"),
    _t("全年执行数", "全年执行数", "全年执行数", "全年执行", "实际执行数", "执行数", "实际支出数", "全年实际支出"),
    _t("分值", "分值", "分值", "分数", "权重"),
    _t("执行率", "执行率", "执行率", "预算执行率", "资金执行率"),
    _t("得分", "得分", "得分", "自评得分"),
)
FUND_ROWS = (
    _t("年度资金总额", "年度资金总额", "年度资金总额", "资金总额", "年度资金合计", "资金合计", "合计"),
    _t("本年财政拨款", "本年财政拨款（原表写“当年财政拨款”时草稿照写）", "本年财政拨款", "当年财政拨款", "财政拨款",
       "本年财政资金", "当年财政资金", "财政资金"),
    _t("上年结转资金", "上年结转资金", "上年结转资金", "上年结转", "结转资金"),
    _t("其他资金", "其他资金", "其他资金", "其他"),
)  # fmt: skip
# The 绩效指标 table of a 自评表: header → column role.
EVAL_COLUMNS = (
    _t("l1", "一级指标（可带分值，如 产出指标(50分)）", "一级指标", "一级"),
    _t("l2", "二级指标", "二级指标", "二级"),
    _t("name", "三级指标", "三级指标", "指标名称", "三级", "具体指标"),
    _t("target", "年度指标值", "年度指标值", "指标值", "年度目标值", "目标值", "预期指标值", "计划指标值"),
    _t("actual", "实际完成值", "实际完成值", "实际完成", "完成值", "实际值", "实际完成指标值"),
    _t("unit", "计量单位", "计量单位", "度量单位", "单位"),
    _t("points", "分值", "分值", "分数", "权重"),
    _t("score", "得分", "得分", "自评得分"),
    _t("deviation", "偏差原因分析及改进措施", "偏差原因分析及改进措施", "偏差原因分析及改进意见", "偏差原因分析",
       "偏差原因", "未完成原因分析及改进措施", "未完成原因及改进措施", "原因分析及改进措施", "偏差原因及改进措施"),
)  # fmt: skip
# Cells that only head a part of the form, and rows kept in the draft's header comment.
EVAL_BLOCKS = ("项目支出绩效自评表", "项目绩效自评表", "绩效自评表", "自评表", "项目资金", "资金情况",
               "年度总体目标", "总体目标", "绩效指标", "年度绩效指标", "其中")  # fmt: skip
EVAL_ASIDES = ("备注", "说明", "填表说明", "填表人", "填报人", "填报日期", "填表日期", "联系电话", "审核人",
               "单位负责人", "财务负责人", "项目负责人", "填报单位")  # fmt: skip
GRADE_WORDS = {"优": "优", "良": "良", "中": "中", "差": "差", "优秀": "优", "良好": "良", "中等": "中",
               "合格": "中", "一般": "中", "较差": "差", "不合格": "差"}  # fmt: skip

OPERATORS = {
    "≥": "≥", "≤": "≤", "=": "=", ">": ">", "<": "<", ">=": ">=", "<=": "<=", "＝": "=", "＞": ">", "＜": "<",
    "≧": "≥", "≦": "≤", "大于等于": "≥", "小于等于": "≤", "等于": "=", "大于": ">", "小于": "<", "不低于": "≥",
    "不高于": "≤", "不少于": "≥", "不多于": "≤", "不超过": "≤",
}  # fmt: skip
DIRECTIONS = ("正向指标", "反向指标", "逆向指标", "正向", "反向", "逆向", "中性")
CHECKED = ("R", "√", "☑", "✓", "✔", "■", "●", "☒")  # how a ticked box comes out of Word, PDF and OCR
UNCHECKED = ("□", "☐", "○", "£")
MEASURES = ("%", "％", "万元", "元", "亿元", "人次", "人", "次", "个", "件", "项", "台", "套", "户", "天", "日",
            "小时", "分钟", "月", "年", "公里", "千米", "米", "平方米", "亩", "吨", "册", "份", "场", "期", "所",
            "家", "辆", "座", "处", "条", "名", "批", "篇", "万人", "万人次", "元/人", "分")  # fmt: skip


def _index(terms: tuple[Term, ...]) -> list[tuple[str, str]]:
    pairs = [(w, t.key) for t in terms for w in t.words]
    return sorted(pairs, key=lambda p: -len(p[0]))


LABEL_INDEX = _index(TARGET_LABELS)
COLUMN_INDEX = _index(COLUMNS)
LABEL_WORDS = {w: key for w, key in LABEL_INDEX}
# Every word the importer turns into a key rather than copying it (for the no-loss check).
KNOWN = frozenset(
    [
        *LABEL_WORDS,
        *UNIT_LABELS,
        *TARGET_BLOCKS,
        *(w for t in COLUMNS for w in t.words),
        *PROFILE_LABELS,
        *(w for w, _ in TEAM_ROLES),
        *(w for terms in (EVAL_LABELS, FUND_COLUMNS, FUND_ROWS, EVAL_COLUMNS) for t in terms for w in t.words),
        *EVAL_BLOCKS,
        *EVAL_ASIDES,
    ]
    + [w for ws in PROJECT_SECTIONS.values() for w in ws]
    + ["基本信息", "基本情况", "项目支出绩效目标表", "绩效目标表", "金额单位", "单位", "评价小组", "三级指标", "指标值"]
    + ["评价小组成员", "机构职位", "所属", "职务/职称", "单位/处室"]
)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def column_role(cell: str, exact: bool = False) -> str | None:
    """The role of a header cell (`本年度 绩效指标` → indicator, `指标值说明` → explanation)."""
    s = re.sub(r"[（(][^）)]*[)）]$", "", squash(cell)) or squash(cell)  # `指标值（%）`, `分值(分)`
    for word, role in COLUMN_INDEX:
        if s == word:
            return role
    if exact:
        return None
    for word, role in COLUMN_INDEX:
        if len(word) >= 3 and word in s and len(s) <= len(word) + 4:
            return role
    return None


def label_key(cell: str) -> str | None:
    """The draft path of a label (`项目支出名称` → 项目名称); the label may end in `:` and `（万元）`."""
    s = re.sub(r"[（(][^）)]*[)）]", "", squash(cell)).rstrip(":：")
    return LABEL_WORDS.get(s)


def markdown() -> str:
    """The vocabulary as the Markdown lists of the author docs."""
    out = ["### 绩效目标表的标签", "", "| 草稿中的键 | 原文里的写法 |", "|---|---|"]
    out += [f"| {t.key} | {'、'.join(t.words)} |" for t in TARGET_LABELS]
    out += ["", "### 绩效指标表的表头", "", "| 列 | 原文里的写法 |", "|---|---|"]
    out += [f"| {t.help} | {'、'.join(t.words)} |" for t in COLUMNS]
    out += ["", "### 一级、二级指标", "", "| 一级指标 | 二级指标 |", "|---|---|"]
    out += [f"| {l1} | {'、'.join(l2s)} |" for l1, l2s in LEVEL1.items()]
    aliases = [f"{a} → {c}" for a, c in (*LEVEL1_ALIASES.items(), *LEVEL2_ALIASES.items())]
    out += ["", f"也认得：{'；'.join(aliases)}。", ""]
    out += ["### 项目支出绩效自评表", "", "| 草稿中的键 | 原文里的写法 |", "|---|---|"]
    out += [f"| {t.help} | {'、'.join(t.words)} |" for t in EVAL_LABELS]
    out += [f"| 项目资金：{t.help} 行 | {'、'.join(t.words)} |" for t in FUND_ROWS]
    out += [f"| 项目资金：{t.help} 列 | {'、'.join(t.words)} |" for t in FUND_COLUMNS]
    out += [f"| 绩效指标：{t.help} 列 | {'、'.join(t.words)} |" for t in EVAL_COLUMNS]
    out += ["", f"写进草稿开头注释（格式中没有对应的键）：{'、'.join(EVAL_ASIDES)}。", ""]
    out += [f"单位名称取自：{'、'.join(UNIT_LABELS)}（“主管部门”只在没有其他单位名称时使用）。", ""]
    out += [
        f"比较符：{'  '.join(k for k in OPERATORS if k)}；勾选：{' '.join(CHECKED)}（未勾选：{' '.join(UNCHECKED)}）。",
        "",
    ]
    return "\n".join(out)


def form_word(cell: str) -> str:
    """A cell of a form as a label: spaces, a trailing colon, `其中：` and trailing `（万元）` `(A)` removed."""
    s = re.sub(r"^其中[:：]?", "", squash(cell).rstrip(":："))
    while (bare := re.sub(r"[（(][^（）()]*[)）]$", "", s)) != s and bare:
        s = bare
    return s


def term_key(cell: str, terms: tuple[Term, ...]) -> str | None:
    """The key of the term of `terms` that names `cell` (`项 目 名 称：` → 项目名称), else None."""
    for s in dict.fromkeys((squash(cell).rstrip(":："), form_word(cell))):
        for t in terms:
            if s in t.words:
                return t.key
    return None
