"""Golden cases (tests/cases/, tests/regen_cases.py): each case's check output and generated pages
equal what is committed. After an intended change: `make golden`, then review the diff."""

from __future__ import annotations

import difflib

import pytest

from .regen_cases import CASES, case_names, expected_files, run_case

MAX_DIFF_LINES = 80


def differences(expected: dict[str, str], actual: dict[str, str]) -> str:
    """A readable account of how two {path: text} sets differ: missing, unexpected, then unified diffs."""
    lines = [f"缺少（应生成而未生成）：{rel}" for rel in sorted(set(expected) - set(actual))]
    lines += [f"多出（生成了但不在 expected/ 中）：{rel}" for rel in sorted(set(actual) - set(expected))]
    for rel in sorted(set(expected) & set(actual)):
        if expected[rel] != actual[rel]:
            diff = difflib.unified_diff(
                expected[rel].splitlines(),
                actual[rel].splitlines(),
                f"expected/{rel}",
                f"actual/{rel}",
                lineterm="",
            )
            lines += list(diff)[:MAX_DIFF_LINES]
    return "\n".join(lines)


def test_there_is_a_case_for_every_page_type_and_check_outcome() -> None:
    site = expected_files(CASES / "site")
    pages = {
        "home": "docs/index.md",
        "按单位": "docs/units/index.md",
        "unit": "docs/units/jiaxian-caizhengju/index.md",
        "按年度": "docs/years/index.md",
        "year": "docs/2022/index.md",
        "regions index": "docs/regions/index.md",
        "province": "docs/regions/yunnansheng/index.md",
        "county": "docs/regions/yunnansheng/yuxishi/jiaxian/index.md",
        "项目文本": "docs/2022/jiaxian-caizhengju/xiangcun-daolu-yanghu/index.md",
        "绩效目标表": "docs/2021/yishi-xinfangju/xinfang-weiwen-gongzuo-jingfei/index.md",
        "整体绩效自评报告": "docs/2022/jiaxian-caizhengju/zipingjia/index.md",
        "数据下载": "docs/data/index.md",
        "source view": "docs/source/2022/jiaxian-caizhengju/xiangcun-daolu-yanghu.yml.html",
    }
    assert {name: rel for name, rel in pages.items() if rel not in site} == {}
    checks = {name: expected_files(CASES / name)["check.txt"] for name in ("check-warnings", "check-errors")}
    assert checks["check-warnings"].count("警告：") == 4 and "[exit 0]" in checks["check-warnings"]
    errors = checks["check-errors"].splitlines()
    located = [line for line in errors if line.split(":")[0].endswith(".yml")]
    assert len({line.split(":")[0] for line in located}) >= 3 and errors[-1] == "[exit 1]"
    bundled = [rel for rel in expected_files(CASES / "bundled") if rel.startswith("docs/20")]
    assert len(bundled) == 8  # every bundled disclosure page (6 seeds, the example unit's 2)


@pytest.mark.parametrize("name", case_names())
def test_case(name: str) -> None:
    case = CASES / name
    expected = expected_files(case)
    assert expected, f"tests/cases/{name}/expected/ is empty: run `make golden`"
    actual = run_case(case)
    if actual != expected:
        message = f"tests/cases/{name} changed; if intended, run `make golden` and review the diff\n"
        pytest.fail(message + differences(expected, actual), pytrace=False)


def test_a_difference_is_shown_as_a_located_diff() -> None:
    shown = differences({"a.md": "一\n二\n", "b.md": "x\n"}, {"a.md": "一\n三\n", "c.md": "y\n"})
    assert "缺少（应生成而未生成）：b.md" in shown and "多出（生成了但不在 expected/ 中）：c.md" in shown
    assert "--- expected/a.md\n+++ actual/a.md\n@@ -1,2 +1,2 @@\n 一\n-二\n+三" in shown
