"""Bytes a browser fetches from /pagefind/ for a first search (init + one query + 5 results).

Serves the built site on 127.0.0.1, opens the home page in Chromium and drives Pagefind's
JS API directly, so the number does not depend on which search UI the site uses.
"""

from __future__ import annotations

import functools
import http.server
import threading
import time
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

_QUERY_JS = """async (q) => {
  const t0 = performance.now();
  const pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const r = await pf.search(q);
  const first = await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
  return {count: r.results.length, shown: first.length, ms: performance.now() - t0};
}"""


@dataclass(frozen=True)
class SearchProbe:
    query: str
    results: int
    bytes: int
    requests: int
    ms: float


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def probe(site: Path, query: str = "信访") -> SearchProbe | None:
    """None when Chromium or the site's Pagefind index is missing."""
    if not CHROMIUM.exists() or not (site / "pagefind" / "pagefind.js").exists():
        return None
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fetched: list[int] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page()

            def on_response(response: object) -> None:
                url: str = response.url  # type: ignore[attr-defined]
                if "/pagefind/" in url:
                    fetched.append(len(response.body()))  # type: ignore[attr-defined]

            page.on("response", on_response)  # before loading: a search UI may fetch on page load
            page.goto(f"http://127.0.0.1:{server.server_port}/")
            out = page.evaluate(_QUERY_JS, query)
            time.sleep(0.2)  # let the last response events arrive
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return SearchProbe(query, int(out["count"]), sum(fetched), len(fetched), float(out["ms"]))
