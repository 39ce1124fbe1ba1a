"""`python -m benchmarks.synth`: a deterministic synthetic corpus that passes `gongkai check`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks.synth import credit_code_check, iter_tree, parse_years, synthesize
from benchmarks.synth.__main__ import main
from benchmarks.synth.yaml_text import Flow, dump
from generator.corpus.accountability import Verdict, link
from generator.corpus.load import Map, Node, Scalar, parse
from generator.corpus.model import Kind, ProjectText, SelfEvaluation, TargetTable
from generator.corpus.validate import check_tree

N = 60


def _read(text: str) -> object:
    """The text back through the project's own loader, as plain dicts, lists and strings."""
    node, problems = parse(text, "t.yml")
    assert problems == [] and node is not None

    def plain(n: Node) -> object:
        if isinstance(n, Scalar):
            return n.text
        if isinstance(n, Map):
            return {k: plain(v) for k, v in n.items.items()}
        return [plain(x) for x in n.items]

    return plain(node)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "content"
    synthesize(N, out, seed=7)
    return out


def test_same_n_and_seed_give_a_byte_identical_tree(corpus_dir: Path, tmp_path: Path) -> None:
    synthesize(N, tmp_path / "again", seed=7)
    synthesize(N, tmp_path / "other", seed=8)
    first, again, other = _tree(corpus_dir), _tree(tmp_path / "again"), _tree(tmp_path / "other")
    assert len(first) > N
    assert first == again
    assert first != other


def test_the_corpus_passes_check_without_warnings(corpus_dir: Path) -> None:
    result = check_tree(corpus_dir)
    assert [str(p) for p in result.errors] == []
    assert [str(p) for p in result.warnings] == []
    corpus = result.corpus
    assert corpus is not None
    kinds = Counter(d.kind for d in corpus.disclosures)
    assert kinds == {Kind.PROJECT: 42, Kind.TARGETS: 12, Kind.SELF_EVALUATION: 6, Kind.PROJECT_EVALUATION: 6}
    assert len(corpus.disclosures) == N + kinds[Kind.PROJECT_EVALUATION]  # N of the other kinds, and the 自评表
    assert corpus.years == (2021, 2022, 2023, 2024, 2025)
    # several provinces; same unit type in different counties, told apart only by the county prefix
    assert len({u.region[0] for u in corpus.units}) >= 3
    names = {u.name for u in corpus.units}
    assert {"盘龙区信访局", "通海县信访局", "楚雄州信访局", "庐山市信访局"} <= names
    assert len(names) == len(corpus.units)
    assert any(d.unit_label != d.unit.name for d in corpus.disclosures), "some disclosures cite a unit by alias"


def test_disclosures_are_shaped_like_the_seeds(corpus_dir: Path) -> None:
    corpus = check_tree(corpus_dir).corpus
    assert corpus is not None
    with_indicators = 0
    for d in corpus.disclosures:
        body = d.body
        if isinstance(body, ProjectText) and body.funding.lines:
            assert sum(line.amount.yuan for line in body.funding.lines) == body.funding.total.yuan
        if isinstance(body, SelfEvaluation):
            assert sum(p.amount.yuan for p in body.parts) == body.spending.yuan
            assert {p.category for p in body.parts} == {"人员经费", "公用经费", "项目支出"}
        indicators = body.indicators if isinstance(body, ProjectText | TargetTable) else ()
        if indicators:
            with_indicators += 1
            assert 8 <= len(indicators) <= 12
            assert {i.level1 for i in indicators} == {"产出指标", "效益指标", "满意度指标"}
            cost = [i for i in indicators if i.level2 == "成本指标"]
            assert len(cost) == 1 and cost[0].value.number is not None
        src = (corpus_dir / d.src_path).read_bytes()
        assert len(src) > 1500, f"{d.src_path} is too short to stand for a real disclosure"
    assert with_indicators >= N * 0.4


def test_the_self_evaluations_meet_their_targets_as_forms_do(corpus_dir: Path) -> None:
    """Every 自评表 is linked to its 绩效目标表; verdicts of all three kinds, a reason by every target missed."""
    corpus = check_tree(corpus_dir).corpus
    assert corpus is not None
    links = link(corpus.disclosures)
    assert links.warnings == () and len(links.comparisons) == 6
    assert all(c.target is not None and c.target.kind is Kind.TARGETS for c in links.comparisons)
    rows = [row for c in links.comparisons for row in c.rows]
    assert all(row.matched for row in rows)
    verdicts = Counter(row.verdict for row in rows)
    assert verdicts[Verdict.MET] > verdicts[Verdict.UNMET] > 0 and verdicts[Verdict.UNKNOWN] > 0
    assert all((row.verdict is Verdict.UNMET) == (row.deviation is not None) for row in rows)


def test_without_self_evaluations_the_other_files_are_unchanged(corpus_dir: Path, tmp_path: Path) -> None:
    """The 自评表 come from a random stream of their own: leaving them out changes no other file."""
    stats = synthesize(N, tmp_path / "none", seed=7, results=0)
    assert stats.project_evaluations == 0 and stats.disclosures == N
    with_results = {k: v for k, v in _tree(corpus_dir).items() if not k.endswith("-ziping.yml")}
    assert _tree(tmp_path / "none") == with_results


def test_every_document_reads_back_as_written() -> None:
    def plain(v: object) -> object:
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list | Flow):
            return [plain(x) for x in v]
        return v

    for rel, doc in iter_tree(40, seed=3):
        assert _read(dump(doc)) == plain(doc), rel


_TEXT = st.text(
    alphabet=st.sampled_from(list("ab09 -:#>[]{},'\"!&*%@`|?=~≥＞、，。：（）“”信访局\n")),
    max_size=30,
)


@given(st.lists(_TEXT, max_size=4), _TEXT)
def test_awkward_strings_survive_the_writer(items: list[str], value: str) -> None:
    one_line = [s.replace("\n", "") for s in items]
    text = value.strip("\n ") or "x"  # a block scalar cannot start with a space or blank line
    loaded = _read(dump({"键": text, "列表": one_line, "行内": Flow(one_line)}))
    assert loaded == {"键": text, "列表": one_line, "行内": one_line}


def test_credit_code_check_matches_the_seed() -> None:
    # 昆明市盘龙区信访局's real code from the seed document 000
    assert credit_code_check("11530103015119450") == "J"


def test_parse_years() -> None:
    assert list(parse_years("2021-2023")) == [2021, 2022, 2023]
    assert list(parse_years("2022")) == [2022]
    for bad in ("2023-2021", "21-23", "abc", "1999-2001"):
        with pytest.raises(ValueError, match="年度范围"):
            parse_years(bad)


def test_cli_writes_a_checkable_tree_and_refuses_a_full_folder(tmp_path: Path) -> None:
    out = tmp_path / "c"
    assert main(["12", "-o", str(out), "--seed", "5", "--years", "2022-2023"]) == 0
    result = check_tree(out)
    assert result.errors == [] and result.corpus is not None
    assert result.corpus.years == (2022, 2023)
    assert len([d for d in result.corpus.disclosures if d.kind is not Kind.PROJECT_EVALUATION]) == 12
    before = _tree(out)
    assert main(["12", "-o", str(out)]) == 1
    assert _tree(out) == before
