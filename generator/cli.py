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


def _cmd_schema(args: argparse.Namespace) -> int:
    from .schema import write_schemas

    for path in write_schemas(Path(args.output)):
        log.info("已写入 %s", path)
    return 0


def _years(text: str) -> range:
    from .synth import parse_years

    try:
        return parse_years(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _cmd_synth(args: argparse.Namespace) -> int:
    from .synth import synthesize

    if args.n < 1:
        log.error("公开文本份数必须是正整数")
        return 2
    try:
        synthesize(args.n, Path(args.output), seed=args.seed, years=args.years)
    except FileExistsError:
        log.error("目标文件夹 %s 不是空的；请换一个文件夹或先清空它", args.output)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gongkai", description="预算公开网站生成工具")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="检查内容，一次列出全部问题")
    p.add_argument("path", nargs="?", default="content", help="内容文件夹（默认 content）")
    p.add_argument("--strict", action="store_true", help="警告也视为错误")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("schema", help="生成内容格式的 JSON Schema（供编辑器自动补全）")
    p.add_argument("-o", "--output", default="schema", help="输出文件夹（默认 schema）")
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser("synth", help="生成模拟内容（用于规模和性能测试）")
    p.add_argument("n", type=int, help="公开文本份数")
    p.add_argument("-o", "--output", required=True, help="输出文件夹（须不存在或为空）")
    p.add_argument("--seed", type=int, default=1, help="随机种子；相同份数和种子生成完全相同的文件（默认 1）")
    p.add_argument("--years", type=_years, default=range(2021, 2026), help="年度范围（默认 2021-2025）")
    p.set_defaults(func=_cmd_synth)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
