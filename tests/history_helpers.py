"""A small content repository with known edits, made in one `git fast-import` (benchmarks/gitrepo.py).

The edits, commit by commit (content folder `content/` of the repository):
  1  2021-03-01  a unit, a project (合计 3万元: 会议费 0.5万元 + 差旅费 2.5万元), a targets table; README
  2  2021-06-01  project: 合计 → 3.5万元, row 印刷费 0.5万元 added, 项目基本概况 written
  3  2021-09-01  README only (not a revision of any page)
  4  2022-01-10  project moved to 2022/tonghai/xinfang.yml and renamed (→ 信访专项经费), 差旅费 removed
                 (合计 → 1万元); targets: 满意度 ≥90% → ≥95%, a row added
  5  2022-05-01  unit renamed (→ 通海县人民信访局, old name kept as 别名): every page of it moves;
                 targets pinned (网址: mubiao-guding)
  6  2022-06-01  project renamed again (→ 信访专项经费（更正）): a chain of four addresses;
                 targets renamed (→ 信访目标管理经费): its pinned address stays
  7  2022-07-01  a new project takes the project's previous name (信访专项经费): that old address
                 is the new page's
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from benchmarks.gitrepo import Commit, make_repo

DAY = 86400
T0 = 1614564000  # 2021-03-01 10:00 +08:00


def _yaml(text: str) -> bytes:
    return textwrap.dedent(text).lstrip("\n").encode()


UNIT = """
名称: {name}
{alias}地区: [云南省, 玉溪市, 通海县]
"""

PROJECT = """
类型: 项目文本
单位: 通海县信访局
年度: 2022
项目名称: {name}
{overview}资金安排:
  合计: {total}
  明细:
{lines}"""

TARGETS = """
类型: 绩效目标表
单位: 通海县信访局
年度: 2022
项目名称: {name}
{pin}基本信息:
  本年度预算金额: 2万元
绩效指标:
  产出指标:
    数量指标:
      - 名称: 接访次数
        指标值: ">=30次"
{extra}  满意度指标:
    服务对象满意度指标:
      - 名称: 群众满意度
        指标值: "{satisfaction}"
"""


def _unit(name: str, alias: str = "") -> bytes:
    return _yaml(UNIT.format(name=name, alias=f"别名: [{alias}]\n" if alias else ""))


def _project(name: str, total: str, lines: list[tuple[str, str]], overview: str = "") -> bytes:
    rows = "".join(f"    - 名称: {n}\n      金额: {a}\n" for n, a in lines)
    head = f"项目基本概况: {overview}\n" if overview else ""
    return _yaml(PROJECT.format(name=name, overview=head, total=total, lines=rows))


def _targets(name: str, satisfaction: str, extra: bool = False, pin: str = "") -> bytes:
    more = '      - 名称: 办结率\n        指标值: ">=95%"\n' if extra else ""
    return _yaml(TARGETS.format(name=name, satisfaction=satisfaction, extra=more, pin=f"网址: {pin}\n" if pin else ""))


OLD, MOVED = "content/2022/ok.yml", "content/2022/tonghai/xinfang.yml"
TARGETS_FILE, NEW_FILE = "content/2022/mubiao.yml", "content/2022/new.yml"
UNIT_FILE = "content/units/tonghai.yml"
LINES = [("会议费", "0.5万元"), ("差旅费", "2.5万元")]
LINES2 = [("会议费", "0.5万元"), ("差旅费", "2.5万元"), ("印刷费", "0.5万元")]
LINES4 = [("会议费", "0.5万元"), ("印刷费", "0.5万元")]

COMMITS = [
    Commit(
        T0,
        "first publication",
        {
            UNIT_FILE: _unit("通海县信访局"),
            OLD: _project("信访专项工作经费专项资金", "3万元", LINES),
            TARGETS_FILE: _targets("信访目标经费", "≥90%"),
            "README.md": b"content\n",
        },
    ),
    Commit(T0 + 92 * DAY, "figures", {OLD: _project("信访专项工作经费专项资金", "3.5万元", LINES2, "用于信访工作。")}),
    Commit(T0 + 184 * DAY, "readme", {"README.md": b"content, edited\n"}),
    Commit(
        T0 + 315 * DAY,
        "move and rename",
        {
            MOVED: _project("信访专项经费", "1万元", LINES4, "用于信访工作。"),
            TARGETS_FILE: _targets("信访目标经费", "≥95%", extra=True),
        },
        renames=[(OLD, MOVED)],
    ),
    Commit(
        T0 + 426 * DAY,
        "unit renamed, pin",
        {
            UNIT_FILE: _unit("通海县人民信访局", alias="通海县信访局"),
            TARGETS_FILE: _targets("信访目标经费", "≥95%", extra=True, pin="mubiao-guding"),
        },
    ),
    Commit(
        T0 + 457 * DAY,
        "chain, pinned rename",
        {
            MOVED: _project("信访专项经费（更正）", "1万元", LINES4, "用于信访工作。"),
            TARGETS_FILE: _targets("信访目标管理经费", "≥95%", extra=True, pin="mubiao-guding"),
        },
    ),
    Commit(
        T0 + 487 * DAY,
        "old name reused",
        {NEW_FILE: _project("信访专项经费", "2万元", [("会议费", "2万元")])},
    ),
]

SITE_YML = "网站名称: 测试站\n网站域名: test.example.gov.cn\n内容仓库: https://git.example.com/org/content\n"


def edits_repo(root: Path, commits: int = len(COMMITS), site_yml: str = SITE_YML) -> Path:
    """The repository after the first `commits` commits (site.yml added with the first); its content folder."""
    chosen = [Commit(c.time, c.message, dict(c.files), c.renames) for c in COMMITS[:commits]]
    chosen[0].files["content/site.yml"] = site_yml.encode()
    make_repo(root, chosen)
    return root / "content"
