"""Link check of the built site with LinkChecker (PyPI `linkchecker`, pinned in requirements.txt).

The site is served on 127.0.0.1 (as a web server would serve it: a folder URL opens its
index.html) and LinkChecker crawls every internal link from the home page, anchors
included (its AnchorCheck plugin: the `#L12` source-line links and heading links).
External links are not followed (no network). LinkChecker drops root privileges to
`nobody`, which is why the site is served over HTTP rather than read from tmp_path.
"""

from __future__ import annotations

import functools
import http.server
import io
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.commands.build import build_site

from .site_helpers import CONTENT, make_config
from .test_injection import hostile_content

pytestmark = pytest.mark.slow

LINKCHECKER = Path(sys.executable).with_name("linkchecker")
CONFIG = """\
[checking]
threads=4
# More than 10 a second needs a "LinkChecker" response header, which the test server sends.
maxrequestspersecond=500
[filtering]
checkextern=0
[AnchorCheck]
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # LinkChecker closes connections early; nothing to report


@pytest.fixture
def serve() -> Iterator[functools.partial[str]]:
    servers: list[_Server] = []

    def start(site: Path) -> str:
        server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield functools.partial(start)
    for server in servers:
        server.shutdown()
        server.server_close()


def linkcheck(tmp: Path, url: str) -> tuple[int, str]:
    config = tmp / "linkcheckerrc"
    config.write_text(CONFIG, encoding="utf-8")
    run = subprocess.run(
        [str(LINKCHECKER), "-f", str(config), "--no-status", "-o", "text", url],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return run.returncode, run.stdout + run.stderr


def summary(output: str) -> tuple[int, int, int]:
    """(links checked, warnings, errors) from LinkChecker's closing line.

    A missing anchor is a warning in LinkChecker, so warnings count as failures here.
    """
    m = re.search(r"(\d+) links? in \d+ URLs? checked\. (\d+) warnings? found\. (\d+) errors? found", output)
    assert m, output[-2000:]
    return int(m[1]), int(m[2]), int(m[3])


def build(tmp: Path, content: Path) -> Path:
    out = io.StringIO()
    assert build_site(make_config(tmp, content), tmp / "site", out=out) == 0, out.getvalue()
    return tmp / "site"


def test_bundled_site_has_no_broken_internal_link(tmp_path: Path, serve: functools.partial[str]) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    site = build(tmp_path, content)
    code, output = linkcheck(tmp_path, serve(site))
    checked, warnings, errors = summary(output)
    assert (code, warnings, errors) == (0, 0, 0), output[-4000:]
    pages = len(list(site.rglob("*.html")))
    assert checked > pages  # it crawled the whole site, not one page


def test_hostile_site_has_no_broken_internal_link(tmp_path: Path, serve: functools.partial[str]) -> None:
    """Odd file names (#, ?, %, quotes) and payload-laden names must still give working links."""
    site = build(tmp_path, hostile_content(tmp_path / "content"))
    code, output = linkcheck(tmp_path, serve(site))
    checked, warnings, errors = summary(output)
    assert (code, warnings, errors) == (0, 0, 0), output[-4000:]
    assert checked > 50


def test_the_check_finds_a_missing_page_and_a_missing_anchor(tmp_path: Path, serve: functools.partial[str]) -> None:
    site = tmp_path / "site"
    (site / "units").mkdir(parents=True)
    (site / "units" / "index.html").write_text('<html><body><h2 id="a">A</h2></body></html>', encoding="utf-8")
    (site / "index.html").write_text(
        '<html><body><a href="units/">ok</a> <a href="units/#a">ok</a> <a href="gone/">missing page</a>'
        ' <a href="units/#nowhere">missing anchor</a></body></html>',
        encoding="utf-8",
    )
    code, output = linkcheck(tmp_path, serve(site))
    assert code == 1
    assert summary(output)[1:] == (1, 1), output
    assert "Error: 404" in output and "Anchor `nowhere' (decoded: `nowhere') not" in output
