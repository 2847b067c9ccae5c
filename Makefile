# Rapport — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# Debian packages the test suite drives: the browser, PDF-to-PNG, fonts and Pango for WeasyPrint.
TEST_DEBS := chromium poppler-utils fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0

.PHONY: run test lint bench install system-deps tools clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## run: install, migrate the SQLite database, load the demo review, serve on http://$(HOST):$(PORT)
run: $(STAMP)
	$(BIN)/survey db upgrade
	$(BIN)/survey demo --base-url http://$(HOST):$(PORT)
	@echo "Serving on http://$(HOST):$(PORT) — stop with Ctrl-C"
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - wsgi:app

## system-deps: Debian packages for the browser and PDF tests (installed with apt-get when missing)
system-deps:
	@missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages:$$missing — run: sudo apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi

## tools: axe-core and the Nu HTML Checker (vnu-jar) from npm, for the accessibility and markup tests
TOOLS_FILES := .tools/node_modules/axe-core/axe.min.js .tools/node_modules/vnu-jar/build/dist/vnu.jar
tools: system-deps
	@for f in $(TOOLS_FILES); do test -f $$f || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  npm install --no-save --no-audit --no-fund --ignore-scripts --prefix .tools axe-core@4 vnu-jar && \
	  for f in $(TOOLS_FILES); do test -f $$f || { echo "npm did not install $$f" >&2; exit 1; }; done; \
	fi

## test: lint, then the whole suite on SQLite; with CI set, again on a real PostgreSQL server
test: $(STAMP) system-deps tools
	$(BIN)/ruff check .
	$(BIN)/pytest
	@if [ -n "$$CI" ]; then \
	  url=$$(bash .ci/postgres.sh) && \
	  echo "Running the suite again on PostgreSQL" && \
	  SURVEY_TEST_DATABASE_URL=$$url $(BIN)/pytest; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	@for b in bench/*.py; do [ -e "$$b" ] || continue; echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) instance test-artifacts .pytest_cache
