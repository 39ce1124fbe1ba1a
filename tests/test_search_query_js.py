"""The search page cuts a query as the index cuts the text: the JS and Python copies agree.

The Han class and the pair cutting exist twice, in generator/search/index.py (HAN_CLASS,
`grams`) and in overrides/assets/javascripts/gk-search-query.js (HAN, `words`), because the
browser cuts the query without Python. Here both run on the same text (the JS under Node):
the classes hold the same characters, at every range boundary, and every Chinese word the
page looks up is a word the index wrote, so any phrase typed from a page finds it. The JS module's
own behaviour: tests/js/ (node --test).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from generator.search.index import HAN, HAN_CLASS, grams
from generator.search.merged import _single

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "overrides" / "assets" / "javascripts" / "gk-search-query.js"

# Around each end of each range of the class, and characters just outside it.
BOUNDARIES = "\u3006\u3007\u3008\u33ff\u3400\u4dbf\u4dc0\u4dff\u4e00\u9fff\ua000\uf8ff\uf900\ufaff\ufb00"
TEXTS = [
    "信访处突经费 53.50万元",
    "盘龙区信访局2022年部门整体支出绩效自评报告",
    "二〇二二年 㐀丁 豈更 Ａ级",
    "通海县社会矛盾纠纷调处督导中心工作经费专项资金",
    "对上省进京到九江市访群众差旅费2万元。劝返！",
]

_SCRIPT = """
const Q = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify({
  han: Q.HAN,
  isHan: Array.from(input.boundaries).map(Q.isHan),
  words: input.texts.map((t) => Q.queryParts(t).flatMap(Q.words)),
  excerpts: input.grams.map((g) => Q.excerptHtml(g)),
  single: input.single.map((g) => Q.excerptHtml(g, true)),
}));
"""


def _js(**data: Any) -> Any:
    node = shutil.which("node")
    assert node, "需要 node（Debian: apt-get install nodejs）"
    run = subprocess.run(
        [node, "-e", _SCRIPT, str(MODULE)],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(run.stdout)


def _answers() -> Any:
    single = [_single(grams(t)) for t in TEXTS]  # as the merged index's fragments hold the text
    return _js(boundaries=BOUNDARIES, texts=TEXTS, grams=[grams(t) for t in TEXTS], single=single)


def test_the_han_class_is_the_same_in_python_and_js() -> None:
    out = _answers()
    assert out["han"] == HAN_CLASS
    assert out["isHan"] == [bool(HAN.fullmatch(c)) for c in BOUNDARIES]
    assert out["isHan"].count(True) == 7  # both ends of each range (〇 is one character), none outside


def test_every_chinese_word_the_page_looks_up_is_a_word_the_index_wrote() -> None:
    out = _answers()
    for text, words in zip(TEXTS, out["words"], strict=True):
        han = [w for w in words if any(HAN.fullmatch(c) for c in w)]
        # (words of letters and digits are cut again by Pagefind's own tokenizer on both sides)
        assert han and set(han) <= set(grams(text).split()), text
    # a run of Han characters: the index's pairs and closing character, the query's pairs
    assert out["words"][3] == grams(TEXTS[3]).split()[:-1]


def test_an_excerpt_of_the_index_text_reads_as_the_text() -> None:
    out = _answers()
    expected = [
        "信访处突经费53.50万元",
        "盘龙区信访局2022年部门整体支出绩效自评报告",
        "二〇二二年㐀丁豈更Ａ级",
        "通海县社会矛盾纠纷调处督导中心工作经费专项资金",
        "对上省进京到九江市访群众差旅费2万元。劝返！",
    ]
    assert out["excerpts"] == expected
    assert out["single"] == expected  # one character per pair (search/merged.py) reads the same
