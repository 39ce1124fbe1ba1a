"""Shared fixtures: paths to the bundled content, the seeds and the test fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled content built once per test process (`gongkai build`, strict): the site folder.

    Shared, so read-only: tests that change a site build their own.
    """
    from .site_helpers import build

    code, messages, site = build(tmp_path_factory.mktemp("bundled"), CONTENT)
    assert code == 0, messages
    return site


@pytest.fixture(scope="module")
def base_url(bundled_site: Path) -> Iterator[str]:
    """The bundled site served on 127.0.0.1 for one test module's browser tests (browser_helpers.serve)."""
    from .browser_helpers import serve

    with serve(bundled_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium for one test module (browser_helpers.chromium)."""
    from .browser_helpers import chromium

    with chromium() as b:
        yield b
