"""`gongkai import FILE [-o DIR]`: write the drafts and tell the author what to check.

Files are never overwritten: `2022-xiangmu-1.yml` becomes `2022-xiangmu-2.yml` when
the first exists. The exit code is 0 when drafts were written (even with 未识别
text, which the report lists), 1 when the file could not be read at all.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TextIO

from generator.importer import import_lines
from generator.importer.draft import Draft, to_yaml
from generator.importer.read import ReadError, read_lines

log = logging.getLogger(__name__)


def run_import(src: Path, out_dir: Path, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        lines = read_lines(src)
    except ReadError as exc:
        out.write(f"导入失败：{src}：{exc.message}\n")
        return 1
    if not any(not ln.blank for ln in lines):
        out.write(f"导入失败：{src}：文件里没有文字。\n")
        return 1
    drafts = import_lines(lines, src.name)
    try:
        written = _write_all(drafts, out_dir)
    except OSError as exc:
        out.write(f"导入失败：无法写入 {out_dir}：{exc.strerror or exc}\n")
        return 1
    for draft, path in written:
        out.write(report(draft, path))
    unplaced = sum(len(d.unplaced) for d, _ in written)
    out.write(f"共写入 {len(written)} 个草稿文件" + (f"，{unplaced} 段文字未识别。\n" if unplaced else "。\n"))
    if unplaced:
        out.write("“未识别”不是内容格式中的键：把这些文字移到正确的键下并删去“未识别”之前，gongkai check 会报错。\n")
    return 0


def _write_all(drafts: list[Draft], out_dir: Path) -> list[tuple[Draft, Path]]:
    written: list[tuple[Draft, Path]] = []
    for draft in drafts:
        written.append((draft, _write(draft, out_dir, _name(draft))))
        for companion in draft.companions:
            name = companion.filename or "units/danwei.yml"
            written.append((companion, _write(companion, out_dir, name)))
    return written


def _name(draft: Draft) -> str:
    year = draft.data.get("年度")
    prefix = year if isinstance(year, str) and year.isdigit() else "weizhi"
    slug = draft.kind.slug if draft.kind is not None and draft.recognized else "weishibie"
    return f"{prefix}-{slug}.yml"


def _write(draft: Draft, out_dir: Path, name: str) -> Path:
    """Write under a name not taken yet: `a-1.yml`, `a-2.yml`, …"""
    base = out_dir / name
    base.parent.mkdir(parents=True, exist_ok=True)
    text = to_yaml(draft)
    n = 1
    while True:
        path = base.with_name(f"{base.stem}-{n}{base.suffix}")
        try:
            with path.open("x", encoding="utf-8") as f:
                f.write(text)
            return path
        except FileExistsError:
            n += 1


def report(draft: Draft, path: Path) -> str:
    """What the author reads for one file: its name, what to check, what could not be placed."""
    lines = [f"已写入 {path}（{draft.label}）\n"]
    if draft.doubts:
        lines.append(f"  待核对 {len(draft.doubts)} 处（见文件中的“# 待核对”注释）\n")
    if draft.unplaced:
        lines.append(f"  未识别 {len(draft.unplaced)} 段，已放在“未识别”键下：\n")
        for chunk in draft.unplaced:
            first = chunk.text.split("\n", 1)[0]
            preview = first if len(first) <= 40 else first[:40] + "…"
            lines.append(f"    {chunk.where}：{preview}\n")
    return "".join(lines)
