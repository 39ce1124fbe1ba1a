# The two commands of the README: `make site` and `make test`. Both set up everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve check bench lint golden golden-import clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# axe-core for the accessibility tests (package-lock.json; the tests inject it into Chromium).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { $(PYTHON) tools/preflight.py; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

site: $(STAMP)  ## build the bundled content into site/
	$(BIN)/gongkai build

test: $(STAMP) $(AXE)  ## lint, type-check and run every test
	$(BIN)/python tools/preflight.py
	$(BIN)/ruff check generator tests benchmarks tools
	$(BIN)/ruff format --check generator tests benchmarks tools
	$(BIN)/lint-imports
	$(BIN)/mypy
	node --test --test-reporter=dot tests/js/  # the search page's query logic and engine
	$(BIN)/pytest -n 2 -q

serve: $(STAMP)  ## preview with live reload on http://127.0.0.1:8000
	$(BIN)/gongkai serve

check: $(STAMP)
	$(BIN)/gongkai check content

golden: $(STAMP)  ## regenerate the golden cases tests/cases/*/expected (review the diff!)
	$(BIN)/python -m tests.regen_cases

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/redirects_bench.py  # old addresses: redirect pages at 10,000 disclosures

lint: $(STAMP)
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/ruff format --check generator tests benchmarks

clean:
	rm -rf site .build docs_gen

golden-import: $(STAMP)  ## rebuild missing import fixtures, regenerate their expected drafts (review the diff!)
	$(BIN)/python -m tests.regen_import
