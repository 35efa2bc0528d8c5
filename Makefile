# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint format typecheck screenshots bench clean tmux

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/reader

# tmux drives the end-to-end test; install it from Debian's packages when it is missing.
tmux:
	@command -v tmux >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && apt-get install -y -qq tmux) >/dev/null 2>&1 || echo "tmux could not be installed; the end-to-end test will be skipped"; \
	  else echo "tmux is missing; the end-to-end test will be skipped"; fi; }

test: $(STAMP_TEST) tmux
	$(BIN)/ruff check reader tests bench scripts
	$(BIN)/ruff format --check reader tests bench scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP_TEST)
	$(BIN)/ruff check reader tests bench scripts
	$(BIN)/mypy

format: $(STAMP_TEST)
	$(BIN)/ruff format reader tests bench scripts
	$(BIN)/ruff check --fix reader tests bench scripts

screenshots: $(STAMP_TEST)
	$(BIN)/python scripts/screenshots.py

bench: $(STAMP_TEST)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
