"""Golden cases: what `gongkai check` prints and what the build generates, for small content folders.

Each case is a folder `tests/cases/<name>/`:

    content/          the YAML an author wrote (a few files; `bundled` links to the repository's content/)
    keep.txt          optional: which generated files to keep as expected pages (globs, one a line;
                      default: every Markdown page, source view and redirect page: `*.md`, `source/*.html`, `*/index.html`)
    expected/
      check.txt       stdout and exit code of `gongkai check content` (and of `--strict` when there are warnings)
      files.txt       every file the build generates into the docs folder: path, size, SHA-256 (first 16 hex)
      docs/<path>     the kept generated files, as `generate()` writes them

`expected/` is produced by the code `gongkai build` runs: the check (`generator.cli.main`) and
`generator.site.generate.generate` into an empty folder — not by a path only the tests use. A case
whose check fails has only check.txt: a build stops there. SOURCE_DATE_EPOCH is unset while generating:
XLSX files carry the content's newest date, whatever the environment of the test run says.

Regenerate every case after an intended change, then review `git diff tests/cases/` before committing
(the diff *is* the change readers will see):

    make golden            # = .venv/bin/python -m tests.regen_cases

tests/test_cases.py compares each case with a fresh run and shows a unified diff of what differs.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator import cli
from generator.corpus.validate import check_tree
from generator.site.generate import generate

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases"
DEFAULT_KEEP = ("*.md", "source/*.html", "*/index.html")  # pages, source views, redirect pages


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "content").is_dir())


def expected_files(case: Path) -> dict[str, str]:
    """{path under expected/: text} as committed."""
    folder = case / "expected"
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in files}


def run_case(case: Path) -> dict[str, str]:
    """{path under expected/: text} from a fresh check and build of the case's content."""
    content = (case / "content").resolve()
    out, failed, warned = _check(content, strict=False)
    if warned:
        strict, _, _ = _check(content, strict=True)
        out += "\n" + strict
    files = {"check.txt": out}
    if failed:
        return files
    generated = generate_all(content)
    files["files.txt"] = listing(generated)
    keep = _keep_globs(case)
    for rel, data in generated.items():
        if any(fnmatch.fnmatchcase(rel, pattern) for pattern in keep):
            files[f"docs/{rel}"] = data.decode("utf-8")
    return files


def _check(content: Path, strict: bool) -> tuple[str, bool, bool]:
    """(`$ gongkai check …` with its stdout and exit code, whether it failed, whether it warned)."""
    args = ["check", *(["--strict"] if strict else []), str(content)]
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = cli.main(args)
    shown = " ".join(["gongkai", *args[:-1], "content"])
    text = stdout.getvalue()
    return f"$ {shown}\n{text}[exit {code}]\n", code != 0, "警告：" in text


def listing(generated: dict[str, bytes]) -> str:
    """files.txt: one line per generated file — path, size, the first 16 hex digits of its SHA-256."""
    return "".join(f"{rel}  {len(data)}  {hashlib.sha256(data).hexdigest()[:16]}\n" for rel, data in generated.items())


def generate_all(content: Path) -> dict[str, bytes]:
    """Every file `generate()` writes for the content, into an empty folder: {relative path: bytes}."""
    result = check_tree(content)
    assert result.corpus is not None, [str(p) for p in result.errors]
    out = Path(tempfile.mkdtemp(prefix="gongkai-case-"))
    try:
        with _without_source_date_epoch():
            generate(result.corpus, content, out, raw=result.raw)
        paths = sorted(p for p in out.rglob("*") if p.is_file())
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in paths}
    finally:
        shutil.rmtree(out)


@contextlib.contextmanager
def _without_source_date_epoch() -> Iterator[None]:
    old = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        yield
    finally:
        if old is not None:
            os.environ["SOURCE_DATE_EPOCH"] = old


def _keep_globs(case: Path) -> tuple[str, ...]:
    listed = case / "keep.txt"
    if not listed.is_file():
        return DEFAULT_KEEP
    lines = (line.strip() for line in listed.read_text(encoding="utf-8").splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def write_case(case: Path, files: dict[str, str]) -> list[str]:
    """Make expected/ exactly `files`; the paths written or removed."""
    folder = case / "expected"
    changed = []
    for rel in sorted(set(expected_files(case)) - set(files)):
        (folder / rel).unlink()
        changed.append(f"删除 {rel}")
    for rel, text in sorted(files.items()):
        path = folder / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(f"更新 {rel}")
    for empty in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        if not any(empty.iterdir()):
            empty.rmdir()
    return changed


def main(argv: list[str]) -> int:
    if argv[:1] == ["--listing"]:  # files.txt of one content folder (the determinism test runs it in a new process)
        sys.stdout.write(listing(generate_all(Path(argv[1]))))
        return 0
    for name in case_names():
        case = CASES / name
        changed = write_case(case, run_case(case))
        print(f"tests/cases/{name}: " + ("没有变化" if not changed else f"{len(changed)} 个文件变化"))
        for line in changed:
            print(f"  {line}")
    print("请检查 git diff tests/cases/ 后提交。")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
