"""The `gongkai` commands, one module each: printing, exit codes. `generator/cli.py` only parses.

check.py (`gongkai check`), build.py (`build`, `merge`, `serve`), export.py, new.py (scaffolds);
`gongkai import` is `generator.importer.command`.
"""
