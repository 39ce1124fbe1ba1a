"""Measurements of a built site (sizes, nav weight) and of the machine the benchmark ran on."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

DISCLOSURE_PAGE = re.compile(r"^\d{4}/[^/]+/[^/]+/index\.html$")
_NAV_TAG = re.compile(r"<nav\b|</nav>")


@dataclass(frozen=True)
class SiteSize:
    files: int
    bytes: int
    html_pages: int
    disclosure_pages: int
    disclosure_html_median: int
    disclosure_html_max: int
    nav_primary_median: int  # bytes of <nav class="md-nav md-nav--primary"> per disclosure page
    pagefind_bytes: int


def tree_bytes(root: Path) -> tuple[int, int]:
    files = total = 0
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            files += 1
            total += os.path.getsize(os.path.join(dirpath, name))
    return files, total


def element_bytes(html: str, start_marker: str) -> int:
    """Byte length of the <nav> element whose opening tag contains `start_marker` (nested navs included)."""
    start = html.find(start_marker)
    if start < 0:
        return 0
    start = html.rfind("<nav", 0, start + 1)
    depth = 0
    for m in _NAV_TAG.finditer(html, start):
        depth += 1 if m.group() == "<nav" else -1
        if depth == 0:
            return len(html[start : m.end()].encode("utf-8"))
    return len(html[start:].encode("utf-8"))


def measure_site(site: Path) -> SiteSize:
    files, total = tree_bytes(site)
    html_pages = 0
    sizes: list[int] = []
    navs: list[int] = []
    for dirpath, _dirs, names in os.walk(site):
        for name in names:
            if not name.endswith(".html"):
                continue
            html_pages += 1
            path = Path(dirpath, name)
            rel = path.relative_to(site).as_posix()
            if DISCLOSURE_PAGE.match(rel):
                data = path.read_bytes()
                sizes.append(len(data))
                if len(navs) < 200:  # the nav is the same shape on every page; a sample suffices
                    navs.append(element_bytes(data.decode("utf-8"), 'class="md-nav md-nav--primary"'))
    pagefind = site / "pagefind"
    return SiteSize(
        files=files,
        bytes=total,
        html_pages=html_pages,
        disclosure_pages=len(sizes),
        disclosure_html_median=int(statistics.median(sizes)) if sizes else 0,
        disclosure_html_max=max(sizes, default=0),
        nav_primary_median=int(statistics.median(navs)) if navs else 0,
        pagefind_bytes=tree_bytes(pagefind)[1] if pagefind.is_dir() else 0,
    )


def machine() -> dict[str, str]:
    """nproc, CPU model, RAM, OS, Python, and the versions that matter for the numbers."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        meminfo = Path("/proc/meminfo").read_text().splitlines()
        mem_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
        ram = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        ram = "?"
    from importlib.metadata import version

    def _v(pkg: str) -> str:
        try:
            return version(pkg)
        except Exception:
            return "?"

    repo = Path(__file__).resolve().parent.parent
    commit = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "mkdocs": _v("mkdocs"),
        "mkdocs-material": _v("mkdocs-material"),
        "pagefind": _v("pagefind"),
        "commit": commit or "?",
    }


def replace_section(report: Path, begin: str, end: str, body: str) -> None:
    """Put `body` (which starts with `begin` and ends with `end`) into `report` where the section
    between those markers stands, or append it when the report has none yet."""
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    if begin in text and end in text:
        text = text[: text.index(begin)] + body + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + body + "\n"
    report.write_text(text, encoding="utf-8")
