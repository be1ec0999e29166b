# The two commands: `make run` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

.PHONY: run test lint bench clean help

help:
	@echo "make run    set up, load the demo articles into an empty database, open the dashboard"
	@echo "make test   set up with the test dependencies and run the whole test suite"
	@echo "make lint   ruff over the code"
	@echo "make bench  extraction and dashboard benchmarks"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[postgres]"
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[postgres,test,dev]"
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[postgres,test,bench]"
	touch $@

run: $(VENV)/.installed
	$(BIN)/tracker demo --if-empty
	$(BIN)/tracker dashboard --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check tracker dashboard tests

bench: $(VENV)/.installed-bench
	$(BIN)/python -m tracker.bench
	$(BIN)/python -m tracker.bench_dashboard

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
