"""JSON Schema of the content format, generated from `fields.py` — the same declarations
the validator reads — so editors (VS Code + YAML extension) autocomplete and underline
what `gongkai check` would reject.

`gongkai schema -o schema/` writes unit.schema.json, disclosure.schema.json and
site.schema.json; a test keeps the committed copies equal to what this module generates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.corpus import fields as F

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
MONEY_PATTERN = r"^\s*[¥￥]?\s*[0-9０-９][0-9０-９,，]*([.．][0-9０-９]+)?\s*(元|万元|亿元)?\s*$"
SCORE_PATTERN = r"^\s*[0-9０-９]+([.．][0-9０-９]+)?\s*分?\s*$"
PERCENT_PATTERN = r"^\s*[0-9０-９]+([.．][0-9０-９]+)?\s*[%％]\s*$"
# An 一级 heading of a 自评表 with its weight: 产出指标(50分), 产出指标（50）.
WEIGHT_SUFFIX = r"\s*[(（]\s*[0-9０-９]+([.．][0-9０-９]+)?\s*分?\s*[)）]$"
DATE_PATTERN = r"^\d{4}\s*[-/.年]\s*\d{1,2}(\s*[-/.月]\s*\d{1,2}\s*日?)?\s*月?$"
_TEXTISH: dict[str, Any] = {"type": ["string", "number"]}


def _field_schema(field: F.Field) -> dict[str, Any]:
    t = field.type
    s: dict[str, Any]
    if t == F.TEXT:
        s = dict(_TEXTISH)
    elif t == F.LONGTEXT:
        item = _object((F.Field("标题", F.TEXT, "小标题"), F.Field("内容", F.TEXT, "正文", required=True)))
        s = {"anyOf": [_TEXTISH, {"type": "array", "items": {"anyOf": [_TEXTISH, item]}}]}
    elif t == F.MONEY:
        s = {"type": "string", "pattern": MONEY_PATTERN}
    elif t in (F.DATE, F.MONTH):
        s = {"type": "string", "pattern": DATE_PATTERN}
    elif t == F.YEAR:
        year = {"type": "integer", "minimum": 2000, "maximum": 2100}
        s = {"anyOf": [year, {"type": "string", "pattern": r"^\d{4}$"}]}
    elif t == F.VERSION:
        s = {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "pattern": r"^\d+$"}]}
    elif t == F.YESNO:
        s = {"enum": ["是", "否"]}
    elif t == F.TEXTS:
        s = {"type": "array", "items": _TEXTISH}
    elif t == F.MAP:
        s = _object(field.children)
    elif t == F.LIST:
        s = {"type": "array", "items": _object(field.children[0].children)}
    elif t == F.INDICATORS:
        s = _indicators(field.children[0])
    elif t == F.RESULTS:
        s = _indicators(field.children[0], weighted=True)
    elif t == F.SCORE:
        s = {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": SCORE_PATTERN}]}
    elif t == F.PERCENT:
        s = {"type": "string", "pattern": PERCENT_PATTERN}
    elif t == F.GRADE:
        s = {"enum": [g for g, _ in F.GRADES]}
    elif t == F.SECTIONS:
        s = {"type": "array", "items": {"$ref": "#/$defs/章节"}}
    elif t == F.KIND:
        s = {"enum": list(F.KINDS)}
    else:  # pragma: no cover
        raise AssertionError(t)
    s["description"] = field.help
    return s


def _optional(field: F.Field) -> dict[str, Any]:
    """An optional key may be left empty (`键:`), as `gongkai check` accepts."""
    s = _field_schema(field)
    if field.required:
        return s
    description = s.pop("description")
    return {"anyOf": [{"type": "null"}, s], "description": description}


def _object(children: tuple[F.Field, ...]) -> dict[str, Any]:
    properties = {}
    for f in children:
        properties[f.key] = _optional(f)
        for alias in f.aliases:  # only one of the spellings may be written (gongkai check says so)
            properties[alias] = _optional(f)
    return {
        "type": "object",
        "properties": properties,
        "required": [f.key for f in children if f.required],
        "additionalProperties": False,
    }


def _indicators(row: F.Field, weighted: bool = False) -> dict[str, Any]:
    """一级 → 二级 → rows; a 自评表's 一级 keys may also carry a weight (`产出指标(50分)`)."""
    rows = {"type": "array", "items": {"$ref": f"#/$defs/{_row_def(row)}"}}
    level1_props: dict[str, Any] = {}
    patterns: dict[str, Any] = {}
    for level1, level2s in F.LEVEL1.items():
        names2 = list(level2s) + [a for a, c in F.LEVEL2_ALIASES.items() if c in level2s]
        inner = {"type": "object", "properties": dict.fromkeys(names2, rows), "additionalProperties": False}
        names1 = [level1] + [a for a, c in F.LEVEL1_ALIASES.items() if c == level1]
        for name in names1:
            level1_props[name] = inner
        if weighted:
            patterns[f"^({'|'.join(names1)}){WEIGHT_SUFFIX}"] = inner
    out: dict[str, Any] = {"type": "object", "properties": level1_props, "additionalProperties": False}
    if patterns:
        out["patternProperties"] = patterns
    return out


def _row_def(row: F.Field) -> str:
    return "自评指标" if row is F.RESULT_ROW else "三级指标"


def _sections_def() -> dict[str, Any]:
    s = _object(F.SECTION.children)
    s["description"] = F.SECTION.help
    return s


def unit_schema() -> dict[str, Any]:
    return {"$schema": SCHEMA_DIALECT, "title": "单位档案", **_object(F.UNIT.children)}


def site_schema() -> dict[str, Any]:
    return {"$schema": SCHEMA_DIALECT, "title": "网站设置 site.yml", **_object(F.SITE.children)}


def disclosure_schema() -> dict[str, Any]:
    variants = []
    for kind, spec in F.KINDS.items():
        obj = _object(F.COMMON + spec)
        obj["properties"]["类型"] = {"const": kind, "description": "公开文本类型"}
        obj["title"] = kind
        variants.append(obj)
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "公开文本（项目文本 / 绩效目标表 / 整体绩效自评报告 / 项目支出绩效自评表）",
        "oneOf": variants,
        "$defs": {
            "章节": _sections_def(),
            "三级指标": _object(F.INDICATOR_ROW.children),
            "自评指标": _object(F.RESULT_ROW.children),
        },
    }


SCHEMAS = {
    "disclosure.schema.json": disclosure_schema,
    "unit.schema.json": unit_schema,
    "site.schema.json": site_schema,
}


def render_schemas() -> dict[str, str]:
    """File name → JSON text (stable: sorted keys are not used, the format's order is kept)."""
    return {name: json.dumps(make(), ensure_ascii=False, indent=2) + "\n" for name, make in SCHEMAS.items()}


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
