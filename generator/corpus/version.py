"""The content format's version (`格式版本` in site.yml): which versions this gongkai reads.

A site says which format its content is written in; a gongkai reads a range of formats. When
they do not meet, the check stops with one located error that says which version is needed —
never a page of "unknown key" errors from a format the tool does not know.

Every change of the format raises FORMAT_VERSION and is marked in CHANGELOG.md with how to
update content by hand. A site.yml without the key is in format 1, the format before the key
existed: DEFAULT_FORMAT never changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator import __version__

FORMAT_VERSION = 1  # the format this gongkai writes (`gongkai init`, `gongkai new`) and reads
OLDEST_FORMAT = 1  # the oldest format it still reads
DEFAULT_FORMAT = 1  # a site.yml without 格式版本
# The last gongkai release that read each format no longer read (none yet).
LAST_RELEASE: dict[int, str] = {}

_PIN = re.compile(r"^\s*gongkai\b[^#]*", re.IGNORECASE)


def supported(version: int, oldest: int = OLDEST_FORMAT, newest: int = FORMAT_VERSION) -> bool:
    return oldest <= version <= newest


def _readable(oldest: int, newest: int) -> str:
    return f"格式版本 {newest}" if oldest == newest else f"格式版本 {oldest}–{newest}"


def format_problem(
    version: int,
    pinned: str | None = None,
    *,
    running: str = __version__,
    oldest: int = OLDEST_FORMAT,
    newest: int = FORMAT_VERSION,
    last_release: dict[int, str] = LAST_RELEASE,
) -> str | None:
    """What to tell the author when this gongkai cannot read format `version`; None when it can.

    `pinned` is the site's requirement on gongkai (requirements.txt), the version it was built with."""
    if supported(version, oldest, newest):
        return None
    reads = _readable(oldest, newest)
    if version > newest:
        how = (
            f"请安装本网站 requirements.txt 写明的版本（{pinned}）：pip install -r requirements.txt"
            if pinned
            else f"请升级到能读格式版本 {version} 的 gongkai（见 gongkai 的更新记录 CHANGELOG.md）"
        )
        return f"本网站的内容是格式版本 {version}，gongkai {running} 只读{reads}：{how}"
    how = (
        f"请按 gongkai 更新记录（CHANGELOG.md）中“格式版本 {version + 1}”起每一条的说明手工更新内容，"
        f"再把“格式版本”改为 {newest}"
    )
    if version in last_release:
        how += f"；或继续使用 gongkai {last_release[version]}"
    return f"本网站的内容是格式版本 {version}，gongkai {running} 只读{reads}：{how}"


def pinned_requirement(site_root: Path) -> str | None:
    """The line of `site_root`/requirements.txt that requires gongkai (`gongkai==0.1.0`), if any."""
    try:
        lines = (site_root / "requirements.txt").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for line in lines:
        if match := _PIN.match(line):
            return match.group(0).strip()
    return None
