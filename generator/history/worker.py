"""`python -m generator.history.worker`: the second process of a large history walk (share.py).

Reads (content folder, tracks) pickled on stdin, follows those tracks (follow.py, with its own
`git cat-file`) and writes the result pickled on stdout: ("ok", results) or ("unavailable",
reason). A plain child process started by share.py with this interpreter — not multiprocessing,
which would import the caller's main module again.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from generator.history.follow import follow
from generator.history.git import HistoryUnavailable


def main() -> int:
    try:
        content, tracks = pickle.load(sys.stdin.buffer)
    except EOFError:
        return 0  # not needed after all (a short history): walk.py closed our input
    try:
        result: tuple[str, object] = ("ok", follow(Path(content), tracks))
    except HistoryUnavailable as exc:
        result = ("unavailable", str(exc))
    pickle.dump(result, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
