"""Regenerate the expected drafts of the importer's fixtures: `make golden-import`.

For every document in tests/fixtures/import/ (built first if it is a missing binary, see
tests/import_fixtures.py), tests/fixtures/import/expected/<document>.txt holds what
`gongkai import` makes of it, matched against the bundled content/units: each draft's
YAML under a `# ==== <file name> ====` line, then the summary line; or the Chinese
message of a file that cannot be read. Review the diff before committing: it *is* the
change an author importing that document will see.
"""

from __future__ import annotations

from pathlib import Path

from generator.importer import Options, import_document
from generator.importer.command import draft_names, summary
from generator.importer.draft import to_yaml
from generator.importer.read import ReadError, read_document
from generator.importer.units import UnitIndex

from .import_fixtures import IMPORT, build_missing

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = IMPORT / "expected"
UNITS = ROOT / "content" / "units"


def fixtures() -> list[Path]:
    return sorted(p for p in IMPORT.iterdir() if p.is_file())


def expected_text(path: Path) -> str:
    """What the importer makes of the fixture `path`, as written to its golden file."""
    try:
        document = read_document(path)
    except ReadError as exc:
        return f"导入失败：{exc.message}\n"
    drafts = import_document(document, path.name, Options(units=UnitIndex.load(UNITS)))
    parts = []
    for draft, name in draft_names(drafts):
        parts.append(f"# ==== {name} ====\n{to_yaml(draft)}")
    parts.append(summary(None, document.lines, drafts, len(parts)))
    return "\n".join(parts)


def main() -> None:
    for name in build_missing():
        print(f"已生成 {name}")
    EXPECTED.mkdir(exist_ok=True)
    for path in fixtures():
        golden = EXPECTED / f"{path.name}.txt"
        text = expected_text(path)
        if not golden.exists() or golden.read_text(encoding="utf-8") != text:
            golden.write_text(text, encoding="utf-8")
            print(f"已更新 {golden.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
