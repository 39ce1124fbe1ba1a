"""修订记录 on the built site (site/revisions.py, _revisions.md.j2, revisions.md.j2, feed and sitemap).

The test repository (tests/history_helpers.py) has known edits: figures changed, rows added and
removed, a file moved and renamed, a unit renamed. Its site is built with `gongkai build`.
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest

from benchmarks.gitrepo import Commit, make_repo
from generator.corpus.validate import check_tree
from generator.history import History, read_history
from generator.history.describe import version_url
from generator.history.model import Revision

from .history_helpers import SITE_YML, T0, edits_repo
from .site_helpers import article, build, text_of

pytestmark = pytest.mark.slow

REPO = "https://git.example.com/org/content"
PROJECT = "2022/tonghaixian-renmin-xinfangju/xinfang-zhuanxiang-jingfei-gengzheng/"
TARGETS = "2022/tonghaixian-renmin-xinfangju/mubiao-guding/"
NEW = "2022/tonghaixian-renmin-xinfangju/xinfang-zhuanxiang-jingfei/"
UNIT = "units/tonghaixian-renmin-xinfangju/"
A = "{http://www.w3.org/2005/Atom}"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return edits_repo(tmp_path_factory.mktemp("edits") / "repo")


@pytest.fixture(scope="module")
def history(repo: Path) -> History:
    return read_history(repo)


@pytest.fixture(scope="module")
def site(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    code, messages, site = build(tmp_path_factory.mktemp("built"), repo)
    assert code == 0, messages
    return site


def revisions_of(site: Path, url: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """(the summary line, [(the entry's first line, its change lines)]) of a page's 修订记录."""
    [section] = article(site, url).xpath('.//section[@class="gk-revisions"]')
    summary = text_of(section.xpath("./p")[0])
    entries = [
        (text_of(li.xpath("./p")[0]), [text_of(c) for c in li.xpath("./ul/li")])
        for li in section.xpath('.//ol[@class="gk-revlist"]/li')
    ]
    return summary, entries


def links_of(site: Path, url: str) -> list[str]:
    return [a.get("href") for a in article(site, url).xpath('.//section[@class="gk-revisions"]//ol//a')]


def old(history: History, path: str, index: int) -> str:
    """The repository link of a file's revision number `index` (oldest 0)."""
    found = history.of(path)
    assert found is not None
    return version_url(REPO, history.prefix, found.revisions[index])


def test_a_moved_renamed_project_lists_every_revision(site: Path, history: History) -> None:
    summary, entries = revisions_of(site, PROJECT)
    assert summary == "首次发布：2021-03-01；此后修订 3 次，最近一次 2022-06-01。"
    assert entries == [
        ("2022-06-01", ["项目名称 “信访专项经费” → “信访专项经费（更正）”"]),
        (
            "2022-01-10 · 2022-01-10 版原文（内容仓库）",
            [
                "文件 2022/ok.yml 改名为 2022/tonghai/xinfang.yml",
                "项目名称 “信访专项工作经费专项资金” → “信访专项经费”",
                "资金安排.合计 35,000.00 元 → 10,000.00 元",
                "资金安排.明细 删除“差旅费”（原为 25,000.00 元）",
            ],
        ),
        (
            "2021-06-01 · 2021-06-01 版原文（内容仓库）",
            [
                "资金安排.合计 30,000.00 元 → 35,000.00 元",
                "资金安排.明细 新增“印刷费”：5,000.00 元",
                "文字修改：项目基本概况",
            ],
        ),
        ("2021-03-01 · 2021-03-01 版原文（内容仓库）", ["首次发布"]),
    ]
    path = "2022/tonghai/xinfang.yml"
    # each earlier version at its commit and its path then (before the move: 2022/ok.yml); today's is the page
    assert links_of(site, PROJECT) == [old(history, path, 2), old(history, path, 1), old(history, path, 0)]
    assert old(history, path, 0).startswith(f"{REPO}/blob/") and old(history, path, 0).endswith("/content/2022/ok.yml")
    assert old(history, path, 2).endswith("/content/2022/tonghai/xinfang.yml")


def test_indicator_values_and_rows(site: Path) -> None:
    _, entries = revisions_of(site, TARGETS)
    assert [e[1] for e in entries] == [
        ["项目名称 “信访目标经费” → “信访目标管理经费”"],
        ["网址 （空） → “mubiao-guding”"],
        ["绩效指标 新增“办结率”：>=95%", "绩效指标“群众满意度”.指标值 ≥90% → ≥95%"],
        ["首次发布"],
    ]


def test_unit_page_lists_its_profile_revisions(site: Path) -> None:
    summary, entries = revisions_of(site, UNIT)
    assert summary == "首次发布：2021-03-01；此后修订 1 次，最近一次 2022-05-01。"
    assert entries == [
        ("2022-05-01", ["名称 “通海县信访局” → “通海县人民信访局”", "文字修改：别名"]),
        ("2021-03-01 · 2021-03-01 版原文（内容仓库）", ["首次发布"]),
    ]


def test_a_page_published_once(site: Path) -> None:
    summary, entries = revisions_of(site, NEW)
    assert summary == "首次发布：2022-07-01；此后未修订。"
    assert entries == [("2022-07-01", ["首次发布"])]


def test_recent_revisions_page_newest_first_linked_from_home(site: Path) -> None:
    page = article(site, "revisions/")
    items = page.xpath('.//ol[contains(@class, "gk-recent")]/li')
    got = [(text_of(li.xpath("./p/strong")[0]), text_of(li.xpath("./p/a")[0])) for li in items]
    project = "通海县人民信访局 2022年项目文本：信访专项经费（更正）"
    targets = "通海县人民信访局 2022年绩效目标表：信访目标管理经费"
    assert got == [
        ("2022-07-01", "通海县人民信访局 2022年项目文本：信访专项经费"),
        ("2022-06-01", project),
        ("2022-06-01", targets),
        ("2022-05-01", "单位档案：通海县人民信访局"),
        ("2022-05-01", targets),
        ("2022-01-10", project),
        ("2022-01-10", targets),
        ("2021-06-01", project),
        ("2021-03-01", "单位档案：通海县人民信访局"),
        ("2021-03-01", project),
        ("2021-03-01", targets),
    ]
    assert [text_of(c) for c in items[5].xpath("./ul/li")][-1] == "资金安排.明细 删除“差旅费”（原为 25,000.00 元）"
    first = items[1].xpath("./p/a")[0].get("href")
    assert first == f"../{PROJECT}"
    home = article(site, "")
    assert home.xpath('.//a[@href="revisions/"]/strong')[0].text == "最近修订"


def test_feed_carries_the_revisions_after_publication(site: Path) -> None:
    root = ET.parse(site / "feed.xml").getroot()
    entries = [(e.findtext(f"{A}updated"), e.findtext(f"{A}title")) for e in root.findall(f"{A}entry")]
    project = "修订：通海县人民信访局 2022年项目文本：信访专项经费（更正）"
    targets = "修订：通海县人民信访局 2022年绩效目标表：信访目标管理经费"
    assert entries[:6] == [
        ("2022-06-01T10:00:00+08:00", project),
        ("2022-06-01T10:00:00+08:00", targets),
        ("2022-05-01T10:00:00+08:00", "修订：单位档案：通海县人民信访局"),
        ("2022-05-01T10:00:00+08:00", targets),
        ("2022-01-10T10:00:00+08:00", project),
        ("2022-01-10T10:00:00+08:00", targets),
    ]
    assert (
        {title for when, title in entries[6:9]}
        == {  # the disclosures, dated from the content
            project[3:],
            targets[3:],
            "通海县人民信访局 2022年项目文本：信访专项经费",
        }
    )
    assert {when for when, _ in entries[6:9]} == {"2022-01-01T00:00:00+08:00"}
    assert ("2021-06-01T10:00:00+08:00", project) in entries and len(entries) == 3 + 7
    assert root.findtext(f"{A}updated") == "2022-06-01T10:00:00+08:00"
    revision = root.findall(f"{A}entry")[0]
    assert revision.findtext(f"{A}summary") == "项目名称 “信访专项经费” → “信访专项经费（更正）”"
    assert revision.find(f"{A}link").get("href") == f"https://test.example.gov.cn/{PROJECT}#xiuding-jilu"  # type: ignore[union-attr]
    assert revision.find(f"{A}category").get("term") == "修订"  # type: ignore[union-attr]
    ids = [e.findtext(f"{A}id") for e in root.findall(f"{A}entry")]
    assert len(set(ids)) == len(ids)


def test_sitemap_lastmod_is_the_last_change(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    lastmod = {
        u.findtext(f"{S}loc", "").removeprefix("https://test.example.gov.cn/"): u.findtext(f"{S}lastmod") for u in root
    }
    assert lastmod[PROJECT] == "2022-06-01"
    assert lastmod[TARGETS] == "2022-06-01"
    assert lastmod[NEW] == "2022-07-01"
    assert lastmod[UNIT] == "2022-05-01"
    assert lastmod["revisions/"] == "2022-07-01"


def _digest(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_one_commit_builds_byte_identical(site: Path, tmp_path: Path) -> None:
    """Another clone of the same commit, elsewhere: the same site, byte for byte."""
    again = edits_repo(tmp_path / "elsewhere" / "repo")
    code, messages, second = build(tmp_path / "second", again)
    assert code == 0, messages
    first, other = _digest(site), _digest(second)
    assert sorted(first) == sorted(other)
    assert [name for name in first if first[name] != other[name]] == []


@pytest.mark.parametrize("how", ["copy", "shallow"])
def test_without_history_the_build_succeeds_and_says_so(repo: Path, tmp_path: Path, how: str) -> None:
    if how == "copy":  # a folder that is not a repository
        content = tmp_path / "plain" / "content"
        shutil.copytree(repo, content)
    else:
        clone = tmp_path / "clone"
        subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.parent}", str(clone)], check=True)
        content = clone / "content"
    code, messages, site = build(tmp_path / "built", content)
    assert code == 0, messages
    for url in (PROJECT, UNIT):
        [section] = article(site, url).xpath('.//section[@class="gk-revisions"]')
        assert text_of(section) == "修订记录 修订记录不可用：生成本网站时没有取得内容的完整 git 历史。"
    assert "修订记录不可用" in text_of(article(site, "revisions/"))
    assert "fetch-depth: 0" in text_of(article(site, "revisions/"))
    feed = ET.parse(site / "feed.xml").getroot()
    assert all(not (e.findtext(f"{A}title") or "").startswith("修订：") for e in feed.findall(f"{A}entry"))


def test_a_file_not_yet_committed(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", f"file://{repo.parent}", str(clone)], check=True)
    extra = clone / "content" / "2022" / "extra.yml"
    extra.write_text(
        (clone / "content" / "2022" / "new.yml").read_text(encoding="utf-8").replace("信访专项经费", "未提交的项目"),
        encoding="utf-8",
    )
    code, messages, site = build(tmp_path / "built", clone / "content")
    assert code == 0, messages
    [section] = article(site, "2022/tonghaixian-renmin-xinfangju/wei-tijiao-dexiangmu/").xpath(
        './/section[@class="gk-revisions"]'
    )
    assert text_of(section) == "修订记录 暂无修订记录：本页的源文件尚未提交到内容仓库。"


# --- Author text reaching revision lines: escaped and masked ------------------------------------

HOSTILE_UNIT = """名称: 测试局
地区: [云南省, 玉溪市, 通海县]
联系电话: "{phone}"
"""
HOSTILE_PROJECT = """类型: 项目文本
单位: 测试局
年度: 2022
项目名称: "{name}"
{extra}资金安排:
  合计: {total}
  明细:
    - 名称: 会议费
      金额: 1万元
{rows}"""


def _hostile_repo(root: Path) -> Path:
    site = SITE_YML.replace(
        "内容仓库: https://git.example.com/org/content", '内容仓库: "https://git.example.com/a\\"b<i>"'
    )
    first: dict[str, bytes | None] = {
        "content/site.yml": site.encode(),
        "content/units/t.yml": HOSTILE_UNIT.format(phone="13812345678").encode(),
        "content/2022/x.yml": HOSTILE_PROJECT.format(
            name="<script>alert(1)</script>",
            extra='"<img src=x onerror=alert(2)>": 1\n',
            total="1万元",
            rows="",
        ).encode(),
    }
    second: dict[str, bytes | None] = {
        "content/units/t.yml": HOSTILE_UNIT.format(phone="13987654321").encode(),
        "content/2022/x.yml": HOSTILE_PROJECT.format(
            name="正常名称",
            extra="",
            total="2万元",
            rows='    - 名称: "<b>粗</b>&amp;"\n      金额: 1万元\n',
        ).encode(),
    }
    make_repo(root, [Commit(T0, "one", first), Commit(T0 + 86400, "two", second)])
    return root / "content"


def test_author_text_in_revision_lines_is_escaped_and_masked(tmp_path: Path) -> None:
    content = _hostile_repo(tmp_path / "repo")
    assert check_tree(content).errors == []
    code, messages, site = build(tmp_path / "built", content)
    assert code == 0, messages
    url = "2022/ceshiju/zhengchang-mingcheng/"
    _, entries = revisions_of(site, url)
    assert entries[0][1] == [
        "项目名称 “<script>alert(1)</script>” → “正常名称”",
        "资金安排.合计 10,000.00 元 → 20,000.00 元",
        "资金安排.明细 新增“<b>粗</b>&amp;”：10,000.00 元",
        "文字修改：<img src=x onerror=alert(2)>",
    ]
    page = article(site, url)
    assert page.xpath(".//img | .//b | .//script") == []  # all of it text, none of it markup
    recent = article(site, "revisions/")
    assert recent.xpath(".//img | .//b | .//script | .//i") == []
    _, unit = revisions_of(site, "units/ceshiju/")
    assert unit[0][1] == ["联系电话 “138****5678” → “139****4321”"]  # 隐私脱敏 as on the rest of the site
    everything = b"".join(p.read_bytes() for p in site.rglob("*") if p.suffix in (".html", ".xml"))
    assert b"13812345678" not in everything and b"13987654321" not in everything
    # the repository address is the author's too: an attribute, escaped
    [link] = page.xpath('.//section[@class="gk-revisions"]//ol//a')
    assert link.get("href", "").startswith('https://git.example.com/a"b<i>/blob/')
    feed = ET.parse(site / "feed.xml").getroot()
    summaries = [e.findtext(f"{A}summary") for e in feed.findall(f"{A}entry")]
    assert "联系电话 “138****5678” → “139****4321”" in summaries
    assert any(s and s.startswith("项目名称 “<script>alert(1)</script>” → “正常名称”；") for s in summaries)


def test_version_urls_by_host() -> None:
    rev = Revision("a" * 40, T0, "2022/年度 #1.yml", False)
    assert version_url("https://github.com/o/r", "content/", rev) == (
        f"https://github.com/o/r/blob/{'a' * 40}/content/2022/%E5%B9%B4%E5%BA%A6%20%231.yml"
    )
    assert version_url("https://gitlab.com/o/r.git", "", rev).startswith(f"https://gitlab.com/o/r/-/blob/{'a' * 40}/")
    assert version_url("https://codeberg.org/o/r/", "", rev).startswith(
        f"https://codeberg.org/o/r/src/commit/{'a' * 40}/"
    )
    assert version_url("https://gitee.com/o/r", "", rev).startswith(f"https://gitee.com/o/r/blob/{'a' * 40}/")


def test_without_content_repository_no_links(repo: Path, tmp_path: Path) -> None:
    """No 内容仓库 in site.yml: the list without links to earlier versions (the site keeps no copies)."""
    content = edits_repo(tmp_path / "repo", site_yml="网站名称: 测试站\n")
    code, messages, site = build(tmp_path / "built", content)
    assert code == 0, messages
    _, entries = revisions_of(site, PROJECT)
    assert [e[0] for e in entries] == ["2022-06-01", "2022-01-10", "2021-06-01", "2021-03-01"]
    assert links_of(site, PROJECT) == []
    html = lxml.html.tostring(article(site, PROJECT), encoding="unicode")
    assert "/blob/" not in html


def test_search_does_not_index_the_revisions(site: Path) -> None:
    """Every page has a 修订记录: its words would make every page a result for 修订, 首次发布, 元."""
    from generator.search.index import article_text

    html = (site / PROJECT / "index.html").read_bytes()
    assert "首次发布" in html.decode()
    text = article_text(html)
    assert "项目实施计划" in text or "资金安排" in text  # the article itself is indexed
    assert "首次发布" not in text and "修订记录" not in text and "35,000.00 元" not in text
