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

.PHONY: run test lint typecheck pytest bench browser env clean

env: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==0.13.8

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON) --quiet
	touch $@

run: env
	$(BIN)/facetcare migrate
	$(BIN)/facetcare demo
	$(BIN)/facetcare serve

# Debian's chromium, for the browser tests; a tool's own browser download fails here.
browser:
	@command -v $(CHROMIUM) >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

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
