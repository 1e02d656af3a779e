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
	$(BIN)/python -m ipykernel install --sys-prefix --name wijkmonitor --display-name "Python (wijkmonitor)"
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
