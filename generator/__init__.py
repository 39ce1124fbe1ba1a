"""gongkai: YAML-authored budget disclosures → a static transparency site.

The folders are the pipeline, in the order data flows (a lower stage never imports a higher
one; import-linter's contracts in pyproject.toml keep it so):

  corpus/    content/*.yml → Corpus | [Problem]    load, convert, kinds, validate, model, money, …
  data/      Corpus → open data                    tables → JSON/CSV/XLSX, datapackage, feed, downloads
  site/      Corpus → generated docs folder        summaries, render, generate, writer, parts
  search/    built pages → Pagefind bundle         index, parts, stable
  plugin/    MkDocs events only                    events (the `gongkai` plugin), html_stash, a11y
  publish/   built site → site/                    swap (atomic), merge (parts)
  commands/  one module per `gongkai` command      check, build, export, new
  importer/  existing documents → YAML drafts      (`gongkai import`)
  cli.py     parses arguments, calls commands/
"""

__version__ = "0.1.0"  # the package version (pyproject.toml reads it); CHANGELOG.md says what changed
