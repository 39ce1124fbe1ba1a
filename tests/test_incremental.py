"""Regeneration after one edit, in one process with one build cache (as `mkdocs serve` does it):
only the pages the edit touches are rendered again, and the result is exactly what a fresh
process generates."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from benchmarks.synth import synthesize
from generator.corpus.accountability import link
from generator.corpus.validate import check_tree
from generator.site import render
from generator.site.cache import BuildCache
from generator.site.generate import generate


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def fresh_generate(content: Path, out: Path) -> None:
    """check + generate in a new Python process: no memo of any earlier run."""
    code = f"""
        from pathlib import Path
        from generator.site.generate import generate
        from generator.corpus.validate import check_tree
        r = check_tree(Path({str(content)!r}))
        assert r.corpus is not None, r.errors
        generate(r.corpus, Path({str(content)!r}), Path({str(out)!r}), raw=r.raw)
    """
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=True, timeout=300)


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    synthesize(40, folder, seed=7)
    return folder


def test_one_edit_renders_only_its_pages_and_equals_a_fresh_build(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "docs"
    cache = BuildCache()  # the serve session's
    first = check_tree(content, cache.check)
    assert first.corpus is not None
    generate(first.corpus, content, out, raw=first.raw, cache=cache)
    before = tree(out)

    edited = first.corpus.disclosures[5]
    path = content / edited.src_path
    text = path.read_text(encoding="utf-8")
    assert "。" in text
    path.write_text(text.replace("。", "；", 1), encoding="utf-8")

    rendered: list[str] = []
    page = render.Renderer.page

    def counting(self: render.Renderer, template: str, url: str, **context: object) -> tuple[str, str]:
        rendered.append(url)
        return page(self, template, url, **context)

    monkeypatch.setattr(render.Renderer, "page", counting)
    second = check_tree(content, cache.check)
    assert second.corpus is not None
    unchanged = [d for d in second.corpus.disclosures if d.src_path != edited.src_path]
    assert all(any(d is e for e in first.corpus.disclosures) for d in unchanged)  # the same objects
    stats = generate(second.corpus, content, out, raw=second.raw, cache=cache).stats

    disclosure_urls = {d.url for d in second.corpus.disclosures}
    links = link(
        second.corpus.disclosures
    )  # a 自评表's page shows its target's rows, and the target's page its results
    now = next(d for d in second.corpus.disclosures if d.src_path == edited.src_path)
    compared = links.of_result(now)
    linked = {c.result.url for c in links.of_target(now)}
    linked |= {compared.target.url} if compared is not None and compared.target is not None else set()
    assert sorted(u for u in rendered if u in disclosure_urls) == sorted({edited.url} | linked)  # its page (and linked)
    assert f"units/{edited.unit.slug}/" in rendered and f"{edited.year}/" in rendered
    unit_urls = {f"units/{u.slug}/" for u in second.corpus.units}
    assert len([u for u in rendered if u in unit_urls]) == 1  # the other units' pages are reused
    after = tree(out)
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert stats.written == len(changed) and stats.deleted == 0
    data = ("data/gongkai-all", f"data/years/gongkai-{edited.year}", f"data/units/gongkai-{edited.unit.slug}")
    own = {f"{edited.url}index.md", f"source/{edited.src_path}", f"source/{edited.src_path}.html"}
    record = f"data/disclosures/{edited.url.rstrip('/')}.json"
    assert own | {record} <= changed
    # and the data sets holding it, with the download page and data package that give their sizes
    assert {rel for rel in changed - own if not rel.startswith(data)} <= {
        record,
        "data/index.md",
        "data/datapackage.json",
    }

    fresh = tmp_path / "fresh"
    fresh_generate(content, fresh)
    incremental, expected = tree(out), tree(fresh)
    assert sorted(incremental) == sorted(expected)
    assert [rel for rel in expected if incremental[rel] != expected[rel]] == []


def test_a_template_change_renders_everything_again(content: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    for src in render.TEMPLATES_DIR.iterdir():
        (templates / src.name).write_bytes(src.read_bytes())
    corpus = check_tree(content).corpus
    assert corpus is not None
    from generator.site.summaries import summarize

    cache = render.RenderCache()
    before = render.Renderer(corpus, summarize(corpus), templates, cache).render_all()
    target = templates / "disclosure_project.md.j2"
    target.write_text(target.read_text(encoding="utf-8") + "\n模板已修改\n", encoding="utf-8")
    after = render.Renderer(corpus, summarize(corpus), templates, cache).render_all()
    changed = {url for url in after if after[url] != before[url]}
    projects = {f"{d.url}index.md" for d in corpus.disclosures if d.kind.value == "项目文本"}
    assert projects and changed == projects
