"""A revision in words, and where its version of the file is in the content repository.

Shared by the pages (site/revisions.py) and the Atom feed (data/feed.py), so both say the same.
The lines are plain text, not yet masked or escaped: whoever shows them masks private data
(corpus/fmt.TextFilter) and escapes them (autoescaped templates, ElementTree).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from generator.history.model import Revision

FIRST = "首次发布"
NO_CONTENT_CHANGE = "仅调整格式或注释，内容未变"


def revision_lines(rev: Revision) -> tuple[str, ...]:
    """What a revision did, one line each: the move, every figure old → new, the sections whose text changed."""
    lines: list[str] = []
    if rev.first:
        lines.append(FIRST)
    if rev.renamed_from is not None:
        lines.append(f"文件 {rev.renamed_from} 改名为 {rev.path}")
    lines.extend(str(change) for change in rev.changes.figures)
    if rev.changes.sections:
        lines.append(f"文字修改：{'、'.join(rev.changes.sections)}")
    if not lines:
        lines.append(NO_CONTENT_CHANGE)
    return tuple(lines)


def version_url(repository: str, prefix: str, rev: Revision) -> str:
    """The file as it was at `rev`, on the content repository's web page.

    Assumes the address layout of the common hosts: GitHub, Gitee and most others
    `{仓库}/blob/{commit}/{path}`; GitLab (a host name containing "gitlab")
    `{仓库}/-/blob/{commit}/{path}`; Gitea and Forgejo (host containing "gitea", "forgejo",
    or codeberg.org) `{仓库}/src/commit/{commit}/{path}`. `path` is the file's path in the
    repository then (the content folder's `prefix` and the revision's own path, which may
    differ from today's after a rename). A trailing `.git` or `/` of 内容仓库 is dropped.
    """
    base = repository.strip().rstrip("/")
    if base.endswith(".git"):
        base = base[: -len(".git")]
    host = (urlsplit(base).hostname or "").lower()
    if "gitlab" in host:
        middle = "-/blob"
    elif "gitea" in host or "forgejo" in host or host == "codeberg.org":
        middle = "src/commit"
    else:
        middle = "blob"
    return f"{base}/{middle}/{rev.commit}/{quote(prefix + rev.path, safe='/')}"
