"""The content format, declared once.

These specs drive three things, so they cannot drift apart: the validator
(`convert.py` reads nodes by them), the JSON Schema for editors (`schema.py`), and
the scaffolds of `gongkai new`. Keys are the official Chinese headings; each field
says what it holds in the authors' language.
"""

from __future__ import annotations

from dataclasses import dataclass

# Field types understood by convert.py and schema.py.
TEXT = "text"  # one line or paragraphs of text
LONGTEXT = "longtext"  # text, or a list of {标题, 内容}
MONEY = "money"  # amount with unit: 535000元 / 58.5万元
DATE = "date"  # 2022-01-01 / 2022年1月1日
MONTH = "month"  # a date, or only year and month: 2023-06
YEAR = "year"  # 2000–2100
YESNO = "yesno"  # 是 / 否
TEXTS = "texts"  # a list of text items
MAP = "map"  # nested keys (children)
LIST = "list"  # a list of maps (item)
INDICATORS = "indicators"  # 一级 → 二级 → rows
SECTIONS = "sections"  # report body tree: {标题, 内容, 小节}
KIND = "kind"  # one of the four disclosure kinds
SCORE = "score"  # a score: 10 / 9.5 / 9.5分
PERCENT = "percent"  # a percentage as printed: 95.00%
GRADE = "grade"  # 自评等级: 优 / 良 / 中 / 差
RESULTS = "results"  # 一级 (may carry its weight: 产出指标(50分)) → 二级 → result rows
VERSION = "version"  # a positive whole number: 格式版本


@dataclass(frozen=True)
class Field:
    key: str
    type: str
    help: str
    required: bool = False
    children: tuple[Field, ...] = ()
    example: str | None = None
    aliases: tuple[str, ...] = ()  # other spellings of the key that forms use (read as `key`)

    def child(self, key: str) -> Field | None:
        for f in self.children:
            if f.key == key:
                return f
        return None


def _f(key: str, type_: str, help_: str, required: bool = False, example: str | None = None) -> Field:
    return Field(key, type_, help_, required, (), example)


def _map(key: str, help_: str, *children: Field, required: bool = False, type_: str = MAP) -> Field:
    return Field(key, type_, help_, required, children)


SITE = _map(
    "site.yml",
    "网站设置",
    _f("格式版本", VERSION, "本网站内容所用的格式版本；不写时为 1。升级 gongkai 时按其更新记录修改", example="1"),
    _f("网站名称", TEXT, "网站名称，显示在每页顶部", example="预算重点领域信息公开"),
    _f("网站简介", TEXT, "一两句话说明本网站是什么"),
    _f("网站域名", TEXT, "正式域名，用于订阅源和站点地图，如 yusuan.example.gov.cn"),
    _f("主办单位", TEXT, "页脚：主办单位"),
    _f("联系方式", TEXT, "页脚：联系电话或地址"),
    _f("网站标识码", TEXT, "页脚及网页元数据：网站标识码"),
    _f("ICP备案号", TEXT, "页脚：ICP备案号"),
    _f("公安备案号", TEXT, "页脚：公安机关备案号"),
    _f("隐私脱敏", YESNO, "默认“是”：网站上隐去手机号、身份证号、电子邮箱的中间部分（YAML 中保留原文）；否：原样公开"),
    _f(
        "内容仓库",
        TEXT,
        "内容所在 git 仓库的网页地址，如 https://gitee.com/example/yusuan；写了它，修订记录里每个旧版本都链接到仓库中的原文",
    ),
)

UNIT = _map(
    "单位档案",
    "一个预算单位的基本情况，写一次，多年复用",
    _f("名称", TEXT, "单位全称，如 盘龙区信访局", required=True),
    _f("别名", TEXTS, "同一单位在公开文本里用过的其他名称"),
    _f("地区", TEXTS, "所在地区，从省到县逐级列出，如 [云南省, 昆明市, 盘龙区]", required=True),
    _f("统一社会信用代码", TEXT, "18 位统一社会信用代码（按 GB 32100-2015 校验）"),
    _f("地址", TEXT, "单位地址"),
    _f("联系电话", TEXT, "单位对外联系电话"),
    _f("法定代表人", TEXT, "法定代表人姓名"),
    _f("单位概况", TEXT, "单位性质、级别等概况"),
    _f("主要职能", TEXTS, "主要职能职责，逐条列出"),
    _f("示例单位", YESNO, "是：虚构的示例单位（演示用），网站在它的每个页面上注明“示例，数据为虚构”"),
    _f("网址", TEXT, "固定本单位页面的网址（小写拼音、数字和连字符，如 panlongqu-xinfangju）；写了它，改名后网址不变"),
)

_COMMON = (
    _f("类型", KIND, "公开文本类型：项目文本、绩效目标表、整体绩效自评报告 或 项目支出绩效自评表", required=True),
    _f("单位", TEXT, "单位名称或别名，须与某个单位档案对应", required=True),
    _f("年度", YEAR, "预算年度，如 2022", required=True),
    _f("标题", TEXT, "原文标题"),
    _f("发布日期", MONTH, "原文发布日期，如 2022-03-01"),
    _f("原文链接", TEXT, "原文所在网页地址"),
    _f("网址", TEXT, "固定本页网址的最后一段（小写拼音、数字、连字符，如 xinfang-chutu-jingfei），改名后网址不变"),
)

INDICATOR_ROW = _map(
    "三级指标",
    "一条三级指标",
    _f("名称", TEXT, "三级指标名称", required=True),
    _f("指标值", TEXT, "指标值，原文照录，如 >=30次、≥95%、持续向好", required=True),
    _f("计量单位", TEXT, "计量单位（原表单独一列时填写），如 元、次、%"),
    _f("指标值说明", TEXT, "指标值说明"),
    _f("依据", TEXT, "指标值设定依据"),
    _f("权重", TEXT, "权重或分值"),
)

INDICATORS_FIELD = Field(
    "绩效指标", INDICATORS, "绩效指标：一级指标 → 二级指标 → 三级指标列表", False, (INDICATOR_ROW,)
)

FUNDING_LINE = _map(
    "明细项",
    "一笔资金",
    _f("名称", TEXT, "用途，如 会议费", required=True),
    _f("金额", MONEY, "金额，带单位，如 0.5万元", required=True),
    _f("说明", TEXT, "说明"),
)

PROJECT = (
    _f("项目名称", TEXT, "一、项目名称", required=True),
    _f("立项依据", LONGTEXT, "二、立项依据"),
    _f("项目实施单位", TEXT, "三、项目实施单位（地址、电话等写在单位档案里）"),
    _f("项目基本概况", LONGTEXT, "四、项目基本概况"),
    _f("项目实施内容", LONGTEXT, "五、项目实施内容"),
    _map(
        "资金安排",
        "六、资金安排情况（合计、明细至少写一个；都写时必须相等）",
        _f("资金来源", TEXT, "资金来源，如 一般公共预算"),
        _f("合计", MONEY, "资金合计，带单位，如 535000元"),
        Field("明细", LIST, "资金明细", False, (FUNDING_LINE,)),
        _f("说明", TEXT, "原文中关于资金安排的说明文字"),
        required=True,
    ),
    _f("项目实施计划", LONGTEXT, "七、项目实施计划"),
    _f("项目实施成效", LONGTEXT, "八、项目实施成效"),
    _map(
        "绩效目标",
        "九、项目绩效目标表（可选）",
        _f("年度目标", TEXT, "年度总体目标"),
        INDICATORS_FIELD,
    ),
)

TARGETS = (
    _f("项目名称", TEXT, "项目名称", required=True),
    _map(
        "基本信息",
        "基本信息",
        _f("项目编码", TEXT, "项目编码"),
        _f("项目类别", TEXT, "项目类别，如 当年项目"),
        _f("资金用途", TEXT, "资金用途，如 业务类"),
        _f("开始日期", DATE, "开始日期，如 2022-01-01"),
        _f("结束日期", DATE, "结束日期，不能早于开始日期"),
        _f("项目负责人", TEXT, "项目负责人"),
        _f("联系人", TEXT, "联系人"),
        _f("联系电话", TEXT, "联系电话"),
        _f("是否重点项目", YESNO, "是 / 否"),
        _f("资金来源", TEXT, "资金来源"),
        _f("项目总金额", MONEY, "项目总金额，带单位"),
        _f("本年度预算金额", MONEY, "本年度预算金额，带单位", required=True),
        required=True,
    ),
    _f("立项必要性", TEXT, "立项必要性"),
    _f("实施可行性", TEXT, "实施可行性"),
    _f("项目实施内容", TEXT, "项目实施内容"),
    _f("中长期目标", TEXT, "中长期目标"),
    _f("年度绩效目标", TEXT, "年度绩效目标"),
    _map(
        "立项依据",
        "立项依据",
        _f("政策依据", TEXT, "政策依据"),
        _f("其他依据", TEXT, "其他依据"),
    ),
    _f("其他说明", TEXT, "需要说明的其他问题"),
    Field(INDICATORS_FIELD.key, INDICATORS, INDICATORS_FIELD.help, True, INDICATORS_FIELD.children),
)

EVALUATOR = _map(
    "评价小组成员",
    "一名评价小组成员",
    _f("角色", TEXT, "组长、成员等"),
    _f("姓名", TEXT, "姓名", required=True),
    _f("职务", TEXT, "职务/职称"),
    _f("单位", TEXT, "所属单位/处室"),
)

SPENDING_PART = _map(
    "支出项",
    "一项支出",
    _f("名称", TEXT, "人员经费、公用经费 或 项目支出", required=True),
    _f("金额", MONEY, "金额，带单位", required=True),
    _f("说明", TEXT, "说明"),
)

SECTION = _map(
    "章节",
    "报告的一节：标题、内容和下一级小节",
    _f("标题", TEXT, "本节标题（不写编号，网站自动编号）", required=True),
    _f("内容", TEXT, "本节文字"),
    Field("小节", SECTIONS, "下一级小节", False, ()),
)

SELF_EVALUATION = (
    _f("项目名称", TEXT, "如 2022年部门整体支出"),
    _f("评价机构", TEXT, "评价机构"),
    _f("报告日期", MONTH, "报告日期，如 2023-06 或 2023-06-20"),
    Field("评价小组", LIST, "评价小组成员", False, (EVALUATOR,)),
    _map(
        "预算收支",
        "预算收支总额和支出构成",
        _f("收入合计", MONEY, "收入合计，带单位"),
        _f("支出合计", MONEY, "支出合计，带单位", required=True),
        Field("支出构成", LIST, "支出构成：各项之和等于支出合计", False, (SPENDING_PART,)),
        required=True,
    ),
    Field("正文", SECTIONS, "报告正文，按原文提纲分级", False, ()),
)

_FUND_COLUMNS = (
    ("年初预算数", MONEY, "年初预算数，带单位，如 17.6万元"),
    ("全年预算数", MONEY, "全年预算数（调整后），带单位"),
    ("全年执行数", MONEY, "全年执行数，带单位"),
    ("分值", SCORE, "分值，通常只在年度资金总额一行，如 10"),
    ("执行率", PERCENT, "执行率 = 全年执行数 ÷ 全年预算数，照原表的小数位数，如 95.00%"),
    ("得分", SCORE, "得分，不能大于分值"),
)


def _fund_row(key: str, help_: str, required: bool = False, aliases: tuple[str, ...] = ()) -> Field:
    """One row of 项目资金; the 年度资金总额 row must state 全年预算数 and 全年执行数."""
    needed = ("全年预算数", "全年执行数") if required else ()
    columns = tuple(_f(k, t, h, required=k in needed) for k, t, h in _FUND_COLUMNS)
    return Field(key, MAP, help_, required, columns, aliases=aliases)


FUND_TOTAL = "年度资金总额"
FUND_PARTS = ("本年财政拨款", "上年结转资金", "其他资金")  # the rows 其中 of 年度资金总额

RESULT_ROW = _map(
    "三级指标",
    "一条三级指标的目标与完成情况",
    _f("名称", TEXT, "三级指标名称，与绩效目标表中的写法一致", required=True),
    _f("年度指标值", TEXT, "年度指标值，原文照录，如 >=30次、≥95%、持续向好", required=True),
    _f("实际完成值", TEXT, "实际完成值，原文照录，如 32次、93%、已完成", required=True),
    _f("计量单位", TEXT, "计量单位（原表单独一列时填写），如 次、%"),
    _f("分值", SCORE, "本指标的分值，如 10"),
    _f("得分", SCORE, "本指标的自评得分，不能大于分值"),
    _f("偏差原因分析及改进措施", TEXT, "未达到目标的原因和改进措施"),
)

RESULTS_FIELD = Field(
    "绩效指标",
    RESULTS,
    "绩效指标：一级指标（可带分值，如 产出指标(50分)）→ 二级指标 → 三级指标列表",
    True,
    (RESULT_ROW,),
)

GRADES = (("优", 90), ("良", 80), ("中", 60), ("差", 0))  # 自评等级 and the lowest 总分 it takes

PROJECT_EVALUATION = (
    _f("项目名称", TEXT, "项目名称，与该项目的绩效目标表一致（用来对照目标）", required=True),
    _f("主管部门", TEXT, "主管部门"),
    _f("实施单位", TEXT, "实施单位"),
    _map(
        "项目资金",
        "项目资金（原表以万元为单位；这里每个金额都带单位）",
        _fund_row(FUND_TOTAL, "年度资金总额：等于其中各项之和", required=True),
        _fund_row(
            "本年财政拨款",
            "其中：本年财政拨款（原表写作“当年财政拨款”时，键也可写 当年财政拨款）",
            aliases=("当年财政拨款",),
        ),
        _fund_row("上年结转资金", "其中：上年结转资金"),
        _fund_row("其他资金", "其中：其他资金"),
        required=True,
    ),
    _map(
        "年度总体目标",
        "年度总体目标",
        _f("预期目标", TEXT, "预期目标"),
        _f("实际完成情况", TEXT, "实际完成情况"),
    ),
    RESULTS_FIELD,
    _f("总分", SCORE, "总分：项目资金得分与各指标得分之和，如 95", required=True),
    _f("自评等级", GRADE, "自评等级：优（90分及以上）、良（80–90分）、中（60–80分）、差（60分以下）"),
)

KINDS = {
    "项目文本": PROJECT,
    "绩效目标表": TARGETS,
    "整体绩效自评报告": SELF_EVALUATION,
    "项目支出绩效自评表": PROJECT_EVALUATION,
}
COMMON = _COMMON

# 一级 → 二级 vocabulary, with the spellings authors use (aliases map to the canonical name).
LEVEL1 = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
LEVEL1_ALIASES = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}
LEVEL2_ALIASES = {
    "数量": "数量指标",
    "质量": "质量指标",
    "时效": "时效指标",
    "成本": "成本指标",
    "经济效益": "经济效益指标",
    "社会效益": "社会效益指标",
    "生态效益": "生态效益指标",
    "环境效益指标": "生态效益指标",
    "环境效益": "生态效益指标",
    "可持续影响": "可持续影响指标",
    "服务对象满意度": "服务对象满意度指标",
    "满意度": "服务对象满意度指标",
    "满意度指标": "服务对象满意度指标",
    "社会公众或服务对象满意度指标": "服务对象满意度指标",
    "社会公众或服务对象满意度": "服务对象满意度指标",
}

SPENDING_CATEGORIES = ("人员经费", "公用经费", "项目支出")
SPENDING_ALIASES = {
    "人员经费支出": "人员经费",
    "日常办公经费": "公用经费",
    "日常办公经费支出": "公用经费",
    "日常公用经费": "公用经费",
    "公用经费支出": "公用经费",
    "项目经费": "项目支出",
}
