"""A site built in parts (generator/parts.py): the plan, part builds, and the merge.

The key property: building the site as 2 parts (in any order, in separate runs) and
merging them gives the same site as one whole build, byte for byte.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.synth import synthesize
from generator.commands.build import build_site, merge_sites
from generator.corpus.validate import check_tree
from generator.publish.merge import merge
from generator.site.parts import PartError, auto_parts, parse_spec, plan

from .conftest import CONTENT, ROOT
from .site_helpers import make_config

EPOCH = "1700000000"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def synth_corpus(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("synth") / "content"
    synthesize(120, folder, seed=3)
    result = check_tree(folder)
    assert result.corpus is not None, result.errors
    return result.corpus


def test_parse_spec() -> None:
    assert parse_spec("2/3") == (2, 3)
    assert parse_spec(" 1 / 1 ") == (1, 1)
    for bad, message in (
        ("3/2", "不在 1 到 2 之间"),
        ("0/2", "不在 1 到 2 之间"),
        ("a/b", "序号/总数"),
        ("2", "序号/总数"),
    ):
        with pytest.raises(PartError, match=message):
            parse_spec(bad)


def test_plan_deals_every_year_once_and_balances(synth_corpus) -> None:  # type: ignore[no-untyped-def]
    years = {d.year for d in synth_corpus.disclosures}
    for count in (1, 2, 3, 7):
        parts = plan(synth_corpus, count)
        assert [p.number for p in parts] == list(range(1, count + 1))
        assert [p.common for p in parts] == [True] + [False] * (count - 1)
        dealt = [y for p in parts for y in p.years]
        assert sorted(dealt) == sorted(years)  # each year in exactly one part
        assert plan(synth_corpus, count) == parts  # every part process computes the same plan
    one, two = plan(synth_corpus, 2)
    per_year = {y: sum(d.year == y for d in synth_corpus.disclosures) for y in years}
    load_one = 0.3 * len(synth_corpus.disclosures) + sum(per_year[y] for y in one.years)
    load_two = sum(per_year[y] for y in two.years)
    assert abs(load_one - load_two) <= max(per_year.values())  # within one year's pages
    with pytest.raises(PartError):
        plan(synth_corpus, 0)
    assert auto_parts(synth_corpus) == 1  # a small corpus is built in one process


def _build(tmp: Path, name: str, part: str | None) -> Path:
    out = io.StringIO()
    work = tmp / name
    work.mkdir()
    code = build_site(make_config(work, CONTENT), work / "site", out=out, part_spec=part)
    assert code == 0, out.getvalue()
    return work / "site"


def test_two_parts_merged_equal_the_whole_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    whole = _build(tmp_path, "whole", None)
    second = _build(tmp_path, "p2", "2/2")  # built first: order does not matter
    first = _build(tmp_path, "p1", "1/2")
    assert not (second / "index.html").exists() and (first / "index.html").exists()  # really split
    assert not set(tree(first)) >= set(tree(whole))
    out = io.StringIO()
    assert merge_sites([first, second], tmp_path / "merged", out=out) == 0, out.getvalue()
    merged, expected = tree(tmp_path / "merged"), tree(whole)
    assert sorted(merged) == sorted(expected)
    differ = [rel for rel in expected if merged[rel] != expected[rel]]
    assert differ == []
    # Moving a part's own folders whole (what `gongkai build` does with its scratch parts) gives the same site.
    copied = merge([first, second], tmp_path / "copied")
    (tmp_path / "moved").mkdir()
    moved = merge([first, second], tmp_path / "moved", move=True)
    assert tree(tmp_path / "moved") == expected and moved.files == copied.files
    assert not (first / "source").exists()  # moved, not linked
    # The second part's unit folders under its years too (a year's own page is part 1's: that folder is shared).
    assert not [d for y in second.iterdir() if y.name.isdigit() for d in y.iterdir() if d.is_dir()]


def test_build_in_two_processes_equals_the_whole_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`gongkai build --parts 2`: one check, two forked part builds, one merge; the old site stays until then."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    whole = _build(tmp_path, "whole", None)
    work = tmp_path / "two"
    work.mkdir()
    (work / "site").mkdir()
    (work / "site" / "old.html").write_text("旧网站", encoding="utf-8")
    out = io.StringIO()
    assert build_site(make_config(work, CONTENT), work / "site", out=out, parts=2) == 0, out.getvalue()
    assert "已合并 2 个分片" in out.getvalue()
    assert tree(work / "site") == tree(whole)
    assert not (work / ".site-parts").exists()  # the parts' folders are removed after the merge


def test_a_failed_part_keeps_the_old_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.commands.build
    import generator.site.parts

    real = generator.site.parts.select  # the function commands/build.py imported

    def failing(corpus, spec):  # type: ignore[no-untyped-def]  # runs in the forked part process
        if spec == "2/2":
            raise RuntimeError("模拟的分片故障")
        return real(corpus, spec)

    monkeypatch.setattr(generator.commands.build, "select", failing)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("旧网站", encoding="utf-8")
    out = io.StringIO()
    assert build_site(make_config(tmp_path, CONTENT), tmp_path / "site", out=out, parts=2) == 1
    assert "有分片生成失败" in out.getvalue() and "原网站未改动" in out.getvalue()
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "旧网站"
    assert not (tmp_path / ".site-parts").exists()


def test_merge_refuses_parts_that_disagree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = _build(tmp_path, "p1", "1/2")
    second = _build(tmp_path, "p2", "2/2")
    (second / "404.html").write_text("<html>另一个版本</html>", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("旧网站", encoding="utf-8")
    out = io.StringIO()
    assert merge_sites([first, second], site, out=out) == 1
    assert "404.html" in out.getvalue() and "原网站未改动" in out.getvalue()
    assert (site / "index.html").read_text(encoding="utf-8") == "旧网站"  # nothing half-merged published


def test_bad_part_spec_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    config = make_config(tmp_path, CONTENT)
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "-f", str(config), "--part", "3/2"],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
        timeout=300,
    )
    assert run.returncode == 2
    assert "分片序号 3 不在 1 到 2 之间" in run.stderr and "Traceback" not in run.stderr


def test_ci_matrix_template_builds_every_part_and_merges_them() -> None:
    from .test_author_workflow import _gongkai_commands, _parses, _yaml

    workflow = _yaml(ROOT / "ci-templates" / "github-actions-parts.yml")
    count = int(workflow["env"]["PARTS"])
    part, merge = workflow["jobs"]["part"], workflow["jobs"]["merge"]
    assert part["strategy"]["matrix"]["part"] == list(range(1, count + 1))
    [build] = _gongkai_commands([s["run"] for s in part["steps"] if "run" in s])
    _parses(build)
    spec = build[build.index("--part") + 1]
    assert spec == "${{ matrix.part }}/$PARTS"
    parse_spec(spec.replace("${{ matrix.part }}", "1").replace("$PARTS", str(count)))
    out = build[build.index("-d") + 1]
    [upload] = [s for s in part["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert upload["with"]["path"] == out
    [joined] = _gongkai_commands([s["run"] for s in merge["steps"] if "run" in s])
    _parses(joined)
    assert joined[0] == "merge" and joined[1] == "parts/part-*"
    [pages] = [s for s in merge["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert pages["with"]["path"] == joined[joined.index("-d") + 1]
    assert workflow["jobs"]["deploy"]["needs"] == "merge"
