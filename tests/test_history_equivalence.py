"""The optimised history walk equals the straightforward one (tests/history_reference.py).

Random small repositories, seeded: synthetic units and disclosures (benchmarks/synth), then
commits of random edits — figures, 项目名称 and 单位 (to names that collide), unit renames
(the old name kept as 别名 or not), 年度, pins, moves with and without edits, deletions and
files added again at the same path, reordered sections, comments, files the sections cannot
be cut from (flow style, a repeated key, a BOM, broken YAML), commits of several files and
commits outside the content. The whole `History` must compare equal.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from benchmarks.gitrepo import Commit, make_repo
from benchmarks.synth import iter_tree
from benchmarks.synth.yaml_text import dump
from generator.history import read_history
from generator.history.follow import follow, plan
from generator.history.git import BlobReader, HistoryUnavailable, read_log
from generator.history.sections import Version, split
from generator.history.share import Helper

from . import history_reference as reference

START = 1609459200
AMOUNT = re.compile(r"(合计|金额|本年度预算金额|支出合计|年初预算数|全年执行数): (\d+(?:\.\d+)?)(万?元)")
NAMES = ["信访专项经费", "信访专项经费（更正）", "设备购置经费", "宣传经费", "疾病预防"]


def _top(text: str, key: str, value: str | None) -> str:
    """Set (or, with None, remove) a one-line top-level key."""
    pattern = re.compile(rf"^{re.escape(key)}:.*\n", re.M)
    line = f"{key}: {value}\n" if value is not None else ""
    if pattern.search(text):
        return pattern.sub(line.replace("\\", "\\\\"), text, count=1)
    return text + line


def _sections(text: str) -> list[str]:
    return re.split(r"(?m)^(?=[^ \n#-])", text)[1:] if not text.startswith(" ") else [text]


def _edit(rng: random.Random, path: str, text: str, units: list[str]) -> str:
    """One random edit of a file's text."""
    unit = path.startswith("content/units/")
    r = rng.random()
    if r < 0.2:
        return AMOUNT.sub(lambda m: f"{m[1]}: {float(m[2]) + rng.choice([1, 2.5, 10]):g}{m[3]}", text, count=1)
    if r < 0.3:
        return text.replace("。", rng.choice(["；", "，"]), 1)
    if r < 0.42:
        if unit:
            name = re.search(r"^名称: (.*)$", text, re.M)
            new = rng.choice([*units, "新单位" + str(rng.randrange(3))])
            text = _top(text, "名称", new)
            if name and rng.random() < 0.6:
                text = re.sub(r"(?m)^别名:.*\n(?:  - .*\n)*", "", text)
                text = _top(text, "别名", f"[{name[1]}]")
            return text
        return _top(text, "项目名称", rng.choice(NAMES))
    if r < 0.5 and not unit:
        return _top(text, "单位", rng.choice([*units, "不存在的单位"]))
    if r < 0.55 and not unit:
        return _top(text, "年度", str(rng.choice([2021, 2022, 2023])))
    if r < 0.62:
        return _top(text, "网址", rng.choice(["guding", "guding-2", "xinfang-zhuanxiang-jingfei", None]))
    if r < 0.7:
        parts = _sections(text)
        if len(parts) > 2:
            i, j = rng.sample(range(len(parts)), 2)
            parts[i], parts[j] = parts[j], parts[i]
            return "".join(p if p.endswith("\n") else p + "\n" for p in parts)
        return text
    if r < 0.76:
        lines = text.splitlines(keepends=True)
        lines.insert(rng.randrange(len(lines) + 1), "# 注释\n")
        return "".join(lines)
    if r < 0.8:
        return rng.choice(
            [
                "{类型: 项目文本, 单位: " + rng.choice(units) + ", 年度: 2022, 项目名称: 流式}\n",
                text + "类型: 项目文本\n",  # a repeated key
                "\ufeff" + text,
                text.replace(": ", ":: ", 1),
                "",
                "---\n" + text,
                text.replace("\n", "\r\n"),
                text.rstrip("\n"),
            ]
        )
    if r < 0.9 and "  - " in text:
        return text.replace("  - ", "  - 名称: 新增项\n    金额: 1万元\n  - ", 1) if rng.random() < 0.5 else text
    return text.replace("\n", "\n\n", 1)


def _name(unit: str) -> str:
    found = re.search(r"^名称: (.*)$", unit, re.M)
    assert found is not None
    return found[1]


def random_commits(seed: int, files: int = 6, count: int = 40) -> list[Commit]:
    rng = random.Random(seed)
    tree = {f"content/{rel}": dump(doc) for rel, doc in iter_tree(files, seed=seed)}
    names = [_name(t) for p, t in tree.items() if p.startswith("content/units/")]
    state = dict(tree)
    clock = iter(range(START, START + 10**9, 86400))
    out = [Commit(next(clock), "first", {p: t.encode() for p, t in state.items()})]
    gone: dict[str, str] = {}
    for _ in range(count):
        files_: dict[str, bytes | None] = {}
        renames: list[tuple[str, str]] = []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            r = rng.random()
            paths = sorted(p for p in state if p != "content/site.yml")
            if not paths:
                break
            path = rng.choice(paths)
            if path in files_ or any(path in pair for pair in renames):
                continue
            if r < 0.08:
                files_[path] = None
                gone[path] = state.pop(path)
            elif r < 0.14 and gone:
                back = rng.choice(sorted(gone))
                if back not in state:
                    state[back] = gone.pop(back)
                    files_[back] = state[back].encode()
            elif r < 0.24:
                new = path.replace(".yml", rng.choice(["-moved.yml", "-2.yml"]))
                if new in state:
                    continue
                renames.append((path, new))
                text = state.pop(path)
                if rng.random() < 0.5:
                    text = _edit(rng, new, text, names)
                    files_[new] = text.encode()
                state[new] = text
            elif r < 0.3:
                new = path.replace(".yml", "-copy.yml")
                state[new] = _edit(rng, new, state[path], names)
                files_[new] = state[new].encode()
            else:
                state[path] = _edit(rng, path, state[path], names)
                files_[path] = state[path].encode()
        if rng.random() < 0.05:
            files_["README.md"] = f"readme {rng.random()}\n".encode()
        if files_ or renames:
            out.append(Commit(next(clock), "edit", files_, renames))
    return out


@pytest.mark.parametrize("seed", range(8))
def test_optimised_walk_equals_reference(tmp_path: Path, seed: int) -> None:
    content = make_repo(tmp_path / "repo", random_commits(seed)) / "content"
    expected = reference.read_history(content)
    got = read_history(content)
    assert expected.available and expected.commits > 20
    assert sum(len(f.revisions) for f in expected.files.values()) > 30
    assert got.files == expected.files
    assert got.addresses == expected.addresses
    assert got == expected


def test_two_processes_same_history(tmp_path: Path) -> None:
    """The files shared between two processes (walk._follow_all) give the History of one."""
    content = make_repo(tmp_path / "repo", random_commits(11, files=10, count=60)) / "content"
    one = read_history(content, processes=1)
    assert read_history(content, processes=2) == one == reference.read_history(content)


def test_second_process_follows_like_this_one(tmp_path: Path) -> None:
    """The worker process (not the fallback in this one) gives the same results."""
    content = make_repo(tmp_path / "repo", random_commits(12)) / "content"
    tracks = plan(read_log(content).commits).tracks
    helper = Helper()
    helper.send(content, tracks)
    got = helper.result(len(tracks))
    helper.close()
    assert got is not None and got == follow(content, tracks)


def test_reference_sees_the_edits(tmp_path: Path) -> None:
    """The random repositories exercise what the walk must get right (not vacuous)."""
    figures = renames = sections = 0
    addresses = 0
    for seed in range(8):
        content = make_repo(tmp_path / f"r{seed}", random_commits(seed)) / "content"
        h = reference.read_history(content)
        revisions = [r for f in h.files.values() for r in f.revisions]
        figures += sum(len(r.changes.figures) for r in revisions)
        sections += sum(len(r.changes.sections) for r in revisions)
        renames += sum(r.renamed_from is not None for r in revisions)
        addresses += len(h.addresses)
    assert figures > 50 and sections > 20 and renames > 5 and addresses > 5


@pytest.mark.parametrize(
    "data",
    [
        b"a: 1\nb:\n  - x\n  - y\nc: |\n  t\n\n  u\n",
        b"a: 1\n# c\nb: 2\n",
        b"a: 1\r\nb: 2\r\n",
        b"a: 1\nb: 2",
        b"\n\na: 1\n",
        b"- x\n",
        b"a: 1\n---\nb: 2\n",
        b"a: 1\na: 2\n",
        b"{a: 1}\n",
        b"a:\n- x\n- y\nb: 1\n",
        b"\xef\xbb\xbfa: 1\n",
        b"a b: 1\n'q': 2\n",
        b"# only\n",
        b"",
    ],
)
def test_split_as_first_written(data: bytes) -> None:
    assert split(data) == reference.split(data)
    if reference.split(data) is not None:
        assert Version(data, "x.yml").keys() == reference.Version(data, "x.yml").keys()


SCALARS = [
    "安义县交通运输局",
    "2022",
    "项目文本",
    "a-b.c（更正）",
    "null",
    "Null",
    "NULL",
    "~",
    "2022-01-11",
    "𠀋字",
    "x: y",
    "x #y",
    "-x",
    "x-",
    "'q'",
    '"q"',
    "[a, b]",
    "{a: b}",
    "a, b",
    "&a",
    "*a",
    "!t",
    "|",
    ">",
    "%x",
    "@x",
    "`x",
    "?x",
    "a b",
    "a\tb",
    "a ",
    "",
    ".inf",
    "0x1F",
    "1e3",
    "\u2028a",
    "a\u0085",
    "a\ufeff",
    "\u00a0a",
    "（）",
    "a/b",
    "a_b",
    "a(b)",
    "是",
    "否",
    "yes",
    "3万元",
    "1,000",
    "a\\b",
    "a\x7f",
    "\ue000",
    "\uffff",
]


@pytest.mark.parametrize("value", SCALARS)
def test_one_line_sections_read_as_the_parser_reads_them(value: str) -> None:
    """Sections `key: value` taken without the parser (sections._simple) give the parser's node."""
    for key in ("单位", "项目名称", "x"):
        data = f"{key}: {value}\n类型: 项目文本\n".encode()
        fast, slow = Version(data, "a.yml"), reference.Version(data, "a.yml")
        assert fast.keys() == slow.keys()
        if fast.blocks is not None:
            assert fast.node(key) == slow.node(key)


def test_missing_object_and_early_stop(tmp_path: Path) -> None:
    """cat-file read in chunks by a thread: a missing object is reported, and stopping early ends git."""
    content = make_repo(tmp_path / "repo", random_commits(3, count=5)) / "content"
    blobs = [s.blob for steps in plan(read_log(content).commits).tracks for s in steps]
    with pytest.raises(HistoryUnavailable, match="缺少对象"):
        list(BlobReader(content).read([blobs[0], "0" * 40]))
    reader = BlobReader(content).read(blobs)
    assert next(reader)
    reader.close()  # returns: the threads and git are ended


def test_without_a_second_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the second process cannot start, this one follows its files: the same History."""
    content = make_repo(tmp_path / "repo", random_commits(4)) / "content"
    expected = read_history(content, processes=1)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    assert read_history(content, processes=2) == expected
