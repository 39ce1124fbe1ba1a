"""The 数据下载 section of the site: every data file, and the page that lists them.

`data_files(corpus)` returns {docs-relative path: bytes} for the generated docs folder
(the site's writer puts them on disk with the pages, rewriting only what changed):

    data/index.md                         the 数据下载 page
    data/gongkai-all.{json,xlsx}          the whole data set
    data/gongkai-all-{disclosures,lines,indicators,results}.csv
    data/datapackage.json                 Fiscal Data Package over the four CSV files
    data/gongkai-dictionary.csv           the data dictionary
    data/years/gongkai-<年度>.*           each year's data (JSON, XLSX, four CSV)
    data/units/gongkai-<单位>.*           each unit's data
    data/disclosures/<年度>/<单位>/<slug>.json   one disclosure with its full text
    feed.xml                              Atom feed (when site.yml has 网站域名)

Every file is a pure function of the content (and SOURCE_DATE_EPOCH for XLSX
timestamps), so two builds give identical bytes.
"""

from __future__ import annotations

import gc
import logging
import pickle
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from markupsafe import escape

from generator.corpus import privacy
from generator.corpus.accountability import Comparison, Links, link
from generator.corpus.model import Corpus, Disclosure
from generator.data import export as E
from generator.data import tables as T
from generator.data.datapackage import descriptor
from generator.data.feed import FEED_PATH, atom_feed
from generator.data.xlsx import assemble, members_time, number_rows, row_templates
from generator.history.model import History
from generator.store import Digests, Store, value_digest

log = logging.getLogger(__name__)

DATA_DIR = "data"
PAGE = f"{DATA_DIR}/index.md"
PACKAGE = f"{DATA_DIR}/datapackage.json"
DICTIONARY = f"{DATA_DIR}/gongkai-dictionary.csv"
PREFIX = "gongkai"
FILE_LABELS = ("JSON", "XLSX", *(f"CSV：{t.title}" for t in T.TABLES))


@dataclass(frozen=True)
class Download:
    label: str  # what the link says: "JSON", "CSV：资金明细"
    path: str  # docs-relative path, e.g. "data/years/gongkai-2022.xlsx"
    size: int  # bytes


@dataclass(frozen=True)
class DownloadSet:
    title: str  # "全部数据", "2022年", a unit's name
    note: str  # a region path for units, "" otherwise
    count: int  # disclosures in the set
    files: tuple[Download, ...]


@dataclass(frozen=True)
class DownloadsPage:
    whole: DownloadSet
    years: tuple[DownloadSet, ...]
    units: tuple[DownloadSet, ...]
    package: Download
    dictionary: Download
    feed: str | None  # docs-relative path of the Atom feed, when there is one
    tables: tuple[T.Table, ...] = T.TABLES


def disclosure_json_path(d: Disclosure) -> str:
    """Docs-relative path of one disclosure's JSON (its full record, text included)."""
    return f"{DATA_DIR}/disclosures/{d.url.rstrip('/')}.json"


@dataclass(frozen=True)
class Fragments:
    """One disclosure's share of every data file, serialized once and reused by each set it is in."""

    record: bytes  # its JSON record (without text), compact, UTF-8
    csv: tuple[bytes, ...]  # its CSV lines, per table
    xlsx: tuple[tuple[bytes, ...], ...]  # its worksheet row templates, per table
    own: bytes  # its own JSON file (with text)
    key: str = ""  # its name in the persistent store ('' without one): what the workbooks holding it are keyed by


class _Key:
    """A disclosure (with the target a 自评表 was linked to: its 完成情况 rows show it) as a cache key;
    its (deep) hash is computed once."""

    __slots__ = ("disclosure", "hash", "mask", "target")

    def __init__(self, disclosure: Disclosure, mask: bool, target: Disclosure | None = None) -> None:
        self.disclosure, self.mask, self.target = disclosure, mask, target
        self.hash = hash((disclosure, mask, target))

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _Key)
            and self.mask == other.mask
            and self.disclosure == other.disclosure
            and self.target == other.target
        )


@dataclass
class DataCache:
    """What one run's data builds remember (`mkdocs serve`, or any second build in one process).

    `fragments`: each disclosure's serialized share of the data files, by value (frozen model
    objects compare by value); `last`: the same by content file, found by identity without
    hashing the disclosure (deep); `workbooks`: each XLSX file with everything it was made of
    (its fragments, time and title: deflate is the slow part). A fresh DataCache is a cold build.
    """

    fragments: dict[_Key, Fragments] = field(default_factory=dict)
    last: dict[str, tuple[Disclosure, bool, Disclosure | None, _Key, Fragments]] = field(default_factory=dict)
    workbooks: dict[str, tuple[tuple[Fragments, ...], datetime, str, bytes]] = field(default_factory=dict)
    # The persistent cache (generator/store): fragments by the disclosure's content (store.value_digest),
    # workbooks by their fragments' keys, time and title — a fresh process makes only what changed.
    store: Store | None = None


def fragments(
    disclosures: Sequence[Disclosure],
    mask: bool,
    cache: DataCache,
    links: Links | None = None,
    digests: Digests | None = None,
) -> list[Fragments]:
    """Fragments of `disclosures`, reusing those of the previous build where the disclosure (and, for a
    自评表, the target it was linked to: `links`, None = link among `disclosures`) is unchanged.
    `digests`: this build's memo of content digests (store.value_digest), shared with the pages."""
    links = links if links is not None else link(disclosures)
    fresh: dict[_Key, Fragments] = {}
    memo: Digests = digests if digests is not None else {}
    out = []
    for d in disclosures:
        comparison = links.of_result(d)
        target = comparison.target if comparison is not None else None
        same = cache.last.get(d.src_path)
        if same is not None and same[0] is d and same[1] == mask and same[2] is target:  # the very same objects
            fresh[same[3]] = same[4]
            out.append(same[4])
            continue
        key = _Key(d, mask, target)
        found = cache.fragments.get(key)
        if found is None:
            found = (
                _stored_fragments(d, mask, comparison, cache.store, memo)
                if cache.store is not None
                else _fragments(d, mask, comparison)
            )
        fresh[key] = found
        cache.last[d.src_path] = (d, mask, target, key, found)
        out.append(found)
    cache.fragments = fresh
    return out


def _fragments(d: Disclosure, mask: bool, comparison: Comparison | None, key: str = "") -> Fragments:
    rows = T.rows_of(d, mask, comparison)
    return Fragments(
        record=E.json_text(E.record(d, mask=mask, rows=rows)).encode("utf-8"),
        csv=tuple(E.csv_text(t, rows.of(t)).encode("utf-8") for t in T.TABLES),
        xlsx=tuple(tuple(row_templates(t, rows.of(t))) for t in T.TABLES),
        own=E.to_json(E.record(d, mask=mask, full=True, rows=rows)),
        key=key,
    )


def _stored_fragments(
    d: Disclosure, mask: bool, comparison: Comparison | None, store: Store, memo: Digests
) -> Fragments:
    """`_fragments`, kept in the store by the disclosure's content, its link to a target and the masking."""
    linked = value_digest(comparison, memo) if comparison is not None else b""
    key = store.key_of("data-fragments", value_digest(d, memo), linked, str(mask))
    body = store.get(key)
    if body is not None:
        try:
            record, csv, xlsx, own = pickle.loads(body)  # bytes and tuples of bytes only
            return Fragments(record, csv, xlsx, own, key)
        except Exception:  # another layout: made again
            log.debug("数据缓存条目不可用：%s", key, exc_info=True)
    found = _fragments(d, mask, comparison, key)
    store.put(key, pickle.dumps((found.record, found.csv, found.xlsx, found.own), protocol=pickle.HIGHEST_PROTOCOL))
    return found


def _rows_of(parts: Sequence[Fragments], table: int) -> Iterator[bytes]:
    for f in parts:
        yield from f.xlsx[table]


def _scope(
    corpus: Corpus,
    base: str,
    chosen: Sequence[Disclosure],
    by_id: Mapping[int, Fragments],
    title: str,
    cache: DataCache,
) -> dict[str, bytes]:
    """JSON, XLSX and four CSV files of one set of disclosures, named `<base>.json` etc. The
    workbook is dated by its newest disclosure (`members_time`), not by the build."""
    parts = [by_id[id(d)] for d in chosen]
    when = members_time(chosen)
    files = {f"{base}.json": E.join_dataset(corpus, (f.record for f in parts))}
    key = tuple(parts)
    cached = cache.workbooks.get(f"{base}.xlsx")
    if cached is not None and cached[1:3] == (when, title) and _same(cached[0], key):
        files[f"{base}.xlsx"] = cached[3]
    else:
        files[f"{base}.xlsx"] = _workbook(parts, when, title, cache.store)
    cache.workbooks[f"{base}.xlsx"] = (key, when, title, files[f"{base}.xlsx"])
    for i, t in enumerate(T.TABLES):
        files[f"{base}-{t.name}.csv"] = E.join_csv(t, (f.csv[i] for f in parts))
    return files


def _workbook(parts: Sequence[Fragments], when: datetime, title: str, store: Store | None) -> bytes:
    """The XLSX file of `parts`; kept in the store by its fragments' keys, time and title."""
    name = None
    if store is not None and all(f.key for f in parts):
        name = store.key_of("xlsx", when.isoformat(), title, "\0".join(f.key for f in parts))
        body = store.get(name)
        if body is not None:
            return body
    sheets = [(t, number_rows(_rows_of(parts, i))) for i, t in enumerate(T.TABLES)]
    made = assemble(sheets, when, title)
    if store is not None and name is not None:
        store.put(name, made)
    return made


def _same(a: Sequence[Fragments], b: Sequence[Fragments]) -> bool:
    """The very same fragments, in the same order (identity: fragments of a changed disclosure are new objects)."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def _set(title: str, note: str, count: int, base: str, files: dict[str, bytes]) -> DownloadSet:
    paths = [f"{base}.json", f"{base}.xlsx", *(f"{base}-{t.name}.csv" for t in T.TABLES)]
    return DownloadSet(
        title,
        note,
        count,
        tuple(Download(label, p, len(files[p])) for label, p in zip(FILE_LABELS, paths, strict=True)),
    )


def data_files(
    corpus: Corpus,
    cache: DataCache | None = None,
    history: History | None = None,
    digests: Digests | None = None,
) -> dict[str, bytes]:
    """Every data file and the 数据下载 page, keyed by docs-relative path (see `build`)."""
    files, _ = build(corpus, cache, history, digests)
    return files


def build(
    corpus: Corpus,
    cache: DataCache | None = None,
    history: History | None = None,
    digests: Digests | None = None,
) -> tuple[dict[str, bytes], DownloadsPage]:
    """The data files and the page data that lists them.

    `cache` is what earlier builds of this run remember (None: a cold build); `history` the
    content's git history, whose revisions the feed carries (None: disclosures only). Each XLSX
    file is dated by its newest disclosure (`xlsx.members_time`), so builds of one content are
    byte-identical whenever they run, and a commit changes only the workbooks it touched.

    The cycle collector is paused meanwhile: the build allocates millions of acyclic strings and
    tuples, and full collections over a large corpus would otherwise take a third of the time.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _build(corpus, cache if cache is not None else DataCache(), history, digests)
    finally:
        if paused:
            gc.enable()


def _build(
    corpus: Corpus, cache: DataCache, history: History | None, digests: Digests | None
) -> tuple[dict[str, bytes], DownloadsPage]:
    mask = corpus.site.mask_private
    shown = privacy.mask if mask else str  # names in titles and on the page, masked like the data
    site = shown(corpus.site.name)
    files: dict[str, bytes] = {}
    everything = T.ordered(corpus.disclosures)
    by_id = dict(zip(map(id, everything), fragments(everything, mask, cache, link(everything), digests), strict=True))
    if len(cache.workbooks) > 4 * (len(corpus.units) + len(corpus.years) + 1):
        cache.workbooks.clear()  # sets that no longer exist (renamed units, a different content folder)

    base = f"{DATA_DIR}/{PREFIX}-all"
    files.update(_scope(corpus, base, everything, by_id, site, cache))
    whole = _set("全部数据", "", len(everything), base, files)
    csvs = {t.name: (f"{PREFIX}-all-{t.name}.csv", files[f"{base}-{t.name}.csv"]) for t in T.TABLES}
    files[PACKAGE] = E.to_json(descriptor(corpus, csvs))
    files[DICTIONARY] = E.dictionary_csv()

    years = []
    for year in corpus.years:
        chosen = [d for d in everything if d.year == year]
        base = f"{DATA_DIR}/years/{PREFIX}-{year}"
        files.update(_scope(corpus, base, chosen, by_id, f"{site}（{year}年）", cache))
        years.append(_set(f"{year}年", "", len(chosen), base, files))

    by_unit: dict[str, list[Disclosure]] = {}
    for d in everything:
        by_unit.setdefault(d.unit.slug, []).append(d)
    units = []
    for unit in sorted(corpus.units, key=lambda u: (u.region, u.slug)):
        chosen = by_unit.get(unit.slug, [])
        if not chosen:
            continue
        base = f"{DATA_DIR}/units/{PREFIX}-{unit.slug}"
        title = f"{site}（{shown(unit.name)}）"
        files.update(_scope(corpus, base, chosen, by_id, title, cache))
        units.append(_set(shown(unit.name), "/".join(unit.region), len(chosen), base, files))

    for d in everything:
        files[disclosure_json_path(d)] = by_id[id(d)].own

    feed = atom_feed(corpus, history=history)  # with the revisions, when the history was read
    if feed is not None:
        files[FEED_PATH] = feed
    page = DownloadsPage(
        whole=whole,
        years=tuple(years),
        units=tuple(units),
        package=Download("datapackage.json", PACKAGE, len(files[PACKAGE])),
        dictionary=Download("数据字典（CSV）", DICTIONARY, len(files[DICTIONARY])),
        feed=FEED_PATH if feed is not None else None,
    )
    files[PAGE] = page_markdown(page).encode("utf-8")
    return files, page


def write_data_files(corpus: Corpus, out_dir: Path) -> list[Path]:
    """Write `data_files(corpus)` under `out_dir`, rewriting only files whose bytes changed."""
    written = []
    for rel, data in data_files(corpus).items():
        path = out_dir / rel
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


# --- The page -----------------------------------------------------------------------------------


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _link(item: Download, text: str | None = None) -> str:
    """A Markdown link from data/index.md to a file under data/ (or the site root)."""
    target = item.path[len(DATA_DIR) + 1 :] if item.path.startswith(f"{DATA_DIR}/") else f"../{item.path}"
    return f"[{text or item.label}]({target})"


def _cell(text: str) -> str:
    """Author text in a Markdown table cell: HTML-escaped, pipes and Markdown syntax neutralised."""
    out = str(escape(text))
    for ch in "|*_[]`\\":
        out = out.replace(ch, f"&#{ord(ch)};")
    return out


def _set_rows(sets: Iterable[DownloadSet], with_note: bool) -> list[str]:
    head = ["名称", *(["地区"] if with_note else []), "份数", *FILE_LABELS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in sets:
        cells = [_cell(s.title), *([_cell(s.note)] if with_note else []), str(s.count)]
        cells += [_link(f, human_size(f.size)) for f in s.files]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


_KIND_NAMES = {T.TEXT: "文字", T.ID: "文字", T.INT: "整数", T.MONEY: "金额", T.DECIMAL: "数值", T.DATE: "日期"}


def page_markdown(page: DownloadsPage) -> str:
    """The 数据下载 page as Markdown (front matter in the site's usual keys)."""
    out = [
        "---",
        "title: 数据下载",
        "column: 数据下载",
        "---",
        "",
        "# 数据下载",
        "",
        "本站全部公开文本的结构化数据，可自由下载使用。每份数据都有四张表：",
        "",
    ]
    out += [f"- **{t.title}**：{t.description}" for t in page.tables]
    out += [
        "",
        "格式说明：",
        "",
        "- 金额一律以“元”为单位、精确到分；JSON 和 CSV 中写成字符串形式的精确小数（如 `535000.00`），"
        "XLSX 中为数值（显示两位小数）。",
        "- CSV 为 UTF-8 编码（带 BOM），用 Excel、WPS 直接打开中文不会乱码。"
        "为防止电子表格把文字当作公式执行，CSV 中以 = + - @ 开头的文字前加了一个英文单引号（'），"
        "JSON 和 XLSX 中的文字与原文完全相同（见数据字典）。",
        "- JSON 中每份公开文本带有它的资金明细、绩效指标和完成情况（项目支出绩效自评表的逐条对照），并附数据字典。",
        "- 各表的“网址”列是公开文本的唯一编号，也是它在本站的网页地址。",
        "",
        "## 全部数据",
        "",
        *_set_rows([page.whole], with_note=False),
        "",
        f"- {_link(page.dictionary)}（{human_size(page.dictionary.size)}）：每张表每一列的含义，见下文“数据字典”。",
        f"- 财政数据包 {_link(page.package)}（{human_size(page.package.size)}）："
        "按 Fiscal Data Package 规范描述上面四个 CSV 文件，金额的币种为人民币（CNY），"
        "维度为单位、地区、年度、资金来源、类型（另有阶段、项目、明细），可用 frictionless 等工具直接读取和校验。",
    ]
    if page.feed:
        out.append(f"- 订阅：{_link(Download('Atom 订阅源', page.feed, 0))}，新发布的公开文本在前。")
    out += ["", "## 按年度", "", *_set_rows(page.years, with_note=False), ""]
    out += ["## 按单位", "", *_set_rows(page.units, with_note=True), ""]
    out += ["## 数据字典", ""]
    for t in page.tables:
        out += [f"### {t.title}", "", t.description, "", "| 字段 | 类型 | 说明 |", "|---|---|---|"]
        out += [f"| {c.name} | {_KIND_NAMES[c.kind]} | {_cell(c.description)} |" for c in t.columns]
        out.append("")
    out.append("每份公开文本的网页上还有它自己的 JSON（含正文）和原始 YAML 文件的下载链接。")
    return "\n".join(out) + "\n"
