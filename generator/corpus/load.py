"""Stage 1: bytes → located YAML nodes.

One fast path for every file: ruamel.yaml's libyaml-backed parser emits events with
positions, and a small iterative composer here turns them into `Map`/`Seq`/`Scalar`
nodes that remember line and column. Every scalar stays text (no implicit typing:
`0871` stays `0871`, `2022-01-01` stays a string); the validator interprets each field.

Anything an author can type — bad encoding, a BOM, tabs, duplicate keys, anchors,
syntax errors, huge or deeply nested files — becomes a located `Problem`, never an
exception.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _ruamel_yaml import CParser  # libyaml-backed event parser shipped by ruamel.yaml.clib
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from generator.corpus.errors import Problem
from generator.corpus.model import Source

MAX_FILE_BYTES = 2 * 1024 * 1024  # a real disclosure is 5–50 KB
MAX_DEPTH = 32  # the format nests at most ~6 levels
MAX_NODES = 200_000


@dataclass(slots=True)
class Scalar:
    text: str | None  # None for an empty value / null
    line: int  # 1-based
    col: int  # 1-based
    quoted: bool = False


@dataclass(slots=True)
class Seq:
    items: list[Node]
    line: int
    col: int


@dataclass(slots=True)
class Map:
    items: dict[str, Node]
    keys: dict[str, tuple[int, int]]  # key → (line, col) of the key itself
    line: int
    col: int


Node = Scalar | Seq | Map

_NULLS = {"", "~", "null", "Null", "NULL"}

# libyaml's English problems → plain Chinese; the first match wins.
_YAML_PROBLEMS = [
    ("cannot start any token", "这里有不能出现的字符（常见原因：用了 Tab 缩进，或值以 @ ` 等符号开头，请加引号）"),
    ("mapping values are not allowed", "这里不能出现冒号“: ”（值里有冒号时，请给整个值加引号）"),
    ("could not find expected ':'", "缺少冒号“:”（每个键后面都要有冒号和空格）"),
    ("did not find expected key", "缩进不一致：同一层的键要对齐"),
    ("did not find expected '-'", "列表项缩进不一致：每项都以对齐的“- ”开头"),
    ("expected <block end>", "缩进不一致：同一层的键或列表项要对齐"),
    ("found unexpected end of stream", "文件意外结束（引号或括号没有配对）"),
    ("found undefined alias", "用了未定义的别名（*）；本格式不使用锚点和别名"),
    ("did not find expected node content", "这里缺少内容"),
    ("while scanning a quoted scalar", "引号没有配对"),
    ("while parsing a flow", "方括号或花括号没有配对"),
    ("found a tab character", "用了 Tab 缩进，请改用空格"),
    ("found character that cannot start any token", "这里有不能出现的字符"),
    ("expected <document start>", "这一行的位置不对：文件顶层只能是“键: 值”（检查缩进，或这一行前面是否多了文字）"),
    ("comment or line break", "值后面多出了文字：同一行只能再跟“ # 注释”（引号里的值结束后不能再写字）"),
    ("did not find expected ',' or ']'", "方括号列表 [ ] 的写法不对：各项之间用逗号分隔，最后以 ] 结束"),
    ("did not find expected ',' or '}'", "花括号 { } 的写法不对：各项之间用逗号分隔，最后以 } 结束"),
    ("alphabetic or numeric", "“&”“*”“!”后面缺少名称：值里有这些符号时，请给整个值加引号"),
    ("block sequence entries are not allowed", "这里不能开始一个列表项“- ”（检查缩进；值以 - 开头时请加引号）"),
    ("found unknown escape character", "双引号里的反斜杠“\\”后面不能跟这个字符（写成两个反斜杠，或改用单引号）"),
    ("did not find expected whitespace or line break", "符号后面缺少空格（值以 ! 或 % 开头时请加引号）"),
    ("found unexpected ':'", "这里不能出现冒号“:”（值里有冒号时，请给整个值加引号）"),
    ("directive", "以“%”开头的行是 YAML 指令，本格式不使用（值以 % 开头时请加引号）"),
    ("mapping keys are not allowed in this context", "这里不能出现“? ”（值以 ? 开头时请加引号）"),
    ("indentation indicator", "“|”或“>”后面的缩进数字写错了（只能是 1 到 9，或者不写）"),
    ("tag", "以“!”开头的是 YAML 标签，本格式不使用（值以 ! 开头时请加引号）"),
    ("document indicator", "值里出现了“---”或“...”（文档分隔符）：请给整个值加引号"),
]


def _chinese(problem: str) -> str:
    for needle, message in _YAML_PROBLEMS:
        if needle in problem:
            return message
    return f"YAML 格式错误（{problem}）"


def read_text(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """Read a content file as UTF-8 text, or explain (located) why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # rejected without reading it
            return None, [Problem(Source(rel, 1, 1), "", _too_big(size))]
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)  # bounded even where the size lies (devices, /proc)
    except OSError as exc:
        return None, [Problem(Source(rel, 1, 1), "", f"无法读取文件（{exc.strerror}）")]
    return decode(data, rel)


def _too_big(size: int) -> str:
    return f"文件过大（{size // 1024} KB），一个文件最多 {MAX_FILE_BYTES // 1024} KB，请拆分"


def decode(data: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    here = Source(rel, 1, 1)
    if len(data) > MAX_FILE_BYTES:
        return None, [Problem(here, "", _too_big(len(data)))]
    if data.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(here, "", "文件开头有 BOM 标记，请另存为“UTF-8（无 BOM）”")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        col = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1  # in characters
        hint = "，看起来是 GBK/GB18030 编码" if _looks_gbk(data) else ""
        return None, [Problem(Source(rel, line, col), "", f"文件不是 UTF-8 编码{hint}，请另存为 UTF-8")]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [Problem(Source(rel, line, 1), "", "文件中有空字符（\\0），不是文本文件")]
    control = _CONTROL.search(text)
    if control is not None:  # libyaml refuses these; said here with where and which
        at = control.start()
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        code = f"U+{ord(control.group()):04X}"
        message = f"文件中有看不见的控制字符（{code}），常见于从其他软件复制来的文字，请删除它"
        return None, [Problem(Source(rel, line, col), "", message)]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [Problem(here, "", "文件是空的")]
    return text, _tab_problems(text, rel)


def _looks_gbk(data: bytes) -> bool:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


# What YAML does not allow in a file (YAML 1.1 §5.1: printable characters, tab, line breaks, NEL).
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


def _tab_problems(text: str, rel: str) -> list[Problem]:
    """Tabs in indentation are invisible mistakes; name each line (at most five)."""
    found = []
    for m in _TAB_INDENT.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.end() - m.start()
        found.append(Problem(Source(rel, line, col), "", "用了 Tab 缩进，请改用空格"))
        if len(found) == 5:
            break
    return found


def parse(text: str, rel: str) -> tuple[Node | None, list[Problem]]:
    """Compose the single YAML document in `text` into located nodes."""
    parser = CParser(io.StringIO(text))
    try:
        return _compose(parser, rel)
    except _Abort as abort:
        return None, [abort.problem]
    except Exception as exc:  # libyaml reports syntax errors as MarkedYAMLError subclasses
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        problem = str(getattr(exc, "problem", None) or exc)
        return None, [Problem(Source(rel, line, col), "", _chinese(problem))]


class _Abort(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


_ALIAS_MESSAGE = "本格式不使用锚点（&）和别名（*），请把内容直接写出"


def _compose(parser: Any, rel: str) -> tuple[Node | None, list[Problem]]:
    """Build nodes from parser events with an explicit stack (no recursion, bounded depth)."""
    problems: list[Problem] = []
    stack: list[Map | Seq] = []
    pending: list[Scalar | None] = []  # per open container: a Map's key waiting for its value
    root: Node | None = None
    documents = count = 0
    while True:
        event = parser.get_event()
        cls = type(event)
        if cls is ScalarEvent or cls is MappingStartEvent or cls is SequenceStartEvent:
            count += 1
            node = _node(event, cls, rel, len(stack), count)
            if stack:
                _attach(stack[-1], pending, node, rel, problems)
            else:
                root = node
            if cls is not ScalarEvent:
                stack.append(node)  # type: ignore[arg-type]
                pending.append(None)
        elif cls is MappingEndEvent or cls is SequenceEndEvent:
            stack.pop()
            pending.pop()
        elif cls is AliasEvent:
            raise _abort(rel, event.start_mark, _ALIAS_MESSAGE)
        elif cls is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _abort(rel, event.start_mark, "一个文件只能有一份内容（删去多余的“---”）")
        elif cls is StreamEndEvent:
            break
    return root, problems


def _abort(rel: str, mark: Any, message: str) -> _Abort:
    return _Abort(Problem(Source(rel, mark.line + 1, mark.column + 1), "", message))


def _node(event: Any, cls: type, rel: str, depth: int, count: int) -> Node:
    """The node a scalar or collection-start event opens; anchors, depth and size bounded."""
    mark = event.start_mark
    if event.anchor is not None:
        raise _abort(rel, mark, _ALIAS_MESSAGE)
    line, col = mark.line + 1, mark.column + 1
    if cls is ScalarEvent:
        value = event.value
        quoted = bool(event.style)
        return Scalar(None if (not quoted and value in _NULLS) else value, line, col, quoted)
    if depth >= MAX_DEPTH:
        raise _abort(rel, mark, f"嵌套层级过深（超过 {MAX_DEPTH} 层）")
    if count > MAX_NODES:
        raise _abort(rel, mark, "内容条目过多，文件异常")
    return Map({}, {}, line, col) if cls is MappingStartEvent else Seq([], line, col)


def _attach(parent: Map | Seq, pending: list[Scalar | None], node: Node, rel: str, problems: list[Problem]) -> None:
    """Put `node` into its parent: a list item, a map's key, or the value of the key before it."""
    if type(parent) is Seq:
        parent.items.append(node)
        return
    key = pending[-1]
    if key is None:
        if type(node) is not Scalar:
            raise _Abort(Problem(Source(rel, node.line, node.col), "", "键必须是简单文字"))
        pending[-1] = node
        return
    pending[-1] = None
    name = key.text or ""
    if name in parent.items:
        first = parent.keys[name][0]  # type: ignore[union-attr]
        message = f"键“{name}”重复（第 {first} 行已经写过）"
        problems.append(Problem(Source(rel, key.line, key.col), name, message))
    else:
        parent.items[name] = node  # type: ignore[call-overload]
        parent.keys[name] = (key.line, key.col)  # type: ignore[union-attr]


def load_file(path: Path, rel: str) -> tuple[Node | None, list[Problem]]:
    """Read and parse one content file; on any problem the node is None or partial."""
    text, problems = read_text(path, rel)
    if text is None or problems:
        return None, problems
    node, problems = parse(text, rel)
    if node is None and not problems:
        problems = [Problem(Source(rel, 1, 1), "", "文件是空的")]
    return node, problems
