"""`gongkai new`: a disclosure or unit profile with every key, each explained in a comment.

The scaffold is generated from `fields.py`, the same declarations the validator and
the JSON Schema use, so it always lists exactly the keys `gongkai check` accepts.
Placeholders are empty values: `gongkai check` accepts an empty optional key and
names every empty required one (`“项目名称”不能为空`), so an unfilled scaffold
cannot be published by mistake. The first line points editors (VS Code with the YAML
extension) at the JSON Schema, for completion and underlining while typing.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path

from generator.corpus import fields as F
from generator.corpus.model import Kind
from generator.corpus.slugs import slugify

log = logging.getLogger(__name__)

INDENT = "  "
SCHEMA_DIR = "schema"  # beside the content folder: <repo>/schema/*.schema.json
KIND_ALIASES = {
    **{k.value: k for k in Kind},
    "自评报告": Kind.SELF_EVALUATION,
    "整体自评报告": Kind.SELF_EVALUATION,
    "目标表": Kind.TARGETS,
    "自评表": Kind.PROJECT_EVALUATION,
    "项目自评表": Kind.PROJECT_EVALUATION,
    **{k.slug: k for k in Kind},
}
UNIT_ALIASES = ("unit", "单位", "单位档案")

# The indicator tree a scaffold starts with: every 一级 with its usual 二级 (one empty row each).
SCAFFOLD_LEVEL2 = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("社会效益指标",),
    "满意度指标": ("服务对象满意度指标",),
}
SPENDING_SCAFFOLD = F.SPENDING_CATEGORIES  # 支出构成 starts with one item per category

_TYPE_HINTS = {
    F.MONEY: "金额必须带单位，如 535000元、53.5万元",
    F.DATE: "日期，如 2022-01-01",
    F.MONTH: "日期，如 2023-06-20，也可只写到月：2023-06",
    F.YESNO: "填 是 或 否",
    F.LONGTEXT: "长文字，写法见文件开头",
    F.TEXTS: "列表，每项一行，以“- ”开头",
    F.SCORE: "分数，写数字，如 10 或 9.5",
    F.PERCENT: "百分比，照原表的小数位数，如 95.00%",
    F.GRADE: "填 优、良、中 或 差",
}
_PLAIN = re.compile(r"^[^\s:#\[\]{},&*!|>'\"%@`?-][^:#]*$")

HEADER = """\
# {title}（由 gongkai new 生成）
# 怎么填：每个键上方的注释说明要填什么。标“必填”的必须填写；标“可选”的不需要时留空或整行删除。
# 金额必须带单位（如 535000元、53.5万元）；日期写成 2022-01-01。
# 长文字可以直接写在冒号后面；有多段时写成“键: |”，下一行起缩进两格，段与段之间空一行；
# 原文有（一）（二）……小标题时，写成条目列表：
#   立项依据:
#     - 标题: 小标题（不写编号）
#       内容: 正文
# 写完后在命令行运行 gongkai check，它会一次列出所有问题（文件:行:列: 键路径: 说明）。
# 格式说明见 docs/authors/ 和 docs/content-format.md。
"""


def parse_kind(text: str) -> Kind | None:
    """`项目文本` / `自评报告` / `xiangmu` … → Kind; None for `unit` (a profile) or unknown text."""
    return KIND_ALIASES.get(text.strip())


def scalar(value: str | int) -> str:
    """A YAML scalar that reads back as exactly `value` (quoted when YAML would misread it)."""
    if isinstance(value, int):
        return str(value)
    if _PLAIN.match(value) and value == value.strip() and value not in {"是", "否", "null", "true", "false"}:
        return value
    return json.dumps(value, ensure_ascii=False)


def _comment(field: F.Field, indent: str) -> list[str]:
    need = "必填" if field.required else "可选"
    hint = _TYPE_HINTS.get(field.type)
    if need in field.help:  # the help already says it, e.g. “九、项目绩效目标表（可选）”
        text = f"{field.help}{'（' + hint + '）' if hint else ''}"
    else:
        text = f"{field.help}（{need}{'；' + hint if hint else ''}）"
    if field.example:
        text += f"，例如：{field.example}"
    return [f"{indent}# {text}"]


def _fields(fields: Sequence[F.Field], depth: int, values: dict[str, str | int]) -> list[str]:
    out: list[str] = []
    for field in fields:
        out.extend(_field(field, depth, values))
    return out


def _field(field: F.Field, depth: int, values: dict[str, str | int]) -> list[str]:
    indent = INDENT * depth
    out = _comment(field, indent)
    key = f"{indent}{field.key}:"
    if field.type == F.MAP:
        return [*out, key, *_fields(field.children, depth + 1, {})]
    if field.type == F.LIST:
        return [*out, key, *_list_items(field, depth + 1)]
    if field.type in (F.INDICATORS, F.RESULTS):
        return [*out, key, *_indicators(field, depth + 1)]
    if field.type == F.SECTIONS:
        return [*out, key, *_sections(depth + 1)]
    value = values.get(field.key)
    return [*out, key if value is None else f"{key} {scalar(value)}"]


def _item(
    children: Sequence[F.Field], depth: int, values: dict[str, str | int] | None = None, comments: bool = True
) -> list[str]:
    """One list item: the first key after “- ”, the others aligned under it (comments on the first item only)."""
    lines = _fields(children, depth + 1, values or {})
    if not comments:
        lines = [line for line in lines if not line.lstrip().startswith("#")]
    dash = INDENT * depth + "- "
    for i, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            lines[i] = INDENT * depth + line.lstrip()  # comments above the dash line sit at its indentation
            continue
        lines[i] = dash + line[len(dash) :]
        break
    return lines


def _list_items(field: F.Field, depth: int) -> list[str]:
    children = field.children[0].children
    if field.children[0] is F.SPENDING_PART:
        out = []
        for i, name in enumerate(SPENDING_SCAFFOLD):
            out.extend(_item(children, depth, {"名称": name}, comments=i == 0))
        return out
    return _item(children, depth)


def _indicators(field: F.Field, depth: int) -> list[str]:
    indent = INDENT * depth
    allowed = "；".join(f"{l1}：{'、'.join(l2)}" for l1, l2 in F.LEVEL1.items())
    out = [f"{indent}# 一级指标 → 二级指标 → 三级指标列表。可用的一级、二级指标：{allowed}。用不到的整段删除。"]
    if field.type == F.RESULTS:
        out.append(f"{indent}# 原表一级指标带分值时照写，如 产出指标(50分)；各三级指标的分值之和须等于它。")
    row = field.children[0].children
    first = True
    for level1, level2s in SCAFFOLD_LEVEL2.items():
        out.append(f"{indent}{level1}:")
        for level2 in level2s:
            out.append(f"{indent}{INDENT}{level2}:")
            out.extend(_item(row, depth + 2, comments=first))
            first = False
    return out


def _sections(depth: int) -> list[str]:
    indent = INDENT * depth
    out = [f"{indent}# 报告正文按原文提纲分级：每节写 标题、内容，下一级写在 小节 里（网站自动编号 一、（一）1.）"]
    children = tuple(f for f in F.SECTION.children if f.type != F.SECTIONS)
    return out + _item(children, depth)


def disclosure_yaml(kind: Kind, unit: str, year: int, name: str | None = None, schema: str | None = None) -> str:
    """The scaffold of one disclosure of `kind`; `schema` is the JSON Schema path relative to the file."""
    values: dict[str, str | int] = {"类型": kind.value, "单位": unit, "年度": year}
    if name:
        values["项目名称"] = name
    lines = [f"# yaml-language-server: $schema={schema}"] if schema else []
    lines.append(HEADER.format(title=_kind_title(kind)).rstrip("\n"))
    lines.append("")
    lines += _fields(F.COMMON, 0, values)
    lines.append("")
    lines += _fields(F.KINDS[kind.value], 0, values)
    return "\n".join(lines) + "\n"


def unit_yaml(name: str, region: Sequence[str] = (), schema: str | None = None) -> str:
    """The scaffold of a unit profile (单位档案)."""
    lines = [f"# yaml-language-server: $schema={schema}"] if schema else []
    lines.append(HEADER.format(title="单位档案").rstrip("\n"))
    lines.append("")
    for field in F.UNIT.children:
        if field.key == "地区" and region:
            lines += _comment(field, "")
            lines.append("地区: [" + ", ".join(scalar(r) for r in region) + "]")
        else:
            lines += _field(field, 0, {"名称": name} if name else {})
    return "\n".join(lines) + "\n"


def site_yaml(values: dict[str, str | int], schema: str | None = None) -> str:
    """The scaffold of content/site.yml (网站设置, `gongkai init`): every key, each explained in a comment."""
    lines = [f"# yaml-language-server: $schema={schema}"] if schema else []
    lines.append("# 网站设置（由 gongkai init 生成）。每个键上方的注释说明要填什么；不需要的键留空或整行删除。")
    lines.append(
        "# 改完后运行 gongkai check。“格式版本”是 gongkai 读本网站内容所用的格式，升级 gongkai 时按其更新记录修改。"
    )
    lines.append("")
    lines += _fields(F.SITE.children, 0, values)
    return "\n".join(lines) + "\n"


def schema_ref(target: Path, content: Path, schema_file: str) -> str:
    """Path from `target`'s folder to <content>/../schema/<schema_file>, '/'-separated."""
    schema = content.resolve().parent / SCHEMA_DIR / schema_file
    return Path(os.path.relpath(schema, target.resolve().parent)).as_posix()


def split_region(text: str) -> list[str]:
    return [p for p in re.split(r"[/／,，、\s]+", text.strip()) if p]


def disclosure_path(content: Path, unit: str, year: int, kind: Kind, name: str | None) -> Path:
    stem = slugify(name) if name else kind.slug
    return content / str(year) / slugify(unit) / f"{stem}.yml"


def run_new(
    kind_text: str,
    unit: str | None,
    year: int | None,
    name: str | None,
    region: str | None,
    content: Path,
    output: Path | None,
    force: bool = False,
) -> int:
    """`gongkai new`: write a scaffold and say where; never overwrites without --force."""
    is_unit = kind_text.strip().lower() in UNIT_ALIASES
    kind = None if is_unit else parse_kind(kind_text)
    if not is_unit and kind is None:
        choices = "、".join([k.value for k in Kind] + ["自评报告", "单位"])
        log.error("不认识的类型“%s”；可选：%s", kind_text, choices)
        return 2
    if is_unit:
        unit_name = unit or name
        if not unit_name:
            log.error(
                "请用 --unit 写上单位名称，如：gongkai new 单位 --unit 盘龙区信访局 --region 云南省/昆明市/盘龙区"
            )
            return 2
        target = output or content / "units" / f"{slugify(unit_name)}.yml"
        text = unit_yaml(unit_name, split_region(region or ""), schema_ref(target, content, "unit.schema.json"))
    else:
        assert kind is not None
        if not unit or year is None:
            log.error("请写上单位和年度，如：gongkai new %s --unit 盘龙区信访局 --year 2023", kind.value)
            return 2
        target = output or disclosure_path(content, unit, year, kind, name)
        ref = schema_ref(target, content, "disclosure.schema.json")
        text = disclosure_yaml(kind, unit, year, name, ref)
    if target.exists() and not force:
        log.error("%s 已存在，未覆盖（确实要覆盖请加 --force）", target)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    log.info("已生成 %s：按注释填写后运行 gongkai check %s", target, content)
    return 0


# --- The key reference (docs/authors/keys.md) ---------------------------------------------------

_TYPE_NAMES = {
    F.TEXT: "文字",
    F.LONGTEXT: "长文字（一段，或“标题/内容”条目列表）",
    F.MONEY: "金额（带单位）",
    F.DATE: "日期",
    F.MONTH: "日期（可只写到月）",
    F.YEAR: "四位年份",
    F.YESNO: "是 / 否",
    F.TEXTS: "文字列表",
    F.MAP: "下级键",
    F.LIST: "列表，每项含下级键",
    F.INDICATORS: "一级指标 → 二级指标 → 三级指标列表",
    F.SECTIONS: "章节列表（标题、内容、小节）",
    F.KIND: "项目文本 / 绩效目标表 / 整体绩效自评报告 / 项目支出绩效自评表",
    F.SCORE: "分数（数字）",
    F.PERCENT: "百分比（如 95.00%）",
    F.GRADE: "优 / 良 / 中 / 差",
    F.RESULTS: "一级指标（可带分值）→ 二级指标 → 三级指标列表",
    F.VERSION: "正整数",
}


def key_rows(fields: Sequence[F.Field], prefix: str = "") -> list[tuple[str, bool, str, str]]:
    """(key path, required, type, help) for every key under `fields`, depth first, in template order."""
    out = []
    for f in fields:
        path = f"{prefix}{f.key}"
        out.append((path, f.required, _TYPE_NAMES[f.type], f.help))
        if f.type == F.MAP:
            out += key_rows(f.children, f"{path}.")
        elif f.type == F.LIST:
            out += key_rows(f.children[0].children, f"{path}[].")
        elif f.type in (F.INDICATORS, F.RESULTS):
            out += key_rows(f.children[0].children, f"{path}.<一级指标>.<二级指标>[].")
        elif f.type == F.SECTIONS:
            out += key_rows([c for c in F.SECTION.children if c.type != F.SECTIONS], f"{path}[].")
            out.append((f"{path}[].小节", False, _TYPE_NAMES[F.SECTIONS], "下一级小节，写法与本级相同"))
    return out


def _kind_title(kind: Kind) -> str:
    return kind.value if kind.value == kind.official_name else f"{kind.value}（{kind.official_name}）"


def key_reference() -> str:
    """docs/authors/keys.md: every key of every file, generated from fields.py."""
    sections = [
        ("网站设置 `content/site.yml`", F.SITE.children),
        ("单位档案 `content/units/*.yml`", F.UNIT.children),
        ("公开文本的通用键（四类都有）", F.COMMON),
        *((_kind_title(kind), F.KINDS[kind.value]) for kind in Kind),
    ]
    out = [
        "# 全部键一览",
        "",
        "<!-- 本文件由 fields.py 生成，请勿手改：.venv/bin/python -m generator.commands.new > docs/authors/keys.md -->",
        "",
        "本页列出每种文件可以写的全部键，与 `gongkai check` 和编辑器自动补全用的是同一份定义。"
        "键路径中的 `.` 表示下一级，`[]` 表示列表中的每一项。写法和例子见[内容格式](../content-format.md)。",
    ]
    for title, fields in sections:
        out += ["", f"## {title}", "", "| 键路径 | 必填 | 写法 | 说明 |", "|---|---|---|---|"]
        for path, required, kind, help_ in key_rows(fields):
            out.append(f"| `{path}` | {'是' if required else ''} | {kind} | {help_} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(key_reference())
