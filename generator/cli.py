"""The `gongkai` command: parses arguments and calls the pipeline. Nothing else lives here."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger("gongkai")


def _cmd_check(args: argparse.Namespace) -> int:
    from .check import run_check

    return run_check(Path(args.path), strict=args.strict)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="预算公开网站生成工具")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="检查内容，一次列出全部问题")
    p.add_argument("path", nargs="?", default="content", help="内容文件夹（默认 content）")
    p.add_argument("--strict", action="store_true", help="警告也视为错误")
    p.set_defaults(func=_cmd_check)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
