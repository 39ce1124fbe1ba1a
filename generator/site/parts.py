"""A site built in parts: which pages each part builds, and the merge of the built parts.

A large site need not be built by one process. `gongkai build --part 2/3` builds one of
three parts; `gongkai merge A B C -d site` puts the built parts together into one site
(docs/architecture.md, "A site in parts"). Every part checks the whole content (so every
link, summary and navigation entry is the same in all parts) but renders, builds with
MkDocs and indexes for search only its own pages:

- the disclosure pages of its years (`<年度>/…`), and
- for part 1 only, the pages that span years: home, units, regions, years, 数据下载,
  关于, 搜索, the published YAML and its source views, the feed, the redirect pages of old
  addresses (site/redirects.py; every part knows their URLs, which its sitemap leaves out).

Years are dealt to parts so that the parts carry about the same work (`plan`). Part
builds are independent processes — jobs of a CI matrix, or local processes — and the
parts' outputs are disjoint apart from the theme's files and a few site-wide files. The
merge copies them together and refuses two different files at one path, except the
files that tie the parts together, which it writes anew: the search bundle's part list
and sort table (`search.finish_bundle`) and the sitemap (union of the parts' sitemaps).
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from dataclasses import dataclass

from generator.corpus.errors import UsageError
from generator.corpus.model import Corpus

log = logging.getLogger(__name__)

# The cross-year pages (part 1's share) cost about as much as this many disclosures'
# pages per disclosure of the corpus: the data downloads, YAML copies and source views
# are made per disclosure but only by part 1 (measured, BENCHMARKS.md "A site in parts").
COMMON_SHARE = 0.3


# `gongkai build` builds a corpus this large in 2 parts at once when the machine has 2 cores or more.
AUTO_PARTS_FROM = 2000  # disclosures


class PartError(UsageError):
    """A part spec that cannot be built (exit 2); the message is for the person building."""


@dataclass(frozen=True)
class Part:
    number: int  # 1-based
    count: int
    years: frozenset[int]  # the years whose disclosure pages this part builds
    common: bool  # builds the pages that span years (part 1)

    @property
    def label(self) -> str:
        return f"{self.number}/{self.count}"

    def has_year(self, year: int) -> bool:
        return year in self.years


def parse_spec(text: str) -> tuple[int, int]:
    """'2/3' → (2, 3): the second of three parts."""
    m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not m:
        raise PartError(f"“{text}”不是有效的分片写法，应写成“序号/总数”，如 1/2")
    number, count = int(m[1]), int(m[2])
    if not 1 <= number <= count:
        raise PartError(f"分片序号 {number} 不在 1 到 {count} 之间")
    return number, count


def plan(corpus: Corpus, count: int) -> tuple[Part, ...]:
    """Deal the years to `count` parts, heaviest year first to the lightest part; part 1 also
    builds the cross-year pages. Deterministic: every part process computes the same plan."""
    if count < 1:
        raise PartError("分片总数至少为 1")
    per_year = Counter(d.year for d in corpus.disclosures)
    load = [0.0] * count
    load[0] = COMMON_SHARE * len(corpus.disclosures)
    years: list[set[int]] = [set() for _ in range(count)]
    for year, n in sorted(per_year.items(), key=lambda kv: (-kv[1], -kv[0])):
        lightest = min(range(count), key=lambda i: (load[i], i))
        years[lightest].add(year)
        load[lightest] += n
    return tuple(Part(i + 1, count, frozenset(years[i]), i == 0) for i in range(count))


def auto_parts(corpus: Corpus) -> int:
    """How many parts `gongkai build` makes without `--parts`: 2 for a large corpus on 2+ cores, else 1."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 2 if cores >= 2 and len(corpus.disclosures) >= AUTO_PARTS_FROM else 1


def select(corpus: Corpus, spec: str) -> Part:
    number, count = parse_spec(spec)
    return plan(corpus, count)[number - 1]
