# FacetCare: `make run` serves the demo, `make test` runs every check.
# Both build the environment first; nothing needs installing by hand.

SHELL := /bin/bash
PYTHON := $(shell scripts/find-python)
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test lint typecheck pytest bench browser pdf-libs env clean

env: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON) --quiet
	touch $@

# Where `make run` serves (FACETCARE_ADDRESS=127.0.0.1:8105 make run); the demo's
# printed links and the links in emails follow it.
FACETCARE_ADDRESS ?= 127.0.0.1:8000

# gunicorn and the task worker; Ctrl-C stops both.
run: export FACETCARE_ADDRESS := $(FACETCARE_ADDRESS)
run: export FACETCARE_SITE_URL ?= http://$(FACETCARE_ADDRESS)
run: env pdf-libs
	$(BIN)/facetcare migrate --verbosity 0
	$(BIN)/facetcare demo
	$(BIN)/facetcare serve

# Debian's chromium, for the browser tests; a tool's own browser download fails here.
browser: pdf-libs
	@command -v $(CHROMIUM) >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The system libraries WeasyPrint draws PDFs with (patient record exports), and a font.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core
pdf-libs:
	@command -v dpkg-query >/dev/null || exit 0; \
	missing=$$(for package in $(PDF_LIBS); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'ok installed' || echo $$package; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing the libraries PDF exports need:" $$missing; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } \
	  || echo "Could not install them (needs root): PDF exports will fail until they are installed."; fi

lint: env
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/lint-imports

typecheck: env
	$(BIN)/mypy

pytest: env browser
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

test: lint typecheck pytest

bench: env
	$(BIN)/facetcare bench

clean:
	rm -rf $(VENV) $(TOOLS) .mypy_cache .ruff_cache .pytest_cache .hypothesis
