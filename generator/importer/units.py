"""The drafted 单位 matched against the unit profiles of `content/units`.

A draft's unit is kept when it is a profile's 名称 or one of its 别名. Otherwise the
profiles whose name ends with it (`信访局` → `庐山市信访局`) are candidates, and the one
whose place (the part of its name before the unit, or an entry of its 地区) the text
repeats most is taken, marked 待核对 with the reason. With no candidate the unit stays
as drafted.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from generator.importer.draft import Draft
from generator.importer.read import Line

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Profile:
    name: str
    aliases: tuple[str, ...]
    places: tuple[str, ...]


@dataclass
class UnitIndex:
    profiles: list[Profile] = field(default_factory=list)

    @classmethod
    def load(cls, units_dir: Path) -> UnitIndex:
        """The profiles under `units_dir`; a profile that cannot be read is skipped (check reports it)."""
        index = cls()
        yaml = YAML(typ="safe")
        for path in sorted(units_dir.glob("*.yml")):
            try:
                data = yaml.load(path.read_text(encoding="utf-8"))
            except Exception as exc:  # a broken profile must not stop an import
                log.info("跳过单位档案 %s：%s", path, exc)
                continue
            if not isinstance(data, dict) or not isinstance(data.get("名称"), str):
                continue
            aliases = tuple(str(a) for a in data.get("别名") or () if isinstance(a, str | int))
            places = tuple(str(p) for p in data.get("地区") or () if isinstance(p, str))
            index.profiles.append(Profile(data["名称"], aliases, places))
        return index

    def match(self, draft: Draft, lines: Sequence[Line]) -> None:
        unit = str(draft.data.get("单位", "")).strip()
        if not unit or not self.profiles:
            return
        for p in self.profiles:
            if unit in (p.name, *p.aliases):
                if p.name == unit and ("单位",) in draft.doubts and draft.doubts[("单位",)].startswith("原文只写"):
                    draft.doubts.pop(("单位",))
                return
        candidates = [p for p in self.profiles if any(n.endswith(unit) and n != unit for n in (p.name, *p.aliases))]
        if not candidates:
            return
        text = "".join(ln.text for ln in lines)
        best = max(candidates, key=lambda p: _mentions(p, unit, text))
        count, place = _mentions(best, unit, text)
        if count == 0 and len(candidates) > 1:
            return
        where = (
            f"原文多次提到的“{place}”" if count > 1 else f"原文提到的“{place}”" if count else "唯一名称相符的单位档案"
        )
        draft.put(("单位",), best.name, f"原文只写“{unit}”；按{where}取单位档案“{best.name}”")


def _mentions(p: Profile, unit: str, text: str) -> tuple[int, str]:
    """How often the text names the profile's place, and that place."""
    places = [n[: -len(unit)] for n in (p.name, *p.aliases) if n.endswith(unit) and n != unit]
    places += [re.sub(r"(?:省|市|县|区|州|自治州)$", "", pl) for pl in p.places[-1:]]
    counts = [(text.count(pl), pl) for pl in places if len(pl) >= 2]
    return max(counts, default=(0, ""))
