"""`gongkai export`: check the content, then write the whole data set in one format."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from generator.commands.check import report
from generator.corpus.validate import check_tree
from generator.data.export import export_bytes
from generator.data.tables import DISCLOSURES, TABLE_ALIASES, TABLES
from generator.data.xlsx import parse_epoch

log = logging.getLogger(__name__)


def run_export(content: Path, fmt: str, output: Path | None, table: str = DISCLOSURES.title, full: bool = False) -> int:
    """`gongkai export`: check the content, then write the data set to `output` (or standard output)."""
    chosen = TABLE_ALIASES.get(table)
    if chosen is None:
        log.error("没有“%s”这张表；可选：%s", table, "、".join(t.title for t in TABLES))
        return 2
    if fmt == "xlsx" and output is None:
        log.error("XLSX 是二进制文件，请用 -o 指定输出文件，如 -o 数据.xlsx")
        return 2
    result = check_tree(content)
    if result.errors or result.corpus is None:
        report(result, strict=False, out=sys.stderr)
        return 1
    data = export_bytes(result.corpus, fmt, chosen, full, epoch=parse_epoch(os.environ.get("SOURCE_DATE_EPOCH")))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)
        what = chosen.title if fmt == "csv" else "全部表"
        log.info("已导出 %d 份公开文本（%s，%s）到 %s", len(result.corpus.disclosures), fmt.upper(), what, output)
    return 0
