"""One run's memory of its earlier builds: the `BuildCache`, owned by whoever runs the build.

Nothing in generator/ keeps state between calls at module level. A `BuildCache` is made by the
run and passed down: the `mkdocs serve` session (the plugin instance) keeps one between rebuilds,
so a save re-judges, re-renders and rewrites only what it touched; a one-off `gongkai build` or
`mkdocs build` makes a fresh one. Every part is keyed by everything its output depends on (file
bytes; model objects, compared by identity then value; templates and site settings; the XLSX
time and title), so a build with a used cache gives the same bytes as one with a fresh cache —
a fresh `BuildCache()` is a cold build. Modelled on pelican's FileStampDataCacher: an object,
not globals.

`store` is the persistent cache folder (generator/store, `.cache/gongkai/`) that outlives the
process: the check's judgements, the pages' HTML (plugin/events.py) and the search index parts
(search/index.py) are kept there by content digest, so a fresh process builds only what changed.
None: nothing is read or written outside this object (`--no-cache`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.corpus.validate import CheckCache
from generator.data.downloads import DataCache
from generator.history.cache import HistoryCache
from generator.site.render import RenderCache
from generator.site.writer import WriteCache
from generator.store import Store


@dataclass
class BuildCache:
    check: CheckCache = field(default_factory=CheckCache)  # per-file results, model objects (corpus/validate.py)
    history: HistoryCache = field(default_factory=HistoryCache)  # the checked-out commit's history (history/cache.py)
    data: DataCache = field(default_factory=DataCache)  # per-disclosure data fragments, workbooks (data/downloads.py)
    render: RenderCache = field(default_factory=RenderCache)  # pages by template and context (site/render.py)
    write: WriteCache = field(default_factory=WriteCache)  # what was last written to the docs folder (site/writer.py)
    store: Store | None = None  # the persistent cache, shared by the parts above that use it

    def __post_init__(self) -> None:
        self.check.store = self.render.store = self.data.store = self.store
