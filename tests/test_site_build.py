"""`gongkai build` / the MkDocs plugin: failure handling, nav size at scale, live regeneration in serve."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from benchmarks.synth import synthesize
from generator.corpus.validate import check_tree

from .site_helpers import CONTENT, ROOT, build, is_redirect, make_config, page, text_of

pytestmark = pytest.mark.slow


def bad_content(tmp: Path) -> Path:
    """The bundled content with two mistakes in two files."""
    content = tmp / "content"
    shutil.copytree(CONTENT, content)
    project = content / "2020" / "panlongqu-xinfangju" / "xinfang-chutu-jingfei.yml"
    project.write_text(project.read_text(encoding="utf-8").replace("合计: 535000元", "合计: 535000"), encoding="utf-8")
    unit = content / "units" / "lushanshi-xinfangju.yml"
    unit.write_text(unit.read_text(encoding="utf-8") + "不认识的键: 1\n", encoding="utf-8")
    return content


def test_gongkai_build_stops_on_content_errors_and_keeps_the_old_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("旧网站", encoding="utf-8")
    code, messages, _ = build(tmp_path, bad_content(tmp_path))
    assert code == 1
    assert "2020/panlongqu-xinfangju/xinfang-chutu-jingfei.yml:19:7: 资金安排.合计:" in messages
    assert "units/lushanshi-xinfangju.yml:" in messages and "不认识的键" in messages
    assert (site / "index.html").read_text(encoding="utf-8") == "旧网站"
    # no temporary left (.cache/ is the persistent build cache, kept on purpose: generator/store)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".cache", "content", "mkdocs.yml", "site"]


def test_mkdocs_build_fails_with_located_messages_without_traceback(tmp_path: Path) -> None:
    config = make_config(tmp_path, bad_content(tmp_path))
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode == 1
    assert "content" in run.stderr and "xinfang-chutu-jingfei.yml:19:7: 资金安排.合计:" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "site").exists()


def test_gongkai_build_replaces_the_site_and_regenerates_only_changes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "stale.html").write_text("old", encoding="utf-8")
    code, messages, site = build(tmp_path, content)
    assert code == 0, messages
    assert not (site / "stale.html").exists() and (site / "index.html").is_file()

    docs = tmp_path / "docs"
    published = site / "source" / "units" / "lushanshi-xinfangju.yml"
    assert published.stat().st_ino == (docs / "source" / "units" / "lushanshi-xinfangju.yml").stat().st_ino  # linked
    first_copy = tmp_path / "first-build-copy.yml"
    os.link(published, first_copy)  # the first site's file, whatever happens to its name later
    first_bytes = first_copy.read_bytes()
    unit_page = docs / "units" / "lushanshi-xinfangju" / "index.md"
    untouched = docs / "units" / "panlongqu-xinfangju" / "index.md"
    before = {p: p.stat().st_mtime_ns for p in (unit_page, untouched)}
    time.sleep(0.01)
    profile = content / "units" / "lushanshi-xinfangju.yml"
    profile.write_text(profile.read_text(encoding="utf-8") + "地址: 庐山市某路1号\n", encoding="utf-8")
    code, messages, site = build(tmp_path, content)
    assert code == 0, messages
    assert unit_page.stat().st_mtime_ns != before[unit_page]
    assert untouched.stat().st_mtime_ns == before[untouched]  # same bytes: not rewritten
    assert "庐山市某路1号" in text_of(page(site, "units/lushanshi-xinfangju/"))
    assert "庐山市某路1号" in published.read_text(encoding="utf-8")
    assert first_copy.read_bytes() == first_bytes  # a linked file is replaced, never changed in place


def _nav(site: Path, url: str) -> tuple[list[str], int]:
    nav = page(site, url).xpath('//nav[contains(@class, "md-nav--primary")]')[0]
    items = [text_of(li.xpath("./a | ./label")[0]) for li in nav.xpath("./ul/li")]
    return items, len(nav.xpath(".//a"))


def test_nav_size_does_not_grow_with_the_corpus(tmp_path: Path) -> None:
    small = tmp_path / "small"
    code, messages, small_site = build(small, CONTENT)
    assert code == 0, messages
    synthesize(40, tmp_path / "big" / "content", seed=3)
    code, messages, big_site = build(tmp_path / "big", tmp_path / "big" / "content")
    assert code == 0, messages
    big_pages = list(big_site.glob("20*/*/*/index.html"))
    assert len(big_pages) == 40 + sum(1 for _ in (tmp_path / "big" / "content").glob("20*/*/*-ziping.yml"))
    small_page = next(small_site.glob("2022/*/*/index.html")).parent.relative_to(small_site).as_posix() + "/"
    big_page = big_pages[0].parent.relative_to(big_site).as_posix() + "/"
    for small_url, big_url in [("", ""), (small_page, big_page), ("units/", "units/"), ("2022/", "2022/")]:
        assert _nav(small_site, small_url) == _nav(big_site, big_url)
    assert _nav(big_site, big_page)[0] == ["首页", "按单位", "按年度", "地区", "目标完成情况", "数据下载", "关于"]


def test_navigation_shared_between_pages_keeps_each_page_s_links_and_active_item(bundled_site: Path) -> None:
    """overrides/partials/nav.html renders the navigation once per (first folder, depth) of pages not in it:
    every page still gets the links MkDocs would write for it, and only a navigation page is active."""
    from mkdocs.utils import get_relative_url

    targets = ["", "units/", "years/", "regions/", "results/", "data/", "about/"]
    pages = ["", "units/", "2022/", "about/", "regions/"]
    deep = [*bundled_site.glob("*/*/*/index.html"), *bundled_site.glob("*/*/index.html")]
    pages += [p.parent.relative_to(bundled_site).as_posix() + "/" for p in deep if not is_redirect(p)]
    assert len(pages) > 15
    for url in pages:
        nav = page(bundled_site, url).xpath('//nav[contains(@class, "md-nav--primary")]')[0]
        items = nav.xpath("./ul/li")
        hrefs = [li.xpath("./a/@href")[0] for li in items]
        assert hrefs == [get_relative_url(t or ".", url or ".") for t in targets], url
        active = [text_of(li.xpath("./a | ./label")[0]) for li in items if "md-nav__item--active" in li.get("class")]
        assert active == {"": ["首页"], "units/": ["按单位"], "about/": ["关于"], "regions/": ["地区"]}.get(url, []), (
            url
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def _wait_for(url: str, condition: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            last = _get(url)
            if condition in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url}: “{condition}” did not appear within {timeout} s")


def _start_serving(tmp_path: Path, module: str) -> tuple[Path, int, subprocess.Popen[bytes]]:
    """A copy of the bundled content served on 127.0.0.1 by `python -m <module> serve`: (content, port, server)."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    config = make_config(tmp_path, content)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", module, "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    return content, port, server


def test_mkdocs_serve_regenerates_when_a_yaml_file_is_saved(tmp_path: Path) -> None:
    content, port, server = _start_serving(tmp_path, "mkdocs")
    try:
        url = f"http://127.0.0.1:{port}/units/tonghaixian-xinfangju/"
        _wait_for(url, "通海县信访局", 60)
        profile = content / "units" / "tonghaixian-xinfangju.yml"
        profile.write_text(profile.read_text(encoding="utf-8") + "地址: 通海县秀山街道1号\n", encoding="utf-8")
        _wait_for(url, "通海县秀山街道1号", 60)
    finally:
        server.terminate()
        server.wait(timeout=20)


def _served(url: str) -> str:
    """A served page without the reload script's numbers (the server's, changed by any rebuild)."""
    return re.sub(r"livereload\(\d+, \d+\)", "livereload()", _get(url))


def test_gongkai_serve_rebuilds_what_a_save_changed(tmp_path: Path) -> None:
    """`gongkai serve` runs MkDocs dirty (plugin/dirty.py): an edited disclosure's page shows the edit;
    a site-wide setting (site.yml's name, on every page) reaches a page whose Markdown did not change;
    a deleted disclosure's page is gone."""
    content, port, server = _start_serving(tmp_path, "generator.cli")
    base = f"http://127.0.0.1:{port}"
    try:
        unit = f"{base}/units/tonghaixian-xinfangju/"
        about = f"{base}/about/"
        _wait_for(unit, "通海县信访局", 60)
        before = _served(about)
        profile = content / "units" / "tonghaixian-xinfangju.yml"
        profile.write_text(profile.read_text(encoding="utf-8") + "地址: 通海县秀山街道1号\n", encoding="utf-8")
        _wait_for(unit, "通海县秀山街道1号", 60)
        assert _served(about) == before

        site = content / "site.yml"
        text = site.read_text(encoding="utf-8")
        assert "网站名称: 预算重点领域信息公开" in text
        site.write_text(
            text.replace("网站名称: 预算重点领域信息公开", "网站名称: 预览改名的公开网站"), encoding="utf-8"
        )
        _wait_for(about, "预览改名的公开网站", 60)  # the site name is on every page: all rebuilt

        checked = check_tree(content).corpus
        assert checked is not None
        gone = next(d for d in checked.disclosures if d.year == 2022)
        page = f"{base}/{gone.url}"
        assert "<html" in _get(page)
        (content / gone.src_path).unlink()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                _get(page)
            except urllib.error.HTTPError as exc:
                assert exc.code == 404
                break
            time.sleep(0.3)
        else:
            raise AssertionError(f"{page} still served after its file was deleted")
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=20)
    rebuilt = [(int(n), int(g)) for n, g in re.findall(r"预览：(\d+) 个页面重新生成，(\d+) 个文件已删除", err.decode())]
    # the first build: every page; the edit: a few (its unit page, the nav's pages, …); the new site
    # name: every page again; the deletion: the page's files removed (and the undated pages rebuilt:
    # the deleted report was the newest, so the content date changed)
    assert len(rebuilt) >= 4, err.decode()[-2000:]
    first, edit, renamed, deleted = rebuilt[0], rebuilt[1], rebuilt[2], rebuilt[-1]
    assert first[0] > 30 and edit[0] < first[0] / 2 and renamed[0] == first[0]
    assert deleted[1] >= 1
