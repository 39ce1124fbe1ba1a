"""No hidden state: nothing in generator/ remembers anything at module level between builds.

Caches are objects owned by the run (generator/site/cache.py). Two checks hold that:
- every module global that is a mutable container is named as a constant (UPPER_CASE, PEP 8),
  and a function memo at module level (functools.lru_cache) is one of the few pure ones below;
- a check, a generation and a second generation after edits leave every such constant exactly
  as they found it (a cache named like a constant would fill up and be seen here).
"""

from __future__ import annotations

import collections
import copy
import functools
import importlib
import pkgutil
import shutil
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import generator
from generator.corpus.validate import check_tree
from generator.site.cache import BuildCache
from generator.site.generate import generate

from .conftest import CONTENT

MUTABLE = (dict, list, set, bytearray, collections.deque)
# Memos of pure functions of immutable arguments: what they return cannot depend on an earlier build.
PURE_MEMOS = {
    "generator.corpus.slugs.syllables",  # pinyin of a text (pypinyin's dictionaries are fixed at import)
    "generator.data.xlsx._columns",  # cell templates of a (frozen) table
}


def module_globals() -> Iterator[tuple[str, Any]]:
    for info in pkgutil.walk_packages(generator.__path__, "generator."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if name.startswith("__") or isinstance(value, types.ModuleType):
                continue
            if getattr(value, "__module__", module.__name__) != module.__name__:
                continue  # imported from elsewhere: checked where it is defined
            yield f"{info.name}.{name}", value


def _is_constant_name(qualified: str) -> bool:
    name = qualified.rsplit(".", 1)[1]
    return name.upper() == name and any(c.isalpha() for c in name)


def test_mutable_module_globals_are_constants_and_memos_are_pure() -> None:
    containers = {name: v for name, v in module_globals() if isinstance(v, MUTABLE)}
    assert containers  # the walk reached the modules
    assert sorted(name for name in containers if not _is_constant_name(name)) == []
    memos = {name for name, v in module_globals() if isinstance(v, functools._lru_cache_wrapper)}
    assert memos <= PURE_MEMOS, f"module-level memo {sorted(memos - PURE_MEMOS)}: keep it in the run's BuildCache"


def test_a_build_leaves_every_module_constant_as_it_found_it(tmp_path: Path) -> None:
    before = {name: copy.deepcopy(v) for name, v in module_globals() if isinstance(v, MUTABLE)}
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    cache = BuildCache()
    for edit in range(2):
        result = check_tree(content, cache.check)
        assert result.corpus is not None, result.errors
        generate(result.corpus, content, tmp_path / "docs", raw=result.raw, cache=cache)
        for path in sorted(content.glob("2022/*/*.yml"))[:2]:  # the second round sees edited files
            path.write_text(path.read_text(encoding="utf-8").replace("。", "；", 1), encoding="utf-8")
        assert edit == 1 or cache.render.pages  # the cache object, not the modules, holds the memory
    after = {name: v for name, v in module_globals() if isinstance(v, MUTABLE)}
    assert sorted(after) == sorted(before)
    assert [name for name in before if before[name] != after[name]] == []
