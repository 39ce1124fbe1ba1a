"""gongkai as a bureau installs it (issue 18): wheel → a clean venv outside the repository →
`gongkai init 示例网站` → `gongkai check` / `build` / `serve` there, with the site's own template,
partial, main.html block and colours over gongkai's; the built site passes axe and its search works.

The wheel is built from the source distribution (so the sdist must carry everything) with this
venv's setuptools, offline. It is installed with pip into a new virtual environment in a temporary
folder; the dependencies are not downloaded again: a .pth file puts this venv's site-packages after
the new venv's own. The repository's editable gongkai is not importable through it (its finder is
installed by a .pth file of that folder, which is not run), and the tests assert that `generator`,
its templates and theme come from the new venv. The manual acceptance run with a real `pip install`
of the wheel and its dependencies is in CHANGELOG.md (0.1.0, 网站仓库).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import sysconfig
import tarfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator import __version__
from generator.corpus.validate import check_tree

from .browser_helpers import BROWSER_MARKS, DESKTOP, PHONE, axe_source, axe_violations, open_tab, serve, settle_search
from .site_helpers import ROOT, page, text_of

pytestmark = [pytest.mark.slow, pytest.mark.package]

SITE_COLOUR = "rgb(11, 79, 138)"  # #0b4f8a: the site's own primary colour (white text 8.6:1)


@dataclass(frozen=True)
class Venv:
    root: Path
    work: Path  # outside the repository: where the site is made

    def run(self, *args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env["PATH"] = f"{self.root / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        env["SOURCE_DATE_EPOCH"] = "1700000000"
        proc = subprocess.run(args, cwd=cwd or self.work, env=env, capture_output=True, text=True, timeout=300)
        assert not check or proc.returncode == 0, f"{args}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc


def _run(*args: str, cwd: Path) -> None:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{args}\n{proc.stdout}\n{proc.stderr}"


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    work = tmp_path_factory.mktemp("package")
    assert ROOT not in work.parents
    dist = work / "dist"
    sdist_code = "import sys; from setuptools import build_meta as b; print(b.build_sdist(sys.argv[1]))"
    _run(sys.executable, "-c", sdist_code, str(dist), cwd=ROOT)
    [sdist] = dist.glob("gongkai-*.tar.gz")
    with tarfile.open(sdist) as tar:
        tar.extractall(work / "src", filter="data")
    [src] = (work / "src").iterdir()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run(*pip, "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(dist), str(src), cwd=work)
    [wheel] = dist.glob("gongkai-*.whl")
    root = work / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", str(root), cwd=work)
    python = str(root / "bin" / "python")
    _run(*pip, "--python", python, "install", "--quiet", "--no-index", "--no-deps", str(wheel), cwd=work)
    own = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], **_OUT)
    Path(own.stdout.strip(), "zz-repository-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return Venv(root, work)


_OUT: dict[str, Any] = {"capture_output": True, "text": True, "check": True}


def test_the_wheel_runs_from_the_new_venv_only(venv: Venv) -> None:
    assert venv.run("gongkai", "--version").stdout == f"gongkai {__version__}（内容格式版本 1）\n"
    code = (
        "import generator; from generator.plugin.events import OVERRIDES_DIR; "
        "from generator.site.render import TEMPLATES_DIR; from generator.commands.init import SKELETON; "
        "print(generator.__file__, OVERRIDES_DIR, TEMPLATES_DIR, SKELETON, sep='\\n')"
    )
    for path in venv.run("python", "-c", code).stdout.split():
        assert Path(path).is_relative_to(venv.root), path  # nothing from the checkout
        assert Path(path).exists(), path


@pytest.fixture(scope="module")
def site(venv: Venv) -> Path:
    """`gongkai init 示例网站`, checked and built at once, then given its own overrides and built again."""
    venv.run("gongkai", "init", "示例网站")
    site = venv.work / "示例网站"
    assert "检查通过" in venv.run("gongkai", "check", cwd=site).stdout
    assert "网站已生成" in venv.run("gongkai", "build", cwd=site).stderr
    assert (site / "site" / "index.html").is_file()
    _override(site)
    venv.run("gongkai", "build", cwd=site)
    return site / "site"


def _override(site: Path) -> None:
    files = {
        "site_templates/about.md.j2": (
            '{% import "_macros.md.j2" as m with context %}\n{{ m.front("关于本站", "关于") }}\n\n# 关于本站\n\n'
            "<p>本页由本网站自己的模板生成（site_templates/about.md.j2）。</p>\n"
        ),
        "overrides/partials/copyright.html": '<div class="md-copyright"><p>本网站自己的页脚</p></div>\n',
        "overrides/main.html": (
            '{% extends "gongkai/main.html" %}\n'
            '{% block extrahead %}{{ super() }}<meta name="gk-site-own" content="本网站自己的 main.html">{% endblock %}\n'
        ),
        "overrides/assets/stylesheets/site.css": (
            "[data-md-color-primary=custom] { --md-primary-fg-color: #0b4f8a; --md-primary-fg-color--dark: #083a66; }\n"
        ),
    }
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "extra_css:\n  - assets/stylesheets/site.css\n")


def test_the_site_s_own_template_and_partial_show_over_gongkai_s(site: Path) -> None:
    about = page(site, "about/")
    assert "本页由本网站自己的模板生成" in text_of(about) and "数据从哪里来" not in text_of(about)
    home = page(site, "")
    footer = home.xpath('//*[contains(@class, "md-copyright")]')
    assert [text_of(f) for f in footer] == ["本网站自己的页脚"]  # gongkai's 主办单位 footer replaced
    # The site's main.html extends gongkai's: both its own tag and gongkai's government metadata.
    assert home.xpath('//meta[@name="gk-site-own"]') and home.xpath('//meta[@name="SiteName"]/@content') == ["示例网站"]
    assert home.xpath('//*[contains(@class, "gk-elder-btn")]')  # gongkai's header partial is still there
    styles = [h.rsplit("/", 1)[-1] for h in home.xpath('//link[@rel="stylesheet"]/@href')]
    assert styles[-5:] == ["gongkai.css", "gk-search.css", "a11y.css", "print.css", "site.css"]


def test_serve_works_in_the_new_site(venv: Venv, site: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv.root / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    server = subprocess.Popen(
        ["gongkai", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=site.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline, body = time.monotonic() + 60, ""
        while time.monotonic() < deadline and not body:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/about/", timeout=5) as response:
                    body = response.read().decode()
            except OSError:
                time.sleep(0.5)
        assert "本页由本网站自己的模板生成" in body
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


def _disclosure_url(site: Path) -> str:
    corpus = check_tree(site.parent / "content").corpus
    assert corpus is not None
    [disclosure] = corpus.disclosures
    return disclosure.url


@pytest.mark.parametrize("url", ["", "units/", "about/", "search/?q=运行维护", "disclosure"])
@BROWSER_MARKS[0]
@BROWSER_MARKS[1]
def test_pages_of_the_new_site_pass_axe(browser: Any, site: Path, site_url: str, url: str) -> None:
    url = _disclosure_url(site) if url == "disclosure" else url
    with open_tab(browser, site_url, PHONE) as tab:
        tab.goto(url)
        if url.startswith("search/"):
            settle_search(tab.page)
        assert axe_violations(tab.page, axe_source()) == [], url
        tab.check_clean()


@BROWSER_MARKS[0]
@BROWSER_MARKS[1]
def test_search_and_colours_of_the_new_site(browser: Any, site: Path, site_url: str) -> None:
    with open_tab(browser, site_url, DESKTOP) as tab:
        tab.goto("search/?q=运行维护")
        settle_search(tab.page)
        links = tab.page.eval_on_selector_all(".gk-result__title a", "els => els.map((a) => a.href)")
        assert any(_disclosure_url(site).rstrip("/") in (href or "") for href in links), links
        colour = tab.page.eval_on_selector(".md-header", "el => getComputedStyle(el).backgroundColor")
        assert colour == SITE_COLOUR  # the site's own colours come after gongkai's stylesheets
        tab.check_clean()
