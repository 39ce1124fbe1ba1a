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

from generator.corpus import fields as F
from generator.corpus.convert import Reader
from generator.corpus.load import _NULLS, Map, Node, Scalar, Seq, decode, parse

# A line that starts at column 0 and is not blank or a comment: found by the newline before it
# (a search for one byte, then a look at the next), not by trying `^` at every position.
_TOP_START = re.compile(rb"\n(?=[^ \t\r\n#])")
_NOT_TOP = frozenset(b" \t\r\n#")
# A top-level key line: a plain key at column 0, a colon, then a space or the end of the line.
_KEY_LINE = re.compile(rb"([^\s#\-?:,\[\]{}&*!|>'\"%@`][^:\n]*?)[ \t]*:(?:[ \t]|\r?$)")


def _top_starts(data: bytes) -> list[int]:
    """Where the lines that start at column 0 (not blank, not a comment) begin."""
    starts = [m.end() for m in _TOP_START.finditer(data)]
    if data and data[0] not in _NOT_TOP:
        starts.insert(0, 0)
    return starts


def split(data: bytes) -> dict[str, bytes] | None:
    """{top-level key: the bytes of its section}, or None when the file is not plainly cut."""
    if data.startswith(b"\xef\xbb\xbf"):
        return None
    blocks: dict[str, bytes] = {}
    key: str | None = None
    start = 0
    for at in _top_starts(data):
        end = data.find(b"\n", at)
        text = data[at:end] if end >= 0 else data[at:]
        if text.startswith(b"-"):
            if key is None or text.startswith((b"---", b"...")):
                return None  # a document marker, or a list at the top
            continue  # a list item of the open section
        m = _KEY_LINE.match(text)
        if m is None:
            return None
        if key is not None:
            blocks[key] = data[start:at]
        try:
            key = m[1].decode("utf-8")
        except UnicodeDecodeError:
            return None
        if key in blocks:
            return None  # a repeated key: the whole-file parse reports it like the check
        start = at
    if key is None:
        return None
    blocks[key] = data[start:]
    return blocks


class Version:
    """One version's sections: their bytes, and their parsed nodes and converted values when asked for.

    Each section is parsed and converted at most once per version, and a section whose bytes are
    those of the version before (`previous`) takes its nodes from it (and its values, at the same
    path: values carry their file). When a cut turns out not to be YAML's, everything read from
    sections is dropped and the file is judged whole, exactly as without the memos.
    """

    __slots__ = ("_nodes", "_parsed", "_values", "blocks", "data", "rel")

    def __init__(self, data: bytes, rel: str, previous: Version | None = None) -> None:
        self.data = data
        self.rel = rel
        self.blocks = split(data)
        self._parsed: dict[str, Node] = {}  # section key → its node, parsed from the section's bytes alone
        self._values: dict[tuple[str, int], Any] = {}  # (key, id(field)) → the converted value
        self._nodes: dict[str, Node] | None = None if self.blocks is not None else self._parse_whole()
        if previous is not None and self.blocks is not None and previous.blocks is not None:
            self._inherit(previous)

    def _inherit(self, previous: Version) -> None:
        assert self.blocks is not None and previous.blocks is not None
        blocks, before = self.blocks, previous.blocks
        same_file = previous.rel == self.rel
        for key, node in previous._parsed.items():
            if blocks.get(key) == before[key]:
                self._parsed[key] = node
        if same_file:
            for memo, value in previous._values.items():
                if memo[0] in self._parsed:
                    self._values[memo] = value

    def keys(self) -> list[str]:
        if self.blocks is not None:
            return list(self.blocks)
        return list(self._nodes or {})

    def node(self, key: str) -> Node | None:
        """The section's value as located nodes (None when absent or unreadable)."""
        if self._nodes is not None:
            return self._nodes.get(key)
        assert self.blocks is not None
        found = self._parsed.get(key)
        if found is not None:
            return found
        block = self.blocks.get(key)
        if block is None:
            return None
        simple = _simple(key, block)
        if simple is not None:
            self._parsed[key] = simple
            return simple
        got = _parse(block, self.rel)
        if got is None or list(got) != [key]:  # cut where the YAML is not: judge the file whole
            self.blocks = None
            self._parsed.clear()
            self._values.clear()
            self._nodes = self._parse_whole()
            return self._nodes.get(key)
        self._parsed[key] = got[key]
        return got[key]

    def value(self, key: str, field: F.Field | None) -> Any:
        """One section's value converted as the check converts it (None when absent, invalid or undeclared)."""
        memo = (key, id(field))
        if memo in self._values:
            return self._values[memo]
        node = self.node(key)  # first, as before: reading may find the cut wrong and judge the file whole
        value = None
        if node is not None and field is not None:
            value = Reader(self.rel).read_map(section(key, node), (field,), "").get(key)
        self._values[memo] = value
        return value

    def same(self, other: Version, key: str) -> bool:
        """Whether a section holds the same values in both versions (formatting and comments aside)."""
        if self.blocks is not None and other.blocks is not None:
            mine, theirs = self.blocks.get(key), other.blocks.get(key)
            if mine == theirs:
                return True
            if mine is None or theirs is None:
                return False
        return same_values(self.node(key), other.node(key))

    def _parse_whole(self) -> dict[str, Node]:
        return _parse(self.data, self.rel) or {}


def _parse(data: bytes, rel: str) -> dict[str, Node] | None:
    text, _ = decode(data, rel)
    if text is None:
        return None
    node, _ = parse(text, rel)
    return node.items if isinstance(node, Map) else None


# `key: value` on one line, the value a plain scalar of letters, digits, CJK and - . _ / ( ): what
# libyaml would make of it is known without running it (names, 年度, 类型 — most sections are these).
_SIMPLE_VALUE = re.compile(
    "[0-9A-Za-z\u00a0-\u2027\u202a-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    "[0-9A-Za-z._\\-()/\u00a0-\u2027\u202a-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
)


def _simple(key: str, block: bytes) -> Scalar | None:
    """The node of a one-line section `key: value` of a plain value, as the parser would give it."""
    if not block.endswith(b"\n") or block.count(b"\n") != 1:
        return None
    try:
        line = block.decode("utf-8")
    except UnicodeDecodeError:
        return None
    head = len(key) + 2
    if (
        not line.startswith(key)
        or line[len(key) : head] != ": "
        or not _SIMPLE_VALUE.fullmatch(line, head, len(line) - 1)
    ):
        return None
    value = line[head:-1]
    return Scalar(None if value in _NULLS else value, 1, head + 1)


def same_values(a: Node | None, b: Node | None) -> bool:
    """`plain(a) == plain(b)` without building either: the same values, positions aside."""
    if a is None or type(a) is Scalar:
        text = a.text if a is not None else None
        if b is None or type(b) is Scalar:
            return text == (b.text if b is not None else None)
        return False
    if b is None or type(a) is not type(b):
        return False
    if type(a) is Seq:
        assert type(b) is Seq
        return len(a.items) == len(b.items) and all(same_values(x, y) for x, y in zip(a.items, b.items, strict=True))
    assert type(a) is Map and type(b) is Map
    return a.items.keys() == b.items.keys() and all(same_values(v, b.items[k]) for k, v in a.items.items())


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
