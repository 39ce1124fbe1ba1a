"""Drafts: the importer's result, and the YAML writer that turns one into a commented file.

A `Draft` holds plain values (str, list, dict) keyed by the content format's Chinese
keys, plus `doubts`: the paths of values the importer was not sure of, each with a
reason. The writer orders keys as the format does (`generator.corpus.fields`), writes long
text as literal blocks, and marks every doubtful value with a `# 待核对` comment.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from generator.corpus import fields as F
from generator.corpus.model import Kind
from generator.importer.text import Chunk

Node = str | list["Node"] | dict[str, "Node"]
Path_ = tuple[str | int, ...]
UNPLACED_KEY = "未识别"
DOUBT = "待核对"
LITERAL_MIN = 60  # single-line text at least this long is written as a literal block too
SHORT_KEYS = ("名称", "标题", "指标值", "单位", "项目名称")  # kept on one line however long


@dataclass
class Draft:
    """One draft file: a disclosure (kind set) or a unit profile (kind None)."""

    kind: Kind | None
    data: dict[str, Node] = field(default_factory=dict)
    doubts: dict[Path_, str] = field(default_factory=dict)
    unplaced: list[Chunk] = field(default_factory=list)
    label: str = ""  # what the report calls this draft, e.g. the project name
    notes: list[str] = field(default_factory=list)  # lines for the header comment
    companions: list[Draft] = field(default_factory=list)  # e.g. a unit profile found in the text
    filename: str | None = None  # where to write it, relative to the output folder
    span: tuple[int, int] = (0, 1 << 30)  # the input lines this draft was read from
    recognized: bool = True  # False when no known layout was found
    guessed_kind: bool = False  # the text does not name its kind: the first header line says so
    rescued: list[int] = field(default_factory=list)  # lines the no-loss check had to add to 未识别
    remarks: list[str] = field(default_factory=list)  # source text the format has no key for (备注…): header comment

    def put(self, path: Path_, value: Node, doubt: str | None = None) -> None:
        """Set `value` at `path` (creating maps on the way); `doubt` marks it 待核对."""
        target: dict[str, Node] = self.data
        for key in path[:-1]:
            assert isinstance(key, str)
            child = target.setdefault(key, {})
            assert isinstance(child, dict)
            target = child
        last = path[-1]
        assert isinstance(last, str)
        target[last] = value
        if doubt:
            self.doubts[path] = doubt

    def doubt(self, path: Path_, reason: str) -> None:
        self.doubts[path] = reason

    def get(self, path: Path_) -> Node | None:
        node: Node | None = self.data
        for key in path:
            if isinstance(node, dict) and isinstance(key, str):
                node = node.get(key)
            elif isinstance(node, list) and isinstance(key, int) and key < len(node):
                node = node[key]
            else:
                return None
        return node


def _field_order(kind: Kind | None) -> Sequence[F.Field]:
    if kind is None:
        return F.UNIT.children
    return (*F.COMMON, *F.KINDS[kind.value])


def _order(keys: list[str], spec: Sequence[F.Field]) -> list[str]:
    known = [f.key for f in spec]
    rank = {k: i for i, f in enumerate(spec) for k in (f.key, *f.aliases)}  # 当年财政拨款 where 本年财政拨款 stands
    return sorted(keys, key=lambda k: (k == UNPLACED_KEY, rank.get(k, len(known))))


def _child_spec(spec: Sequence[F.Field], key: str) -> Sequence[F.Field]:
    for f in spec:
        if f.key == key:
            if f.type in (F.LIST, F.INDICATORS) and f.children:
                return f.children[0].children
            if f.type in (F.SECTIONS, F.LONGTEXT):
                return F.SECTION.children
            return f.children
    return ()


FIGURE_KEYS = ("分值", "得分", "总分")  # scores written plain (`得分: 9.3`), as authors do
_FIGURE = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")


class _Figure(str):
    """A score written as a plain YAML number, its text exactly as given (`9.30` stays `9.30`)."""


def _represent_figure(representer: Any, data: _Figure) -> Any:
    tag = "tag:yaml.org,2002:int" if data.isdigit() else "tag:yaml.org,2002:float"
    return representer.represent_scalar(tag, str(data))


def _scalar(value: str, key: str | int | None) -> object:
    if "\n" in value or (isinstance(key, str) and key not in SHORT_KEYS and len(value) >= LITERAL_MIN):
        return LiteralScalarString(value.rstrip() + "\n")
    if key == "年度" and value.isdigit():
        return int(value)  # written plain, as authors do; the validator reads every value as text
    if key in FIGURE_KEYS and _FIGURE.match(value) and not (value.startswith("0") and value[1:2].isdigit()):
        return _Figure(value)
    return value


def _build(node: Node, spec: Sequence[F.Field], path: Path_, draft: Draft, indent: int) -> object:
    if isinstance(node, str):
        return _scalar(node, path[-1] if path else None)
    if isinstance(node, list):
        seq = CommentedSeq()
        for i, item in enumerate(node):
            seq.append(_build(item, spec, (*path, i), draft, indent + 2))
            reason = draft.doubts.get((*path, i))
            if reason and isinstance(item, str):
                seq.yaml_add_eol_comment(f"# {DOUBT}：{reason}", i)
            elif reason and isinstance(item, dict) and item:
                first = next(iter(_order(list(item), spec)))
                if isinstance(seq[i][first], LiteralScalarString) or not isinstance(item[first], str):
                    seq.yaml_set_comment_before_after_key(i, before=f"{DOUBT}：{reason}", indent=indent)
                else:
                    seq[i].yaml_add_eol_comment(f"# {DOUBT}：{reason}", first)
        return seq
    cmap = CommentedMap()
    for key in _order(list(node), spec):
        value = node[key]
        cmap[key] = _build(value, _child_spec(spec, key), (*path, key), draft, indent + 2)
        reason = draft.doubts.get((*path, key))
        if not reason:
            continue
        if isinstance(value, str) and not isinstance(cmap[key], LiteralScalarString):
            cmap.yaml_add_eol_comment(f"# {DOUBT}：{reason}", key)
        else:
            cmap.yaml_set_comment_before_after_key(key, before=f"{DOUBT}：{reason}", indent=indent)
    return cmap


def to_yaml(draft: Draft) -> str:
    """The draft as YAML text, with a header comment and 待核对 comments."""
    data: dict[str, Node] = dict(draft.data)
    if draft.unplaced:
        data[UNPLACED_KEY] = [f"{c.where}：{c.text}" for c in draft.unplaced]
    root = _build(data, _field_order(draft.kind), (), draft, 0)
    assert isinstance(root, CommentedMap)
    if draft.notes:
        root.yaml_set_start_comment("\n".join(draft.notes))
    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_unicode = True
    yaml.representer.add_representer(_Figure, _represent_figure)
    out = io.StringIO()
    yaml.dump(root, out)
    return out.getvalue()
