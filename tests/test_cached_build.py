"""A cached build is a cold build (issue 15, item 2): the guard of the persistent build cache.

Random sequences of edits — a text, a sum of money, a new file, a deleted file, a unit renamed,
site.yml, a page template, a theme template, mkdocs.yml, a navigation title — are applied to a copy of the bundled
content with its own templates and theme overrides. After each edit the tree is built twice
with `gongkai build`: once with the persistent cache (`--cache-dir`, the same folder all along,
so every earlier build's entries are there), once cold (`--no-cache`, a fresh docs folder).
The two sites must be the same byte for byte, and when the cold build fails the cached one
fails with the same exit code and message (the edit is then undone).
"""

from __future__ import annotations

import io
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.commands.build import build_site

from .conftest import CONTENT, ROOT

pytestmark = pytest.mark.slow

EPOCH = 1_700_000_000


def make_tree(tmp: Path) -> None:
    shutil.copytree(CONTENT, tmp / "content")
    shutil.copytree(ROOT / "site_templates", tmp / "site_templates")
    shutil.copytree(ROOT / "overrides", tmp / "overrides")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for mode in ("warm", "cold"):
        own = re.sub(r"^      output: .*$", f"      output: .build/docs-{mode}", text, flags=re.M)
        (tmp / f"mkdocs-{mode}.yml").write_text(own, encoding="utf-8")


def build(tmp: Path, mode: str) -> tuple[int, str, dict[str, bytes]]:
    site = tmp / f"site-{mode}"
    if mode == "cold":
        shutil.rmtree(tmp / ".build" / "docs-cold", ignore_errors=True)
    out = io.StringIO()
    config = tmp / f"mkdocs-{mode}.yml"
    if mode == "warm":
        code = build_site(config, site, out=out, epoch=EPOCH, cache_dir=tmp / "store")
    else:
        code = build_site(config, site, out=out, epoch=EPOCH, no_cache=True)
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    return code, out.getvalue().replace(str(site), "SITE"), files if code == 0 else {}


def disclosures(tmp: Path) -> list[Path]:
    return sorted(p for p in (tmp / "content").rglob("*.yml") if p.parts[-2] != "units" and p.name != "site.yml")


def edit_text(tmp: Path, rng: random.Random) -> None:
    path = rng.choice(disclosures(tmp))
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks = [i for i, line in enumerate(lines) if line.endswith(": |") and i + 1 < len(lines) and lines[i + 1].strip()]
    i = rng.choice(blocks) + 1 if blocks else None
    if i is None:
        return
    lines[i] += f"（修订{rng.randrange(1000)}）"
    path.write_text("\n".join(lines), encoding="utf-8")


def edit_money(tmp: Path, rng: random.Random) -> None:
    path = rng.choice(disclosures(tmp))
    text = path.read_text(encoding="utf-8")
    amounts = list(re.finditer(r"(?<=: )(\d+(?:\.\d+)?)万元$", text, flags=re.M))
    if amounts:
        m = rng.choice(amounts)
        text = text[: m.start(1)] + str(float(m.group(1)) + rng.randrange(1, 9)) + text[m.end(1) :]
        path.write_text(text, encoding="utf-8")


def new_file(tmp: Path, rng: random.Random) -> None:
    path = rng.choice(disclosures(tmp))
    n = rng.randrange(1000)
    text = re.sub(r"^项目名称: (.*)$", rf"项目名称: \1（续{n}）", path.read_text(encoding="utf-8"), count=1, flags=re.M)
    text = re.sub(r"^标题: (.*)$", rf"标题: \1（续{n}）", text, count=1, flags=re.M)
    path.with_name(f"{path.stem}-xu{n}.yml").write_text(text, encoding="utf-8")


def delete_file(tmp: Path, rng: random.Random) -> None:
    files = disclosures(tmp)
    if len(files) > 3:
        rng.choice(files).unlink()


def rename_unit(tmp: Path, rng: random.Random) -> None:
    unit = rng.choice(sorted((tmp / "content" / "units").glob("*.yml")))
    text = unit.read_text(encoding="utf-8")
    old = re.search(r"^名称: (.*)$", text, flags=re.M)
    assert old is not None
    new = f"{old.group(1)}{rng.randrange(100)}号"
    unit.write_text(text.replace(f"名称: {old.group(1)}", f"名称: {new}", 1), encoding="utf-8")
    for path in disclosures(tmp):
        body = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"(单位: ){re.escape(old.group(1))}$", rf"\g<1>{new}", body, flags=re.M), "utf-8")


def edit_site(tmp: Path, rng: random.Random) -> None:
    path = tmp / "content" / "site.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^主办单位: .*$", f"主办单位: 第{rng.randrange(100)}财政局", text, flags=re.M), "utf-8")


def edit_page_template(tmp: Path, rng: random.Random) -> None:
    path = rng.choice([tmp / "site_templates" / "about.md.j2", tmp / "site_templates" / "unit.md.j2"])
    path.write_text(path.read_text(encoding="utf-8") + f"\n<p>模板修订 {rng.randrange(1000)}</p>\n", "utf-8")


def edit_theme(tmp: Path, rng: random.Random) -> None:
    path = tmp / "overrides" / "main.html"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("{% block content %}", f"{{% block content %}}<!-- 主题修订 {rng.randrange(1000)} -->")
    )


def edit_mkdocs(tmp: Path, rng: random.Random) -> None:
    n = rng.randrange(1000)
    for mode in ("warm", "cold"):
        path = tmp / f"mkdocs-{mode}.yml"
        text = re.sub(r"permalink_title: .*$", f"permalink_title: 本节链接{n}", path.read_text("utf-8"), flags=re.M)
        path.write_text(text, encoding="utf-8")


def edit_nav(tmp: Path, rng: random.Random) -> None:
    """关于 in the navigation renamed, or left without a title (then its page's own title is shown on every page)."""
    title = rng.choice(["", f"关于{rng.randrange(100)} "])
    for mode in ("warm", "cold"):
        path = tmp / f"mkdocs-{mode}.yml"
        text = re.sub(
            r"^  - (?:\S+: )?about/index\.md$",
            f"  - {title.replace(' ', ': ')}about/index.md",
            path.read_text("utf-8"),
            flags=re.M,
        )
        path.write_text(text, encoding="utf-8")


EDITS: list[Callable[[Path, random.Random], None]] = [
    edit_text,
    edit_money,
    new_file,
    delete_file,
    rename_unit,
    edit_site,
    edit_page_template,
    edit_theme,
    edit_mkdocs,
    edit_nav,
]


def snapshot(tmp: Path) -> Path:
    saved = tmp / "saved"
    shutil.rmtree(saved, ignore_errors=True)
    saved.mkdir()
    for name in ("content", "site_templates", "overrides"):
        shutil.copytree(tmp / name, saved / name)
    for mode in ("warm", "cold"):
        shutil.copy2(tmp / f"mkdocs-{mode}.yml", saved)
    return saved


def restore(tmp: Path, saved: Path) -> None:
    for name in ("content", "site_templates", "overrides"):
        shutil.rmtree(tmp / name)
        shutil.copytree(saved / name, tmp / name)
    for mode in ("warm", "cold"):
        shutil.copy2(saved / f"mkdocs-{mode}.yml", tmp)


def assert_same(tmp: Path, step: str) -> bool:
    """The cached and the cold build of the tree as it is now; True if both succeeded."""
    warm, cold = build(tmp, "warm"), build(tmp, "cold")
    assert (warm[0], warm[1]) == (cold[0], cold[1]), step
    assert sorted(warm[2]) == sorted(cold[2]), step
    differ = [rel for rel in cold[2] if warm[2][rel] != cold[2][rel]]
    assert differ == [], f"{step}: {differ[:10]}"
    return cold[0] == 0


# Every kind of edit in every run, in a random order, then a few more at random.
@settings(  # one example is ~20 builds: no shrinking (the failing step is named in the message)
    max_examples=1,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(order=st.permutations(EDITS), more=st.lists(st.sampled_from(EDITS), max_size=2), seed=st.integers(0, 2**32))
def test_every_cached_build_equals_a_cold_build(tmp_path_factory: pytest.TempPathFactory, order, more, seed) -> None:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("cached")
    rng = random.Random(seed)
    make_tree(tmp)
    assert assert_same(tmp, "first build")
    assert assert_same(tmp, "nothing changed")  # every page from the cache
    for edit in [*order, *more]:
        saved = snapshot(tmp)
        edit(tmp, rng)
        if not assert_same(tmp, edit.__name__):
            restore(tmp, saved)  # an edit the check refuses: both refused it alike


def test_a_site_built_in_parts_with_the_cache_equals_a_cold_one(tmp_path: Path) -> None:
    """`gongkai build --parts 2`: two forked part builds share one cache folder, the parent prunes it."""
    make_tree(tmp_path)

    def parts(mode: str) -> tuple[int, dict[str, bytes]]:
        site = tmp_path / f"site-{mode}"
        config = tmp_path / f"mkdocs-{mode}.yml"
        flags = {"cache_dir": tmp_path / "store"} if mode == "warm" else {"no_cache": True}
        code = build_site(config, site, out=io.StringIO(), epoch=EPOCH, parts=2, **flags)
        return code, {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}

    assert parts("warm")[0] == 0
    edit_text(tmp_path, random.Random(1))
    edit_site(tmp_path, random.Random(2))
    warm, cold = parts("warm"), parts("cold")
    assert warm[0] == cold[0] == 0
    assert sorted(warm[1]) == sorted(cold[1])
    assert [rel for rel in cold[1] if warm[1][rel] != cold[1][rel]] == []
