"""The history stage on a small repository with known edits (tests/history_helpers.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator.corpus.validate import check_tree
from generator.history import History, read_history
from generator.history.addresses import redirects

from .history_helpers import edits_repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return edits_repo(tmp_path_factory.mktemp("edits") / "repo")


@pytest.fixture(scope="module")
def history(repo: Path) -> History:
    return read_history(repo)


def _log(history: History, path: str) -> list[tuple[str, str | None, list[str], tuple[str, ...]]]:
    found = history.of(path)
    assert found is not None
    return [(r.date, r.renamed_from, [str(c) for c in r.changes.figures], r.changes.sections) for r in found.revisions]


def test_revisions_of_a_moved_renamed_project(history: History) -> None:
    assert history.available and history.prefix == "content/"
    assert _log(history, "2022/tonghai/xinfang.yml") == [
        ("2021-03-01", None, [], ()),
        (
            "2021-06-01",
            None,
            ["资金安排.合计 30,000.00 元 → 35,000.00 元", "资金安排.明细 新增“印刷费”：5,000.00 元"],
            ("项目基本概况",),
        ),
        (
            "2022-01-10",
            "2022/ok.yml",
            [
                "项目名称 “信访专项工作经费专项资金” → “信访专项经费”",
                "资金安排.合计 35,000.00 元 → 10,000.00 元",
                "资金安排.明细 删除“差旅费”（原为 25,000.00 元）",
            ],
            (),
        ),
        ("2022-06-01", None, ["项目名称 “信访专项经费” → “信访专项经费（更正）”"], ()),
    ]
    assert history.files["2022/tonghai/xinfang.yml"].first.date == "2021-03-01"  # first publication


def test_indicator_changes(history: History) -> None:
    assert _log(history, "2022/mubiao.yml")[1][2] == [
        "绩效指标 新增“办结率”：>=95%",
        "绩效指标“群众满意度”.指标值 ≥90% → ≥95%",
    ]


def test_old_addresses_lead_to_todays_pages(repo: Path, history: History) -> None:
    result = check_tree(repo)
    assert result.corpus is not None, [str(p) for p in result.errors]
    found = redirects(result.corpus, history)
    project = "2022/tonghaixian-renmin-xinfangju/xinfang-zhuanxiang-jingfei-gengzheng/"
    assert found.targets == {
        "2022/tonghaixian-xinfangju/xinfang-mubiao-jingfei/": "2022/tonghaixian-renmin-xinfangju/mubiao-guding/",
        "2022/tonghaixian-xinfangju/xinfang-zhuanxiang-gongzuo-jingfei-zhuanxiang-zijin/": project,  # chain: A → D
        "2022/tonghaixian-xinfangju/xinfang-zhuanxiang-jingfei/": project,
        "units/tonghaixian-xinfangju/": "units/tonghaixian-renmin-xinfangju/",
    }
    # the pinned 网址 survived the rename of 2022-06-01
    pinned = next(d for d in result.corpus.disclosures if d.src_path == "2022/mubiao.yml")
    assert pinned.name == "信访目标管理经费" and pinned.url == "2022/tonghaixian-renmin-xinfangju/mubiao-guding/"
    # an old address taken by new content is the new page's, with a located warning
    [reused] = found.reused
    assert reused.src.path == "2022/new.yml" and reused.warning
    assert "2022/tonghaixian-renmin-xinfangju/xinfang-zhuanxiang-jingfei/" in reused.message


def test_same_commit_same_history(repo: Path, history: History) -> None:
    assert read_history(repo) == history


def test_without_history(tmp_path: Path, repo: Path) -> None:
    plain = tmp_path / "content"
    shutil.copytree(repo, plain)
    got = read_history(plain)
    assert not got.available and got.reason


def test_shallow_clone(tmp_path: Path, repo: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.parent}", str(clone)], check=True)
    got = read_history(clone / "content")
    assert not got.available and "浅克隆" in (got.reason or "")


def test_pinned_slug_invalid_or_colliding(base_content: Path) -> None:
    ok = base_content / "2022" / "ok.yml"
    text = ok.read_text(encoding="utf-8")
    ok.write_text(text + "网址: Bad_Slug\n", encoding="utf-8")
    [problem] = check_tree(base_content).errors
    assert (problem.src.path, problem.key_path) == ("2022/ok.yml", "网址") and "小写字母" in problem.message
    ok.write_text(text + "网址: other\n", encoding="utf-8")
    (base_content / "2022" / "two.yml").write_text(
        text.replace("信访专项工作经费专项资金", "另一个项目") + "网址: other\n", encoding="utf-8"
    )
    [problem] = check_tree(base_content).errors
    assert problem.src.path == "2022/two.yml" and problem.key_path == "网址" and "2022/ok.yml" in problem.message
