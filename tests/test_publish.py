"""Atomic publish: a failed, interrupted or killed `gongkai build` leaves the previous site/ byte-identical.

The signal tests run the real `gongkai build` in a subprocess. To hit "mid-build"
deterministically on a busy machine, a small driver wraps one pipeline step (writing
the generated Markdown, writing MkDocs pages, the post-build step that builds the search
index) so that it signals readiness with a marker file and then waits; the test sends
the signal at that moment.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from generator.commands.build import build_site
from generator.plugin.events import GongkaiPlugin
from generator.publish import swap as P

from .conftest import FIXTURES
from .site_helpers import ROOT, make_config

pytestmark = pytest.mark.slow

GONGKAI = [sys.executable, "-m", "generator.cli"]


def snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every entry under `folder`: relative path → (mode, sha256 of the bytes or 'dir'/'link')."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            st = path.lstat()
            if path.is_symlink():
                kind = "link:" + os.readlink(path)
            elif path.is_dir():
                kind = "dir"
            else:
                kind = hashlib.sha256(path.read_bytes()).hexdigest()
            out[path.relative_to(folder).as_posix()] = (st.st_mode, kind)
    return out


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".site-"))


def old_site(folder: Path) -> Path:
    """A stand-in for the published site: a few files in nested folders."""
    (folder / "units" / "a").mkdir(parents=True)
    (folder / "index.html").write_text("<h1>旧网站</h1>", encoding="utf-8")
    (folder / "units" / "a" / "index.html").write_text("旧单位", encoding="utf-8")
    (folder / "data.bin").write_bytes(bytes(range(256)))
    return folder


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


# --- publish() itself ----------------------------------------------------------------------


def test_success_replaces_the_site_with_a_real_readable_directory(tmp_path: Path) -> None:
    target = old_site(tmp_path / "site")

    def build(staging: Path) -> None:
        (staging / "index.html").write_text("新网站", encoding="utf-8")

    P.publish(target, build)
    assert (target / "index.html").read_text(encoding="utf-8") == "新网站"
    assert not (target / "units").exists()
    assert target.is_dir() and not target.is_symlink()
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o777 & ~umask  # not mkdtemp's 0700
    assert leftovers(tmp_path) == []


def test_a_failing_build_leaves_the_site_untouched(tmp_path: Path) -> None:
    target = old_site(tmp_path / "site")
    before, inode = snapshot(target), target.stat().st_ino

    def build(staging: Path) -> None:
        (staging / "index.html").write_text("一半", encoding="utf-8")
        raise RuntimeError("步骤失败")

    with pytest.raises(RuntimeError, match="步骤失败"):
        P.publish(target, build)
    assert snapshot(target) == before and target.stat().st_ino == inode
    assert leftovers(tmp_path) == []


def _write(path: Path) -> None:
    path.write_text("x", encoding="utf-8")


def test_an_output_without_a_home_page_is_not_published(tmp_path: Path) -> None:
    target = old_site(tmp_path / "site")
    before = snapshot(target)
    with pytest.raises(P.PublishError, match=r"index\.html"):
        P.publish(target, lambda staging: _write(staging / "404.html"))
    assert snapshot(target) == before
    assert leftovers(tmp_path) == []


def test_the_exchange_is_atomic_on_this_system(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a", encoding="utf-8")
    (b / "x").write_text("b", encoding="utf-8")
    assert P._exchange(a, b), "renameat2(RENAME_EXCHANGE) should work on Linux file systems"
    assert (a / "x").read_text(encoding="utf-8") == "b" and (b / "x").read_text(encoding="utf-8") == "a"


def test_fallback_swap_without_exchange(tmp_path: Path) -> None:
    target = old_site(tmp_path / "site")
    new = tmp_path / ".site-build-1-ab"
    new.mkdir()
    (new / "index.html").write_text("新", encoding="utf-8")
    previous = P.swap(new, target, exchange=lambda a, b: False)
    assert previous is not None and previous.name.startswith(f".site-old-{os.getpid()}-")
    assert (previous / "index.html").read_text(encoding="utf-8") == "<h1>旧网站</h1>"
    assert (target / "index.html").read_text(encoding="utf-8") == "新"


def test_fallback_swap_puts_the_old_site_back_when_the_second_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = old_site(tmp_path / "site")
    before = snapshot(target)
    new = tmp_path / ".site-build-1-ab"
    new.mkdir()
    real_rename = os.rename

    def rename(src: os.PathLike[str] | str, dst: os.PathLike[str] | str) -> None:
        if Path(src) == new:
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)  # the module swap.py renames with
    with pytest.raises(OSError):
        P.swap(new, target, exchange=lambda a, b: False)
    assert snapshot(target) == before


def test_recover_restores_a_site_lost_by_a_killed_fallback_swap_and_removes_dead_folders(tmp_path: Path) -> None:
    dead = dead_pid()
    old_site(tmp_path / f".site-old-{dead}-0a1b")  # site/ was renamed away, then the process was killed
    (tmp_path / f".site-build-{dead}-00ff").mkdir()  # its half-built site
    live_build = tmp_path / f".site-build-{os.getppid()}-1234"  # a build still running elsewhere
    live_build.mkdir()
    unrelated = tmp_path / ".site-notes"
    unrelated.mkdir()
    removed = P.recover(tmp_path / "site")
    assert [p.name for p in removed] == [f".site-build-{dead}-00ff"]
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "<h1>旧网站</h1>"
    assert live_build.is_dir() and unrelated.is_dir()


def test_recover_removes_old_copies_when_the_site_exists(tmp_path: Path) -> None:
    dead = dead_pid()
    old_site(tmp_path / "site")
    old_site(tmp_path / f".site-old-{dead}-0a1b")
    P.recover(tmp_path / "site")
    assert leftovers(tmp_path) == []
    assert (tmp_path / "site" / "index.html").is_file()


# --- gongkai build, in process ------------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real site built from the small fixture content (copied for each test)."""
    root = tmp_path_factory.mktemp("published")
    content = root / "content"
    shutil.copytree(FIXTURES / "base", content)
    out = io.StringIO()
    assert build_site(make_config(root, content), root / "site", out=out) == 0, out.getvalue()
    return root / "site"


def project(tmp: Path, published: Path) -> tuple[Path, Path, Path]:
    """(mkdocs.yml, content, site) in `tmp`: the small content and a copy of a real built site."""
    content = tmp / "content"
    shutil.copytree(FIXTURES / "base", content)
    shutil.copytree(published, tmp / "site")
    return make_config(tmp, content), content, tmp / "site"


def run_build(config: Path, site: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = build_site(config, site, out=out)
    return code, out.getvalue()


def test_content_error_exits_1_and_keeps_the_site(tmp_path: Path, published: Path) -> None:
    config, content, site = project(tmp_path, published)
    before = snapshot(site)
    (content / "2022" / "ok.yml").write_text("类型: 项目文本\n单位: 通海县信访局\n年度: 2022\n", encoding="utf-8")
    code, messages = run_build(config, site)
    assert code == 1
    assert "2022/ok.yml:1:1: 项目名称: 缺少必填项“项目名称”" in messages
    assert snapshot(site) == before and leftovers(tmp_path) == []


def test_mkdocs_strict_warning_exits_1_and_keeps_the_site(tmp_path: Path, published: Path) -> None:
    config, _, site = project(tmp_path, published)
    before = snapshot(site)
    text = config.read_text(encoding="utf-8").replace(
        "  - 关于: about/index.md\n", "  - 关于: about/index.md\n  - 缺页: missing.md\n"
    )
    config.write_text(text, encoding="utf-8")
    code, messages = run_build(config, site)
    assert code == 1
    assert "网站生成失败" in messages and "原网站未改动" in messages
    assert snapshot(site) == before and leftovers(tmp_path) == []


def test_broken_theme_template_exits_1_and_keeps_the_site(tmp_path: Path, published: Path) -> None:
    config, _, site = project(tmp_path, published)
    before = snapshot(site)
    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "overrides", overrides)
    (overrides / "partials" / "copyright.html").write_text("{% if %}坏模板", encoding="utf-8")
    text = config.read_text(encoding="utf-8").replace(str(ROOT / "overrides"), str(overrides))
    config.write_text(text, encoding="utf-8")
    code, messages = run_build(config, site)
    assert code == 1
    assert "TemplateSyntaxError" in messages and "原网站未改动" in messages
    assert snapshot(site) == before and leftovers(tmp_path) == []


def test_failing_post_build_step_exits_1_and_keeps_the_site(
    tmp_path: Path, published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search index is built in the plugin's on_post_build: its failure must not publish."""
    config, _, site = project(tmp_path, published)
    before = snapshot(site)

    def fail(self: GongkaiPlugin, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(GongkaiPlugin, "on_post_build", fail)
    code, messages = run_build(config, site)
    assert code == 1
    assert "No space left on device" in messages
    assert snapshot(site) == before and leftovers(tmp_path) == []


# --- gongkai build, in a subprocess, interrupted -----------------------------------------

DRIVER = textwrap.dedent(
    """
    # Runs `gongkai build` with one step wrapped: after the step has run `after` times, write the
    # marker and wait for a signal (a deterministic "mid-build" on any machine).
    import importlib, os, sys, time
    from pathlib import Path
    marker, spec, after = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    module_name, _, attr = spec.partition(":")
    owner = importlib.import_module(module_name)
    *path, name = attr.split(".")
    for part in path:
        owner = getattr(owner, part)
    original = getattr(owner, name)
    calls = 0
    def wrapped(*args, **kwargs):
        global calls
        result = original(*args, **kwargs)
        calls += 1
        if calls == after:
            marker.write_text(str(os.getpid()))
            time.sleep(300)
        return result
    setattr(owner, name, wrapped)
    from generator.cli import main
    sys.exit(main(sys.argv[4:]))
    """
)

STEPS = {
    "generate": ("generator.site.generate:sync_tree", 1),  # the generated Markdown has been written
    "pages": ("mkdocs.commands.build:_build_page", 3),  # MkDocs has written 3 pages
    "search": ("generator.plugin.events:GongkaiPlugin.on_post_build", 1),  # whole site written
}


def start_paused(tmp: Path, config: Path, site: Path, step: str) -> tuple[subprocess.Popen[str], Path]:
    driver = tmp / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    marker = tmp / "paused"
    spec, after = STEPS[step]
    cmd = [sys.executable, str(driver), str(marker), spec, str(after), "build", "-f", str(config), "-d", str(site)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 180
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"build ended before the step {step}: {proc.communicate()[0]}")
        assert time.monotonic() < deadline, f"build never reached {step}"
        time.sleep(0.02)
    return proc, marker


def staging_dirs(parent: Path) -> list[Path]:
    return [p for p in parent.iterdir() if p.name.startswith(".site-build-")]


@pytest.mark.parametrize(
    ("step", "signum"),
    [
        ("generate", signal.SIGINT),
        ("pages", signal.SIGINT),
        ("search", signal.SIGINT),
        ("search", signal.SIGTERM),
    ],
)
def test_a_signal_mid_build_cleans_up_exits_128_plus_n_and_keeps_the_site(
    tmp_path: Path, published: Path, step: str, signum: int
) -> None:
    config, _, site = project(tmp_path, published)
    (site / "marker-of-the-old-site.txt").write_text("旧", encoding="utf-8")
    before, inode = snapshot(site), site.stat().st_ino
    proc, _ = start_paused(tmp_path, config, site, step)
    [staging] = staging_dirs(tmp_path)
    if step != "generate":
        assert any(staging.rglob("*.html")), "the new site is half written when the signal arrives"
    proc.send_signal(signum)
    output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signum, output
    assert f"生成被中断（{signal.Signals(signum).name}），原网站未改动" in output
    assert "Traceback" not in output
    assert snapshot(site) == before and site.stat().st_ino == inode
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("step", ["pages", "search"])
def test_sigkill_mid_build_keeps_the_site_and_the_next_build_cleans_up(
    tmp_path: Path, published: Path, step: str
) -> None:
    config, _, site = project(tmp_path, published)
    (site / "marker-of-the-old-site.txt").write_text("旧", encoding="utf-8")
    before = snapshot(site)
    proc, _ = start_paused(tmp_path, config, site, step)
    [staging] = staging_dirs(tmp_path)
    proc.kill()
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(site) == before
    assert staging.is_dir()  # nothing can run on SIGKILL: the half-built folder lingers...

    code, messages = run_build(config, site)  # ...until the next build
    assert code == 0, messages
    assert leftovers(tmp_path) == []
    assert not (site / "marker-of-the-old-site.txt").exists() and (site / "index.html").is_file()


def test_a_concurrent_build_does_not_remove_a_running_builds_folder(tmp_path: Path, published: Path) -> None:
    config, _, site = project(tmp_path, published)
    proc, _ = start_paused(tmp_path, config, site, "pages")
    try:
        [running] = staging_dirs(tmp_path)
        code, messages = run_build(config, site)  # a second build finishes meanwhile
        assert code == 0, messages
        assert running.is_dir() and any(running.rglob("*.html"))
    finally:
        proc.terminate()
        proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM
    assert leftovers(tmp_path) == [] and (site / "index.html").is_file()


def test_cli_exit_code_on_content_errors(tmp_path: Path, published: Path) -> None:
    config, content, site = project(tmp_path, published)
    before = snapshot(site)
    (content / "2022" / "ok.yml").write_text("类型: 项目文本\n", encoding="utf-8")
    run = subprocess.run(
        [*GONGKAI, "build", "-f", str(config), "-d", str(site)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 1
    assert "2022/ok.yml:1:1: 项目名称: 缺少必填项“项目名称”" in run.stderr
    assert snapshot(site) == before and leftovers(tmp_path) == []
