"""Stage 2: a content folder → a validated `Corpus`, or every located problem at once.

Gather, then judge: every file is loaded and converted before anything is
decided, so one run lists all mistakes. Nothing here writes anything.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from generator.corpus import fields as F
from generator.corpus import version
from generator.corpus.accountability import link
from generator.corpus.convert import Reader, only
from generator.corpus.errors import Problem
from generator.corpus.kinds import build_body
from generator.corpus.load import MAX_FILE_BYTES, Map, load_file
from generator.corpus.model import (
    Body,
    Corpus,
    Date,
    Disclosure,
    Kind,
    SiteConfig,
    Source,
    Unit,
)
from generator.corpus.slugs import slugify
from generator.corpus.urls import PageKey, assign, disclosure_base, disclosure_key, slug_problem, unit_key, unit_names
from generator.store import Store

log = logging.getLogger(__name__)

YAML_SUFFIXES = (".yml", ".yaml")
# 原文链接 is published as a link: only web addresses (never javascript:, data:, file:, …).
WEB_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
# 网站域名 goes into absolute URLs of the feed and sitemap: a host name, optionally with https://.
SITE_DOMAIN = re.compile(r"(?:https?://)?[\w-]+(?:\.[\w-]+)*(?::[0-9]{1,5})?/?", re.IGNORECASE)
MAX_REGION_LEVELS = 5
MAX_NAME_BYTES = 200  # file systems allow 255; the site adds ".html"
SITE_FILE = "site.yml"
UNITS_DIR = "units"


@dataclass
class CheckResult:
    corpus: Corpus | None  # None when there are errors
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    files: int = 0
    raw: dict[str, bytes] = field(default_factory=dict)  # the bytes of each file read, by relative path


@dataclass
class _Draft:
    """A disclosure whose body is built but whose unit and slug are not yet resolved."""

    rel: str
    kind: Kind
    unit_label: str
    unit_src: Source
    year: int
    body: Body | None  # None when the file has problems: only its 单位 is still resolved
    meta: dict[str, Any]
    pin_src: Source | None = None  # where 网址 is written


def is_web_url(text: str | None) -> bool:
    """True for an http(s) address: the only kind of author-written link the site publishes."""
    return text is not None and WEB_URL.fullmatch(text) is not None


def content_files(root: Path) -> tuple[Path | None, list[Path], list[Path]]:
    """(site.yml, unit profiles, disclosures), each sorted; hidden folders are skipped."""
    site = root / SITE_FILE
    units: list[Path] = []
    disclosures: list[Path] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or path.suffix not in YAML_SUFFIXES or path == site:
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue
        (units if rel.parts[0] == UNITS_DIR else disclosures).append(path)
    return (site if site.is_file() else None), units, disclosures


@dataclass
class CheckCache:
    """What one run's checks remember between checks of the same tree (`mkdocs serve` checks after every save).

    `files`: each file's judgement, keyed by file and judge, valid while its bytes' digest is the same.
    `units`, `disclosures`: the model objects of the last check, handed back when a later check
    builds an equal one, so that pages, data and files made from an unchanged object are recognised
    by identity (site/render.py, data/downloads.py). `slugs`: `slugify` by name (pypinyin is a tenth
    of a check). A fresh CheckCache is a cold check.

    `store`: the persistent cache (generator/store): the judgements of the last check of this
    code are read from it when `files` is empty (a fresh process) and written back after a check
    that judged any file anew — one pickle of all of them, each entry still valid only while
    its file's digest is the same.
    """

    files: dict[tuple[Path, Path, str], tuple[bytes, Any, list[Problem], list[Problem]]] = field(default_factory=dict)
    units: dict[str, Unit] = field(default_factory=dict)
    disclosures: dict[str, tuple[_Draft, Unit, str, Disclosure]] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)
    store: Store | None = None
    judged: int = 0  # files judged anew by the last check (not taken from a cache)

    def slug(self, name: str) -> str:
        """`slugify(name)`, remembered."""
        slug = self.slugs.get(name)
        if slug is None:
            if len(self.slugs) > 200_000:
                self.slugs.clear()
            slug = self.slugs[name] = slugify(name)
        return slug

    def keep(self, paths: set[Path]) -> None:
        """Forget the files that are gone (deleted or renamed since the last check)."""
        self.files = {k: v for k, v in self.files.items() if k[1] in paths}

    def _ref(self) -> str:
        assert self.store is not None
        return f"check-{self.store.code.hex()}"

    def load(self, root: Path) -> None:
        """The stored judgements of the files under `root`, if any (a damaged or unreadable pack: none)."""
        if self.store is None or self.files:
            return
        name = self.store.ref(self._ref())
        body = self.store.get(name) if name else None
        if body is None:
            return
        try:
            stored = pickle.loads(body)  # the user's own cache folder, digest-checked (generator/store)
            self.files = {(root, root / rel, judge): entry for (rel, judge), entry in stored.items()}
        except Exception:  # written by other code (renamed classes, …): judged again
            log.debug("检查缓存不可用，重新检查", exc_info=True)
            self.files = {}

    def save(self, root: Path) -> None:
        """Store the judgements of this check (only when some file was judged anew or has gone)."""
        if self.store is None:
            return
        packed = {(_rel(r, p), judge): entry for (r, p, judge), entry in self.files.items() if r == root}
        body = pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)
        name = self.store.key_of("check", body)
        self.store.put(name, body)
        self.store.set_ref(self._ref(), name)


def check_tree(root: Path, cache: CheckCache | None = None) -> CheckResult:
    """Load and validate everything under `root`; `cache` is a previous check's memory (None: a cold check)."""
    cache = cache if cache is not None else CheckCache()
    result = CheckResult(None)
    if not root.is_dir():
        result.errors.append(Problem(Source(str(root), 0, 0), "", "找不到内容文件夹"))
        return result
    site_path, unit_paths, disclosure_paths = content_files(root)
    result.files = len(unit_paths) + len(disclosure_paths) + (site_path is not None)
    if not unit_paths and not disclosure_paths:
        message = "文件夹里没有内容：需要 units/ 下的单位档案和公开文本 .yml 文件"
        result.errors.append(Problem(Source(str(root), 0, 0), "", message))
        return result

    site = _site(root, site_path, result)
    if not version.supported(site.format_version):  # the other files are in a format this gongkai does not know
        return result
    cache.load(root)
    before, cache.judged = len(cache.files), 0
    units = [u for p in unit_paths if (u := _cached(cache, _unit, root, p, result)) is not None]
    drafts = [d for p in disclosure_paths if (d := _cached(cache, _draft, root, p, result)) is not None]
    cache.keep({*unit_paths, *disclosure_paths})
    if cache.judged or len(cache.files) != before:
        cache.save(root)
    units = _assign_unit_slugs(cache, units, result)
    disclosures = _resolve(cache, drafts, units, result)
    result.warnings.extend(link(disclosures).warnings)  # a 自评表 without (one) target to compare with
    result.errors.sort()
    result.warnings.sort()
    if not result.errors:
        result.corpus = Corpus(site, tuple(units), tuple(disclosures), tuple(result.warnings))
    return result


T = TypeVar("T")
Judge = Callable[[Path, Path, "CheckResult"], T | None]


def _cached(cache: CheckCache, judge: Judge[T], root: Path, path: Path, result: CheckResult) -> T | None:
    """`judge(root, path, result)`, remembered while the file's bytes stay the same.

    Keyed by a digest of the content, not by mtime/size: two saves within one timestamp
    tick, or an edit that keeps the size, are still seen. Reading a file is ~1% of judging it.
    """
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError:
        return judge(root, path, result)
    digest = hashlib.blake2b(data, digest_size=16).digest()
    if len(data) <= MAX_FILE_BYTES:
        result.raw[_rel(root, path)] = data  # for the published copies (build.content_sources)
    key = (root, path, judge.__name__)
    hit = cache.files.get(key)
    if hit is not None and hit[0] == digest:
        result.errors.extend(hit[2])
        result.warnings.extend(hit[3])
        return hit[1]  # type: ignore[no-any-return]
    scratch = CheckResult(None)
    value = judge(root, path, scratch)
    cache.judged += 1
    if not path.is_symlink():  # a link's judgement depends on its target's place, not only its bytes
        cache.files[key] = (digest, value, scratch.errors, scratch.warnings)
    result.errors.extend(scratch.errors)
    result.warnings.extend(scratch.warnings)
    return value


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path != root else ""


def _read(root: Path, path: Path, result: CheckResult) -> tuple[Map | None, Reader]:
    rel = _rel(root, path)
    reader = Reader(rel)
    if len(path.name.encode()) > MAX_NAME_BYTES:  # published as <name>.html: must stay a valid file name
        message = f"文件名过长（{len(path.name.encode())} 字节），最多 {MAX_NAME_BYTES} 字节，请改短"
        result.errors.append(Problem(Source(rel, 1, 1), "", message))
        return None, reader
    if path.is_symlink() and root.resolve() not in path.resolve().parents:
        message = "这是指向内容文件夹以外的符号链接，不能作为内容发布；请把文件本身放进内容文件夹"
        result.errors.append(Problem(Source(rel, 1, 1), "", message))
        return None, reader
    node, problems = load_file(path, rel)
    result.errors.extend(problems)
    if node is not None and not isinstance(node, Map):
        result.errors.append(Problem(Source(rel, node.line, node.col), "", "文件的最外层应为“键: 值”的形式"))
        return None, reader
    return node, reader


def _finish(reader: Reader, result: CheckResult) -> bool:
    result.errors.extend(reader.problems)
    result.warnings.extend(reader.warnings)
    return not reader.problems


def _site(root: Path, path: Path | None, result: CheckResult) -> SiteConfig:
    if path is None:
        return SiteConfig()
    node, reader = _read(root, path, result)
    if node is None:
        return SiteConfig()
    v = reader.read_map(node, F.SITE.children, "")
    format_version = v.get("格式版本", version.DEFAULT_FORMAT)
    if (problem := version.format_problem(format_version, version.pinned_requirement(root.parent))) is not None:
        reader.problems = [Problem(reader.src(node.items["格式版本"]), "格式版本", problem)]  # alone: keys may be new
        _finish(reader, result)
        return SiteConfig(format_version=format_version)
    if v.get("网站域名") and not SITE_DOMAIN.fullmatch(v["网站域名"]):
        reader.error(node.items["网站域名"], "网站域名", "网站域名应为网站的域名，如 yusuan.example.gov.cn")
    if v.get("内容仓库") and not is_web_url(v["内容仓库"]):
        message = "内容仓库应为仓库的网页地址，以 https:// 开头，如 https://gitee.com/example/yusuan"
        reader.error(node.items["内容仓库"], "内容仓库", message)
        del v["内容仓库"]
    _finish(reader, result)
    defaults = SiteConfig()
    return SiteConfig(
        name=v.get("网站名称") or defaults.name,
        description=v.get("网站简介") or defaults.description,
        domain=v.get("网站域名") or None,
        sponsor=v.get("主办单位") or None,
        contact=v.get("联系方式") or None,
        site_code=v.get("网站标识码") or None,
        icp=v.get("ICP备案号") or None,
        police=v.get("公安备案号") or None,
        mask_private=bool(v.get("隐私脱敏", True)),  # personal data masked unless the site says 否
        format_version=format_version,
        repository=v.get("内容仓库") or None,
    )


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_problem(code: str) -> str | None:
    """Why a 统一社会信用代码 is invalid (GB 32100-2015), or None if it is valid."""
    code = code.strip().upper()
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，实际 {len(code)} 位"
    bad = [c for c in code if c not in _USCC_CHARS]
    if bad:
        return f"统一社会信用代码含有不允许的字符“{bad[0]}”（不使用 I、O、Z、S、V）"
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    expected = _USCC_CHARS[(31 - total % 31) % 31]
    if code[17] != expected:
        return f"统一社会信用代码校验位不对：按前 17 位计算应为“{expected}”，请核对是否抄错"
    return None


def _unit(root: Path, path: Path, result: CheckResult) -> Unit | None:
    node, reader = _read(root, path, result)
    if node is None:
        return None
    v = reader.read_map(node, F.UNIT.children, "")
    code = v.get("统一社会信用代码") or None
    if code and (why := uscc_problem(code)):
        reader.error(node.items["统一社会信用代码"], "统一社会信用代码", why)
    if "地区" in v and not v["地区"]:
        reader.error(node.items["地区"], "地区", "地区至少写一级（省）")
    elif len(v.get("地区", ())) > MAX_REGION_LEVELS:  # each level is a folder of the site: keep paths short
        levels = "省 → 市/州 → 县/区 → 乡镇/街道 → 村/社区"
        message = f"地区最多写 {MAX_REGION_LEVELS} 级（{levels}），这里写了 {len(v['地区'])} 级"
        reader.error(node.items["地区"], "地区", message)
    pin = _pin(node, v, reader)
    if not _finish(reader, result) or "名称" not in v or not v.get("地区"):
        return None
    return Unit(
        name=v["名称"],
        aliases=tuple(v.get("别名", ())),
        region=tuple(v["地区"]),
        slug="",
        src=Source(reader.rel, node.line, node.col),
        credit_code=code.upper() if code else None,
        address=v.get("地址") or None,
        phone=v.get("联系电话") or None,
        legal_rep=v.get("法定代表人") or None,
        overview=v.get("单位概况") or None,
        functions=tuple(v.get("主要职能", ())),
        example=bool(v.get("示例单位", False)),
        pin=pin,
        pin_src=reader.src(node.items["网址"]) if pin else None,
    )


def _pin(node: Map, values: dict[str, Any], reader: Reader) -> str | None:
    """The 网址 written in a file, when it is a valid slug (reported, located, when it is not)."""
    pin: str | None = values.get("网址") or None
    if pin is not None and (why := slug_problem(pin)):
        reader.error(node.items["网址"], "网址", why)
        return None
    return pin


def _draft(root: Path, path: Path, result: CheckResult) -> _Draft | None:
    node, reader = _read(root, path, result)
    if node is None:
        return None
    common_keys = {f.key for f in F.COMMON}
    common = reader.read_map(only(node, common_keys), F.COMMON, "")
    if common.get("原文链接") and not is_web_url(common["原文链接"]):
        message = "原文链接应为以 http:// 或 https:// 开头的网页地址"
        reader.error(node.items["原文链接"], "原文链接", message)
        del common["原文链接"]
    common["网址"] = _pin(node, common, reader)
    kind: Kind | None = common.get("类型")
    body: Body | None = None
    if kind is not None:  # missing or unknown: reported; the rest cannot be judged without it
        values = reader.read_map(only(node, common_keys, keep=False), F.KINDS[kind.value], "")
        body = build_body(kind, values, node, reader)
    if not _finish(reader, result):
        body = None  # a body with problems is not published, but its 单位 is still resolved (reported)
    if kind is None or "单位" not in common or "年度" not in common:
        return None
    unit_node = node.items["单位"]
    return _Draft(
        rel=reader.rel,
        kind=kind,
        unit_label=common["单位"],
        unit_src=Source(reader.rel, unit_node.line, unit_node.col),
        year=common["年度"],
        body=body,
        meta=common,
        pin_src=reader.src(node.items["网址"]) if common["网址"] else None,
    )


def _assign_unit_slugs(cache: CheckCache, units: list[Unit], result: CheckResult) -> list[Unit]:
    """Drop repeated profiles (reported), then give each unit a unique slug."""
    seen: dict[tuple[str, tuple[str, ...]], Unit] = {}
    for u in units:
        key = (u.name, u.region)
        if key in seen:
            message = f"单位“{u.name}”已在 {seen[key].src.path} 中建档，同一地区的单位名称不能重复"
            result.errors.append(Problem(u.src, "名称", message))
            continue
        seen[key] = u
    units = list(seen.values())
    keys = [unit_key(u.src.path, u.name, u.region, u.pin, cache.slug) for u in units]
    _pin_collisions(keys, {u.src.path: u.pin_src for u in units}, result)
    slugs = assign(keys)
    return [_same_unit(cache, _replace(u, slug=slugs[u.src.path])) for u in units]


def _pin_collisions(keys: list[PageKey], pin_src: dict[str, Source | None], result: CheckResult) -> None:
    """A pinned 网址 must be its page's alone: not another pin, not another page's own address."""
    natural = assign([PageKey(k.key, k.folder, k.base, k.qualified) for k in keys if not k.pin])
    holder = {(k.folder, natural[k.key]): k.key for k in keys if not k.pin}
    for k in sorted((k for k in keys if k.pin), key=lambda k: k.key):
        other = holder.get((k.folder, k.pin or ""))
        src = pin_src.get(k.key)
        if other is not None and src is not None:
            message = f"网址“{k.pin}”与 {other} 的网址相同（{k.folder}/{k.pin}/），请换一个"
            result.errors.append(Problem(src, "网址", message))
        holder.setdefault((k.folder, k.pin or ""), k.key)


def _same_unit(cache: CheckCache, unit: Unit) -> Unit:
    """The last check's object for an equal unit (so the pages made from it are known to be unchanged)."""
    previous = cache.units.get(unit.src.path)
    if previous is not None and previous == unit:
        return previous
    cache.units[unit.src.path] = unit
    return unit


def _replace(unit: Unit, **changes: Any) -> Unit:
    from dataclasses import replace

    return replace(unit, **changes)


def _resolve(cache: CheckCache, drafts: list[_Draft], units: list[Unit], result: CheckResult) -> list[Disclosure]:
    index: dict[str, list[Unit]] = {}
    for u in units:
        for name in unit_names(u.name, u.aliases, u.region):
            index.setdefault(name, []).append(u)
    resolved: list[tuple[_Draft, Body, Unit]] = []
    for d in drafts:
        matches = index.get(d.unit_label.strip(), [])
        if len(matches) == 1:
            if d.body is not None:
                resolved.append((d, d.body, matches[0]))
        elif not matches:
            message = f"找不到单位“{d.unit_label}”的档案：请在 units/ 下建档，或把它写进已有档案的“别名”"
            result.errors.append(Problem(d.unit_src, "单位", message))
        else:
            where = "、".join(f"{'/'.join(u.region)} 的 {u.src.path}" for u in matches)
            example = matches[0].region[-1] + matches[0].name
            message = f"“{d.unit_label}”对应多个单位档案（{where}），请写上地区，如“{example}”"
            result.errors.append(Problem(d.unit_src, "单位", message))
    keys = []
    for d, body, u in resolved:
        base = disclosure_base(d.kind, body.project_name, cache.slug)
        keys.append(disclosure_key(d.rel, d.year, u.slug, d.kind, base, d.meta.get("网址")))
    _pin_collisions(keys, {d.rel: d.pin_src for d, _, _ in resolved}, result)
    slugs = assign(keys)
    out = []
    for d, body, u in resolved:
        slug = slugs[d.rel]
        previous = cache.disclosures.get(d.rel)
        if previous is not None and previous[0] is d and previous[1] is u and previous[2] == slug:
            out.append(previous[3])  # same file bytes, same unit object, same slug: the same disclosure
            continue
        published: Date | None = d.meta.get("发布日期")
        disclosure = Disclosure(
            kind=d.kind,
            unit=u,
            unit_label=d.unit_label,
            year=d.year,
            src_path=d.rel,
            slug=slug,
            body=body,
            title=d.meta.get("标题") or None,
            published=published,
            source_url=d.meta.get("原文链接") or None,
            pin=d.meta.get("网址"),
        )
        cache.disclosures[d.rel] = (d, u, slug, disclosure)
        out.append(disclosure)
    out.sort(key=lambda x: (-x.year, x.unit.region, x.unit.name, x.kind.value, x.slug))
    return out
