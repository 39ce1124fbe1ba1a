"""Round trip: each seed text under ../shared/seeds → `gongkai import` drafts → `gongkai check`,
compared with the hand transcription of the same seed in content/.

What the test does to a draft before checking it, exactly:
1. removes the 未识别 key (the text the importer could not place; asserted separately);
2. if the draft's 单位 is not the 名称 or an 别名 of a unit profile in content/units/, sets it to
   the unit of the hand transcription (only seed 003 needs this: its table names just “信访局”);
3. writes it to <tmp>/content/<年度>/import/, next to copies of content/site.yml and content/units/.
Nothing else is edited. The checked drafts must then agree with the hand transcription on
kind, unit, year, project name, every money figure and every indicator row (levels, name, value).
"""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from generator.corpus.model import Corpus, Disclosure, ProjectText, SelfEvaluation, TargetTable
from generator.corpus.validate import check_tree
from generator.importer import import_lines
from generator.importer.draft import Draft, to_yaml
from generator.importer.read import read_lines
from generator.importer.text import squash

from .conftest import CONTENT, SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))
# What the importer cannot place in each seed (OCR noise and signature lines), by line.
EXPECTED_UNPLACED = {
    "000": [],
    "001": [("第17–18行", "报告撰写人(签字):  2023年6月20日\n评价工作负责人(签字)  2023年6月20日")],
    "002": [],
    "003": [("第33行", "XX הם")],
    "004": [],
}


@pytest.fixture(scope="module")
def hand() -> Corpus:
    result = check_tree(CONTENT)
    assert not result.errors, [str(e) for e in result.errors]
    assert result.corpus is not None
    return result.corpus


def hand_for(corpus: Corpus, seed: Path) -> list[Disclosure]:
    """The hand transcriptions whose header comment names `seed` as their source."""
    out = []
    for d in corpus.disclosures:
        first = (CONTENT / d.src_path).read_text(encoding="utf-8").splitlines()[0]
        if seed.name in first:
            out.append(d)
    return out


def known_units(corpus: Corpus) -> set[str]:
    return {n for u in corpus.units for n in (u.name, *u.aliases)}


def summary(d: Disclosure) -> dict[str, object]:
    """What must agree: kind, unit, year, name, money figures (exact 元) and indicator rows."""
    b = d.body
    out: dict[str, object] = {"kind": d.kind, "unit": d.unit.name, "year": d.year, "name": squash(d.name)}
    money: list[tuple[str, Decimal]] = []
    if isinstance(b, ProjectText):
        money.append(("合计", b.funding.total.yuan))
        money += [(squash(line.name), line.amount.yuan) for line in b.funding.lines]
        out["source"] = b.funding.source
    elif isinstance(b, TargetTable):
        money.append(("本年度预算金额", b.budget.yuan))
        if b.total_amount is not None:
            money.append(("项目总金额", b.total_amount.yuan))
    elif isinstance(b, SelfEvaluation):
        money.append(("支出合计", b.spending.yuan))
        if b.income is not None:
            money.append(("收入合计", b.income.yuan))
        money += [(p.category, p.amount.yuan) for p in b.parts]
    out["money"] = money
    indicators = getattr(b, "indicators", ())
    out["indicators"] = [(i.level1, i.level2, squash(i.name), i.value.text, i.measure_unit) for i in indicators]
    return out


def linked_tree(tmp_path: Path, drafts: list[Draft], units: set[str], unit_name: str) -> tuple[Path, bool]:
    """Write the drafts as described in the module docstring; returns (content root, whether 单位 was set)."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT / "units", root / "units")
    shutil.copy(CONTENT / "site.yml", root / "site.yml")
    yaml = YAML()
    linked = False
    for i, draft in enumerate(drafts):
        data = yaml.load(to_yaml(draft))
        data.pop("未识别", None)
        if data["单位"] not in units:
            data["单位"] = unit_name
            linked = True
        dest = root / str(data["年度"]) / "import" / f"draft-{i}.yml"
        dest.parent.mkdir(parents=True, exist_ok=True)
        buf = io.StringIO()
        yaml.dump(data, buf)
        dest.write_text(buf.getvalue(), encoding="utf-8")
    return root, linked


def test_all_five_seeds_present() -> None:
    assert [p.name[:3] for p in SEED_FILES] == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_round_trip(seed: Path, hand: Corpus, tmp_path: Path) -> None:
    expected = hand_for(hand, seed)
    assert expected, f"content/ 中没有来源为 {seed.name} 的手工录入"
    drafts = import_lines(read_lines(seed), seed.name)
    disclosures = [d for d in drafts if d.kind is not None]
    assert len(disclosures) == len(expected)

    root, linked = linked_tree(tmp_path, disclosures, known_units(hand), expected[0].unit.name)
    assert linked == (seed.name[:3] == "003")
    result = check_tree(root)
    assert not result.errors, [str(e) for e in result.errors]
    assert result.corpus is not None

    got = sorted((summary(d) for d in result.corpus.disclosures), key=lambda s: str(s["name"]))
    want = sorted((summary(d) for d in expected), key=lambda s: str(s["name"]))
    assert got == want


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_unplaced_text_is_only_the_noise(seed: Path) -> None:
    drafts = import_lines(read_lines(seed), seed.name)
    unplaced = [(c.where, c.text) for d in drafts for c in d.unplaced]
    assert unplaced == EXPECTED_UNPLACED[seed.name[:3]]
    for draft in drafts:
        text = to_yaml(draft)
        assert ("未识别:" in text) == bool(draft.unplaced)


def test_seed_000_unit_details_become_a_profile_draft(hand: Corpus) -> None:
    seed = next(p for p in SEED_FILES if p.name.startswith("000"))
    (draft,) = import_lines(read_lines(seed), seed.name)
    (profile,) = draft.companions
    unit = next(u for u in hand.units if u.name == "盘龙区信访局")
    assert profile.filename is not None and profile.filename.startswith("units/")
    assert profile.data["名称"] == "昆明市盘龙区信访局"
    assert profile.data["统一社会信用代码"] == unit.credit_code
    assert profile.data["地址"] == unit.address
    assert profile.data["联系电话"] == unit.phone
    assert profile.data["法定代表人"] == unit.legal_rep
    assert profile.data["主要职能"] == list(unit.functions)
    assert ("地区",) in profile.doubts  # only 昆明市/盘龙区 can be read from the name


_DATE = __import__("re").compile(r"^(20\d\d)年(\d{1,2})月$")
# Table headers and block titles of the official templates: layout, not content.
_TEMPLATE_WORDS = {"一级指标", "二级指标", "三级指标", "指标值", "评价小组", "机构职位", "姓名", "职务/职称"}
_TEMPLATE_WORDS |= {"所属", "单位/处室", "签字", "基本情况"}


def _letters(text: str) -> str:
    """Only letters, digits and Chinese characters: punctuation at the places the importer splits may go."""
    return "".join(ch for ch in text if ch.isalnum())


def _haystack(documents: list[object]) -> str:
    """All values in document order (so a title and its body read on), then every key on its own."""
    values: list[str] = []
    keys: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                keys.append(_letters(str(key)))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        else:
            values.append(str(node))

    for doc in documents:
        walk(doc)
    return _letters("".join(values)) + "\0" + "\0".join(keys)


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_no_text_is_lost(seed: Path) -> None:
    """Every piece of every input line (cells, words between spaces) is found again in the drafts.

    Compared on letters, digits and Chinese characters only. Exempt: outline numbers (一、（一）1.),
    short labels before a colon (`地址：`), the section headings the importer turns into keys, and the
    table headers listed above. Pure punctuation (`...`) is ignored.
    """
    import re

    from generator.importer.project_text import heading_of

    lines = read_lines(seed)
    drafts = import_lines(lines, seed.name)
    everything = [*drafts, *(c for d in drafts for c in d.companions)]
    haystack = _haystack([YAML(typ="safe").load(to_yaml(d)) for d in everything])
    missing = []
    for line in lines:
        for piece in re.split(r"[\t ]+", line.text):
            piece = re.sub(
                r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.．、](?!\d))", "", piece
            )
            parts = re.split(r"[:：]", piece)
            for i, part in enumerate(parts):
                if i < len(parts) - 1 and len(part) <= 10:
                    continue  # a label
                if not any(ch.isalnum() for ch in part) or part in _TEMPLATE_WORDS or heading_of(part):
                    continue
                m = _DATE.match(part)
                iso = _letters(f"{m.group(1)}-{int(m.group(2)):02d}") if m else "\0"
                if _letters(part) not in haystack and iso not in haystack:
                    missing.append((line.no, part))
    assert missing == []
