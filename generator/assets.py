"""Where the files a build needs besides the code are: page templates, theme overrides, JSON Schema.

An installed gongkai carries them inside the package (`generator/_assets/<folder>`, copied there
when the wheel is built: setup.py); a checkout of this repository has them as its top-level
folders (`site_templates/`, `overrides/`, `schema/`, `ci-templates/`). Either way the build
finds them here, never by a path relative to the current folder.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGED = "_assets"  # inside the installed package
FOLDERS = ("site_templates", "overrides", "schema", "ci-templates")  # copied into the wheel (setup.py)


def asset_dir(name: str) -> Path:
    """The folder `name` (one of FOLDERS) of the installed package, else of the repository checkout."""
    assert name in FOLDERS, name
    package = Path(str(files("generator")))
    packaged = package / PACKAGED / name
    return packaged if packaged.is_dir() else package.parent / name
