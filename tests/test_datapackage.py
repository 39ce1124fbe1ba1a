"""The Fiscal Data Package, checked two ways.

1. frictionless (the reference Python implementation of Data Package / Table Schema)
   validates the descriptor and reads every CSV row against its schema: types,
   required cells, enums, primary keys, foreign keys, byte counts and hashes.
2. The Fiscal Data Package rules frictionless does not know, written out from the
   specification: the 0.3 `model` (measures with an ISO 4217 currency, dimensions
   whose attributes name real fields) and the 1.0 `columnType` data types.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
import pytest

from generator.corpus.model import Corpus
from generator.data import tables as T
from generator.data.downloads import PACKAGE, data_files

MEASURE_DIRECTIONS = {"expenditure", "revenue"}
MEASURE_PHASES = {"proposed", "approved", "adjusted", "executed"}
DIMENSION_TYPES = {"datetime", "entity", "classification", "activity", "fact", "location", "other"}
# Data types the budget taxonomy fixes for the column types used here (FDP 1.0, “Budget Standard Taxonomy”).
COLUMN_TYPE_DATA = {"value": "number", "date:fiscal-year": "integer"}
NAME_PATTERN = re.compile(r"^[a-z0-9._-]+$")  # Data Package `name`
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_]+$")  # `^\w+` as JSON Schema (ECMAScript) reads it


@pytest.fixture(scope="module")
def package_dir(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    for rel, data in data_files(corpus).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root / Path(PACKAGE).parent


def _descriptor(package_dir: Path) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    return data


def test_frictionless_validates_descriptor_and_data(package_dir: Path) -> None:
    report = frictionless.validate(str(package_dir / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert sum(task.stats["rows"] or 0 for task in report.tasks) > 40


def test_frictionless_catches_a_tampered_file(package_dir: Path, tmp_path: Path) -> None:
    """The validation above is not vacuous: a changed amount breaks the declared hash and size."""
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(package_dir, copy)
    lines = copy / "gongkai-all-lines.csv"
    lines.write_bytes(lines.read_bytes().replace(b"535000.00", b"535000.0x"))
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    types = {row[0] for row in report.flatten(["type"])}
    assert "hash-count" in types or "type-error" in types


def test_descriptor_follows_data_package_and_fdp_03(package_dir: Path) -> None:
    dp = _descriptor(package_dir)
    for key in ("name", "title", "resources", "model"):
        assert dp.get(key), f"required property {key}"
    assert NAME_PATTERN.match(dp["name"])
    resources = {r["name"]: r for r in dp["resources"]}
    assert set(resources) == {"lines", "disclosures", "indicators", "results"}
    for r in dp["resources"]:
        assert not r["path"].startswith(("/", "..")) and "/../" not in r["path"]
        assert r["path"].endswith(".csv") and r["format"] == "csv"
        assert (package_dir / r["path"]).is_file()

    def field(resource: str, name: str) -> dict[str, Any]:
        found = [f for f in resources[resource]["schema"]["fields"] if f["name"] == name]
        assert found, f"{resource}.{name} is not a field"
        return found[0]

    model = dp["model"]
    assert model["measures"] and model["dimensions"]
    for key, measure in model["measures"].items():
        assert KEY_PATTERN.match(key)
        assert re.match(r"^[A-Z]{3}$", measure["currency"]) and measure["currency"] == "CNY"
        assert field(measure.get("resource", dp["resources"][0]["name"]), measure["source"])["type"] == "number"
        assert measure.get("direction", "expenditure") in MEASURE_DIRECTIONS
        assert measure.get("phase", "approved") in MEASURE_PHASES
        assert isinstance(measure.get("factor", 1), int | float)
    for key, dim in model["dimensions"].items():
        assert KEY_PATTERN.match(key)
        assert dim["attributes"], key
        for attr_key, attr in dim["attributes"].items():
            assert KEY_PATTERN.match(attr_key)
            assert ("source" in attr) != ("constant" in attr)
            if "source" in attr:
                field(attr.get("resource", dp["resources"][0]["name"]), attr["source"])
        keys = [dim["primaryKey"]] if isinstance(dim["primaryKey"], str) else dim["primaryKey"]
        assert keys and set(keys) <= set(dim["attributes"])
        assert dim.get("dimensionType", "other") in DIMENSION_TYPES
    titles = {d["title"] for d in model["dimensions"].values()}
    assert {"单位", "地区", "年度", "资金来源", "类型"} <= titles


def test_column_types_follow_fdp_10(package_dir: Path) -> None:
    lines = next(r for r in _descriptor(package_dir)["resources"] if r["name"] == "lines")
    by_type = {f["columnType"]: f for f in lines["schema"]["fields"] if "columnType" in f}
    for column_type, data_type in COLUMN_TYPE_DATA.items():
        assert by_type[column_type]["type"] == data_type
    assert by_type["value"]["name"] == "金额（元）"
    currency = [f for f in lines["schema"]["extraFields"] if f.get("columnType") == "value-currency:code"]
    assert [f["constant"] for f in currency] == ["CNY"]


def test_the_fact_table_adds_up_to_the_disclosures(package_dir: Path, corpus: Corpus) -> None:
    package = frictionless.Package(str(package_dir / "datapackage.json"))
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in package.get_resource("lines").read_rows():  # type: ignore[attr-defined]  # frictionless 5: untyped
        assert isinstance(row["金额（元）"], Decimal)
        totals[row["网址"]] += row["金额（元）"]
    rows = package.get_resource("disclosures").read_rows()  # type: ignore[attr-defined]
    headlines = {row["网址"]: row["金额（元）"] for row in rows}
    assert totals == headlines == {d.url: d.headline.yuan for d in corpus.disclosures}


def test_every_table_column_is_described(package_dir: Path) -> None:
    dp = _descriptor(package_dir)
    for table in T.TABLES:
        resource = next(r for r in dp["resources"] if r["name"] == table.name)
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == list(table.names)
        assert all(f["description"] for f in fields)
