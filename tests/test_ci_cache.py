"""The CI templates keep the build cache (generator/store) between runs, keyed so that a stale one is harmless."""

from __future__ import annotations

from typing import Any

from generator.store import DEFAULT_DIR

from .conftest import ROOT
from .test_author_workflow import _yaml


def _cache_steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in job["steps"] if s.get("uses", "").startswith("actions/cache@")]


def test_github_actions_restores_the_newest_cache_and_saves_one_per_commit() -> None:
    build = _yaml(ROOT / "ci-templates" / "github-actions.yml")["jobs"]["build"]
    [step] = _cache_steps(build)
    assert step["with"]["path"] == DEFAULT_DIR
    assert step["with"]["key"].endswith("-${{ github.sha }}")  # a new entry per commit: never an old key's bytes
    prefix = step["with"]["key"].removesuffix("${{ github.sha }}")
    assert step["with"]["restore-keys"].splitlines()[0] == prefix  # the newest of earlier commits
    names = [s.get("name", s.get("uses")) for s in build["steps"]]
    assert names.index(step["name"]) < next(
        i for i, s in enumerate(build["steps"]) if "gongkai build" in s.get("run", "")
    )


def test_the_parts_matrix_keeps_one_cache_per_part() -> None:
    part = _yaml(ROOT / "ci-templates" / "github-actions-parts.yml")["jobs"]["part"]
    [step] = _cache_steps(part)
    assert step["with"]["path"] == DEFAULT_DIR
    assert "${{ matrix.part }}" in step["with"]["key"] and "${{ github.sha }}" in step["with"]["key"]
    assert all("${{ matrix.part }}" in k for k in step["with"]["restore-keys"].splitlines())


def test_gitlab_keeps_the_build_cache_per_branch_falling_back_to_the_default_branch() -> None:
    caches = _yaml(ROOT / "ci-templates" / "gitlab-ci.yml")["cache"]
    [ours] = [c for c in caches if DEFAULT_DIR in c["paths"]]
    assert "$CI_COMMIT_REF_SLUG" in ours["key"] and ours["fallback_keys"] == ["gongkai-$CI_DEFAULT_BRANCH"]
