# govopen — every task a researcher or CI runs. `make` alone lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the development corpus of real reports, beside the repository when it is there
SHARED ?= ../shared
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
# keys of a notebook that change on every run: stripped from the committed notebooks
VOLATILE := metadata.language_info.version metadata.papermill cell.metadata.papermill \
            cell.metadata.execution

.DEFAULT_GOAL := help
.PHONY: help install reproduce notebooks examples test test-fast lint accuracy bench clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install govopen with its test and notebook tools

# a paper's published manifest instead of data/raw: make reproduce MANIFEST=manifest.csv
# [WARC=crawl.warc.gz] fetches and verifies its files into data/fetched first
MANIFEST ?=
WARC ?=
INPUTS := $(if $(MANIFEST),data/fetched,data/raw)

reproduce: $(STAMP) ## parse data/raw (or MANIFEST=… fetched) into data/processed; run notebooks 01–08 into reports/
	$(if $(MANIFEST),$(BIN)/govopen fetch "$(MANIFEST)" -o data/fetched $(if $(WARC),--warc "$(WARC)"))
	$(BIN)/govopen parse $(INPUTS) -o data/processed
	mkdir -p reports/executed reports/figures reports/html
	for nb in $(NOTEBOOKS); do \
	  $(BIN)/papermill --cwd notebooks --kernel python3 --no-progress-bar --log-level WARNING \
	    $(if $(MANIFEST),-y "inputs: [../$(INPUTS)]") \
	    "$$nb" "reports/executed/$$(basename $$nb)" || exit 1; \
	done
	$(BIN)/jupyter nbconvert --to html --no-input --log-level WARN --output-dir reports/html \
	  $(addprefix reports/executed/,$(notdir $(NOTEBOOKS)))

notebooks: $(STAMP) ## re-run the notebooks in place with their defaults: the outputs nbval compares
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --log-level WARN $(NOTEBOOKS)
	$(BIN)/nbstripout --keep-output --keep-count --extra-keys "$(VOLATILE)" $(NOTEBOOKS)

examples: $(STAMP) ## rewrite data/examples from the development corpus in ../shared, when present
	@if [ -d "$(SHARED)/corpus/raw" ]; then \
	  $(BIN)/python -m govopen.dataset.examples "$(SHARED)/corpus/raw" -o data/examples; \
	else echo "$(SHARED)/corpus/raw not found: data/examples left as committed"; fi

test: $(STAMP) ## run every test, then the notebooks against their stored outputs (nbval)
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --nbval notebooks/ --nbval-sanitize-with nbval_sanitize.cfg

test-fast: $(STAMP) ## the tests that need neither ../shared nor minutes: under a minute
	$(BIN)/python -m pytest -q -m "not slow and not needs_shared"

lint: $(STAMP) ## ruff over the package, the tests and the benchmarks; mypy over the package
	$(BIN)/ruff check govopen tests benchmarks
	$(BIN)/mypy govopen

accuracy: $(STAMP) ## score parse_report against the gold files in data/ and ../shared
	$(BIN)/python -m benchmarks.accuracy --shared $(SHARED)

SIZES ?= 1000,10000
bench: $(STAMP) ## speed and memory on synthetic reports (SIZES=1000,10000,100000 for more); parse time per format on the real ones; hostile shapes
	$(BIN)/python -m benchmarks.bench --sizes $(SIZES) --profile
	$(BIN)/python -m benchmarks.placement_worst_case --runs 15
	$(BIN)/python -m benchmarks.real_shapes --shared $(SHARED)
	$(BIN)/python -m benchmarks.hostile_shapes

clean: ## remove the virtual environment and generated outputs
	rm -rf $(VENV) data/processed reports/executed reports/html
