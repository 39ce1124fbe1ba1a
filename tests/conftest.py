"""Shared fixtures: paths to the bundled content, the seeds and the test fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.corpus.model import Corpus
from generator.corpus.validate import CheckResult, check_tree

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT.parent / "shared" / "seeds"


def assert_judged(result: CheckResult, root: Path, new: str, errors_only_in_new: bool = True) -> None:
    """What checking the valid tree `root` with one file `new` written into it must give.

    Every problem points inside a file of the tree: a line that file has (or the one after its last,
    where YAML reports an unexpected end), a column from 1. With `errors_only_in_new` (the rest of the
    tree is valid and nothing in it can clash with `new`), every error is in `new`. A tree the check
    accepts keeps `new`: a disclosure or unit made from it is in the corpus (site.yml: the corpus exists).
    """
    lines = {
        p.relative_to(root).as_posix(): len(p.read_bytes().decode("utf-8", "replace").splitlines())
        for p in root.rglob("*.yml")
    }
    for problem in [*result.errors, *result.warnings]:
        where = problem.src
        assert problem.message and where.path in lines, str(problem)
        assert 1 <= where.line <= lines[where.path] + 1 and where.col >= 1, f"{problem} ({lines[where.path]} 行)"
    if errors_only_in_new:
        assert [str(p) for p in result.errors if p.src.path != new] == []
    if result.corpus is not None:
        made = {d.src_path for d in result.corpus.disclosures} | {u.src.path for u in result.corpus.units}
        assert new in made or new == "site.yml", f"{new} was accepted but is not in the corpus"


def bundled_corpus() -> Corpus:
    """The bundled content/, checked: it has no errors."""
    result = check_tree(CONTENT)
    assert result.errors == [] and result.corpus is not None, [str(p) for p in result.errors]
    return result.corpus


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    """The bundled content's corpus, checked once per test process (frozen model objects: shared read-only)."""
    return bundled_corpus()


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
