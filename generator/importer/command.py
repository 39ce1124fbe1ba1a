"""`gongkai import FILE|FOLDER … [-o DIR] [--unit 单位] [--year 年度]`: write drafts, report.

Each file is read, imported and written on its own: one that cannot be read is
reported and the others are still imported. Files are never overwritten:
`2022-xiangmu-1.yml` becomes `2022-xiangmu-2.yml` when the first exists. Each file's
report ends with one summary line (`已归位 96%，未识别 3 段，待核对 5 处`). The exit
code is 0 when every file gave drafts (even with 未识别 text, which the report lists),
1 when any file could not be read at all.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from generator.importer import Options, import_document
from generator.importer.coverage import placed_share
from generator.importer.draft import Draft, to_yaml
from generator.importer.read import SUFFIXES, ReadError, read_document
from generator.importer.units import UnitIndex

log = logging.getLogger(__name__)


def run_import(
    src: Path | Sequence[Path],
    out_dir: Path,
    out: TextIO | None = None,
    unit: str | None = None,
    year: str | int | None = None,
    content: Path | None = None,
) -> int:
    out = out or sys.stdout
    files, missing = _files([src] if isinstance(src, Path) else list(src))
    units_dir = _units_dir(content, out_dir)
    options = Options(unit, str(year) if year is not None else None, UnitIndex.load(units_dir) if units_dir else None)
    failed = len(missing)
    for path in missing:
        out.write(f"导入失败：{path}：没有这个文件或文件夹。\n")
    if not files and not missing:
        out.write("导入失败：文件夹里没有可导入的文件（.txt .docx .xlsx .pdf .html）。\n")
        return 1
    for path in files:
        failed += _import_file(path, out_dir, out, options, several=len(files) > 1)
    if len(files) > 1:
        out.write(f"共导入 {len(files) - failed} 个文件" + (f"，{failed} 个失败。\n" if failed else "。\n"))
    return 1 if failed else 0


def _files(paths: Sequence[Path]) -> tuple[list[Path], list[Path]]:
    """The files to import (a folder's supported files, sorted) and the paths that do not exist."""
    files: list[Path] = []
    missing: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.exists():
            files.append(path)
        else:
            missing.append(path)
    return files, missing


def _units_dir(content: Path | None, out_dir: Path) -> Path | None:
    """`<content>/units`, else the units folder of the content tree the drafts are written into."""
    if content is not None:
        return content / "units" if (content / "units").is_dir() else None
    for folder in (Path("content"), *out_dir.resolve().parents):
        if (folder / "units").is_dir() and (folder / "site.yml").is_file():
            return folder / "units"
    return None


def _import_file(src: Path, out_dir: Path, out: TextIO, options: Options, several: bool) -> int:
    """Import one file; 1 when it failed."""
    try:
        document = read_document(src)
    except ReadError as exc:
        out.write(f"导入失败：{src}：{exc.message}\n")
        return 1
    if not any(not ln.blank for ln in document.lines):
        out.write(f"导入失败：{src}：文件里没有文字。\n")
        return 1
    drafts = import_document(document, src.name, options)
    try:
        written = _write_all(drafts, out_dir)
    except OSError as exc:
        out.write(f"导入失败：无法写入 {out_dir}：{exc.strerror or exc}\n")
        return 1
    for draft, path in written:
        out.write(report(draft, path))
    out.write(summary(src if several else None, document.lines, drafts, len(written)))
    return 0


def summary(src: Path | None, lines: Sequence[object], drafts: Sequence[Draft], files: int) -> str:
    """`导入 a.pdf：写入 2 个草稿，已归位 96%，未识别 3 段，待核对 5 处。` and the 未识别 reminder."""
    from generator.importer.read import Line

    share = placed_share([ln for ln in lines if isinstance(ln, Line)], drafts)
    unplaced = sum(len(d.unplaced) for d in drafts)
    doubts = sum(len(d.doubts) for d in [*drafts, *(c for d in drafts for c in d.companions)])
    head = f"导入 {src}：" if src is not None else ""
    text = f"{head}共写入 {files} 个草稿文件，已归位 {int(share * 100)}%，未识别 {unplaced} 段，待核对 {doubts} 处。\n"
    if unplaced:
        text += "“未识别”不是内容格式中的键：把这些文字移到正确的键下并删去“未识别”之前，gongkai check 会报错。\n"
    return text


def draft_names(drafts: Sequence[Draft]) -> list[tuple[Draft, str]]:
    """Each draft and its companions (unit profiles) with the file name it is written under."""
    out: list[tuple[Draft, str]] = []
    for draft in drafts:
        out.append((draft, _name(draft)))
        out.extend((c, c.filename or "units/danwei.yml") for c in draft.companions)
    return out


def _write_all(drafts: list[Draft], out_dir: Path) -> list[tuple[Draft, Path]]:
    return [(draft, _write(draft, out_dir, name)) for draft, name in draft_names(drafts)]


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
    """What the author reads for one draft: its name, what to check, what could not be placed."""
    lines = [f"已写入 {path}（{draft.label}）\n"]
    if draft.guessed_kind:
        lines.append(f"  类型“{draft.kind.value if draft.kind else ''}”是推测的，请核对\n")
    if draft.doubts:
        lines.append(f"  待核对 {len(draft.doubts)} 处（见文件中的“# 待核对”注释）\n")
    if draft.unplaced:
        lines.append(f"  未识别 {len(draft.unplaced)} 段，已放在“未识别”键下：\n")
        for chunk in draft.unplaced:
            first = chunk.text.split("\n", 1)[0]
            preview = first if len(first) <= 40 else first[:40] + "…"
            lines.append(f"    {chunk.where}：{preview}\n")
    chrome = [n for n in draft.notes if n.startswith("  ")]
    if chrome:
        lines.append(f"  未导入的网页或版面文字 {len(chrome)} 处（已列在文件开头的注释里）：\n")
        lines.extend(f"  {n}\n" for n in chrome[:20])
        if len(chrome) > 20:
            lines.append(f"    ……另有 {len(chrome) - 20} 处\n")
    return "".join(lines)
