"""Resource limits at the command line: hostile files make `gongkai check` and `gongkai build`
exit 1 with a located message, within bounded CPU time and memory, and leave the site alone.

Each command runs in a subprocess under a small wrapper that reports the command's peak
resident memory (getrusage of its child), so the measurement is the CLI's own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import FIXTURES
from .site_helpers import ROOT, make_config

pytestmark = pytest.mark.slow

CPU_SECONDS = 20  # CPU time of the command (not wall time: a loaded machine stretches that); the parser gives up in well under a second
CHECK_MB = 200  # Python + the validator is ~40 MB; a 10 MB file read whole and parsed would be far more
BUILD_MB = 300  # + MkDocs and the theme

MEASURE = """
import resource, subprocess, sys
run = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(run.stdout)
sys.stderr.write(run.stderr)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"PEAK_KB={usage.ru_maxrss} CPU_S={usage.ru_utime + usage.ru_stime}", file=sys.stderr)
sys.exit(run.returncode)
"""


def big_file(path: Path) -> str:
    path.write_text("项目名称: " + "很长的名称" * (2 * 1024 * 1024) + "\n", encoding="utf-8")  # 10 MB + a line
    assert path.stat().st_size >= 10 * 1024 * 1024
    return f"{path.stat().st_size // 1024} KB），一个文件最多 2048 KB，请拆分"


def alias_bomb(path: Path) -> str:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")  # 9^9 = 387 million items if expanded
    return "1:4: 本格式不使用锚点（&）和别名（*），请把内容直接写出"


# The depth error points at the container that would be the 33rd level: the root mapping
# plus 31 "[" (from column 7), the 33rd "{a: " (4 characters each), the 33rd "- " (2 each).
def deep_flow(path: Path) -> str:
    path.write_text("项目名称: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    return f"1:{7 + 31}: 嵌套层级过深（超过 32 层）"


def deep_block(path: Path) -> str:
    # Block style, one level per "- " on a single line (indenting 10,000 levels would be 50 MB).
    path.write_text("- " * 10_000 + "x\n", encoding="utf-8")
    return f"1:{1 + 32 * 2}: 嵌套层级过深（超过 32 层）"


def deep_mapping(path: Path) -> str:
    path.write_text("{a: " * 10_000 + "x" + "}" * 10_000 + "\n", encoding="utf-8")
    return f"1:{1 + 32 * 4}: 嵌套层级过深（超过 32 层）"


HOSTILE: dict[str, Callable[[Path], str]] = {
    "10 MB file": big_file,
    "alias bomb": alias_bomb,
    "10,000-deep flow sequences": deep_flow,
    "10,000-deep block sequences": deep_block,
    "10,000-deep flow mappings": deep_mapping,
}


def run_measured(args: list[str], cwd: Path) -> tuple[int, str, float, float]:
    """(exit code, stdout+stderr, CPU seconds, peak MB) of `gongkai <args>` and what it ran."""
    run = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "generator.cli", *args],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = run.stdout + run.stderr
    peak_kb, cpu = _probe(output)
    return run.returncode, output, cpu, peak_kb / 1024


def _probe(output: str) -> tuple[int, float]:
    """(peak KB, CPU seconds) that MEASURE printed last."""
    peak, cpu = output.rsplit("PEAK_KB=", 1)[1].split()[:2]
    return int(peak), float(cpu.removeprefix("CPU_S="))


def hostile_tree(tmp: Path, name: str) -> tuple[Path, str]:
    content = tmp / "content"
    shutil.copytree(FIXTURES / "base", content)
    rel = "2022/hostile.yml"
    expected = HOSTILE[name](content / rel)
    return content, f"{rel}:" + ("1:1: 文件过大（" if name == "10 MB file" else "") + expected


@pytest.mark.parametrize("name", list(HOSTILE))
def test_check_rejects_quickly_with_bounded_memory(tmp_path: Path, name: str) -> None:
    content, expected = hostile_tree(tmp_path, name)
    code, output, seconds, peak_mb = run_measured(["check", str(content)], tmp_path)
    assert code == 1, output
    assert expected in output, output[-2000:]
    assert "Traceback" not in output
    assert seconds < CPU_SECONDS and peak_mb < CHECK_MB, (seconds, peak_mb)


@pytest.mark.parametrize("name", ["10 MB file", "alias bomb", "10,000-deep block sequences"])
def test_build_rejects_quickly_with_bounded_memory_and_keeps_the_site(tmp_path: Path, name: str) -> None:
    content, expected = hostile_tree(tmp_path, name)
    config = make_config(tmp_path, content)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("旧网站", encoding="utf-8")
    code, output, seconds, peak_mb = run_measured(["build", "-f", str(config), "-d", str(site)], tmp_path)
    assert code == 1, output
    assert expected in output, output[-2000:]
    assert "Traceback" not in output
    assert seconds < CPU_SECONDS and peak_mb < BUILD_MB, (seconds, peak_mb)
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "旧网站"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".cache",
        "content",
        "mkdocs.yml",
        "site",
    ]  # + the build cache


def test_a_content_file_linked_to_an_endless_device_is_not_read(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "base", content)
    (content / "2022" / "status.yml").symlink_to("/proc/self/status")  # outside the content folder
    code, output, seconds, peak_mb = run_measured(["check", str(content)], tmp_path)
    assert code == 1
    assert "2022/status.yml:1:1: 这是指向内容文件夹以外的符号链接，不能作为内容发布" in output
    assert seconds < CPU_SECONDS and peak_mb < CHECK_MB


def test_measurement_sees_a_large_allocation(tmp_path: Path) -> None:
    """The probe measures the child, not the wrapper: 300 MB allocated and a second of CPU show."""
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            MEASURE,
            sys.executable,
            "-c",
            "import time\nb = bytearray(300 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])\n"
            "t = time.process_time()\nwhile time.process_time() - t < 1: pass",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0
    peak_kb, cpu = _probe(run.stderr)
    assert peak_kb / 1024 > 300
    assert cpu >= 1


def test_check_rejects_what_the_file_system_could_not_publish(tmp_path: Path) -> None:
    """Each region level is a folder and each content file becomes <name>.html: `check` stops
    a 120-level region or a 210-byte file name, rather than `build` failing on ENAMETOOLONG."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "base", content)
    regions = ", ".join(f"第{i}级行政区划" for i in range(120))
    (content / "units" / "tonghai.yml").write_text(f"名称: 通海县信访局\n地区: [{regions}]\n", encoding="utf-8")
    long_name = "长" * 70 + ".yml"  # 214 bytes
    shutil.copy(content / "2022" / "ok.yml", content / "2022" / long_name)
    code, output, seconds, _ = run_measured(["check", str(content)], tmp_path)
    assert code == 1
    assert (
        "units/tonghai.yml:2:5: 地区: 地区最多写 5 级（省 → 市/州 → 县/区 → 乡镇/街道 → 村/社区），这里写了 120 级"
        in output
    )
    assert f"2022/{long_name}:1:1: 文件名过长（214 字节），最多 200 字节，请改短" in output
    assert seconds < CPU_SECONDS
