"""Stage 5 — MkDocs events only, wired to `site.generate`, `search` and `data.feed`.

events.py is the `gongkai` MkDocs plugin (mkdocs.yml); html_stash.py lets generated HTML
blocks skip Python-Markdown's HTML parser; a11y.py names scrollable tables on every page.
"""
