"""`python -m benchmarks.synth N -o DIR`: write N synthetic disclosures (for benchmarks and scale tests)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks.synth import parse_years, synthesize
from benchmarks.synth.results import SHARE_RESULTS

log = logging.getLogger("benchmarks.synth")


def _years(text: str) -> range:
    try:
        return parse_years(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    p = argparse.ArgumentParser(prog="python -m benchmarks.synth", description="生成模拟内容（用于规模和性能测试）")
    p.add_argument("n", type=int, help="公开文本份数")
    p.add_argument("-o", "--output", required=True, help="输出文件夹（须不存在或为空）")
    p.add_argument("--seed", type=int, default=1, help="随机种子；相同份数和种子生成完全相同的文件（默认 1）")
    p.add_argument("--years", type=_years, default=range(2021, 2026), help="年度范围（默认 2021-2025）")
    p.add_argument(
        "--results",
        type=float,
        default=SHARE_RESULTS,
        help=f"为多大比例的绩效目标表另外生成项目支出绩效自评表（0–1，默认 {SHARE_RESULTS}；0 则不生成，其他文件不变）",
    )
    args = p.parse_args(argv)
    if args.n < 1:
        log.error("公开文本份数必须是正整数")
        return 2
    try:
        synthesize(args.n, Path(args.output), seed=args.seed, years=args.years, results=args.results)
    except FileExistsError:
        log.error("目标文件夹 %s 不是空的；请换一个文件夹或先清空它", args.output)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
