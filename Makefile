# wijkmonitor — needs only python3 (>= 3.11) and make.
# Main job:   make demo   (environment + demo data + full pipeline + publication)
# Tests:      make test

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lab lint clean-output kernel benchmarks

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/wijkmonitor demo-data --out data/raw
	$(BIN)/wijkmonitor build --raw data/raw --out data/processed
	$(BIN)/wijkmonitor render

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name wijkmonitor --display-name "Python (wijkmonitor)"

lab: kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

benchmarks: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean-output:
	rm -rf data/processed/* reports/runs reports/_output
