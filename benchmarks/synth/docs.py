"""Composes one synthetic unit profile or disclosure as nested dicts for `synth_yaml.dump`.

Sentences come from `synth_text`; money is integer 分 throughout, so funding lines,
支出构成 and the 成本指标 agree with their totals exactly.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from benchmarks.synth import text as T
from benchmarks.synth.yaml_text import Value

Doc = dict[str, Value]
_CN_NUM = "一二三四五六七八九十"
_FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
_SHORT_LABEL = {
    "产出指标": "产出",
    "效益指标": "效益",
    "满意度指标": "满意度",
    "数量指标": "数量",
    "质量指标": "质量",
    "时效指标": "时效",
    "成本指标": "成本",
    "经济效益指标": "经济效益",
    "社会效益指标": "社会效益",
    "生态效益指标": "生态效益",
    "可持续影响指标": "可持续影响",
    "服务对象满意度指标": "满意度",
}
_CATEGORIES = [
    ("产出指标", "数量指标", T.QUANTITY),
    ("产出指标", "质量指标", T.QUALITY),
    ("产出指标", "时效指标", T.TIMELINESS),
    ("效益指标", "经济效益指标", T.ECONOMIC),
    ("效益指标", "社会效益指标", T.SOCIAL),
    ("效益指标", "生态效益指标", T.ECOLOGICAL),
    ("效益指标", "可持续影响指标", T.SUSTAINABLE),
    ("满意度指标", "服务对象满意度指标", T.SATISFACTION),
]
_REQUIRED = (0, 1, 2, 4, 7)  # 数量, 质量, 时效, 社会效益, 满意度 in every table
_COST_AFTER = 2  # 成本指标 follows 时效指标


def money(cents: int, style: str) -> str:
    """Author-style amount text: 'wan' (needs whole 百元), 'yuan', 'comma', or 'full' (full-width 万元/元)."""
    yuan, fen = divmod(cents, 100)
    if style == "wan" or (style == "full" and cents % 10000 == 0):
        whole, frac = divmod(cents // 10000, 100)
        text = f"{whole}.{frac:02d}".rstrip("0").rstrip(".") + "万元"
    elif style == "comma":
        text = f"{yuan:,}.{fen:02d}元"
    else:
        text = f"{yuan}元" if fen == 0 else f"{yuan}.{fen:02d}元"
    return text.translate(_FULL) if style == "full" else text


def _split(rng: random.Random, total: int, k: int) -> list[int]:
    """`total` as `k` positive integers (k reduced when total is too small)."""
    k = max(1, min(k, total))
    cuts = sorted(rng.sample(range(1, total), k - 1)) if k > 1 else []
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


@dataclass
class SynthUnit:
    name: str
    aliases: tuple[str, ...]
    region: tuple[str, ...]
    stem: str
    credit_code: str
    address: str
    phone: str
    area: str
    region_code: str
    legal_rep: str
    overview: str
    functions: tuple[str, ...]
    weight: float
    ctx: dict[str, str]
    projects: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def create(
        cls,
        rng: random.Random,
        level: int,
        path: tuple[str, ...],
        py: tuple[str, ...],
        code: str,
        area: str,
        utype: T.UnitType,
        credit_code: str,
        legal_rep: str,
    ) -> SynthUnit:
        type_name, prov_type, type_py, domain, own = utype
        aliases: tuple[str, ...] = ()
        if level == 3:
            place = path[2]
            name = place + type_name
            if rng.random() < 0.3 or name == "盘龙区信访局":
                aliases = (path[1] + place + type_name,)
            lv = place[-1] if place[-1] in "县区市" else "县"
            pref = "州" if path[1].endswith("州") else "市"
            rs, rank, addr_prefix = place[0], "正科级", path[1] + place
        elif level == 2:
            place = T.PREFECTURE_SHORT.get(path[1], path[1])
            name = place + type_name
            if place != path[1]:
                aliases = (path[1] + type_name,)
            elif rng.random() < 0.2:
                aliases = (path[0] + path[1] + type_name,)
            lv = pref = "州" if place.endswith("州") else "市"
            rs = next(p[3] for prov in T.REGIONS for p in prov[4] if p[0] == path[1])
            rank, addr_prefix = "正处级", path[1]
        else:
            place = path[0]
            name = place + prov_type
            lv, pref, rank, addr_prefix = "省", "市", "正厅级", path[0]
            rs = next(p[3] for p in T.REGIONS if p[0] == place)
        ctx = {"d": domain, "r": place, "rs": rs, "lv": lv, "pref": pref, "u": name}
        leaders = ["党中央", "省委", f"{pref}委", f"{lv}委"][: level + 1]
        overview = (
            f"{name}是{place}人民政府工作部门，为{rank}。{name}贯彻落实{'、'.join(leaders)}关于{domain}"
            f"工作的方针政策和决策部署，坚持和加强党对{domain}工作的集中统一领导。其主要职能职责是：\n"
        )
        functions = tuple(s.format_map(ctx) for s in rng.sample(T.FUNCTIONS, rng.randint(4, len(T.FUNCTIONS))))
        phone = f"{rng.choice('23568')}{rng.randrange(10**6, 10**7)}"
        weight = min(8.0, rng.paretovariate(1.6)) * (1.5 if domain in ("财政", "教育", "卫生健康") else 1.0)
        projects = own + [(domain + purpose, stem) for purpose, stem in T.GENERIC_PROJECTS]
        return cls(
            name=name,
            aliases=aliases,
            region=path,
            stem="-".join((*(py[1:] if level > 1 else py), type_py)),
            credit_code=credit_code,
            address=f"{addr_prefix}{rng.choice(T.STREETS)}{rng.randint(1, 2999)}号",
            phone=phone if rng.random() < 0.5 else f"{area}-{phone}",
            area=area,
            region_code=code,
            legal_rep=legal_rep,
            overview=overview,
            functions=functions,
            weight=weight,
            ctx=ctx,
            projects=projects,
        )


class DocWriter:
    """Writes the disclosures of one unit-year; all randomness from the shared `rng`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    # ---- text ----
    def _ctx(self, unit: SynthUnit, year: int, cents: int = 0) -> dict[str, str]:
        r = self.rng
        return {
            **unit.ctx,
            "y": str(year),
            "n1": str(r.randint(2, 20)),
            "n2": str(r.randint(10, 99)),
            "n3": str(r.randint(100, 999)),
            "n4": str(r.randint(2012, year - 1)),
            "pct": str(r.randint(80, 99)),
            "wan": money(cents, "wan") if cents % 10000 == 0 else money(cents, "yuan"),
        }

    def _sentences(self, bank: list[str], ctx: dict[str, str], lo: int, hi: int) -> str:
        k = min(len(bank), self.rng.randint(lo, hi))
        return "".join(s.format_map(ctx) for s in self.rng.sample(bank, k))

    def _long(self, bank: list[str], ctx: dict[str, str], paragraphs: int = 0) -> str:
        """One paragraph (plain line) or several separated by blank lines (a `|` block)."""
        n = paragraphs or self.rng.choice((1, 1, 2, 3))
        paras = [self._sentences(bank, ctx, 2, 4) for _ in range(n)]
        return paras[0] if n == 1 else "\n\n".join(paras) + "\n"

    def _numbered(self, bank: list[str], ctx: dict[str, str], lo: int, hi: int) -> str:
        items = self.rng.sample(bank, min(len(bank), self.rng.randint(lo, hi)))
        return "\n\n".join(f"{i}.{s.format_map(ctx)}" for i, s in enumerate(items, 1)) + "\n"

    # ---- indicators ----
    def _indicators(self, ctx: dict[str, str], cents: int, project: str) -> Doc:
        r = self.rng
        picked: list[list[int]] = [[] for _ in _CATEGORIES]
        for c in _REQUIRED:
            picked[c].append(r.randrange(len(_CATEGORIES[c][2])))
        for _ in range(r.randint(8, 12) - 1 - len(_REQUIRED)):
            open_cats = [c for c, rows in enumerate(picked) if len(rows) < len(_CATEGORIES[c][2])]
            c = r.choice(open_cats)
            picked[c].append(r.choice([i for i in range(len(_CATEGORIES[c][2])) if i not in picked[c]]))
        short, with_unit, basis = r.random() < 0.1, r.random() < 0.4, r.random() < 0.15
        weight = str(r.choice((5, 10, 10, 20))) if r.random() < 0.2 else None
        basis_text = r.choice(T.BASIS).format_map(ctx)
        table: dict[str, dict[str, list[Doc]]] = {}

        def add(l1: str, l2: str, row: Doc) -> None:
            if basis:
                row["依据"] = basis_text
            if weight:
                row["权重"] = weight
            key1, key2 = (_SHORT_LABEL[l1], _SHORT_LABEL[l2]) if short else (l1, l2)
            table.setdefault(key1, {}).setdefault(key2, []).append(row)

        for c, (l1, l2, rows) in enumerate(_CATEGORIES):
            for i in picked[c]:
                name, values, measure = rows[i]
                row: Doc = {"名称": name.format_map(ctx), "指标值": r.choice(values).format_map(ctx)}
                if measure and with_unit:
                    row["计量单位"] = measure
                if r.random() < 0.1:
                    row["指标值说明"] = "根据年度工作计划及上年度完成情况确定。"
                add(l1, l2, row)
            if c == _COST_AFTER:
                cost: Doc = {"名称": r.choice((f"{project}资金投入", f"{ctx['d']}经费", "项目总成本"))}
                if cents % 10000 == 0 and r.random() < 0.7:
                    cost["指标值"] = "=" + money(cents, "wan")
                else:
                    cost["指标值"] = money(cents, "comma").removesuffix("元")
                    cost["计量单位"] = "元"
                add("产出指标", "成本指标", cost)
        return {k1: dict(v) for k1, v in table.items()}

    # ---- money ----
    def _budget(self, lo: float, hi: float, exact_share: float) -> int:
        """A budget in 分: mostly whole 百元 (0.01万元), sometimes exact to the 元."""
        if self.rng.random() < exact_share:
            return int(10 ** self.rng.uniform(lo, hi)) * 100
        return int(10 ** self.rng.uniform(lo - 2, hi - 2)) * 10000

    def _funding(self, ctx: dict[str, str], cents: int) -> Doc:
        r = self.rng
        whole = cents % 10000 == 0
        style = "wan" if whole and r.random() < 0.6 else r.choice(("yuan", "comma", "yuan", "full"))
        funding: Doc = {}
        source = r.choice(T.FUNDING_SOURCES)
        if r.random() < 0.8:
            funding["资金来源"] = source
        shape = r.random()
        if shape < 0.9:
            funding["合计"] = money(cents, style)
        if shape > 0.25:
            step = 10000 if whole else 100
            parts = _split(r, cents // step, r.randint(2, 9))
            names = r.sample(T.FUNDING_ITEMS, len(parts))
            lines: list[Value] = []
            for name, part in zip(names, parts, strict=True):
                line: Doc = {"名称": name, "金额": money(part * step, "wan" if whole else "yuan")}
                if r.random() < 0.2:
                    line["说明"] = f"主要用于{ctx['d']}工作中发生的{name.removesuffix('费')}支出。"
                lines.append(line)
            funding["明细"] = lines
        if r.random() < 0.3:
            funding["说明"] = f"{source}安排{money(cents, 'yuan')}。"
        return funding

    # ---- kinds ----
    def _common(self, kind: str, unit: SynthUnit, year: int) -> Doc:
        label = unit.aliases[0] if unit.aliases and self.rng.random() < 0.3 else unit.name
        return {"类型": kind, "单位": label, "年度": str(year)}

    def _date(self, year: int, months: tuple[int, int], day: bool = True) -> str:
        m, d = self.rng.randint(*months), self.rng.randint(1, 28)
        if self.rng.random() < 0.3:
            return f"{year}年{m}月{d}日" if day else f"{year}年{m}月"
        return f"{year}-{m:02d}-{d:02d}" if day else f"{year}-{m:02d}"

    def _source_url(self, doc: Doc, unit: SynthUnit, year: int) -> None:
        if self.rng.random() < 0.5:
            host = unit.stem.split("-")[0]
            doc["原文链接"] = f"https://www.{host}.gov.cn/zfxxgk/{year}/{self.rng.randrange(10**7, 10**8)}.html"

    def project_text(self, unit: SynthUnit, year: int, project: str) -> Doc:
        r = self.rng
        cents = self._budget(4, 7.3, 0.2)
        ctx = self._ctx(unit, year, cents)
        doc = self._common("项目文本", unit, year)
        if r.random() < 0.7:
            doc["标题"] = f"{doc['单位']}{year}年{project}"
        doc["发布日期"] = self._date(year, (1, 4))
        self._source_url(doc, unit, year)
        doc["项目名称"] = project
        doc["立项依据"] = self._long(T.BASIS, ctx)
        doc["项目实施单位"] = unit.name
        doc["项目基本概况"] = self._long(T.OVERVIEW, ctx)
        if r.random() < 0.4:
            titles = r.sample(T.CONTENT, r.randint(3, 6))
            doc["项目实施内容"] = [
                {"标题": t.format_map(ctx).rstrip("。"), "内容": self._long(T.CONTENT, ctx)} for t in titles
            ]
        else:
            doc["项目实施内容"] = self._long(T.CONTENT, ctx, r.randint(2, 3))
        doc["资金安排"] = self._funding(ctx, cents)
        doc["项目实施计划"] = self._numbered(T.PLAN, ctx, 2, 4)
        doc["项目实施成效"] = self._long(T.RESULTS, ctx)
        if r.random() < 0.6:
            doc["绩效目标"] = {
                "年度目标": self._sentences(T.ANNUAL_TARGET, ctx, 1, 2),
                "绩效指标": self._indicators(ctx, cents, project),
            }
        return doc

    def target_table(self, unit: SynthUnit, year: int, project: str) -> Doc:
        r = self.rng
        cents = self._budget(4, 6.5, 0.1)
        ctx = self._ctx(unit, year, cents)
        ongoing = r.random() < 0.3
        total = cents * r.randint(2, 3) if ongoing else cents
        style = "wan" if cents % 10000 == 0 else "yuan"
        info: Doc = {
            "项目编码": f"{unit.region_code}{r.randrange(10**14, 10**15)}",
            "项目类别": "延续项目" if ongoing else "当年项目",
            "资金用途": r.choice(("业务类", "运转类", "建设类")),
            "开始日期": f"{year}-01-01" if r.random() < 0.8 else f"{year}年1月1日",
            "结束日期": f"{year}-12-31",
            "项目负责人": unit.legal_rep,
            "联系人": r.choice(T.SURNAMES) + "".join(r.choices(T.GIVEN, k=2)),
            "联系电话": f"{unit.area}-{r.choice('23568')}{r.randrange(10**6, 10**7)}",
            "是否重点项目": r.choice(("是", "否", "否")),
        }
        if r.random() < 0.5:
            info["资金来源"] = r.choice(T.FUNDING_SOURCES)
        info["项目总金额"] = money(total, style)
        info["本年度预算金额"] = money(cents, style)
        doc = self._common("绩效目标表", unit, year)
        self._source_url(doc, unit, year)
        doc.update(
            {
                "项目名称": project,
                "基本信息": info,
                "立项必要性": self._sentences(T.NECESSITY, ctx, 1, 3),
                "实施可行性": self._sentences(T.FEASIBILITY, ctx, 1, 3),
                "项目实施内容": self._long(T.CONTENT, ctx, r.randint(1, 2)),
                "中长期目标": self._sentences(T.LONG_TERM, ctx, 1, 2),
                "年度绩效目标": self._sentences(T.ANNUAL_TARGET, ctx, 1, 3),
                "立项依据": {"政策依据": self._sentences(T.BASIS, ctx, 1, 2), "其他依据": ""},
                "其他说明": "无",
                "绩效指标": self._indicators(ctx, cents, project),
            }
        )
        return doc

    def self_evaluation(self, unit: SynthUnit, year: int) -> Doc:
        r = self.rng
        spend = int(10 ** r.uniform(5.5, 7.7)) * 100 + r.randrange(100)
        people = int(spend * r.uniform(0.55, 0.78))
        public = int(spend * r.uniform(0.04, 0.1))
        parts = [people, public, spend - people - public]
        income = spend + r.randrange(0, spend // 50)
        ctx = self._ctx(unit, year)
        style = r.choice(("yuan", "yuan", "comma"))
        labels = [("人员经费", "人员经费支出"), ("公用经费", "日常公用经费"), ("项目支出", "项目经费")]
        part_rows: list[Value] = []
        for (canon, synonym), amount in zip(labels, parts, strict=True):
            row: Doc = {"名称": synonym if r.random() < 0.15 else canon, "金额": money(amount, style)}
            if canon == "公用经费":
                row["说明"] = "日常办公经费支出，主要用于购买办公用品、办公用电话费、车辆维修费、车辆保险费等。"
            part_rows.append(row)
        doc = self._common("整体绩效自评报告", unit, year)
        doc["标题"] = f"{unit.name}{year}年部门整体支出绩效自评报告"
        doc["发布日期"] = self._date(year + 1, (6, 9))
        self._source_url(doc, unit, year)
        team: list[Value] = [
            {
                "角色": role if i else r.choice(("组长", "(代)组长")),
                "姓名": r.choice(T.SURNAMES) + "".join(r.choices(T.GIVEN, k=r.choice((1, 2)))),
                "职务": title,
                "单位": unit.name,
            }
            for i, (role, title) in enumerate(T.ROLES[: r.randint(2, 4)])
        ]
        titles = r.sample(T.KEY_WORK_TITLES, r.randint(2, 4))
        key_work = (
            "\n\n".join(f"{i}. {t}\n\n{self._sentences(T.KEY_WORK, ctx, 2, 4)}" for i, t in enumerate(titles, 1)) + "\n"
        )
        spent = [money(p, style) for p in parts]
        spent_total = money(spend, style)
        doc.update(
            {
                "项目名称": f"{year}年部门整体支出",
                "评价机构": unit.name,
                "报告日期": self._date(year + 1, (3, 6), day=False),
                "评价小组": team,
                "预算收支": {"收入合计": money(income, style), "支出合计": money(spend, style), "支出构成": part_rows},
                "正文": [
                    {
                        "标题": "部门概况",
                        "小节": [
                            {"标题": f"{unit.name}职能职责", "内容": self._numbered(T.FUNCTIONS, ctx, 4, 7)},
                            {"标题": "重点工作概述", "内容": key_work},
                        ],
                    },
                    {
                        "标题": "预算收支总额",
                        "内容": f"{unit.name}{year}年收入合计：{money(income, style)}，年度支出合计：{spent_total}。",
                    },
                    {
                        "标题": "预算执行情况",
                        "内容": f"年度基本支出和项目支出合计：{money(spend, style)}，其中，人员经费支出{spent[0]}；"
                        f"日常办公经费支出{spent[1]}；项目支出{spent[2]}。",
                    },
                    {"标题": "评价结论及绩效分析", "内容": self._long(T.CONCLUSION, ctx)},
                    {
                        "标题": "经验、问题和建议",
                        "小节": [
                            {"标题": "经验", "内容": self._sentences(T.EXPERIENCE, ctx, 1, 2)},
                            {"标题": "存在的问题", "内容": self._sentences(T.PROBLEMS, ctx, 1, 2)},
                            {"标题": "改进措施及建议", "内容": self._numbered(T.SUGGESTIONS, ctx, 2, 3)},
                        ],
                    },
                ],
            }
        )
        return doc

    def unit_year(
        self, unit: SynthUnit, year: int, n_projects: int, n_targets: int, n_self: int
    ) -> Iterator[tuple[str, Doc]]:
        """(file stem, document) for every disclosure of `unit` in `year`."""
        r = self.rng
        pool = unit.projects
        want = n_projects + n_targets
        names = r.sample(pool, min(want, len(pool)))
        for k in range(2, 2 + (want - len(names) + len(pool) - 1) // len(pool)):
            names += [(f"{n}（{_CN_NUM[(k - 1) % 10]}期）", f"{s}-{k}") for n, s in r.sample(pool, len(pool))]
        names = names[:want]
        for name, stem in names[:n_projects]:
            yield stem, self.project_text(unit, year, name)
        shared = names[:n_projects]  # projects whose 绩效目标表 may also be published
        for name, stem in names[n_projects:]:
            if shared and r.random() < 0.15:
                name, stem = shared.pop(r.randrange(len(shared)))
            yield stem + "-mubiao", self.target_table(unit, year, name)
        if n_self:
            yield "zipingjia", self.self_evaluation(unit, year)
