# The README's commands. Every target sets up .venv first if it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.milimo-installed

.PHONY: setup test lint demo bench tui clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, from the CPU build, so nothing later pulls a multi-GB CUDA wheel.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -q

demo: setup
	$(BIN)/milimo demo

bench: setup
	$(BIN)/python bench/run.py

tui: setup
	$(BIN)/milimo tui

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
