"""The wheel also carries the folders a build needs besides the code.

This repository keeps them at its top level (site_templates/, overrides/, schema/, ci-templates/);
the build step copies them into the package as generator/_assets/<folder>, where
generator/assets.py finds them in an installed gongkai. Everything else is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
FOLDERS = ("site_templates", "overrides", "schema", "ci-templates")  # = generator.assets.FOLDERS


class BuildPyWithAssets(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads them from the checkout
            return
        for name in FOLDERS:
            dest = Path(self.build_lib) / "generator" / "_assets" / name
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(ROOT / name, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildPyWithAssets})
