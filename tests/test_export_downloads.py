"""The 数据下载 files and page: every listed link resolves, every set is complete and reproducible."""

from __future__ import annotations

import io
import json
import posixpath
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.corpus.accountability import Comparison
from generator.corpus.model import Corpus, Disclosure, IndicatorValue, Kind, TargetTable
from generator.data import downloads
from generator.data import tables as T
from tests.conftest import CONTENT


@pytest.fixture(scope="module")
def built(corpus: Corpus) -> tuple[dict[str, bytes], downloads.DownloadsPage]:
    return downloads.build(corpus)


def test_every_link_on_the_page_resolves_to_a_generated_file(
    built: tuple[dict[str, bytes], downloads.DownloadsPage],
) -> None:
    files, _ = built
    page = files[downloads.PAGE].decode()
    assert page.startswith("---\ntitle: 数据下载\n")
    targets = re.findall(r"\]\(([^)]+)\)", page)
    assert len(targets) > 30
    for target in targets:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(downloads.PAGE), target))
        assert resolved in files, target


def test_sets_cover_whole_years_and_units(
    corpus: Corpus, built: tuple[dict[str, bytes], downloads.DownloadsPage]
) -> None:
    files, page = built
    assert page.whole.count == len(corpus.disclosures)
    assert [s.title for s in page.years] == [f"{y}年" for y in corpus.years]
    assert sum(s.count for s in page.years) == sum(s.count for s in page.units) == len(corpus.disclosures)
    assert {s.title for s in page.units} == {u.name for u in corpus.units}
    for s in (page.whole, *page.years, *page.units):
        assert [f.label for f in s.files] == list(downloads.FILE_LABELS)
        for f in s.files:
            assert f.size == len(files[f.path]) > 0
        records = json.loads(files[s.files[0].path])["公开文本"]
        assert len(records) == s.count
        book = openpyxl.load_workbook(io.BytesIO(files[s.files[1].path]))
        assert len(list(book["公开文本"].iter_rows())) == s.count + 1


def test_each_disclosure_has_its_own_json_with_text(
    corpus: Corpus, built: tuple[dict[str, bytes], downloads.DownloadsPage]
) -> None:
    files, _ = built
    for d in corpus.disclosures:
        rec = json.loads(files[downloads.disclosure_json_path(d)])
        assert rec["网址"] == d.url and rec["类型"] == d.kind.value
        assert "正文" in rec
    assert downloads.disclosure_json_path(corpus.disclosures[0]).startswith("data/disclosures/20")


def test_data_dictionary_lists_every_column(built: tuple[dict[str, bytes], downloads.DownloadsPage]) -> None:
    files, _ = built
    lines = files[downloads.DICTIONARY].decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "表,字段,类型,说明"
    assert len(lines) - 1 == sum(len(t.columns) for t in T.TABLES)
    page = files[downloads.PAGE].decode()
    for t in T.TABLES:
        for c in t.columns:
            assert f"| {c.name} |" in page


def test_files_are_reproducible_and_rewritten_only_when_changed(corpus: Corpus, tmp_path: Path) -> None:
    files = downloads.data_files(corpus)
    first = downloads.write_data_files(corpus, tmp_path)
    assert len(first) == len(files)
    assert all(p.read_bytes() == files[p.relative_to(tmp_path).as_posix()] for p in first)
    assert downloads.write_data_files(corpus, tmp_path) == []
    assert (tmp_path / "feed.xml").is_file()
    assert (tmp_path / "data" / "gongkai-all-lines.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_author_text_cannot_break_the_page_table() -> None:
    cell = downloads._cell("<b>局|处</b>*_[x](y)")
    assert "<" not in cell and "|" not in cell and "*" not in cell and "[" not in cell


@pytest.mark.slow
def test_built_site_serves_the_downloads_feed_and_sitemap(corpus: Corpus, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    import lxml.html

    from tests.site_helpers import build

    code, messages, site = build(tmp_path, CONTENT)
    assert code == 0, messages
    files = downloads.data_files(corpus)
    for rel in files:
        if rel != downloads.PAGE:
            assert (site / rel).read_bytes() == files[rel], rel
    page = lxml.html.fromstring((site / "data" / "index.html").read_bytes())
    hrefs = [a.get("href") for a in page.xpath("//article//table//a")]
    assert len(hrefs) > 30
    for href in hrefs:
        assert (site / "data" / href).is_file(), href
    for d in corpus.disclosures:
        html = (site / d.url / "index.html").read_text(encoding="utf-8")
        assert downloads.disclosure_json_path(d).split("/", 1)[1] in html
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = {u.findtext(f"{ns}loc") for u in ET.parse(site / "sitemap.xml").getroot()}
    assert {f"https://yusuan.example.gov.cn/{d.url}" for d in corpus.disclosures} <= locs
    assert "https://yusuan.example.gov.cn/data/" in locs
    assert (site / "feed.xml").read_bytes() == files["feed.xml"]


def test_spliced_files_equal_the_direct_writers(
    corpus: Corpus, built: tuple[dict[str, bytes], downloads.DownloadsPage]
) -> None:
    from generator.data import export as E
    from generator.data.xlsx import content_time, workbook

    files, _ = built
    assert files["data/gongkai-all.json"] == E.to_json(E.dataset(corpus))
    rows = {t.name: T.table_rows(t, corpus.disclosures, mask=corpus.site.mask_private) for t in T.TABLES}
    for t in T.TABLES:
        assert files[f"data/gongkai-all-{t.name}.csv"] == E.to_csv(t, rows[t.name])
    assert files["data/gongkai-all.xlsx"] == workbook(rows, content_time(corpus), corpus.site.name)
    year = [d for d in corpus.disclosures if d.year == 2022]
    assert files["data/years/gongkai-2022.json"] == E.to_json(E.dataset(corpus, year))


def test_a_second_build_reuses_only_what_did_not_change(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    serialized: list[str] = []  # the disclosures whose rows a build computed (not reused)
    rows_of = T.rows_of

    def counting(d: Disclosure, mask: bool, comparison: Comparison | None = None) -> T.Rows:
        serialized.append(d.src_path)
        return rows_of(d, mask, comparison)

    monkeypatch.setattr(T, "rows_of", counting)
    cache = downloads.DataCache()
    first, _ = downloads.build(corpus, cache=cache)
    target = next(d for d in corpus.disclosures if d.unit.name == "楚雄州信访局")
    edited = dataclasses.replace(target, title="改过的标题")
    changed = dataclasses.replace(corpus, disclosures=tuple(edited if d is target else d for d in corpus.disclosures))
    serialized.clear()
    warm, _ = downloads.build(changed, cache=cache)
    assert serialized == [target.src_path]  # warm: only the edited disclosure again
    serialized.clear()
    cold, _ = downloads.build(changed)  # a fresh cache
    assert sorted(serialized) == sorted(d.src_path for d in corpus.disclosures)  # cold: every one
    assert warm == cold  # nothing stale comes out of the cache
    differ = {k for k in cold if cold[k] != first.get(k)}
    assert "data/units/gongkai-chuxiongzhou-xinfangju.xlsx" in differ
    assert "data/gongkai-all.json" in differ and "data/years/gongkai-2022.xlsx" in differ
    assert not any("panlongqu" in k or "2020" in k for k in differ)


def test_a_changed_target_renews_its_results_rows(corpus: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 自评表's 完成情况 rows show its target: the 自评表 is serialized again when only the target changed."""
    import dataclasses

    serialized: list[str] = []
    rows_of = T.rows_of

    def counting(d: Disclosure, mask: bool, comparison: Comparison | None = None) -> T.Rows:
        serialized.append(d.src_path)
        return rows_of(d, mask, comparison)

    monkeypatch.setattr(T, "rows_of", counting)
    cache = downloads.DataCache()
    first, _ = downloads.build(corpus, cache=cache)
    target = next(d for d in corpus.disclosures if d.kind is Kind.TARGETS and d.unit.example)
    result = next(d for d in corpus.disclosures if d.kind is Kind.PROJECT_EVALUATION and d.unit == target.unit)
    body = target.body
    assert isinstance(body, TargetTable)
    first_row = dataclasses.replace(body.indicators[0], value=IndicatorValue(">=400批次", "≥", Decimal(400), "批次"))
    edited = dataclasses.replace(target, body=dataclasses.replace(body, indicators=(first_row, *body.indicators[1:])))
    changed = dataclasses.replace(corpus, disclosures=tuple(edited if d is target else d for d in corpus.disclosures))
    serialized.clear()
    warm, _ = downloads.build(changed, cache=cache)
    assert sorted(serialized) == sorted([target.src_path, result.src_path])
    assert warm == downloads.build(changed)[0]  # as a cold build
    csv = warm["data/gongkai-all-results.csv"].decode("utf-8-sig")
    assert ">=400批次" in csv and ">=400批次" not in first["data/gongkai-all-results.csv"].decode("utf-8-sig")


def test_identical_across_processes_and_hash_seeds() -> None:
    import hashlib
    import os
    import subprocess
    import sys

    script = (
        "import hashlib, sys; from pathlib import Path; from generator.corpus.validate import check_tree; "
        "from generator.data.downloads import data_files; f = data_files(check_tree(Path(sys.argv[1])).corpus); "
        "h = hashlib.sha256(); [h.update(k.encode() + f[k]) for k in sorted(f)]; print(h.hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        out = subprocess.run([sys.executable, "-c", script, str(CONTENT)], env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        digests.add(out.stdout.strip())
    assert len(digests) == 1
    assert hashlib.sha256().hexdigest() not in digests
