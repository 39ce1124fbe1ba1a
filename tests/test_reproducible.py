"""Reproducible builds: two `gongkai build`s of one commit give a byte-identical site/.

The two builds differ in everything that must not matter: the checkout's path, file
modification times, time zone, locale and Python's hash seed (set iteration order).
SOURCE_DATE_EPOCH is not set: `gongkai build` takes it from the last commit.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from generator.corpus.validate import check_tree
from generator.data.xlsx import members_time
from generator.search.stable import read as read_pagefind

from .site_helpers import CONTENT, ROOT, make_config

pytestmark = pytest.mark.slow

COMMIT_TIME = datetime(2023, 6, 30, 4, 0, 2, tzinfo=UTC)  # even seconds: zip times have 2 s resolution


def checkout(dest: Path) -> Path:
    """A git repository holding the bundled content and a site config, committed at COMMIT_TIME."""
    dest.mkdir(parents=True)
    shutil.copytree(CONTENT, dest / "content")
    make_config(dest, dest / "content")
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": COMMIT_TIME.isoformat(),
        "GIT_COMMITTER_DATE": COMMIT_TIME.isoformat(),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    for cmd in (["init", "-q"], ["add", "content", "mkdocs.yml"], ["commit", "-q", "-m", "content"]):
        subprocess.run(["git", "-C", str(dest), *cmd], check=True, env=env, capture_output=True)
    return dest


def build(repo: Path, **env: str) -> Path:
    clean = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "build", "-f", str(repo / "mkdocs.yml"), "-d", str(repo / "site")],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    return repo / "site"


def digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_builds_of_one_commit_are_byte_identical_and_dated_by_the_commit(tmp_path: Path) -> None:
    """… and by the content: the XLSX workbooks carry their newest disclosure's date (xlsx.members_time)."""
    # One test, not three: each build takes seconds, and xdist would repeat a shared fixture per worker.
    one = build(checkout(tmp_path / "one"), TZ="UTC", LC_ALL="C.UTF-8", PYTHONHASHSEED="1")
    repo = checkout(tmp_path / "elsewhere" / "two")
    for path in (repo / "content").rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # other modification times
    two = build(repo, TZ="Asia/Shanghai", LC_ALL="C", PYTHONHASHSEED="4242")

    first, second = digest(one), digest(two)
    assert len(first) > 100
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert any(name.startswith("pagefind/parts/") and "/filter/" in name for name in first)  # the search index
    times_come_from_the_commit(one)
    search_filters_are_canonical(one)


def times_come_from_the_commit(site: Path) -> None:
    books = sorted(site.rglob("*.xlsx"))
    assert books
    corpus = check_tree(CONTENT).corpus
    assert corpus is not None
    newest = members_time(corpus.disclosures)
    assert newest.date() < COMMIT_TIME.date()  # so the two cannot be told apart by chance
    for book in books:
        with zipfile.ZipFile(book) as z:
            (stamp,) = {info.date_time for info in z.infolist()}
        assert stamp[3:] == (0, 0, 0) and stamp[:3] <= newest.timetuple()[:3], book.name  # a content date
    with zipfile.ZipFile(site / "data" / "gongkai-all.xlsx") as z:
        assert {info.date_time for info in z.infolist()} == {newest.timetuple()[:6]}
    for gz in site.rglob("*.gz"):
        mtime = struct.unpack("<I", gz.read_bytes()[4:8])[0]
        assert mtime in (0, int(COMMIT_TIME.timestamp())), gz.name
    today = date.today().isoformat()
    texts = [p for p in site.rglob("*") if p.suffix in (".html", ".xml", ".json", ".csv", ".txt")]
    assert [p.name for p in texts if today in p.read_text(encoding="utf-8", errors="replace")] == []


def search_filters_are_canonical(site: Path) -> None:
    filters = sorted((site / "pagefind" / "parts").glob("*/filter/*.pf_filter"))
    assert filters
    for path in filters:
        _, values = read_pagefind(path)
        assert [v[0] for v in values] == sorted(v[0] for v in values)
        assert path.stem.split("_")[1] == hashlib.sha256(gzip.decompress(path.read_bytes())).hexdigest()[:7]
