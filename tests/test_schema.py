"""The JSON Schema is generated from the validator's own field declarations and agrees with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from generator.corpus.load import Map, Node, Scalar, load_file
from generator.corpus.schema import render_schemas
from generator.corpus.validate import content_files
from tests.conftest import CONTENT, FIXTURES, ROOT


def plain(node: Node | None) -> Any:
    """Located nodes → plain JSON-like values (every scalar stays text, as the validator reads it)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.text
    if isinstance(node, Map):
        return {k: plain(v) for k, v in node.items.items()}
    return [plain(v) for v in node.items]


def _validator(name: str) -> jsonschema.Draft202012Validator:
    import json

    schema = json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schemas_are_current() -> None:
    """`gongkai schema` regenerates schema/; the committed files must equal the output."""
    for name, text in render_schemas().items():
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == text, f"run `gongkai schema` ({name})"


def test_bundled_content_satisfies_the_schema() -> None:
    site, units, disclosures = content_files(CONTENT)
    assert site is not None
    pairs = [(site, "site.schema.json")] + [(u, "unit.schema.json") for u in units]
    pairs += [(d, "disclosure.schema.json") for d in disclosures]
    for path, name in pairs:
        node, problems = load_file(path, path.name)
        assert not problems
        errors = list(_validator(name).iter_errors(plain(node)))
        assert errors == [], f"{path}: {errors[0].message if errors else ''}"


@pytest.mark.parametrize("name", ["unknown_key.yml", "wrong_type.yml", "unknown_kind.yml", "missing_kind.yml"])
def test_schema_rejects_what_check_rejects(name: str) -> None:
    path = FIXTURES / "bad" / name
    node, _ = load_file(path, name)
    assert list(_validator("disclosure.schema.json").iter_errors(plain(node)))


def test_schema_flags_bad_indicator_level(tmp_path: Path) -> None:
    node, _ = load_file(FIXTURES / "bad" / "indicator_vocabulary.yml", "x")
    errors = list(_validator("disclosure.schema.json").iter_errors(plain(node)))
    assert errors


def test_empty_optional_keys_are_accepted_like_check_does() -> None:
    node, _ = load_file(FIXTURES / "base" / "2022" / "ok.yml", "ok.yml")
    doc = plain(node)
    doc["立项依据"] = None
    doc["资金安排"]["资金来源"] = None
    assert list(_validator("disclosure.schema.json").iter_errors(doc)) == []
    doc["项目名称"] = None
    assert list(_validator("disclosure.schema.json").iter_errors(doc))
