"""`gongkai init` (issue 18): a new site repository that checks and builds with the installed gongkai.

The whole path through a wheel in a clean virtual environment is tests/test_package.py; here, in
process: what init writes, that the written files agree with their sources (fields.py, the
repository's mkdocs.yml, ci-templates/), and how the site's own templates and theme files are
layered over gongkai's.
"""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.config import load_config

from generator import __version__
from generator.assets import FOLDERS, asset_dir
from generator.cli import main
from generator.commands import init
from generator.corpus import fields as F
from generator.corpus.validate import check_tree
from generator.corpus.version import FORMAT_VERSION
from generator.plugin.events import OVERRIDES_DIR, THEME_CSS, THEME_JS, layer_theme
from generator.site.render import TEMPLATES_DIR

from .site_helpers import ROOT


@pytest.fixture
def site(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "示例网站")]) == 0
    return tmp_path / "示例网站"


def test_init_writes_a_whole_site_repository(site: Path) -> None:
    written = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert written == [
        ".github/workflows/site.yml",
        ".gitignore",
        ".gitlab-ci.yml",
        ".pre-commit-config.yaml",
        "README.md",
        "content/2025/shili-caizhengju/shili-xiangmu.yml",
        "content/site.yml",
        "content/units/shili-caizhengju.yml",
        "mkdocs.yml",
        "overrides/README.md",
        "requirements.txt",
        "schema/disclosure.schema.json",
        "schema/site.schema.json",
        "schema/unit.schema.json",
        "site_templates/README.md",
    ]
    readme = (site / "README.md").read_text(encoding="utf-8")
    assert (
        readme.startswith("# 示例网站\n") and "pip install -r requirements.txt" in readme and "gongkai build" in readme
    )
    assert f"gongkai=={__version__}" in (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
    for example in ("content/units/shili-caizhengju.yml", "content/2025/shili-caizhengju/shili-xiangmu.yml"):
        assert (site / example).read_text(encoding="utf-8").startswith("# 【示例】"), example
    assert "/site/" in (site / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_the_new_content_checks_clean(site: Path) -> None:
    result = check_tree(site / "content")
    assert result.errors == [] and result.warnings == []
    assert result.corpus is not None and result.corpus.site.name == "示例网站"
    assert result.corpus.site.format_version == FORMAT_VERSION
    assert [d.name for d in result.corpus.disclosures] == ["示例项目：预算公开平台运行维护经费"]


def test_site_yml_has_every_key_each_with_its_comment(site: Path) -> None:
    lines = (site / "content" / "site.yml").read_text(encoding="utf-8").splitlines()
    keys = [line.split(":")[0] for line in lines if line and not line.startswith("#")]
    assert keys == [f.key for f in F.SITE.children]
    for i, line in enumerate(lines):
        if line and not line.startswith("#"):
            assert lines[i - 1].startswith("# "), line
    assert f"格式版本: {FORMAT_VERSION}" in lines


def test_init_never_touches_a_folder_with_files(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "mine.txt").write_text("x", encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 1
    assert "已存在且不是空文件夹，未改动" in caplog.text
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_ci_files_are_the_ci_templates(site: Path) -> None:
    for template, dest in init.CI_FILES.items():
        assert (site / dest).read_bytes() == (ROOT / "ci-templates" / template).read_bytes()
        assert "pip install -r requirements.txt" in (site / dest).read_text(encoding="utf-8")


def test_schema_is_the_committed_schema(site: Path) -> None:
    for path in (ROOT / "schema").glob("*.json"):
        assert (site / "schema" / path.name).read_bytes() == path.read_bytes()


class _Tagged(yaml.SafeLoader):
    """Reads mkdocs.yml's !!python/… tags as (tag, value) instead of running them."""


_Tagged.add_multi_constructor(
    "tag:yaml.org,2002:python/", lambda loader, suffix, node: (suffix, loader.construct_mapping(node, deep=True))
)


def _settings(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Tagged)  # _Tagged is a SafeLoader


def test_new_mkdocs_yml_has_the_settings_of_the_repository_s(site: Path) -> None:
    ours, new = _settings(ROOT / "mkdocs.yml"), _settings(site / "mkdocs.yml")
    for key in ("site_dir", "use_directory_urls", "nav", "not_in_nav", "markdown_extensions", "extra"):
        assert new[key] == ours[key], key
    assert new["theme"] == ours["theme"]  # custom_dir: overrides in both (the site's own folder)
    assert new["plugins"] == [{"gongkai": {"content": "content", "templates": "site_templates"}}]
    assert "extra_css" not in new and "extra_javascript" not in new  # the plugin adds gongkai's


def test_the_pin_follows_where_gongkai_was_installed_from(monkeypatch: pytest.MonkeyPatch) -> None:
    class Dist:
        def __init__(self, direct: dict[str, Any] | None) -> None:
            self.direct = direct

        def read_text(self, name: str) -> str | None:
            return json.dumps(self.direct) if self.direct else None

    def installed(direct: dict[str, Any] | None) -> tuple[str, str]:
        monkeypatch.setattr(importlib.metadata, "distribution", lambda name: Dist(direct))  # what init uses
        return init.requirement()

    git = {"url": "https://git.example.cn/gongkai.git", "vcs_info": {"vcs": "git", "commit_id": "a" * 40}}
    assert installed(git) == (f"gongkai @ git+https://git.example.cn/gongkai.git@{'a' * 40}", "")
    wheel = {"url": "https://files.example.cn/gongkai-0.1.0-py3-none-any.whl", "archive_info": {}}
    assert installed(wheel) == ("gongkai @ https://files.example.cn/gongkai-0.1.0-py3-none-any.whl", "")
    local = {"url": "file:///tmp/gongkai-0.1.0-py3-none-any.whl", "archive_info": {}}
    assert installed(local) == (
        f"gongkai=={__version__}",
        "# 本机的 gongkai 是从 file:///tmp/gongkai-0.1.0-py3-none-any.whl 安装的。\n",
    )
    assert installed(None) == (f"gongkai=={__version__}", "")


def test_theme_layers_site_then_gongkai_then_material(site: Path) -> None:
    config = load_config(config_file=str(site / "mkdocs.yml"))
    config.extra_css.append("assets/stylesheets/site.css")
    layer_theme(config)
    dirs = [Path(d) for d in config.theme.dirs]
    assert dirs[:2] == [site / "overrides", OVERRIDES_DIR]
    assert dirs[2].parts[-2:] == ("material", "templates")
    assert config.extra_css == [*THEME_CSS, "assets/stylesheets/site.css"]  # the site's colours win
    assert [str(js) for js in config.extra_javascript] == list(THEME_JS)
    layer_theme(config)  # as under `mkdocs serve`: nothing twice
    assert len(config.theme.dirs) == len(dirs) and len(config.extra_css) == len(THEME_CSS) + 1


def test_the_repository_layers_nothing_twice() -> None:
    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    layer_theme(config)
    assert [Path(d).resolve() for d in config.theme.dirs].count(OVERRIDES_DIR.resolve()) == 1
    assert config.extra_css == list(THEME_CSS)


def test_setup_py_copies_the_folders_the_package_reads() -> None:
    setup = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert ast.literal_eval(re.search(r"^FOLDERS = (\(.*?\))", setup, re.M)[1]) == FOLDERS  # type: ignore[index]
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").splitlines()
    for name in FOLDERS:
        assert f"graft {name}" in manifest
        assert asset_dir(name) == ROOT / name  # a checkout reads its own folders
    assert TEMPLATES_DIR == ROOT / "site_templates" and OVERRIDES_DIR == ROOT / "overrides"
