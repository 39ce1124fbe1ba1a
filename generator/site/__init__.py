"""Stage 3 — Corpus → the generated docs folder (Markdown pages, YAML copies, source views, data).

In: a checked Corpus. summaries.py (per unit-year, year, region; exact Decimal) → render.py
(Jinja2 templates in site_templates/, charts.py) → generate.py (gather every file, then
writer.py writes only what changed). parts.py says which pages a part of the site builds.
"""
