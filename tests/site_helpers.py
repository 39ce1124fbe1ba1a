"""Helpers for the site tests: content folders, MkDocs configs in tmp_path, built-HTML parsing."""

from __future__ import annotations

import io
import re
import textwrap
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html

from generator.commands.build import build_site

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def write_content(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: YAML text (dedented)} under `root`."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def is_redirect(path: Path) -> bool:
    """An old address's redirect page (site/redirects.py): not a page of its own, it leads to one
    (tests/test_redirects*.py check it); tests of every page's meta tags, footer and navigation skip it."""
    return b'http-equiv="refresh"' in path.read_bytes()[:1000]


def make_config(tmp: Path, content: Path) -> Path:
    """The repository's mkdocs.yml, rewritten to read `content` and generate under `tmp`."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    replacements = {
        r"^docs_dir: .*$": f"docs_dir: {ROOT / 'site_templates'}",
        r"^site_dir: .*$": f"site_dir: {tmp / 'site'}",
        r"^  custom_dir: .*$": f"  custom_dir: {ROOT / 'overrides'}",
        r"^      content: .*$": f"      content: {content}",
        r"^      output: .*$": f"      output: {tmp / 'docs'}",
    }
    for pattern, new in replacements.items():
        text, n = re.subn(pattern, new, text, flags=re.M)
        assert n == 1, f"mkdocs.yml no longer has a line matching {pattern}"
    config = tmp / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def build(tmp: Path, content: Path) -> tuple[int, str, Path]:
    """`gongkai build` of `content` into tmp/site: (exit code, messages, site dir)."""
    tmp.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    code = build_site(make_config(tmp, content), tmp / "site", out=out)
    return code, out.getvalue(), tmp / "site"


def page(site: Path, url: str) -> lxml.html.HtmlElement:
    """The parsed HTML of a directory URL ('' is the home page)."""
    return lxml.html.fromstring((site / url / "index.html").read_bytes())


def article(site: Path, url: str) -> lxml.html.HtmlElement:
    """The page's main content (without header, navigation and footer)."""
    found = page(site, url).xpath('//article[contains(@class, "md-content__inner")]')
    assert found, f"{url}: no article"
    return found[0]


def text_of(el: lxml.html.HtmlElement) -> str:
    """Visible text with whitespace collapsed."""
    return " ".join(el.text_content().split())


def internal_links(html_file: Path, site: Path) -> list[tuple[str, Path, str]]:
    """(href as written, target file, fragment) of every same-site href/src in a built page."""
    doc = lxml.html.fromstring(html_file.read_bytes())
    out = []
    for el, attr in [(e, a) for a in ("href", "src") for e in doc.xpath(f"//*[@{a}]")]:
        if el.tag == "svg" or el.tag.endswith("pattern"):
            continue
        ref = el.get(attr)
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc or ref.startswith(("mailto:", "data:", "javascript:")):
            continue
        path = unquote(parts.path)
        if not path:
            target = html_file
        elif path.startswith("/"):
            target = site / path.lstrip("/")
        else:
            target = (html_file.parent / path).resolve()
        if target.is_dir() or path.endswith("/"):
            target = target / "index.html"
        out.append((ref, target, parts.fragment))
    return out


def ids_of(html_file: Path) -> set[str]:
    doc = lxml.html.fromstring(html_file.read_bytes())
    return {str(i) for i in doc.xpath("//@id")}
