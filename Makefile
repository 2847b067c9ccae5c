# Rapport — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
# Debian packages the test suite drives: the browser, PDF-to-PNG, fonts and Pango for WeasyPrint.
# Noto covers the scripts DejaVu lacks (CJK, emoji, and most others), so names print as glyphs;
# redis-server backs the test of rate limits shared by several gunicorn workers (and of Redis
# going away); sqlite3 runs the README's SQLite backup and restore commands.
TEST_DEBS := chromium poppler-utils fonts-dejavu-core fonts-noto-core fonts-noto-cjk \
  fonts-noto-color-emoji libpango-1.0-0 libpangoft2-1.0-0 redis-server sqlite3

# The locks: exact versions with hashes, made by `make lock` from the ranges in pyproject.toml.
# requirements.txt is the app (and the build backend, so that wheels build from the lock too);
# requirements-test.txt adds the test tools. A fresh machine gets what CI tested.
LOCK := requirements.txt
TEST_LOCK := requirements-test.txt
UV_VERSION := 0.13.9
UV_COMPILE := pip compile --quiet --generate-hashes --universal --python-version 3.11

.PHONY: run test lint lock bench install system-deps tools clean

$(STAMP): $(TEST_LOCK) pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(TEST_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

## lock: refresh both locks from pyproject.toml's ranges (uv, pinned here)
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	echo "setuptools>=68" | $(BIN)/uv $(UV_COMPILE) pyproject.toml - --extra test -o $(TEST_LOCK)
	echo "setuptools>=68" | $(BIN)/uv $(UV_COMPILE) pyproject.toml - -c $(TEST_LOCK) -o $(LOCK)

## run: install, migrate the SQLite database, load the demo review, start the mail worker,
## serve on http://$(HOST):$(PORT); both stop with Ctrl-C
run: $(STAMP)
	$(BIN)/survey db upgrade
	$(BIN)/survey demo --base-url http://$(HOST):$(PORT)
	@echo "Serving on http://$(HOST):$(PORT) — stop with Ctrl-C"
	$(BIN)/survey worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	SURVEY_BIND=$(HOST):$(PORT) \
	  $(BIN)/gunicorn -c python:survey.gunicorn_conf survey.wsgi:app

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

## tools: axe-core and the Nu HTML Checker (vnu-jar) from npm, at the versions locked in tests/tools
TOOLS_FILES := .tools/node_modules/axe-core/axe.min.js .tools/node_modules/vnu-jar/build/dist/vnu.jar
tools: system-deps
	@for f in $(TOOLS_FILES); do test -f $$f || missing=1; done; \
	cmp -s tests/tools/package-lock.json .tools/package-lock.json || missing=1; \
	if [ -n "$$missing" ]; then \
	  mkdir -p .tools && cp tests/tools/package.json tests/tools/package-lock.json .tools/ && \
	  npm ci --no-audit --no-fund --ignore-scripts --prefix .tools && \
	  for f in $(TOOLS_FILES); do test -f $$f || { echo "npm did not install $$f" >&2; exit 1; }; done; \
	fi

## test: lint, then the whole suite on SQLite; with CI set, again on a real PostgreSQL server
test: $(STAMP) system-deps tools lint
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
