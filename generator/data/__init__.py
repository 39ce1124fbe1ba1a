"""Stage 2 — Corpus → open data: tables, JSON/CSV/XLSX, Fiscal Data Package, Atom feed, sitemap.

In: a checked `corpus.model.Corpus`. Out: file bytes keyed by site path (`downloads.data_files`)
and the rows of `gongkai export`. One direction: tables.py → export.py (JSON/CSV) / xlsx.py →
datapackage.py → downloads.py; feed.py beside them. Imports only `generator.corpus`.
"""
