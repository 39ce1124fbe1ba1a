"""Located content problems: every message an author sees names file, line, column and key path."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Source:
    """A place in a content file: path relative to the content root, 1-based line/column."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about the content, in plain Chinese, at a place in a file.

    `key_path` is the author's own keys, e.g. ``资金安排.明细[2].金额``; empty for whole-file problems.
    """

    src: Source
    key_path: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.src}: {self.key_path}: " if self.key_path else f"{self.src}: "
        prefix = "警告：" if self.warning else ""
        return f"{where}{prefix}{self.message}"


class ContentError(Exception):
    """Raised by parsers of single values; caught by the validator and turned into a `Problem`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ContentErrors(Exception):
    """Raised when a content tree has errors; carries all of them, sorted by place."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} 处内容错误")
        self.problems = sorted(problems)
