"""gk_t (overrides/partials/language.html): Material's texts, looked up once per key, the same as Material's macro."""

from __future__ import annotations

import re
from pathlib import Path

import material
from jinja2 import Environment, FileSystemLoader

from generator.plugin.events import _translations

MATERIAL = Path(material.__file__).resolve().parent / "templates"


def test_every_key_as_material_says_it() -> None:
    env = Environment(loader=FileSystemLoader(str(MATERIAL)))
    for language in ("zh", "en", "ja"):
        material_t = env.get_template("partials/language.html").make_module(
            {"config": {"theme": {"language": language}}}
        )
        ours = _translations(env, language)
        table = (MATERIAL / "partials" / "languages" / f"{language}.html").read_text(encoding="utf-8")
        keys = [*re.findall(r'^\s*"([a-z.]+)":', table, re.M), "no.such.key", "source.file.date.created"]
        assert len(keys) > 50
        for key in keys:
            assert str(ours(key)) == str(material_t.t(key)), (language, key)  # type: ignore[attr-defined]
            assert ours(key) is ours(key)  # looked up once
