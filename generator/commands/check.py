"""`gongkai check`: validate a content folder, print every problem, then a one-line summary."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from generator.corpus.errors import ContentInvalid
from generator.corpus.model import Corpus, Kind
from generator.corpus.money import yuan_text
from generator.corpus.validate import CheckResult, check_tree
from generator.history import read_history
from generator.history.addresses import redirects
from generator.site.summaries import summarize


def summary(corpus: Corpus) -> str:
    """`4 个单位，6 份公开文本（项目文本 4、…），项目预算合计 …元，自评报告支出合计 …元`.

    The totals are the site's own (summaries.py): a project disclosed both as 项目文本 and as
    绩效目标表 counts once, and self-evaluation spending is never added to project budgets.
    """
    counts = Counter(d.kind for d in corpus.disclosures)
    figures = summarize(corpus).figures
    kinds = "、".join(f"{k.value} {counts[k]}" for k in Kind if counts[k])
    line = f"{len(corpus.units)} 个单位，{len(corpus.disclosures)} 份公开文本（{kinds}）"
    line += f"，项目预算合计 {yuan_text(figures.project_budget or Decimal(0))} 元"
    if figures.spending is not None:
        line += f"，自评报告支出合计 {yuan_text(figures.spending)} 元"
    return line


def checked_corpus(result: CheckResult, strict: bool = False) -> Corpus:
    """The corpus of a check that passed; `ContentInvalid` with every problem otherwise."""
    if result.corpus is None or result.errors or (strict and result.warnings):
        raise ContentInvalid(result.errors, result.warnings, result.files, strict)
    return result.corpus


def report(result: CheckResult, strict: bool, out: TextIO) -> int:
    """Print problems and the summary; return the exit code."""
    try:
        corpus = checked_corpus(result, strict)
    except ContentInvalid as exc:
        out.write(f"{exc}\n")
        return exc.exit_code
    for problem in result.warnings:
        out.write(f"{problem}\n")
    warn = f"，{len(result.warnings)} 条警告" if result.warnings else ""
    out.write(f"检查通过：{summary(corpus)}{warn}。\n")
    return 0


def with_history(result: CheckResult, root: Path) -> CheckResult:
    """The check's result with what the content's git history adds: a warning, located at the page,
    for each old address now taken by another page (history/addresses.py); unchanged without a
    history or when the check failed (the build says once what it could not do without one)."""
    if result.corpus is None or result.errors:
        return result
    history = read_history(root)
    if not history.available:
        return result
    reused = redirects(result.corpus, history).reused
    return replace(result, warnings=sorted([*result.warnings, *reused])) if reused else result


def run_check(root: Path, strict: bool = False, out: TextIO | None = None, history: bool = True) -> int:
    """`gongkai check`; `history=False` (`--no-history`) judges the files alone, without their git history."""
    result = check_tree(root)
    if history:
        result = with_history(result, root)
    return report(result, strict, out if out is not None else sys.stdout)
