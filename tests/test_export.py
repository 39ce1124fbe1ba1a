"""`gongkai export` and the JSON/CSV writers, on the bundled content (the five seed documents)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import generator.commands.check  # noqa: F401  # bound now: run_check's default `out=sys.stdout` is fixed at import time
from generator.cli import main
from generator.corpus.model import Corpus, Disclosure, Kind
from generator.data import export as E
from generator.data import tables as T
from tests.conftest import CONTENT

MONEY_TEXT = r"^\d+\.\d{2}$"


def _no_floats(text: str) -> Any:
    def refuse(value: str) -> None:
        raise AssertionError(f"float in JSON: {value}")

    return json.loads(text, parse_float=refuse)


def _find(records: list[dict[str, Any]], unit: str, year: int, kind: Kind) -> list[dict[str, Any]]:
    return [r for r in records if r["单位"] == unit and r["年度"] == year and r["类型"] == kind.value]


def test_acceptance_figures_from_the_seeds(corpus: Corpus) -> None:
    records = _no_floats(E.to_json(E.dataset(corpus)).decode())["公开文本"]
    assert len(records) == len(corpus.disclosures) == 8

    [panlong_2020] = _find(records, "盘龙区信访局", 2020, Kind.PROJECT)
    assert panlong_2020["金额（元）"] == "535000.00"
    assert panlong_2020["金额口径"] == "资金安排合计"

    tonghai = _find(records, "通海县信访局", 2022, Kind.PROJECT)
    assert [r["金额（元）"] for r in tonghai] == ["30000.00", "30000.00"]
    assert sorted(r["明细条数"] for r in tonghai) == [2, 5]
    assert sorted(len(r["资金明细"]) for r in tonghai) == [2, 5]

    [chuxiong] = _find(records, "楚雄州信访局", 2022, Kind.PROJECT)
    assert chuxiong["金额（元）"] == "585000.00"
    assert chuxiong["明细条数"] == 9 == len(chuxiong["资金明细"])

    [lushan] = _find(records, "庐山市信访局", 2022, Kind.TARGETS)
    assert lushan["金额（元）"] == "176000.00"
    assert lushan["金额口径"] == "本年度预算金额"
    assert lushan["绩效指标条数"] == 12 == len(lushan["绩效指标"])

    [report] = _find(records, "盘龙区信访局", 2022, Kind.SELF_EVALUATION)
    assert report["金额（元）"] == "2846343.88"
    assert report["收入合计（元）"] == "2851958.99"
    parts = [p["金额（元）"] for p in report["资金明细"]]
    assert parts == ["2107912.71", "162061.01", "576370.16"]
    assert sum(map(Decimal, parts)) == Decimal(report["金额（元）"])
    assert (report["人员经费（元）"], report["公用经费（元）"], report["项目支出（元）"]) == tuple(parts)


def test_every_record_carries_the_required_fields(corpus: Corpus) -> None:
    by_url = {d.url: d for d in corpus.disclosures}
    for rec in _no_floats(E.to_json(E.dataset(corpus)).decode())["公开文本"]:
        d = by_url[rec["网址"]]
        assert rec["类型"] == d.kind.value
        assert rec["单位"] == d.unit.name
        assert rec["地区"] == "/".join(d.unit.region)
        assert rec["年度"] == d.year
        assert rec["名称"] == d.name
        assert Decimal(rec["金额（元）"]) == d.headline.yuan
        assert rec["金额（元）"] == f"{d.headline.yuan:.2f}"
        assert rec["源文件"] == d.src_path


def test_money_is_always_an_exact_two_decimal_string(corpus: Corpus) -> None:
    import re

    data = _no_floats(E.to_json(E.dataset(corpus)).decode())
    money_keys = {c.name for t in T.TABLES for c in t.columns if c.kind == T.MONEY}
    seen = 0

    def walk(node: Any) -> None:
        nonlocal seen
        if isinstance(node, dict):
            for key, value in node.items():
                if key in money_keys and value is not None and not isinstance(value, dict):
                    assert isinstance(value, str) and re.match(MONEY_TEXT, value), (key, value)
                    seen += 1
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data["公开文本"])
    assert seen > 30


def _read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    assert b"\r\n" in data and b"\n\n" not in data
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_disclosure_csv_matches_json(corpus: Corpus) -> None:
    rows = _read_csv(E.to_csv(T.DISCLOSURES, T.table_rows(T.DISCLOSURES, corpus.disclosures)))
    records = json.loads(E.to_json(E.dataset(corpus)))["公开文本"]
    assert len(rows) == len(records)
    assert list(rows[0]) == list(T.DISCLOSURES.names)
    for row, rec in zip(rows, records, strict=True):
        for name in T.DISCLOSURES.names:
            expected = rec[name]
            assert row[name] == ("" if expected is None else str(expected)), name
    assert any(r["单位"] == "盘龙区信访局" and r["省份"] == "云南省" for r in rows)


def test_lines_csv_sums_to_each_headline(corpus: Corpus) -> None:
    rows = _read_csv(E.to_csv(T.LINES, T.table_rows(T.LINES, corpus.disclosures)))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[row["网址"]] += Decimal(row["金额（元）"])
    assert totals == {d.url: d.headline.yuan for d in corpus.disclosures}
    # A disclosure without lines contributes one total row numbered 0; one with lines has none.
    zero = {r["网址"] for r in rows if r["序号"] == "0"}
    for d in corpus.disclosures:
        has_lines = T.disclosure_row(d)["明细条数"] != 0
        assert (d.url in zero) is not has_lines


def test_nested_items_are_the_table_rows_without_shared_columns(corpus: Corpus) -> None:
    records = json.loads(E.to_json(E.dataset(corpus)))["公开文本"]
    for table, key in ((T.LINES, "资金明细"), (T.INDICATORS, "绩效指标")):
        flat = json.loads(E.to_json([E._json_row(table, r) for r in T.table_rows(table, corpus.disclosures)]))
        rebuilt = [
            {**{s: rec[s] for s in table.names if s in T.SHARED}, **item} for rec in records for item in rec[key]
        ]
        assert [dict(sorted(r.items())) for r in rebuilt] == [dict(sorted(r.items())) for r in flat]


def test_indicator_rows_keep_text_and_parsed_parts(corpus: Corpus) -> None:
    rows = _read_csv(E.to_csv(T.INDICATORS, T.table_rows(T.INDICATORS, corpus.disclosures)))
    lushan = [r for r in rows if r["单位"] == "庐山市信访局"]
    assert [r["序号"] for r in lushan] == [str(i) for i in range(1, 13)]
    first = lushan[0]
    assert (first["一级指标"], first["二级指标"], first["指标值"]) == ("产出指标", "数量指标", ">=30次")
    assert (first["比较符"], first["数值"], first["数值单位"]) == ("≥", "30", "次")


def test_output_is_deterministic_and_independent_of_input_order(corpus: Corpus) -> None:
    shuffled = list(corpus.disclosures)
    random.Random(7).shuffle(shuffled)
    other = dataclasses.replace(corpus, disclosures=tuple(shuffled))
    assert E.to_json(E.dataset(corpus)) == E.to_json(E.dataset(other))
    for t in T.TABLES:
        assert E.to_csv(t, T.table_rows(t, corpus.disclosures)) == E.to_csv(t, T.table_rows(t, shuffled))


def test_private_data_is_masked_when_the_site_asks(corpus: Corpus) -> None:
    masked = dataclasses.replace(corpus, site=dataclasses.replace(corpus.site, mask_private=True))
    lushan: Disclosure = next(d for d in corpus.disclosures if d.unit.name == "庐山市信访局")
    plain = E.to_json(E.record(lushan, mask=False, full=True)).decode()
    assert "13879227100" in plain
    hidden = E.to_json(E.record(lushan, mask=True, full=True)).decode()
    assert "13879227100" not in hidden and "138****7100" in hidden
    assert "13879227100" not in E.to_json(E.dataset(masked, full=True)).decode()


def test_full_record_has_the_text(corpus: Corpus) -> None:
    report = next(d for d in corpus.disclosures if d.kind is Kind.SELF_EVALUATION)
    rec = _no_floats(E.to_json(E.record(report, full=True)).decode())
    assert rec["正文"]["报告日期"] == "2023-06"
    assert rec["正文"]["报告正文"][0]["标题"] == "部门概况"
    assert "正文" not in E.record(report)


def test_cli_export_json_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", str(CONTENT)]) == 0
    data = _no_floats(capsysbinary.readouterr().out.decode())
    assert len(data["公开文本"]) == 8
    assert set(data["数据字典"]) == {"公开文本", "资金明细", "绩效指标", "完成情况"}


def test_cli_export_csv_and_xlsx_to_files(tmp_path: Path) -> None:
    out = tmp_path / "明细.csv"
    assert main(["export", "--format", "csv", "--table", "资金明细", "-o", str(out), str(CONTENT)]) == 0
    rows = _read_csv(out.read_bytes())
    assert {r["单位"] for r in rows} == {"盘龙区信访局", "通海县信访局", "楚雄州信访局", "庐山市信访局", "示例县信访局"}
    xlsx = tmp_path / "all.xlsx"
    assert main(["export", "--format", "xlsx", "-o", str(xlsx), str(CONTENT)]) == 0
    assert xlsx.read_bytes()[:2] == b"PK"


def test_cli_export_refuses_bad_input(tmp_path: Path, base_content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "xlsx", str(CONTENT)]) == 2  # XLSX needs -o
    assert main(["export", "--format", "csv", "--table", "没有这张表", str(CONTENT)]) == 2
    target = base_content / "2022" / "ok.yml"
    target.write_text(target.read_text(encoding="utf-8").replace("0.5万元", "5000"), encoding="utf-8")
    out = tmp_path / "x.json"
    assert main(["export", str(base_content), "-o", str(out)]) == 1
    assert not out.exists()
    assert "2022/ok.yml:9:" in capsys.readouterr().err  # the located problem, not a traceback
