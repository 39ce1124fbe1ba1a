"""三、项目实施单位: the implementing unit's name, and the unit details some texts add there.

Seed 000 lists 单位名称, 组织机构代码, 地址, 联系电话, 法人代表, 经费来源 and 单位概况 with
the unit's duties. The content format keeps those in the unit profile (单位档案), so
they become a second draft, `units/<slug>.yml`; 经费来源 goes to 资金安排.资金来源.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.corpus.slugs import slugify
from generator.importer.draft import Draft, Node
from generator.importer.read import Line
from generator.importer.text import (
    LABEL_LINE,
    MARK_L3,
    Para,
    Tracker,
    paragraphs,
    squash,
    strip_marker,
    tidy,
)
from generator.importer.vocabulary import PROFILE_LABELS

NAME_LABELS = ("项目实施单位", "实施单位", "单位名称")
SOURCE_LABELS = ("经费来源", "资金来源")
REGION = re.compile(r"^(.{2,7}?(?:省|自治区))?(.{2,8}?(?:自治州|市|州|盟|地区))?(.{1,8}?(?:县|区|旗|市))?")


def _label(text: str) -> tuple[str, str] | None:
    m = LABEL_LINE.match(text)
    if not m:
        return None
    return squash(m.group(0)).rstrip(":："), tidy(text[m.end() :])


def implementer_section(d: Draft, body: Sequence[Line], tracker: Tracker) -> None:
    """Fill 项目实施单位 (and 资金安排.资金来源, and a unit-profile companion) from the section."""
    profile: dict[str, Node] = {}
    doubts: dict[str, str] = {}
    current: str | None = None
    for para in paragraphs(body):
        placed, current = _place(para, d, profile, doubts, current)
        if placed:
            tracker.use(range(para.first, para.last + 1))
    if len(profile) > 1 or (profile and "名称" not in profile):
        d.companions.append(_profile_draft(profile, doubts, str(d.data.get("项目实施单位", ""))))


def _place(
    para: Para, d: Draft, profile: dict[str, Node], doubts: dict[str, str], current: str | None
) -> tuple[bool, str | None]:
    """Put one paragraph where it belongs: (placed?, the profile field that later paragraphs continue)."""
    text = para.text
    label = _label(text)
    if label and (label[0] in NAME_LABELS or label[0] in SOURCE_LABELS or label[0] in PROFILE_LABELS):
        key, value = label
        value = value.rstrip("。.") if key not in ("单位概况", "单位简介") else value
        field_ = PROFILE_LABELS.get(key)
        if key in NAME_LABELS and value:
            d.put(("项目实施单位",), value)
            profile["名称"] = value
        elif key in SOURCE_LABELS and value:
            d.put(("资金安排", "资金来源"), value)
        elif field_ == "主要职能":
            profile.setdefault("主要职能", [])
            if value:
                _add_duty(profile, value)
        elif field_ and value:
            profile[field_] = value
            if key == "组织机构代码":
                doubts[field_] = "原文标为“组织机构代码”，请核对是否为18位统一社会信用代码"
        else:
            return False, None
        return True, field_ if field_ in ("单位概况", "主要职能") else None
    if current in ("单位概况", "主要职能") and MARK_L3.match(text):
        _add_duty(profile, strip_marker(text))
        return True, "主要职能"
    if current == "单位概况":
        profile["单位概况"] = f"{profile['单位概况']}\n\n{text}"
        return True, current
    if "项目实施单位" not in d.data and len(text) <= 40 and not label:
        d.put(("项目实施单位",), text.rstrip("。."))
        return True, None
    if label and label[0] == "项目实施单位" and "项目实施单位" not in d.data:
        d.put(("项目实施单位",), label[1].rstrip("。."))
        return True, None
    return False, current


def _add_duty(profile: dict[str, Node], text: str) -> None:
    duties = profile.setdefault("主要职能", [])
    assert isinstance(duties, list)
    duties.append(text)


def _profile_draft(profile: dict[str, Node], doubts: dict[str, str], implementer: str) -> Draft:
    d = Draft(None)
    name = str(profile.get("名称") or implementer)
    d.put(("名称",), name, None if name else "没有找到单位名称")
    m = REGION.match(name)
    region: list[Node] = [g for g in (m.groups() if m else ()) if g]
    d.put(("地区",), region, "地区按单位名称推测，请从省开始逐级填写，如 [云南省, 昆明市, 盘龙区]")
    for key, value in profile.items():
        if key != "名称":
            d.put((key,), value, doubts.get(key))
    d.label = f"单位档案：{name}"
    d.filename = f"units/{slugify(name, 'danwei')}.yml"
    return d
