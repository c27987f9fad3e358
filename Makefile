# Two commands (see README): `make demo` and `make test`. Both build their own
# virtual environment in .venv from the pinned versions in requirements.lock.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DB ?= demo.db

.PHONY: demo demo-run install test lint typecheck unit gate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## Run the whole pipeline on the demo corpus (prints incidents, leaves $(DEMO_DB)),
## then serve it read-only at http://127.0.0.1:$(PORT)/ (Ctrl-C stops the server).
PORT ?= 8000
demo: demo-run
	$(BIN)/tolltrace serve --db sqlite:///$(DEMO_DB) --port $(PORT) --public-read

demo-run: $(VENV)/.installed
	$(BIN)/tolltrace run data/demo/documents.jsonl --db sqlite:///$(DEMO_DB)

## Lint, type-check, the test suite (SQLite and PostgreSQL), then the evaluation gate.
test: $(VENV)/.installed lint typecheck unit gate

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed
	$(BIN)/mypy

unit: $(VENV)/.installed
	$(BIN)/pytest -q

gate: $(VENV)/.installed
	$(BIN)/python scripts/eval_gate.py

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_ingest.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
