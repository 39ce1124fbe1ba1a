"""Shared fixtures: paths to the bundled content, the seeds and the test fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture
def base_content(tmp_path: Path) -> Path:
    """A minimal valid content tree (one unit, one project) copied into tmp_path."""
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "base", dest)
    return dest
