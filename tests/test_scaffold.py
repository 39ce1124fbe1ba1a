"""`gongkai new`: scaffolds list every key with a comment, fail `gongkai check` until filled, pass once filled."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from generator.cli import main
from generator.commands.new import disclosure_yaml, scalar, schema_ref, unit_yaml
from generator.corpus import fields as F
from generator.corpus.model import Kind
from generator.corpus.validate import check_tree
from tests.conftest import CONTENT, ROOT

UNIT = "测试县信访局"
REGION = "云南省/昆明市/测试县"
KEY_LINE = re.compile(r"^(?P<indent>\s*)(?P<dash>- )?(?P<key>[^#\s][^:]*):(?P<value>.*)$")

# What an author would type into each empty placeholder (amounts chosen so every sum adds up:
# one 明细 of 1000元 = 合计; three 支出构成 of 1000元 = 支出合计 3000元).
FILL = {
    "合计": "1000元",
    "金额": "1000元",
    "本年度预算金额": "1000元",
    "项目总金额": "1000元",
    "收入合计": "3000元",
    "支出合计": "3000元",
    "发布日期": "2023-03-01",
    "开始日期": "2023-01-01",
    "结束日期": "2023-12-31",
    "报告日期": "2024-06",
    "是否重点项目": "否",
    "指标值": "≥1次",
    "计量单位": "次",
    "权重": "10",
    "原文链接": "https://www.example.gov.cn/gk/1.html",
    "统一社会信用代码": "11530103015119450J",
    "联系电话": "0871-00000000",
    "别名": "[测试信访局]",
    "主要职能": "[负责测试工作]",
    "示例单位": "否",
    # 项目支出绩效自评表: 年度资金总额 3000元 = three rows 其中 of 1000元 (FILL_TOTAL); every 得分 0 = 总分 0, 差.
    "年初预算数": "1000元",
    "全年预算数": "1000元",
    "全年执行数": "1000元",
    "执行率": "100.00%",
    "分值": "10",
    "得分": "0",
    "总分": "0",
    "自评等级": "差",
    "年度指标值": "≥1次",
    "实际完成值": "1次",
    "网址": "ceshi-wangzhi",
}
FILL_TOTAL = {"年初预算数": "3000元", "全年预算数": "3000元", "全年执行数": "3000元"}  # under 年度资金总额
EXPECTED_HEADLINE = {
    Kind.PROJECT: "1000.00",
    Kind.TARGETS: "1000.00",
    Kind.SELF_EVALUATION: "3000.00",
    Kind.PROJECT_EVALUATION: "3000.00",
}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def placeholders(text: str) -> dict[int, str]:
    """1-based line → key, for every `key:` with an empty value and no children under it."""
    lines = text.split("\n")
    found = {}
    for i, line in enumerate(lines):
        m = KEY_LINE.match(line)
        if not m or m["value"].strip():
            continue
        column = len(m["indent"]) + (2 if m["dash"] else 0)
        following = [ln for ln in lines[i + 1 :] if ln.strip() and not ln.lstrip().startswith("#")]
        if following and _indent(following[0]) > column:
            continue  # a parent: its children are the placeholders
        found[i + 1] = m["key"]
    return found


def _parent(lines: list[str], index: int) -> str | None:
    """The key of the nearest line above `index` that is indented less (the placeholder's parent)."""
    for line in reversed(lines[:index]):
        m = KEY_LINE.match(line)
        if m and _indent(line) < _indent(lines[index]):
            return m["key"]
    return None


def fill(text: str) -> str:
    lines = text.split("\n")
    for number, key in placeholders(text).items():
        under_total = _parent(lines, number - 1) == "年度资金总额"
        value = FILL_TOTAL[key] if under_total and key in FILL_TOTAL else FILL.get(key, f"测试{key}")
        lines[number - 1] += " " + value
    return "\n".join(lines)


def _all_keys(fields: tuple[F.Field, ...]) -> set[str]:
    keys = set()
    for f in fields:
        keys.add(f.key)
        for child in f.children:
            keys |= _all_keys(child.children) if f.type in (F.LIST, F.INDICATORS, F.RESULTS) else _all_keys((child,))
    return keys


def _new(content: Path, *args: str) -> int:
    return main(["new", *args, "--content", str(content)])


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    assert _new(root, "单位", "--unit", UNIT, "--region", REGION) == 0
    return root


@pytest.mark.parametrize("kind", list(Kind), ids=[k.slug for k in Kind])
def test_scaffold_fails_until_filled_then_passes(content: Path, kind: Kind) -> None:
    assert _new(content, kind.value, "--unit", UNIT, "--year", "2023") == 0
    [path] = [p for p in content.rglob("*.yml") if "units" not in p.parts]
    assert path.relative_to(content).parts[0] == "2023"
    text = path.read_text(encoding="utf-8")

    holes = placeholders(text)
    result = check_tree(content)
    assert result.corpus is None and result.errors
    for problem in result.errors:
        assert problem.src.path == path.relative_to(content).as_posix()
        assert problem.src.line in holes, str(problem)  # only empty placeholders are reported …
        assert "不能为空" in problem.message, str(problem)
    required_holes = {p.src.line for p in result.errors}
    assert required_holes < set(holes)  # … and optional ones are accepted empty

    path.write_text(fill(text), encoding="utf-8")
    unit_file = content / "units" / next(p.name for p in (content / "units").iterdir())
    unit_file.write_text(fill(unit_file.read_text(encoding="utf-8")), encoding="utf-8")
    result = check_tree(content)
    warnings = [w for w in result.warnings if not (kind is Kind.PROJECT_EVALUATION and "没有找到" in w.message)]
    assert result.errors == [] and warnings == [], [str(p) for p in result.errors + result.warnings]  # a lone 自评表
    assert len(result.warnings) == (kind is Kind.PROJECT_EVALUATION)  # … has no target table to compare with
    assert result.corpus is not None
    [d] = result.corpus.disclosures
    assert (d.kind, d.unit.name, d.year) == (kind, UNIT, 2023)
    assert f"{d.headline.yuan:.2f}" == EXPECTED_HEADLINE[kind]
    assert d.unit.region == tuple(REGION.split("/"))


@pytest.mark.parametrize("kind", list(Kind), ids=[k.slug for k in Kind])
def test_scaffold_lists_every_key_with_a_comment(kind: Kind) -> None:
    text = disclosure_yaml(kind, UNIT, 2023)
    lines = text.split("\n")
    keys = {m["key"] for line in lines if (m := KEY_LINE.match(line))}
    wanted = _all_keys(F.COMMON + F.KINDS[kind.value])
    wanted -= {"三级指标", "明细项", "支出项", "评价小组成员", "章节"}  # item names, not keys
    assert wanted <= keys, wanted - keys
    top = {f.key for f in F.COMMON + F.KINDS[kind.value]}
    for i, line in enumerate(lines):
        m = KEY_LINE.match(line)
        if m and _indent(line) == 0 and m["key"] in top:
            assert lines[i - 1].startswith("# "), f"no comment above {m['key']}"


@pytest.mark.parametrize("kind", list(Kind), ids=[k.slug for k in Kind])
def test_filled_scaffold_satisfies_the_json_schema(kind: Kind) -> None:
    schema = json.loads((ROOT / "schema" / "disclosure.schema.json").read_text(encoding="utf-8"))
    data = YAML(typ="base").load(fill(disclosure_yaml(kind, UNIT, 2023)))
    jsonschema.validate(data, schema)
    unit_schema = json.loads((ROOT / "schema" / "unit.schema.json").read_text(encoding="utf-8"))
    unit: Any = YAML(typ="base").load(fill(unit_yaml(UNIT, REGION.split("/"))))
    jsonschema.validate(unit, unit_schema)


def test_first_line_points_editors_at_the_schema(content: Path) -> None:
    assert _new(content, "项目文本", "-u", UNIT, "-y", "2023", "-n", "信访维稳经费") == 0
    path = content / "2023" / "ceshixian-xinfangju" / "xinfang-weiwen-jingfei.yml"
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    ref = first.removeprefix("# yaml-language-server: $schema=")
    assert ref != first
    assert (path.parent / ref).resolve() == (content.parent / "schema" / "disclosure.schema.json").resolve()
    unit_first = (content / "units" / "ceshixian-xinfangju.yml").read_text(encoding="utf-8").split("\n", 1)[0]
    assert unit_first.endswith("../../schema/unit.schema.json")
    # In this repository the reference reaches the committed schema.
    bundled = CONTENT / "2023" / "x" / "y.yml"
    assert (bundled.parent / schema_ref(bundled, CONTENT, "disclosure.schema.json")).resolve().is_file()


def test_never_overwrites_without_force(content: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert _new(content, "自评报告", "-u", UNIT, "-y", "2023") == 0
    path = content / "2023" / "ceshixian-xinfangju" / "zipingjia.yml"
    path.write_text("# 已经写了一半\n", encoding="utf-8")
    assert _new(content, "自评报告", "-u", UNIT, "-y", "2023") == 1
    assert path.read_text(encoding="utf-8") == "# 已经写了一半\n"
    assert "已存在" in caplog.text
    assert _new(content, "自评报告", "-u", UNIT, "-y", "2023", "--force") == 0
    assert "类型: 整体绩效自评报告" in path.read_text(encoding="utf-8")


def test_bad_arguments_are_explained(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert _new(tmp_path, "年报", "-u", UNIT, "-y", "2023") == 2
    assert "不认识的类型“年报”" in caplog.text
    assert _new(tmp_path, "项目文本", "-u", UNIT) == 2
    assert _new(tmp_path, "单位") == 2
    assert not any(tmp_path.rglob("*.yml"))


@pytest.mark.parametrize("value", ["盘龙区信访局", "a: b", "#1", "- x", "是", " 前后空格 ", "[x]", "'q'", "50%", "k:v"])
def test_values_from_the_command_line_read_back_unchanged(value: str) -> None:
    assert YAML(typ="base").load(f"k: {scalar(value)}\n") == {"k": value}
