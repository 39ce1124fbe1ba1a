"""Typed, frozen model objects: what every stage after validation works with.

Templates, summaries and exports see only these classes, never raw YAML.
Every figure carries the `Source` it was read from, so the site can say
where each number comes from (file and line).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal

from generator.corpus.errors import Problem as Problem
from generator.corpus.errors import Source as Source


@dataclass(frozen=True)
class Money:
    """An exact amount in 元 (two decimals), with the author's text and its origin."""

    yuan: Decimal
    text: str
    src: Source

    @property
    def wan(self) -> Decimal:
        return self.yuan / Decimal(10000)


@dataclass(frozen=True)
class Date:
    """A calendar date or a month (day is None when the author gave only year and month)."""

    year: int
    month: int
    day: int | None
    text: str

    @property
    def iso(self) -> str:
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def key(self) -> tuple[int, int, int]:
        return (self.year, self.month, self.day or 0)


class Kind(enum.Enum):
    """The four kinds of disclosure; the value is the author-facing Chinese name."""

    PROJECT = "项目文本"
    TARGETS = "绩效目标表"
    SELF_EVALUATION = "整体绩效自评报告"
    PROJECT_EVALUATION = "项目支出绩效自评表"

    @property
    def slug(self) -> str:
        return {
            "项目文本": "xiangmu",
            "绩效目标表": "mubiao",
            "整体绩效自评报告": "zipingjia",
            "项目支出绩效自评表": "zipingbiao",
        }[self.value]

    @property
    def official_name(self) -> str:
        return {
            "项目文本": "预算重点领域项目文本公开",
            "绩效目标表": "项目支出绩效目标表",
            "整体绩效自评报告": "部门整体支出绩效自评报告",
            "项目支出绩效自评表": "项目支出绩效自评表",
        }[self.value]


# The figure that stands for a disclosure of each kind (`Disclosure.headline`), as the kind names it.
HEADLINE_LABELS = {
    Kind.PROJECT: "资金安排合计",
    Kind.TARGETS: "本年度预算金额",
    Kind.SELF_EVALUATION: "支出合计",
    Kind.PROJECT_EVALUATION: "全年执行数",
}


@dataclass(frozen=True)
class TextItem:
    """One item of a long text section: optional sub-heading and its body paragraphs."""

    title: str | None
    body: str


# A long text section: one untitled item, or several titled items (（一）（二）…).
LongText = tuple[TextItem, ...]


@dataclass(frozen=True)
class Unit:
    """A budget unit's profile (单位档案), written once and reused across years."""

    name: str
    aliases: tuple[str, ...]
    region: tuple[str, ...]
    slug: str
    src: Source
    credit_code: str | None = None
    address: str | None = None
    phone: str | None = None
    legal_rep: str | None = None
    overview: str | None = None
    functions: tuple[str, ...] = ()
    example: bool = False  # 示例单位: a fictional unit, its pages say so
    pin: str | None = None  # 网址: the slug the author fixed, whatever the name becomes
    pin_src: Source | None = None

    @property
    def url(self) -> str:
        """Site-relative directory URL of the unit's page, e.g. 'units/panlongqu-xinfangju/'."""
        return f"units/{self.slug}/"


@dataclass(frozen=True)
class FundingLine:
    name: str
    amount: Money
    note: str | None = None


@dataclass(frozen=True)
class Funding:
    """资金安排: total (given or summed), source of funds, and its lines."""

    total: Money
    total_given: bool
    source: str | None
    lines: tuple[FundingLine, ...]
    note: str | None = None


@dataclass(frozen=True)
class IndicatorValue:
    """The author's 指标值 text, parsed into operator/number/unit where possible."""

    text: str
    op: str | None = None  # one of ≥ ≤ = > <, or None
    number: Decimal | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Indicator:
    level1: str  # canonical 一级指标
    level2: str  # canonical 二级指标
    name: str  # 三级指标
    value: IndicatorValue
    src: Source
    measure_unit: str | None = None  # 计量单位
    explanation: str | None = None  # 指标值说明
    basis: str | None = None  # 依据
    weight: str | None = None  # 权重
    label1: str | None = None  # the author's own 一级 label when it was an alias
    label2: str | None = None  # the author's own 二级 label when it was an alias


@dataclass(frozen=True)
class ProjectText:
    """预算重点领域项目文本公开."""

    project_name: str
    basis: LongText  # 立项依据
    implementer: str | None  # 项目实施单位
    overview: LongText  # 项目基本概况
    content: LongText  # 项目实施内容
    funding: Funding  # 资金安排
    plan: LongText  # 项目实施计划
    results: LongText  # 项目实施成效
    target_text: str | None = None  # 绩效目标.年度目标
    indicators: tuple[Indicator, ...] = ()  # 绩效目标.绩效指标


@dataclass(frozen=True)
class TargetTable:
    """项目支出绩效目标表."""

    project_name: str
    budget: Money  # 基本信息.本年度预算金额
    info: tuple[tuple[str, str], ...]  # 基本信息 as (Chinese label, display text), in order
    total_amount: Money | None  # 基本信息.项目总金额
    start: Date | None
    end: Date | None
    necessity: str | None  # 立项必要性
    feasibility: str | None  # 实施可行性
    content: str | None  # 项目实施内容
    long_term: str | None  # 中长期目标
    annual_target: str | None  # 年度绩效目标
    policy_basis: str | None  # 立项依据.政策依据
    other_basis: str | None  # 立项依据.其他依据
    other_notes: str | None  # 其他说明
    indicators: tuple[Indicator, ...]
    funding_source: str | None = None


@dataclass(frozen=True)
class Evaluator:
    role: str | None
    name: str
    title: str | None
    org: str | None


@dataclass(frozen=True)
class SpendingPart:
    category: str  # canonical: 人员经费 / 公用经费 / 项目支出
    label: str  # the author's own 名称
    amount: Money
    note: str | None = None


@dataclass(frozen=True)
class ReportSection:
    title: str
    body: str | None
    children: tuple[ReportSection, ...] = ()


@dataclass(frozen=True)
class SelfEvaluation:
    """部门整体支出绩效自评报告."""

    project_name: str | None
    evaluator_org: str | None  # 评价机构
    report_date: Date | None
    team: tuple[Evaluator, ...]
    income: Money | None  # 收入合计
    spending: Money  # 支出合计
    parts: tuple[SpendingPart, ...]
    body: tuple[ReportSection, ...]


@dataclass(frozen=True)
class Score:
    """A score (分值, 得分, 总分) exactly as printed, with its origin."""

    value: Decimal
    text: str
    src: Source


@dataclass(frozen=True)
class Rate:
    """A percentage as printed (执行率 95.00% → percent 95.00, places 2), with its origin."""

    percent: Decimal
    places: int
    text: str
    src: Source


@dataclass(frozen=True)
class FundRow:
    """One row of 项目资金 in a 项目支出绩效自评表."""

    label: str  # 年度资金总额 / 本年财政拨款 / 当年财政拨款 / 上年结转资金 / 其他资金
    initial: Money | None  # 年初预算数
    budget: Money | None  # 全年预算数
    spent: Money | None  # 全年执行数
    rate: Rate | None  # 执行率
    points: Score | None  # 分值
    score: Score | None  # 得分


@dataclass(frozen=True)
class ResultRow:
    """A 三级指标 of a 自评表: the target it restates, what was achieved, the score."""

    level1: str  # canonical 一级指标
    level2: str  # canonical 二级指标
    name: str  # 三级指标
    target: IndicatorValue  # 年度指标值
    actual: IndicatorValue  # 实际完成值
    src: Source  # where 实际完成值 was read
    measure_unit: str | None = None  # 计量单位
    points: Score | None = None  # 分值
    score: Score | None = None  # 得分
    deviation: str | None = None  # 偏差原因分析及改进措施
    label1: str | None = None  # the author's own 一级 key (with its weight, if any) when not the canonical name
    label2: str | None = None  # the author's own 二级 label when it was an alias
    weight1: Decimal | None = None  # the weight the 一级 heading carries: 产出指标(50分) → 50


@dataclass(frozen=True)
class ProjectEvaluation:
    """项目支出绩效自评表: one project's targets, results and money of one year."""

    project_name: str
    name_src: Source  # where 项目名称 was read (warnings about the matching target table point here)
    department: str | None  # 主管部门
    implementer: str | None  # 实施单位
    funds: tuple[FundRow, ...]  # 年度资金总额 first, then its parts in form order
    goal_planned: str | None  # 年度总体目标.预期目标
    goal_actual: str | None  # 年度总体目标.实际完成情况
    indicators: tuple[ResultRow, ...]
    total_score: Score  # 总分
    grade: str | None  # 自评等级

    @property
    def total(self) -> FundRow:
        return self.funds[0]


Body = ProjectText | TargetTable | SelfEvaluation | ProjectEvaluation


@dataclass(frozen=True)
class Disclosure:
    kind: Kind
    unit: Unit
    unit_label: str  # the name as written in this file (may be an alias)
    year: int
    src_path: str  # relative to the content root, '/'-separated
    slug: str  # unique within (year, unit)
    body: Body
    title: str | None = None
    published: Date | None = None
    source_url: str | None = None
    pin: str | None = None  # 网址: the slug the author fixed, whatever the project name becomes

    @property
    def url(self) -> str:
        """Site-relative directory URL, e.g. '2022/chuxiongzhou-xinfangju/xinfang-gongzuo-jingfei/'."""
        return f"{self.year}/{self.unit.slug}/{self.slug}/"

    @property
    def name(self) -> str:
        """Project name, or the report's title for a self-evaluation."""
        if isinstance(self.body, SelfEvaluation):
            return self.title or f"{self.unit.name}{self.year}年部门整体支出绩效自评报告"
        return self.body.project_name

    @property
    def headline(self) -> Money:
        """The one figure that stands for this disclosure (资金安排合计 / 本年度预算金额 / 支出合计 / 全年执行数)."""
        if isinstance(self.body, ProjectText):
            return self.body.funding.total
        if isinstance(self.body, TargetTable):
            return self.body.budget
        if isinstance(self.body, ProjectEvaluation):
            spent = self.body.total.spent
            assert spent is not None  # required by fields.PROJECT_EVALUATION
            return spent
        return self.body.spending

    @property
    def headline_label(self) -> str:
        """What `headline` is, in the disclosure's own words."""
        return HEADLINE_LABELS[self.kind]


@dataclass(frozen=True)
class SiteConfig:
    name: str = "预算重点领域信息公开"
    description: str = "汇集各预算单位公开的项目文本、绩效目标表和绩效自评报告。"
    domain: str | None = None
    sponsor: str | None = None  # 主办单位
    contact: str | None = None  # 联系方式
    site_code: str | None = None  # 网站标识码
    icp: str | None = None  # ICP备案号
    police: str | None = None  # 公安备案号
    mask_private: bool = True  # 隐私脱敏 (on unless site.yml says 否)
    format_version: int = 1  # 格式版本 (corpus/version.py)
    repository: str | None = None  # 内容仓库: the content repository's web address (links to old versions)


@dataclass(frozen=True)
class Corpus:
    """Everything validated: the input to summaries, rendering and exports."""

    site: SiteConfig
    units: tuple[Unit, ...]
    disclosures: tuple[Disclosure, ...]
    warnings: tuple[Problem, ...] = field(default=())  # non-fatal findings, located

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({d.year for d in self.disclosures}))
