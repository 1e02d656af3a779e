# wijkmonitor — needs only python3 (>= 3.11) and make.
# Main job:   make demo   (environment + demo data + full pipeline + publication)
# Tests:      make test

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lab lint clean-output kernel benchmarks git-filters notebooks-sync docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name wijkmonitor --display-name "Python (wijkmonitor)"
	touch $(STAMP)

setup: $(STAMP) git-filters

# Git filter: notebooks are committed without outputs and execution counts, cell ids kept
# (nbstripout --keep-id), so saving from the lab does not dirty git. No-op outside a git checkout.
NBSTRIPOUT = "$(abspath $(BIN))/python" -m nbstripout --keep-id
git-filters:
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		git config filter.nbstripout.clean '$(NBSTRIPOUT)' && \
		git config filter.nbstripout.smudge cat && \
		git config filter.nbstripout.required true && \
		git config diff.ipynb.textconv '$(NBSTRIPOUT) -t' && \
		echo "git-filter nbstripout (--keep-id) ingesteld voor *.ipynb (.gitattributes)"; \
	fi

# Generated parts of the docs (the indicator list in docs/verkennen.md, from the registry).
docs: $(STAMP)
	$(BIN)/python -c "from helpers.registers.indicatoren import write_indicator_docs; write_indicator_docs('docs/verkennen.md')"

# Paired scripts: notebooks/NN_naam.py (percent format) next to every notebook, for review.
notebooks-sync: $(STAMP)
	$(BIN)/jupytext --sync notebooks/[0-9][0-9]_*.ipynb

demo: $(STAMP)
	$(BIN)/wijkmonitor demo-data --out data/raw
	$(BIN)/wijkmonitor build --raw data/raw --out data/processed
	$(BIN)/wijkmonitor render

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name wijkmonitor --display-name "Python (wijkmonitor)"

# JupyterLab at the repository root (notebooks, reports, params, docs visible) on a free local
# port with a fresh token; --allow-root only when running as root.
lab: kernel
	@port=$$($(BIN)/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	token=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(24))'); \
	root=""; if [ "$$(id -u)" = "0" ]; then root="--allow-root"; fi; \
	echo "JupyterLab start op http://127.0.0.1:$$port/lab?token=$$token (stoppen: Ctrl-C)"; \
	JUPYTER_TOKEN=$$token exec $(BIN)/jupyter lab --ServerApp.root_dir=. --ServerApp.ip=127.0.0.1 \
		--ServerApp.port=$$port --ServerApp.port_retries=0 \
		--MappingKernelManager.default_kernel_name=wijkmonitor $$root $(LAB_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

benchmarks: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean-output:
	rm -rf data/processed/* reports/runs reports/_output
