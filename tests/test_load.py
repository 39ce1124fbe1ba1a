"""The loader: positions for every value, and no input an author can type raises anything
but a located problem (property-based), within bounded time and memory."""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.corpus.load import Map, Scalar, Seq, decode, load_file, parse
from generator.corpus.validate import check_tree
from tests.conftest import FIXTURES, assert_judged


def test_positions_of_every_value() -> None:
    node, problems = parse("名称: 甲\n明细:\n  - 名称: 会议费\n    金额: 0.5万元\n", "x.yml")
    assert problems == []
    assert isinstance(node, Map)
    assert node.keys["明细"] == (2, 1)
    lines = node.items["明细"]
    assert isinstance(lines, Seq)
    first = lines.items[0]
    assert isinstance(first, Map)
    amount = first.items["金额"]
    assert isinstance(amount, Scalar)
    assert (amount.text, amount.line, amount.col) == ("0.5万元", 4, 9)


def test_scalars_stay_text() -> None:
    node, _ = parse("电话: 0871\n日期: 2022-01-01\n是否: no\n空:\n", "x.yml")
    assert isinstance(node, Map)
    texts = {k: v.text for k, v in node.items.items() if isinstance(v, Scalar)}
    assert texts == {"电话": "0871", "日期": "2022-01-01", "是否": "no", "空": None}


def _check_bytes(root: Path, data: bytes) -> None:
    (root / "2022" / "fuzz.yml").write_bytes(data)
    assert_judged(check_tree(root), root, "2022/fuzz.yml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes_give_a_model_or_located_errors(base_content: Path, data: bytes) -> None:
    _check_bytes(base_content, data)


yaml_atoms = st.sampled_from(
    ["类型: 项目文本\n", "单位: 通海县信访局\n", "年度: 2022\n", "项目名称: 甲\n", "资金安排:\n", "  合计: 3万元\n",
     "  明细:\n", "    - 名称: 乙\n", "      金额: 1元\n", "绩效目标:\n", "  绩效指标:\n", "    产出指标:\n",
     "      数量指标:\n", "        - 名称: 件数\n", "          指标值: '>=1件'\n", "- x\n", ": y\n", "[", "{a: b}\n",
     "&a x\n", "*a\n", "\t", "  ", "#c\n", "---\n", "'", '"', "|\n", "? k\n", "!!binary x\n", "!tag y\n"]
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(yaml_atoms, max_size=25))
def test_any_yaml_gives_a_model_or_located_errors(base_content: Path, atoms: list[str]) -> None:
    _check_bytes(base_content, "".join(atoms).encode("utf-8"))


def test_large_file_rejected_quickly(base_content: Path) -> None:
    big = base_content / "2022" / "big.yml"
    big.write_text("项目名称: " + "很长" * (5 * 1024 * 1024) + "\n", encoding="utf-8")
    start = time.process_time()
    result = check_tree(base_content)
    assert time.process_time() - start < 20  # runaway guard, CPU seconds
    assert [p.message for p in result.errors] == ["文件过大（30720 KB），一个文件最多 2048 KB，请拆分"]


def test_alias_bomb_rejected() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9)
    )
    start = time.process_time()
    node, problems = parse(bomb, "bomb.yml")
    assert time.process_time() - start < 20  # runaway guard, CPU seconds
    assert node is None
    assert [str(p) for p in problems] == ["bomb.yml:1:4: 本格式不使用锚点（&）和别名（*），请把内容直接写出"]


def test_deep_nesting_rejected() -> None:
    for text in ("[" * 10_000 + "]" * 10_000, "".join(" " * i + "k:\n" for i in range(0, 20_000, 2))):
        start = time.process_time()
        node, problems = parse(text, "deep.yml")
        assert time.process_time() - start < 20  # runaway guard, CPU seconds
        assert node is None
        assert len(problems) == 1 and problems[0].message == "嵌套层级过深（超过 32 层）"


def test_decode_reports_invalid_utf8_position() -> None:
    text, problems = decode("名称: 甲\n地址: ".encode() + b"\xff\xfe\n", "u.yml")
    assert text is None
    assert str(problems[0]) == "u.yml:2:5: 文件不是 UTF-8 编码，请另存为 UTF-8"


def test_load_file_on_a_directory_named_yml(tmp_path: Path) -> None:
    weird = tmp_path / "x.yml"
    weird.mkdir()
    node, problems = load_file(weird, "x.yml")
    assert node is None
    assert problems[0].message.startswith("无法读取文件")


def test_fixture_tree_is_valid(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "base", tmp_path / "c")
    assert check_tree(tmp_path / "c").corpus is not None


# Characters that break YAML syntax, inserted into a real disclosure (seeded, so every run is the same).
_BREAKERS = [*":-[]{}#&*!|>'\"%@`,?\t \n\\", "---", "...", "%YAML 1.1\n", "!!str ", "&a ", "*a", '"\\q"', "|0\n", "? "]


def test_every_syntax_error_is_said_in_chinese() -> None:
    """libyaml's English problems never reach an author: each has its Chinese message (load._YAML_PROBLEMS)."""
    files = sorted((FIXTURES.parent.parent / "content" / "2020").glob("**/*.yml"))
    base = files[0].read_text(encoding="utf-8")[:800]
    rnd = random.Random(20261202)
    english = set()
    for _ in range(3000):
        chars = list(base)
        for _ in range(rnd.randint(1, 4)):
            chars.insert(rnd.randrange(len(chars)), rnd.choice(_BREAKERS))
        decoded, problems = decode("".join(chars).encode(), "x.yml")
        if decoded is not None and not problems:
            _, problems = parse(decoded, "x.yml")
        english |= {p.message for p in problems if "YAML 格式错误" in p.message}
    assert not english


def test_control_characters_are_located_and_named() -> None:
    text, problems = decode("类型: 项目文本\n单位: 甲\x01局\n".encode(), "x.yml")
    assert text is None
    assert [(p.src.line, p.src.col, p.message) for p in problems] == [
        (2, 6, "文件中有看不见的控制字符（U+0001），常见于从其他软件复制来的文字，请删除它")
    ]
