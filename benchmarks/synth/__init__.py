"""`gongkai synth`: a deterministic synthetic content tree for scale tests and benchmarks.

Writes `site.yml`, `units/*.yml` and `<年度>/<单位>/*.yml` in the format of
docs/content-format.md, shaped like the seed documents: N disclosures of three kinds (~70% 项目文本,
20% 绩效目标表, 10% 整体绩效自评报告), plus a 项目支出绩效自评表 for about half of the 绩效目标表s
(synth/results.py; `results=0` leaves them out, and the other files are the same either way),
several KB of Chinese text each, funding lines
that add up to the cent, 8–12 indicator rows with a 成本指标 equal to the budget, and
valid 统一社会信用代码. Everything comes from one `random.Random(seed)`, so the same
N and seed give a byte-identical tree.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.synth import text as T
from benchmarks.synth.docs import Doc, DocWriter, SynthUnit
from benchmarks.synth.results import RESULTS_SEED, SHARE_RESULTS, project_evaluation
from benchmarks.synth.yaml_text import Flow, dump

log = logging.getLogger(__name__)

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_LETTERS = "ABCDEFGHJKLMNPQRTUWXY"

SHARE_TARGETS = 0.20
SHARE_SELF_EVALUATION = 0.10


@dataclass(frozen=True)
class SynthStats:
    units: int
    projects: int
    targets: int
    self_evaluations: int
    bytes: int
    project_evaluations: int = 0

    @property
    def disclosures(self) -> int:
        return self.projects + self.targets + self.self_evaluations + self.project_evaluations


def credit_code_check(first17: str) -> str:
    """The 18th character of a 统一社会信用代码 (GB 32100-2015)."""
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def _org_code(rng: random.Random) -> str:
    """A 9-character 组织机构代码 with its GB 11714 check character."""
    body = [rng.choice(_ORG_LETTERS) if rng.random() < 0.15 else str(rng.randrange(10)) for _ in range(8)]
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return "".join(body) + {10: "X", 11: "0"}.get(check, str(check))


def _credit_code(rng: random.Random, region_code: str) -> str:
    while True:
        first17 = "11" + region_code + _org_code(rng)
        code = first17 + credit_code_check(first17)
        if not code.isdigit():  # an all-digit code looks like an ID number to the privacy check
            return code


def _person(rng: random.Random) -> str:
    return rng.choice(T.SURNAMES) + "".join(rng.choices(T.GIVEN, k=rng.choice((1, 2, 2))))


def _all_places() -> list[tuple[int, tuple[str, ...], tuple[str, ...], str, str]]:
    """Every place as (level, region path, pinyin path, region code, area phone code)."""
    places: list[tuple[int, tuple[str, ...], tuple[str, ...], str, str]] = []
    for prov, prov_py, prov_code, _s, prefs in T.REGIONS:
        area = T.AREA_CODES[prefs[0][0]]
        places.append((1, (prov,), (prov_py,), f"{prov_code:02d}0000", area))
        for pref, pref_py, pref_code, _ps, counties in prefs:
            area = T.AREA_CODES[pref]
            places.append((2, (prov, pref), (prov_py, pref_py), f"{prov_code:02d}{pref_code:02d}00", area))
            for i, (county, county_py) in enumerate(counties, start=2):
                code = f"{prov_code:02d}{pref_code:02d}{i:02d}"
                places.append((3, (prov, pref, county), (prov_py, pref_py, county_py), code, area))
    return places


def _make_units(rng: random.Random, count: int) -> list[SynthUnit]:
    """`count` units across all places: the seed units first, then a deterministic sample."""
    types = {t[0]: t for t in T.UNIT_TYPES}
    places = _all_places()
    by_path = {p[1]: p for p in places}
    seed_keys = [(by_path[path], types[name]) for path, name in T.SEED_UNITS]
    others = [(p, t) for p in places for t in T.UNIT_TYPES if (p, t) not in seed_keys]
    # counties and prefectures publish far more than provinces
    others = [k for k in others if k[0][0] > 1 or rng.random() < 0.5]
    chosen = seed_keys + rng.sample(others, max(0, min(count, len(seed_keys) + len(others)) - len(seed_keys)))
    order = {p[1]: i for i, p in enumerate(places)}
    chosen.sort(key=lambda k: (order[k[0][1]], T.UNIT_TYPES.index(k[1])))

    units: list[SynthUnit] = []
    seen: set[str] = set()
    for (level, path, py, code, area), utype in chosen:
        unit = SynthUnit.create(rng, level, path, py, code, area, utype, _credit_code(rng, code), _person(rng))
        for name in (unit.name, *unit.aliases):
            if name in seen:
                raise AssertionError(f"duplicate unit name {name}")
            seen.add(name)
        units.append(unit)
    return units


def _unit_count(n: int) -> int:
    """Hundreds of units for thousands of disclosures: ~4·√N, at least the seed units."""
    return max(len(T.SEED_UNITS), round(4 * math.sqrt(n)))


def _site_doc() -> Doc:
    return {
        "网站名称": "预算重点领域信息公开（模拟数据）",
        "网站简介": "由 gongkai synth 生成的模拟数据，用于规模和性能测试，不是真实的预算公开内容。",
        "网站域名": "yusuan.example.gov.cn",
        "主办单位": "××省财政厅",
        "联系方式": "0871-00000000",
        "网站标识码": "5300000000",
        "ICP备案号": "滇ICP备00000000号",
        "公安备案号": "滇公网安备 00000000000000号",
        "隐私脱敏": "否",
    }


def _unit_doc(u: SynthUnit) -> Doc:
    doc: Doc = {"名称": u.name}
    if u.aliases:
        doc["别名"] = Flow(u.aliases)
    doc["地区"] = Flow(u.region)
    doc.update(
        {
            "统一社会信用代码": u.credit_code,
            "地址": u.address,
            "联系电话": u.phone,
            "法定代表人": u.legal_rep,
            "单位概况": u.overview,
            "主要职能": list(u.functions),
        }
    )
    return doc


def parse_years(text: str) -> range:
    """`2021-2025` or `2022` → the years, inclusive; ValueError with a Chinese message otherwise."""
    first, sep, last = text.strip().partition("-")
    if not (first.isdigit() and (last.isdigit() or not sep)):
        raise ValueError(f"年度范围写法不对：{text}（应写成 2021-2025 或 2022）")
    start, end = int(first), int(last or first)
    if not 2000 <= start <= end <= 2100:
        raise ValueError(f"年度范围不对：{text}（应在 2000–2100 之间，且起始年不晚于结束年）")
    return range(start, end + 1)


def iter_tree(
    n: int, *, seed: int = 1, years: Sequence[int] = range(2021, 2026), results: float = SHARE_RESULTS
) -> Iterator[tuple[str, Doc]]:
    """Every file of the tree as (path relative to the content root, document), in writing order;
    `results`: the share of 绩效目标表s followed by their 自评表 (from a random stream of their own)."""
    if n < 1:
        raise ValueError("n must be positive")
    years = list(years)
    rng = random.Random(seed)
    units = _make_units(rng, _unit_count(n))
    unit_years = [(y, u) for y in years for u in units]

    n_self = min(round(n * SHARE_SELF_EVALUATION), len(unit_years))
    n_targets = round(n * SHARE_TARGETS)
    n_projects = n - n_self - n_targets
    # per unit-year: [projects, targets, self-evaluation]; larger units and later years publish more
    counts = [[0, 0, 0] for _ in unit_years]
    for i in rng.sample(range(len(unit_years)), n_self):
        counts[i][2] = 1
    weights = [u.weight * (1 + 0.15 * years.index(y)) for y, u in unit_years]
    picks = rng.choices(range(len(unit_years)), weights=weights, k=n_projects + n_targets)
    for j, i in enumerate(picks):
        counts[i][0 if j < n_projects else 1] += 1

    yield "site.yml", _site_doc()
    for u in units:
        yield f"units/{u.stem}.yml", _unit_doc(u)
    writer = DocWriter(rng)
    reports = random.Random(seed + RESULTS_SEED)
    for (year, unit), (n_p, n_t, n_s) in zip(unit_years, counts, strict=True):
        for stem, doc in writer.unit_year(unit, year, n_p, n_t, n_s):
            yield f"{year}/{unit.stem}/{stem}.yml", doc
            if doc["类型"] == "绩效目标表" and reports.random() < results:
                yield f"{year}/{unit.stem}/{stem.removesuffix('-mubiao')}-ziping.yml", project_evaluation(reports, doc)


def synthesize(
    n: int, out: Path, *, seed: int = 1, years: Sequence[int] = range(2021, 2026), results: float = SHARE_RESULTS
) -> SynthStats:
    """Write a content tree of `n` disclosures (and the 自评表 of `iter_tree`) into `out` (absent or empty)."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(out)
    out.mkdir(parents=True, exist_ok=True)
    written = units = 0
    kinds: dict[str, int] = {}
    made: set[Path] = set()
    for rel, doc in iter_tree(n, seed=seed, years=years, results=results):
        path = out / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        data = dump(doc).encode("utf-8")
        path.write_bytes(data)
        written += len(data)
        if rel.startswith("units/"):
            units += 1
        elif "类型" in doc:
            kind = str(doc["类型"])
            kinds[kind] = kinds.get(kind, 0) + 1
    evaluations = kinds.get("项目支出绩效自评表", 0)
    log.info(
        "模拟数据：%d 个单位，%d 份公开文本（另有项目支出绩效自评表 %d 份），%.1f MB",
        units,
        n,
        evaluations,
        written / 1e6,
    )
    return SynthStats(
        units,
        kinds.get("项目文本", 0),
        kinds.get("绩效目标表", 0),
        kinds.get("整体绩效自评报告", 0),
        written,
        evaluations,
    )
