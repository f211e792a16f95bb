# govopen — every task a researcher or CI runs. `make` alone lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install reproduce test lint bench clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install govopen with its test and notebook tools

reproduce: $(STAMP) ## parse the embedded corpus in data/raw and write the tables to data/processed
	$(BIN)/govopen parse data/raw -o data/processed

test: $(STAMP) ## run every test
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff over the package, the tests and the benchmarks
	$(BIN)/ruff check govopen tests benchmarks

bench: $(STAMP) ## time placement on its worst case (a big agency's run-together section 三)
	$(BIN)/python benchmarks/placement_worst_case.py --runs 15

clean: ## remove the virtual environment and generated outputs
	rm -rf $(VENV) data/processed
