"""Fiscal Data Package: `datapackage.json` describing the four CSV tables.

The descriptor is a Tabular Data Package (Data Package v1, Table Schema v1) whose
resources are the CSV downloads; the 资金明细 (`lines`) resource is the fiscal fact
table. It carries the fiscal model twice, so readers of either version understand it:

- Fiscal Data Package 0.3 `model`: one measure (金额（元）, currency CNY, factor 1,
  direction expenditure) and the dimensions 单位, 地区, 年度, 资金来源, 类型, plus
  阶段 (预算/决算), 项目 and 明细;
- Fiscal Data Package 1.0 `columnType` on each field of `lines`, with the currency
  as a constant extra field.

Resource `bytes` and `hash` let readers (and tests) verify the files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from generator.corpus.model import Corpus, Kind
from generator.data.export import CSV_NOTE
from generator.data.results import PAIRINGS, VERDICTS
from generator.data.tables import DATE, DECIMAL, DISCLOSURES, INDICATORS, INT, LINES, MONEY, RESULTS, Column, Table

PACKAGE_NAME = "gongkai"
CURRENCY = "CNY"

_TYPES = {INT: "integer", MONEY: "number", DECIMAL: "number"}
_REQUIRED = {"年度", "类型", "单位", "地区", "名称", "网址", "源文件", "阶段"}
_ENUMS = {
    "类型": [k.value for k in Kind],
    "阶段": ["预算", "决算"],
    "是否完成": list(VERDICTS),
    "对照情况": list(PAIRINGS),
}

# Fiscal Data Package 1.0 column types of the fact table (budget taxonomy; 类型 is a custom type).
COLUMN_TYPES = {
    "年度": "date:fiscal-year",
    "类型": "disclosure-kind:label",
    "单位": "administrative-classification:generic:code",
    "地区": "geo:generic:code",
    "名称": "activity:generic:project:label",
    "网址": "activity:generic:project:code",
    "资金来源": "fin-source:generic:code",
    "阶段": "phase:id",
    "明细名称": "economic-classification:generic:label",
    "明细类别": "expenditure-type:code",
    "金额（元）": "value",
}

# Fiscal Data Package 0.3 dimensions: key → (title, dimensionType, {attribute: source column}, primaryKey).
DIMENSIONS: dict[str, tuple[str, str, dict[str, str], list[str]]] = {
    "unit": ("单位", "entity", {"name": "单位"}, ["name"]),
    "region": ("地区", "location", {"path": "地区"}, ["path"]),
    "year": ("年度", "datetime", {"year": "年度"}, ["year"]),
    "funding_source": ("资金来源", "classification", {"name": "资金来源"}, ["name"]),
    "kind": ("类型", "other", {"name": "类型"}, ["name"]),
    "phase": ("阶段", "other", {"name": "阶段"}, ["name"]),
    "project": ("项目", "activity", {"url": "网址", "name": "名称"}, ["url"]),
    "line": ("明细", "fact", {"number": "序号", "name": "明细名称", "category": "明细类别"}, ["number"]),
}


def field(column: Column, table: Table) -> dict[str, Any]:
    """A Table Schema field for `column`."""
    out: dict[str, Any] = {
        "name": column.name,
        "title": column.name,
        "type": _TYPES.get(column.kind, "string"),
        "description": column.description,
    }
    if column.kind == DATE:
        out["constraints"] = {"pattern": r"\d{4}-\d{2}(-\d{2})?"}
    constraints: dict[str, Any] = out.setdefault("constraints", {})
    if column.name in _REQUIRED:
        constraints["required"] = True
    if column.name in _ENUMS:
        constraints["enum"] = _ENUMS[column.name]
    if column.kind == MONEY:
        constraints["minimum"] = 0
    if not constraints:
        del out["constraints"]
    if table is LINES and column.name in COLUMN_TYPES:
        out["columnType"] = COLUMN_TYPES[column.name]
    return out


def schema(table: Table) -> dict[str, Any]:
    out: dict[str, Any] = {
        "fields": [field(c, table) for c in table.columns],
        "missingValues": [""],
        "primaryKey": ["网址"] if table is DISCLOSURES else ["网址", "序号"],
    }
    if table is not DISCLOSURES:
        out["foreignKeys"] = [{"fields": ["网址"], "reference": {"resource": DISCLOSURES.name, "fields": ["网址"]}}]
    if table is RESULTS:  # the target a 自评表 was compared with (empty when none was found)
        target = {"fields": ["目标网址"], "reference": {"resource": DISCLOSURES.name, "fields": ["网址"]}}
        out["foreignKeys"].append(target)
    if table is LINES:
        out["extraFields"] = [
            {"name": "币种", "type": "string", "columnType": "value-currency:code", "constant": CURRENCY},
            {"name": "方向", "type": "string", "columnType": "direction", "constant": "expenditure"},
        ]
    return out


def resource(table: Table, path: str, data: bytes) -> dict[str, Any]:
    return {
        "profile": "tabular-data-resource",
        "name": table.name,
        "title": table.title,
        "description": f"{table.description} {CSV_NOTE}",
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
        "schema": schema(table),
    }


def model() -> dict[str, Any]:
    """The Fiscal Data Package 0.3 logical model over the `lines` resource."""
    return {
        "measures": {
            "amount": {
                "title": "金额（元）",
                "source": "金额（元）",
                "resource": LINES.name,
                "currency": CURRENCY,
                "factor": 1,
                "direction": "expenditure",
            }
        },
        "dimensions": {
            key: {
                "title": title,
                "dimensionType": kind,
                "attributes": {a: {"source": src, "resource": LINES.name} for a, src in attrs.items()},
                "primaryKey": key_attrs,
            }
            for key, (title, kind, attrs, key_attrs) in DIMENSIONS.items()
        },
    }


def descriptor(corpus: Corpus, files: Mapping[str, tuple[str, bytes]]) -> dict[str, Any]:
    """`datapackage.json` for the CSV files, given per table name its (relative path, bytes).

    The paths must be relative to the descriptor's folder and must not climb out of it.
    """
    years = corpus.years
    out: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": corpus.site.name,
        "description": corpus.site.description + "本数据包按 Fiscal Data Package 规范描述，金额单位为元（CNY）。",
        "keywords": ["预算公开", "项目文本", "绩效目标", "绩效自评", "fiscal data package"],
        "countryCode": "CN",
        "granularity": "aggregated",
        "profiles": {"fiscal": "*", "tabular": "*"},
    }
    if corpus.site.domain:
        out["homepage"] = f"https://{corpus.site.domain}/"
    if years:
        out["fiscalPeriod"] = {"start": f"{years[0]}-01-01", "end": f"{years[-1]}-12-31"}
    tables = (LINES, DISCLOSURES, INDICATORS, RESULTS)
    out["resources"] = [resource(t, *files[t.name]) for t in tables if t.name in files]
    out["model"] = model()
    return out
