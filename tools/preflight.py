"""Say in one line which system packages `make test` needs and are missing, and how to install them.

Run by `make test` before the tests: a machine without Debian's chromium, CJK fonts or npm fails
here with one readable line instead of a few browser tests failing far down the run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


CJK_FONT = "WenQuanYi Micro Hei"  # Debian's fonts-wqy-microhei; see .ci/run for why this one


def has_cjk_font() -> bool:
    """True when fontconfig knows the Chinese font the print tests read text back with."""
    if shutil.which("fc-list") is None:
        return False
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return CJK_FONT in listed.stdout


def missing_packages() -> list[str]:
    missing = []
    if not CHROMIUM.exists():
        missing.append("chromium")
    if not has_cjk_font():
        missing.append("fonts-wqy-microhei")
        if shutil.which("fc-list") is None:
            missing.append("fontconfig")
    if shutil.which("npm") is None or shutil.which("node") is None:
        missing += ["nodejs", "npm"]
    if shutil.which("git") is None:
        missing.append("git")
    return missing


def main() -> int:
    missing = missing_packages()
    if not missing:
        return 0
    names = " ".join(missing)
    print(f"make test: missing system packages: {names} — install: apt-get install -y {names} (.ci/run does it)")
    return 1


if __name__ == "__main__":
    sys.exit(main())
