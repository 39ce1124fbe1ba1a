"""A small, fast YAML writer for the synthetic corpus: nested dicts, lists and strings only.

It writes what an author would type (plain scalars where safe, `|` blocks for long text,
`[a, b]` for short lists) and is ~20x faster than a general dumper, which matters when
writing 100,000 files. `tests/test_synth.py` reads its output back with ruamel.yaml.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Union

Value = Union[str, "Flow", Sequence["Value"], Mapping[str, "Value"]]

_BAD_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_FLOW_SAFE = re.compile(r"[\w（）·]+")  # inside [...] only words are written plain
_SPECIAL = re.compile(r"~|=|<<|[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE|[Yy]es|YES|[Nn]o|NO|[Oo]n|ON|[Oo]ff|OFF|[yYnN]")
_DIGITS = re.compile(r"[0-9]+")


class Flow(tuple[str, ...]):
    """A short list of strings written inline: ``地区: [云南省, 昆明市, 盘龙区]``."""

    __slots__ = ()


def scalar(text: str, *, flow: bool = False) -> str:
    """`text` as a one-line YAML scalar: plain when that reads back unchanged, else double-quoted."""
    if (
        not text
        or text[0] in _BAD_START
        or text[-1] in " :"
        or ": " in text
        or " #" in text
        or "\n" in text
        or "\t" in text
        or _SPECIAL.fullmatch(text) is not None
        or (flow and _FLOW_SAFE.fullmatch(text) is None)
        or (_DIGITS.fullmatch(text) is not None and (len(text) > 4 or text[0] == "0"))
    ):
        return json.dumps(text, ensure_ascii=False)
    return text


def _block(text: str, pad: str) -> list[str]:
    """A `|` block scalar (text must end in exactly one newline) or `|-` (no final newline)."""
    if text.endswith("\n\n") or text.startswith((" ", "\n")):
        raise ValueError(f"cannot write as a block scalar: {text[:40]!r}")
    indicator = "|" if text.endswith("\n") else "|-"
    body = [pad + line if line else "" for line in text.rstrip("\n").split("\n")]
    return [indicator, *body]


def _value_lines(value: Value, indent: int) -> tuple[str, list[str]]:
    """Split a value into what follows ``key:`` on the same line and the lines below it."""
    if isinstance(value, str):
        if "\n" in value:
            head, *rest = _block(value, " " * (indent + 2))
            return " " + head, rest
        return " " + scalar(value), []
    if isinstance(value, Flow):
        return " [" + ", ".join(scalar(v, flow=True) for v in value) + "]", []
    if not value:
        return " {}" if isinstance(value, Mapping) else " []", []
    if isinstance(value, Mapping):
        return "", _mapping(value, indent + 2)
    return "", _sequence(value, indent + 2)


def _mapping(m: Mapping[str, Value], indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for key, value in m.items():
        head, rest = _value_lines(value, indent)
        out.append(f"{pad}{key}:{head}")
        out.extend(rest)
    return out


def _sequence(items: Sequence[Value], indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for item in items:
        if isinstance(item, Mapping):
            lines = _mapping(item, indent + 2)
            out.append(pad + "- " + lines[0][indent + 2 :])
            out.extend(lines[1:])
        elif isinstance(item, str):
            head, rest = _value_lines(item, indent)
            out.append(f"{pad}-{head}")
            out.extend(rest)
        else:
            raise TypeError(f"unsupported list item: {type(item).__name__}")
    return out


def dump(doc: Mapping[str, Value]) -> str:
    """The whole document as YAML text, ending in a newline."""
    return "\n".join(_mapping(doc, 0)) + "\n"
