"""Located content problems, and the one hierarchy of errors a `gongkai` command stops on.

Every message an author sees names file, line, column and key path (`Problem`). A command
stops on a `GongkaiError`: its text is plain Chinese for the person at the terminal, its
`exit_code` is what the command returns (as mkdocs' exceptions.py carries them):

    GongkaiError (1)
    ├── ContentInvalid (1)    the content has errors (every Problem, all at once)
    ├── UsageError (2)        the command line asks for something impossible (a part spec …)
    └── BuildError (1)        building or publishing failed; the published site is untouched
        (search.parts.SearchIndexError, publish.swap.PublishError, publish.merge.MergeError)

`publish.swap.Interrupted` (a handled signal, exit 128+n) is deliberately a BaseException,
so that no `except Exception` in MkDocs or a plugin swallows it.
"""

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


class GongkaiError(Exception):
    """An error that stops a command: a plain-Chinese message and the command's exit code."""

    exit_code = 1


class ContentInvalid(GongkaiError):
    """The content has errors (or, checked strictly, warnings): every problem, sorted by place."""

    def __init__(self, errors: list[Problem], warnings: list[Problem], files: int, strict: bool = False) -> None:
        self.errors = sorted(errors)
        self.warnings = sorted(warnings)
        parts = [f"{len(self.errors)} 个错误"]
        if self.warnings:
            parts.append(f"{len(self.warnings)} 条警告" + ("（--strict：警告视为错误）" if strict else ""))
        lines = [str(p) for p in self.errors + self.warnings]
        lines.append(f"检查未通过：{'，'.join(parts)}，共检查 {files} 个文件。")
        super().__init__("\n".join(lines))


class UsageError(GongkaiError):
    """The command was asked for something it cannot do (a bad part spec, a missing plugin)."""

    exit_code = 2


class BuildError(GongkaiError):
    """Building or publishing the site failed; the site that was published before is untouched."""
