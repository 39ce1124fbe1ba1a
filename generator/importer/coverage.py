"""Nothing lost, checked: every run of characters of the input is somewhere in the drafts.

A run is what lies between whitespace, tabs and `|` on one input line. It is found when
it occurs, with whitespace removed, in the text of the drafts: their keys and values,
their 未识别 pieces, their `# 待核对` reasons and header comments (which name the chrome
lines left out). The importer takes text apart where the format wants it apart, so a
run that is not found whole is looked for piece by piece: outline numbers (`一、`, `（二）`)
dropped, split at punctuation and where Chinese meets digits (`会议费0.5万元` → `会议费`,
`0.5`, `万元`). A piece that is a word of the vocabulary (a label or column header the
importer turned into a key) counts as found, and so do a header's column letters
(`执行率（B/A）`); dates count in either form (`2023年6月` is
`2023-06`). The importer runs this check on its own result, so a run the parsers
missed is never lost: its whole line is added under 未识别 (and the tests assert that
this rescue is never needed on the fixtures).

`placed_share` is what the command reports: the share of the input's characters that
went to a placed value rather than to 未识别.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from generator.importer.draft import Draft, Node
from generator.importer.read import CJK_CLASS, Line
from generator.importer.text import marker
from generator.importer.vocabulary import KNOWN, OPERATORS, label_key

_SPLIT = re.compile(r"[\s|]+")
_PUNCT = re.compile(r"[，,。；;：:、（）()《》〈〉“”\"'‘’【】\[\]！!？?]+")
_SCRIPT = re.compile(rf"[{CJK_CLASS}]+|[^{CJK_CLASS}]+")
_COLUMN_REF = re.compile(r"^[A-Z](?:[/+\-×÷][A-Z])*$")  # `执行率（B/A）`: a header's column letters, not content
_DATE = re.compile(r"(20\d\d)\s*[年.]\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
# The importer writes some words in their canonical form; a run matches in either form.
_EQUIVALENT = {w: s for w, s in sorted(OPERATORS.items(), key=lambda p: -len(p[0])) if s and w != s}


def runs(text: str) -> list[str]:
    return [r for r in _SPLIT.split(text) if r]


def _texts(node: Node) -> Iterable[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _texts(item)
    else:
        for key, value in node.items():
            yield key
            yield from _texts(value)


def haystack(drafts: Sequence[Draft]) -> str:
    parts: list[str] = []
    for draft in [*drafts, *(c for d in drafts for c in d.companions)]:
        parts.extend(_texts(draft.data))
        parts.extend(c.text for c in draft.unplaced)
        parts.extend(draft.doubts.values())
        parts.extend(draft.notes)
    text = _SPLIT.sub("", "\n".join(parts))
    return _squash(text) + "\0" + text


def _iso(m: re.Match[str]) -> str:
    day = f"-{int(m.group(3)):02d}" if m.group(3) else ""
    return f"{m.group(1)}-{int(m.group(2)):02d}{day}"


def _squash(text: str) -> str:
    """Whitespace removed, dates as ISO, operator words as symbols."""
    text = _DATE.sub(_iso, _SPLIT.sub("", text))
    for word, symbol in _EQUIVALENT.items():
        text = text.replace(word, symbol)
    return text


def _found(run: str, hay: str) -> bool:
    if _squash(run) in hay or run in hay:
        return True
    label = re.match(r"^([^:：]{2,16})[:：](.*)$", run)
    stripped = label.group(2) if label and label_key(label.group(1)) else run
    while (m := marker(stripped)) and m.end() < len(stripped):
        stripped = stripped[m.end() :]
    for piece in _PUNCT.split(_DATE.sub(_iso, stripped)):
        if (
            not piece
            or piece in KNOWN
            or _COLUMN_REF.match(piece)
            or _squash(piece) in hay
            or piece in hay
            or not any(ch.isalnum() for ch in piece)
        ):
            continue
        for part in _SCRIPT.findall(piece):
            if any(ch.isalnum() for ch in part) and part not in KNOWN and _squash(part) not in hay and part not in hay:
                return False
    return True


def lost_runs(lines: Sequence[Line], drafts: Sequence[Draft]) -> list[tuple[int, str]]:
    """(line number, run) for every run of `lines` that is nowhere in `drafts`."""
    hay = haystack(drafts)
    out = []
    for line in lines:
        parts = runs(line.text)
        for i, run in enumerate(parts):
            if _found(run, hay):
                continue
            joined = [parts[i - 1] + run] if i else []
            joined += [run + parts[i + 1]] if i + 1 < len(parts) else []
            if not any(_PUNCT.sub("", j) in KNOWN or _found(j, hay) for j in joined):
                out.append((line.no, run))
    return out


def placed_share(lines: Sequence[Line], drafts: Sequence[Draft]) -> float:
    """Share of non-blank characters of `lines` not under 未识别 (1.0 for an empty input)."""
    total = sum(len(_SPLIT.sub("", ln.text)) for ln in lines)
    unplaced = sum(len(_SPLIT.sub("", c.text)) for d in drafts for c in d.unplaced)
    return 1.0 if total == 0 else max(0.0, 1 - unplaced / total)
