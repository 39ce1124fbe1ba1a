"""The content format's version (issue 18): a site and a gongkai that do not meet say which version is needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import __version__
from generator.cli import main
from generator.corpus.validate import check_tree
from generator.corpus.version import DEFAULT_FORMAT, FORMAT_VERSION, format_problem, pinned_requirement


def _site(content: Path, text: str) -> None:
    (content / "site.yml").write_text(text, encoding="utf-8")


def test_a_site_without_the_key_is_in_format_1(base_content: Path) -> None:
    _site(base_content, "网站名称: 某网站\n")
    result = check_tree(base_content)
    assert result.errors == [] and result.corpus is not None
    assert result.corpus.site.format_version == DEFAULT_FORMAT == 1


def test_the_current_format_checks(base_content: Path) -> None:
    _site(base_content, f"格式版本: {FORMAT_VERSION}\n")
    assert check_tree(base_content).errors == []


def test_a_newer_site_names_the_version_it_needs(
    base_content: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    newer = FORMAT_VERSION + 1
    _site(base_content, f"网站名称: 某网站\n格式版本: {newer}\n将来才有的键: 值\n")
    (base_content.parent / "requirements.txt").write_text("# 版本\ngongkai==9.1.0  # 本网站用的\n", encoding="utf-8")
    (base_content / "2022" / "ok.yml").write_text("类型: 不认识的类型\n", encoding="utf-8")  # not judged
    assert main(["check", str(base_content)]) == 1
    out = capsys.readouterr().out + caplog.text
    message = (
        f"site.yml:2:7: 格式版本: 本网站的内容是格式版本 {newer}，gongkai {__version__} 只读格式版本 {FORMAT_VERSION}："
        "请安装本网站 requirements.txt 写明的版本（gongkai==9.1.0）：pip install -r requirements.txt"
    )
    assert message in out
    assert "将来才有的键" not in out and "不认识的类型" not in out  # one error, not the noise of an unknown format
    assert "1 个错误" in out


def test_without_a_pin_it_says_what_to_upgrade_to() -> None:
    assert format_problem(3, newest=2, oldest=1, running="0.5.0") == (
        "本网站的内容是格式版本 3，gongkai 0.5.0 只读格式版本 1–2："
        "请升级到能读格式版本 3 的 gongkai（见 gongkai 的更新记录 CHANGELOG.md）"
    )


def test_an_older_site_is_told_how_to_update_its_content() -> None:
    assert format_problem(1, oldest=2, newest=3, running="0.9.0", last_release={1: "0.4.2"}) == (
        "本网站的内容是格式版本 1，gongkai 0.9.0 只读格式版本 2–3："
        "请按 gongkai 更新记录（CHANGELOG.md）中“格式版本 2”起每一条的说明手工更新内容，再把“格式版本”改为 3"
        "；或继续使用 gongkai 0.4.2"
    )
    assert format_problem(2, oldest=2, newest=3) is None


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "一", "v1"])
def test_a_version_is_a_positive_whole_number(base_content: Path, value: str) -> None:
    _site(base_content, f"格式版本: {value}\n")
    [problem] = check_tree(base_content).errors
    assert str(problem) == f"site.yml:1:7: 格式版本: 格式版本“{value}”不对，请写正整数，如 1"


def test_pin_is_read_from_requirements_txt(tmp_path: Path) -> None:
    assert pinned_requirement(tmp_path) is None
    (tmp_path / "requirements.txt").write_text("mkdocs==1.6.1\n# gongkai==0.0.1\ngongkai @ git+https://x/g.git@v2\n")
    assert pinned_requirement(tmp_path) == "gongkai @ git+https://x/g.git@v2"


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"gongkai {__version__}（内容格式版本 {FORMAT_VERSION}）\n"
