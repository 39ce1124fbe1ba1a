"""`gongkai init 目录`: a new site repository that builds at once with the installed gongkai.

What it writes: content/site.yml (every key commented, generated from fields.py like the
scaffolds of `gongkai new`), content/units/ with one example unit and one example disclosure
(both marked 【示例】), mkdocs.yml naming the gongkai plugin (no path into the tool: the plugin
adds gongkai's templates and theme), requirements.txt pinning this gongkai, the JSON Schema for
editors, .pre-commit-config.yaml, the CI files for GitHub Actions and GitLab (copied from
ci-templates/), .gitignore, a short README, and empty overrides/ and site_templates/ folders
(with a README each) for the site's own theme files and page templates.

The fixed files are in generator/skeleton/ (dotfiles there are named without the dot).
"""

from __future__ import annotations

import json
import logging
import shutil
from importlib import metadata
from importlib.resources import files
from pathlib import Path

from generator import __version__
from generator.assets import asset_dir
from generator.commands.new import site_yaml
from generator.corpus.schema import write_schemas
from generator.corpus.version import FORMAT_VERSION

log = logging.getLogger(__name__)

SKELETON = Path(str(files("generator"))) / "skeleton"
DOTFILES = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml"}
CI_FILES = {"github-actions.yml": ".github/workflows/site.yml", "gitlab-ci.yml": ".gitlab-ci.yml"}

REQUIREMENTS = """\
# 本网站用的 gongkai 版本（gongkai init 写入）。升级：改这一行的版本，pip install -r requirements.txt，
# 再运行 gongkai check；内容格式有变化时按 gongkai 更新记录（CHANGELOG）中的说明修改内容。
# gongkai 要从单位内部的地址安装时，把下面一行换成那个地址，例如：
#   gongkai @ https://内部地址/gongkai-{version}-py3-none-any.whl
#   gongkai @ git+https://内部地址/gongkai.git@v{version}
{note}{requirement}
"""


def requirement() -> tuple[str, str]:
    """(requirement line, comment) pinning the running gongkai, by where it was installed from.

    Installed from a git URL or a web address (PEP 610 direct_url.json): that commit or file;
    otherwise `gongkai==<version>`, with the local file it came from noted, if any."""
    try:
        direct = json.loads(metadata.distribution("gongkai").read_text("direct_url.json") or "null")
    except (metadata.PackageNotFoundError, ValueError):
        direct = None
    pinned = f"gongkai=={__version__}"
    if not isinstance(direct, dict) or not isinstance(direct.get("url"), str):
        return pinned, ""
    url: str = direct["url"]
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("commit_id"):
        return f"gongkai @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}", ""
    if url.startswith(("https://", "http://")):
        return f"gongkai @ {url}", ""
    return pinned, f"# 本机的 gongkai 是从 {url} 安装的。\n"


def run_init(target: Path, name: str | None = None) -> int:
    """`gongkai init`: write a new site into `target` (absent or empty); never touches a folder with files."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        log.error("%s 已存在且不是空文件夹，未改动：请换一个新文件夹名", target)
        return 1
    site_name = name or target.resolve().name
    _copy_skeleton(target, site_name)
    content = target / "content"
    (content / "site.yml").write_text(
        site_yaml({"格式版本": FORMAT_VERSION, "网站名称": site_name}, "../schema/site.schema.json"), encoding="utf-8"
    )
    write_schemas(target / "schema")
    line, note = requirement()
    text = REQUIREMENTS.format(version=__version__, note=note, requirement=line)
    (target / "requirements.txt").write_text(text, encoding="utf-8")
    for template, dest in CI_FILES.items():
        (target / dest).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(asset_dir("ci-templates") / template, target / dest)
    log.info("已新建网站 %s（gongkai %s，内容格式版本 %d）。接下来：", target, __version__, FORMAT_VERSION)
    log.info("  cd %s", target)
    log.info("  gongkai build    # 检查内容并生成网站到 site/（gongkai serve 本地预览）")
    return 0


def _copy_skeleton(target: Path, site_name: str) -> None:
    for src in sorted(SKELETON.rglob("*")):
        if not src.is_file() or "__pycache__" in src.parts:
            continue
        rel = src.relative_to(SKELETON).as_posix()
        dest = target / DOTFILES.get(rel, rel)
        dest.parent.mkdir(parents=True, exist_ok=True)
        text = src.read_text(encoding="utf-8")
        if rel == "README.md":
            text = text.replace("{site_name}", site_name).replace("{version}", __version__)
        dest.write_text(text, encoding="utf-8")
