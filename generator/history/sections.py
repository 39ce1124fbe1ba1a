"""One version of a content file, seen as its top-level sections (立项依据, 资金安排, …).

A revision usually touches one or two sections of a file, so two versions are compared
section by section as bytes first: a file in the block style every content file uses is
cut at its top-level keys without parsing (`split`), and only sections whose bytes differ
are parsed, with the loader the check uses (load.py). A file that is not cut cleanly (flow
style, document markers, quoted keys) is parsed whole instead: slower, same result.
"""

from __future__ import annotations

import re
from typing import Any

from generator.corpus.load import Map, Node, Scalar, Seq, decode, parse

_TOP_LINE = re.compile(rb"^[^ \t\r\n#].*", re.M)
# A top-level key line: a plain key at column 0, a colon, then a space or the end of the line.
_KEY_LINE = re.compile(rb"([^\s#\-?:,\[\]{}&*!|>'\"%@`][^:\n]*?)[ \t]*:(?:[ \t]|\r?$)")


def split(data: bytes) -> dict[str, bytes] | None:
    """{top-level key: the bytes of its section}, or None when the file is not plainly cut."""
    if data.startswith(b"\xef\xbb\xbf"):
        return None
    blocks: dict[str, bytes] = {}
    key: str | None = None
    start = 0
    for line in _TOP_LINE.finditer(data):  # lines that start at column 0 (not blank, not a comment)
        text = line[0]
        if text.startswith(b"-"):
            if key is None or text.startswith((b"---", b"...")):
                return None  # a document marker, or a list at the top
            continue  # a list item of the open section
        m = _KEY_LINE.match(text)
        if m is None:
            return None
        if key is not None:
            blocks[key] = data[start : line.start()]
        try:
            key = m[1].decode("utf-8")
        except UnicodeDecodeError:
            return None
        if key in blocks:
            return None  # a repeated key: the whole-file parse reports it like the check
        start = line.start()
    if key is None:
        return None
    blocks[key] = data[start:]
    return blocks


class Version:
    """One version's sections: their bytes, and their parsed nodes when asked for."""

    __slots__ = ("_nodes", "blocks", "data", "rel")

    def __init__(self, data: bytes, rel: str) -> None:
        self.data = data
        self.rel = rel
        self.blocks = split(data)
        self._nodes: dict[str, Node] | None = None if self.blocks is not None else self._parse_whole()

    def keys(self) -> list[str]:
        if self.blocks is not None:
            return list(self.blocks)
        return list(self._nodes or {})

    def node(self, key: str) -> Node | None:
        """The section's value as located nodes (None when absent or unreadable)."""
        if self._nodes is not None:
            return self._nodes.get(key)
        assert self.blocks is not None
        block = self.blocks.get(key)
        if block is None:
            return None
        got = _parse(block, self.rel)
        if got is None or list(got) != [key]:  # cut where the YAML is not: judge the file whole
            self.blocks = None
            self._nodes = self._parse_whole()
            return self._nodes.get(key)
        return got[key]

    def same(self, other: Version, key: str) -> bool:
        """Whether a section holds the same values in both versions (formatting and comments aside)."""
        if self.blocks is not None and other.blocks is not None:
            mine, theirs = self.blocks.get(key), other.blocks.get(key)
            if mine == theirs:
                return True
            if mine is None or theirs is None:
                return False
        return bool(plain(self.node(key)) == plain(other.node(key)))

    def _parse_whole(self) -> dict[str, Node]:
        return _parse(self.data, self.rel) or {}


def _parse(data: bytes, rel: str) -> dict[str, Node] | None:
    text, _ = decode(data, rel)
    if text is None:
        return None
    node, _ = parse(text, rel)
    return node.items if isinstance(node, Map) else None


def plain(node: Node | None) -> Any:
    """A node's values without positions: text, lists and dicts."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.text
    if isinstance(node, Seq):
        return [plain(item) for item in node.items]
    return {key: plain(value) for key, value in node.items.items()}


def section(key: str, node: Node) -> Map:
    """A one-key mapping holding `node`, to read one section with the check's converters."""
    return Map({key: node}, {key: (node.line, node.col)}, node.line, node.col)
