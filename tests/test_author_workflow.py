"""Author docs, pre-commit hooks and CI templates: complete, in sync with the code, and runnable."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from generator.cli import build_parser
from generator.commands.new import key_reference
from generator.corpus.validate import check_tree
from tests.conftest import CONTENT, FIXTURES, ROOT

DOCS = ROOT / "docs" / "authors"
ERRORS = DOCS / "errors.md"


def _yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def _normalize(text: str) -> str:
    """Messages with the specifics taken out: quoted values and numbers."""
    text = re.sub(r"“[^”]*”", "“”", text)
    return re.sub(r"\d[\d,.]*", "0", text)


def test_key_reference_is_generated_from_fields() -> None:
    expected = key_reference()
    assert (DOCS / "keys.md").read_text(encoding="utf-8") == expected, (
        "docs/authors/keys.md is stale: .venv/bin/python -m generator.commands.new > docs/authors/keys.md"
    )
    assert "`资金安排.明细[].金额`" in expected and "`绩效指标.<一级指标>.<二级指标>[].指标值`" in expected


def _messages_of(content: Path) -> list[str]:
    result = check_tree(content)
    return [p.message for p in result.errors + result.warnings]


def _drop(base: Path, name: str) -> None:
    src = FIXTURES / "bad" / name
    dest = base / name if name.startswith("units/") else base / "2022" / Path(name).name
    shutil.copy(src, dest)


BAD_FIXTURES = sorted(p.relative_to(FIXTURES / "bad").as_posix() for p in (FIXTURES / "bad").rglob("*.yml"))

# Problems no fixture produces, written the way an author would get them wrong.
MORE_CASES = {
    "empty_required.yml": "类型: 项目文本\n单位: 通海县信访局\n年度: 2022\n项目名称:\n资金安排:\n  合计: 1元\n",
    "yes_no.yml": "类型: 绩效目标表\n单位: 通海县信访局\n年度: 2022\n项目名称: 甲\n基本信息:\n"
    "  是否重点项目: 不是\n  本年度预算金额: 1元\n绩效指标:\n  产出指标:\n    数量指标:\n"
    "      - 名称: 次数\n        指标值: 1次\n",
    "bad_date.yml": "类型: 绩效目标表\n单位: 通海县信访局\n年度: 2022\n项目名称: 甲\n基本信息:\n"
    "  开始日期: 2022.13.1\n  本年度预算金额: 2元\n  项目总金额: 1元\n绩效指标: {}\n",
    "spending.yml": "类型: 整体绩效自评报告\n单位: 通海县信访局\n年度: 2022\n预算收支:\n  支出合计: 2元\n"
    "  支出构成:\n    - 名称: 其他支出\n      金额: 1元\n    - 名称: 人员经费\n      金额: 1元\n"
    "    - 名称: 人员经费支出\n      金额: 0元\n",
    "link_and_phone.yml": "类型: 项目文本\n单位: 通海县信访局\n年度: 2022\n原文链接: www.example.gov.cn\n"
    "项目名称: 甲\n项目实施单位: 电话13879227100，邮箱someone@example.com，身份证110101199003074514\u200b\n"
    "资金安排:\n  合计: 1元\n",
    "syntax.yml": "类型: 项目文本\n单位 通海县信访局\n",
    "units/short_code.yml": "名称: 甲局\n地区: []\n统一社会信用代码: 1153010301511945\n",
    "units/letter_code.yml": "名称: 乙局\n地区: [云南省]\n统一社会信用代码: 11530103015119450I\n",
}


def test_every_message_the_checker_gives_is_in_the_catalogue(base_content: Path, tmp_path: Path) -> None:
    catalogue = _normalize(ERRORS.read_text(encoding="utf-8"))
    messages: set[str] = set()
    for name in BAD_FIXTURES:
        case = tmp_path / name.replace("/", "_")
        shutil.copytree(base_content, case)
        _drop(case, name)
        messages.update(_messages_of(case))
    case = tmp_path / "more"
    shutil.copytree(base_content, case)
    for name, text in MORE_CASES.items():
        dest = case / (name if name.startswith("units/") else f"2022/{name}")
        dest.write_text(text, encoding="utf-8")
    (case / "site.yml").write_text("网站域名: https://yusuan.example.gov.cn/\n", encoding="utf-8")
    messages.update(_messages_of(case))
    messages.update(_messages_of(tmp_path / "nowhere"))
    assert len(messages) > 45
    # A trailing （…） that explains the key or lists choices may be given once for all keys.
    missing = sorted(
        m
        for m in messages
        if _normalize(m) not in catalogue and _normalize(re.sub(r"（[^（]*）$", "", m)) not in catalogue
    )
    assert not missing, "docs/authors/errors.md does not explain:\n" + "\n".join(missing)


def test_links_in_the_author_docs_resolve() -> None:
    pages = [*DOCS.glob("*.md"), ROOT / "ci-templates" / "README.md"]
    checked = 0
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://")):
                continue
            assert (page.parent / target).exists(), f"{page.name}: {target}"
            checked += 1
    assert checked >= 15


def test_getting_started_examples_exist() -> None:
    text = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    for path in re.findall(r"`(content/[^`]+)`", text):
        assert (ROOT / path).exists(), path


def _gongkai_commands(lines: list[str]) -> list[list[str]]:
    """Every `gongkai …` command in shell lines, split into arguments."""
    out = []
    for line in lines:
        for part in line.split("\n"):
            part = part.strip()
            if part.startswith("gongkai "):
                out.append(shlex.split(part)[1:])
    return out


def _parses(argv: list[str]) -> None:
    try:
        build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits on unknown commands and options
        raise AssertionError(f"gongkai {' '.join(argv)} is not a valid command") from exc


def test_pre_commit_hooks_run_gongkai_check() -> None:
    hooks = _yaml(ROOT / ".pre-commit-hooks.yaml")
    assert {h["id"] for h in hooks} == {"gongkai-check", "gongkai-check-strict"}
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        argv = shlex.split(hook["entry"])[1:] + hook.get("args", [])
        assert argv[0] == "check"
        _parses(argv)
        files = re.compile(hook["files"])
        assert files.search("content/2022/tonghai/x.yml") and files.search("content/units/a.yaml")
        assert not files.search("generator/cli.py") and not files.search("docs/content-format.md")


def _local_hook(hook_id: str) -> dict[str, Any]:
    config = _yaml(ROOT / ".pre-commit-config.yaml")
    [repo] = [r for r in config["repos"] if r["repo"] == "local"]
    [hook] = [h for h in repo["hooks"] if h["id"] == hook_id]
    assert isinstance(hook, dict)
    return hook


def test_repository_pre_commit_hook_passes_good_content_and_stops_bad(base_content: Path) -> None:
    hook = _local_hook("gongkai-check")
    assert hook["pass_filenames"] is False and hook["language"] == "system"
    argv = shlex.split(hook["entry"])
    assert argv[:2] == [".venv/bin/gongkai", "check"]
    command = [str(ROOT / argv[0]), *argv[1:]]
    good = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stdout + good.stderr
    root = base_content.parent
    bad = base_content / "2022" / "ok.yml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("0.5万元", "5000"), encoding="utf-8")
    stopped = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
    assert stopped.returncode == 1
    assert "2022/ok.yml:9:" in stopped.stdout + stopped.stderr


def test_github_actions_template_checks_builds_and_publishes() -> None:
    workflow = _yaml(ROOT / "ci-templates" / "github-actions.yml")
    assert set(workflow["on"]) >= {"push", "pull_request"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    runs = [s["run"] for s in build["steps"] if "run" in s]
    commands = _gongkai_commands(runs)
    assert [c[0] for c in commands] == ["check", "build", "export"]
    for argv in commands:
        _parses(argv)
    site_dir = commands[1][commands[1].index("-d") + 1]
    [upload] = [s for s in build["steps"] if s.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert upload["with"]["path"] == site_dir
    assert deploy["needs"] == "build" and "main" in deploy["if"]
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in deploy["steps"])
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_gitlab_template_checks_builds_and_publishes() -> None:
    ci = _yaml(ROOT / "ci-templates" / "gitlab-ci.yml")
    for job in ("check", "build", "pages"):
        for argv in _gongkai_commands(ci[job]["script"]):
            _parses(argv)
    assert _gongkai_commands(ci["check"]["script"])[0][0] == "check"
    pages = ci["pages"]
    assert pages["artifacts"]["paths"] == ["public"]
    assert ["build", "-d", "public"] in _gongkai_commands(pages["script"])
    assert "$CI_DEFAULT_BRANCH" in pages["rules"][0]["if"]


@pytest.mark.parametrize("template", ["github-actions.yml", "gitlab-ci.yml"])
def test_template_check_and_export_commands_work_on_the_bundled_content(template: str, tmp_path: Path) -> None:
    from generator.cli import main

    text = (ROOT / "ci-templates" / template).read_text(encoding="utf-8")
    lines = [ln.strip().removeprefix("- ").removeprefix("run: ") for ln in text.splitlines()]
    for argv in _gongkai_commands(lines):
        if argv[0] in ("check", "export"):
            argv = [str(CONTENT) if a == "content" else a for a in argv]
            argv = [str(tmp_path / a) if a.endswith(".json") else a for a in argv]
            assert main(argv) == 0, argv
