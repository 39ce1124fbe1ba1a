"""The `gongkai` command: parses arguments and calls the pipeline. Nothing else lives here."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger("gongkai")


def _cmd_check(args: argparse.Namespace) -> int:
    from generator.commands.check import run_check

    return run_check(Path(args.path), strict=args.strict, history=not args.no_history)


def _cmd_schema(args: argparse.Namespace) -> int:
    from generator.corpus.schema import write_schemas

    for path in write_schemas(Path(args.output)):
        log.info("已写入 %s", path)
    return 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"“{text}”不是正整数")
    return int(text)


def _cmd_build(args: argparse.Namespace) -> int:
    from generator.commands.build import build_site

    site_dir = Path(args.site_dir) if args.site_dir else None
    cache_dir = Path(args.cache_dir) if args.cache_dir else None
    return build_site(
        Path(args.config_file),
        site_dir,
        part_spec=args.part,
        parts=args.parts,
        cache_dir=cache_dir,
        no_cache=args.no_cache,
    )


def _cmd_merge(args: argparse.Namespace) -> int:
    from generator.commands.build import merge_sites

    return merge_sites([Path(p) for p in args.parts], Path(args.site_dir))


def _cmd_serve(args: argparse.Namespace) -> int:
    from generator.commands.build import serve_site

    return serve_site(Path(args.config_file), args.dev_addr)


def _cmd_export(args: argparse.Namespace) -> int:
    from generator.commands.export import run_export

    output = Path(args.output) if args.output else None
    return run_export(Path(args.path), args.format, output, table=args.table, full=args.full)


def _cmd_new(args: argparse.Namespace) -> int:
    from generator.commands.new import run_new

    output = Path(args.output) if args.output else None
    return run_new(args.kind, args.unit, args.year, args.name, args.region, Path(args.content), output, args.force)


def _cmd_init(args: argparse.Namespace) -> int:
    from generator.commands.init import run_init

    return run_init(Path(args.folder), args.name)


def _cmd_import(args: argparse.Namespace) -> int:
    from generator.importer.command import run_import

    content = Path(args.content) if args.content else None
    return run_import([Path(f) for f in args.files], Path(args.output), unit=args.unit, year=args.year, content=content)


def build_parser() -> argparse.ArgumentParser:
    from generator import __version__
    from generator.corpus.version import FORMAT_VERSION

    parser = argparse.ArgumentParser(prog="gongkai", description="预算公开网站生成工具")
    parser.add_argument(
        "--version", action="version", version=f"gongkai {__version__}（内容格式版本 {FORMAT_VERSION}）"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _content_commands(sub)
    _site_commands(sub)
    _data_commands(sub)
    return parser


def _content_commands(sub: Any) -> None:
    """Setting up and checking the content: init, check, schema."""
    p = sub.add_parser("init", help="新建一个网站仓库（内容、设置、CI），生成后即可 gongkai build")
    p.add_argument("folder", help="新网站的文件夹（不存在或为空）")
    p.add_argument("-n", "--name", default=None, help="网站名称（默认取文件夹名，以后在 content/site.yml 中修改）")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser("check", help="检查内容，一次列出全部问题")
    p.add_argument("path", nargs="?", default="content", help="内容文件夹（默认 content）")
    p.add_argument("--strict", action="store_true", help="警告也视为错误")
    p.add_argument("--no-history", action="store_true", help="不读取内容的 git 历史（不检查旧网址是否被新内容占用）")
    p.set_defaults(func=_cmd_check)

    p = sub.add_parser("schema", help="生成内容格式的 JSON Schema（供编辑器自动补全）")
    p.add_argument("-o", "--output", default="schema", help="输出文件夹（默认 schema）")
    p.set_defaults(func=_cmd_schema)


def _site_commands(sub: Any) -> None:
    """Building and previewing the site: build, merge, serve."""
    p = sub.add_parser("build", help="检查内容并生成网站（默认输出到 site/）")
    p.add_argument("-f", "--config-file", default="mkdocs.yml", help="MkDocs 配置文件（默认 mkdocs.yml）")
    p.add_argument("-d", "--site-dir", default=None, help="输出文件夹（默认取配置中的 site_dir，即 site）")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--part", default=None, help="只生成一个分片，如 1/2（各分片生成后用 gongkai merge 合并）")
    how.add_argument(
        "--parts",
        type=_positive,
        default=None,
        help="分成几片同时生成再合并；默认：2,000 份以上且有两个以上处理器核时分 2 片，否则 1 片",
    )
    cache = p.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache-dir",
        default=None,
        help="构建缓存文件夹（默认 mkdocs.yml 旁的 .cache/gongkai/；只重新生成改动过的部分）",
    )
    cache.add_argument("--no-cache", action="store_true", help="不读也不写构建缓存，从头生成")
    p.set_defaults(func=_cmd_build)

    p = sub.add_parser("merge", help="把分片生成的网站合并成一个网站（搜索索引一并合并）")
    p.add_argument("parts", nargs="+", help="各分片的输出文件夹")
    p.add_argument("-d", "--site-dir", default="site", help="合并后的网站文件夹（默认 site）")
    p.set_defaults(func=_cmd_merge)

    p = sub.add_parser("serve", help="本地预览网站，保存 YAML 后自动刷新")
    p.add_argument("-f", "--config-file", default="mkdocs.yml", help="MkDocs 配置文件（默认 mkdocs.yml）")
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）")
    p.set_defaults(func=_cmd_serve)


def _data_commands(sub: Any) -> None:
    """Data out and drafts in: export, new, import."""
    p = sub.add_parser("export", help="导出全部数据（JSON、CSV 或 XLSX），金额为精确到分的元")
    p.add_argument("path", nargs="?", default="content", help="内容文件夹（默认 content）")
    p.add_argument("--format", choices=("json", "csv", "xlsx"), default="json", help="格式（默认 json）")
    tables = "公开文本（默认）、资金明细、绩效指标 或 完成情况"
    p.add_argument("--table", default="公开文本", help=f"CSV 导出哪张表：{tables}")
    p.add_argument("--full", action="store_true", help="JSON 中带上正文（立项依据、报告正文等）")
    p.add_argument("-o", "--output", default=None, help="输出文件（默认写到屏幕/标准输出；XLSX 必须指定）")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("new", help="新建一份公开文本或单位档案的模板，每个键都有填写说明")
    p.add_argument("kind", help="项目文本、绩效目标表、整体绩效自评报告（可写 自评报告），或 单位（新建单位档案）")
    p.add_argument("-u", "--unit", default=None, help="单位名称，如 盘龙区信访局")
    p.add_argument("-y", "--year", type=int, default=None, help="预算年度，如 2023")
    p.add_argument("-n", "--name", default=None, help="项目名称（可选，也用于文件名）")
    p.add_argument("--region", default=None, help="新建单位档案时：所在地区，如 云南省/昆明市/盘龙区")
    p.add_argument("--content", default="content", help="内容文件夹（默认 content）")
    p.add_argument("-o", "--output", default=None, help="输出文件（默认按 年度/单位/项目 放进内容文件夹）")
    p.add_argument("--force", action="store_true", help="文件已存在时覆盖")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser("import", help="把已有的公开文本转成 YAML 草稿，拿不准的值标“# 待核对”")
    p.add_argument("files", nargs="+", help="要导入的文件或文件夹（.txt .docx .xlsx .pdf .html）")
    p.add_argument("-o", "--output", default=".", help="草稿写到哪个文件夹（默认当前文件夹）；已有的文件不会被覆盖")
    p.add_argument("--unit", default=None, help="单位名称（不写则从原文推测，并与单位档案对照）")
    p.add_argument("--year", type=int, default=None, help="预算年度（不写则从原文推测）")
    p.add_argument("--content", default=None, help="内容文件夹，用其中的单位档案对照单位名称（默认 content）")
    p.set_defaults(func=_cmd_import)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
