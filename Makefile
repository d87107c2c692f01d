# Every target creates .venv from bare python3 when it is missing and installs what it needs:
# `make demo` the project, `make test` the project with its test extras and the system
# programs the tests drive (scripts/system-deps.sh: Virtuoso, Chromium, rapper, serdi).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint clean bench bench-quick

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/kg build data/articles -o out

test: $(VENV)/.installed-test
	bash scripts/system-deps.sh
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/python -m pytest -q

# The benchmarks (benchmarks/README.md): each writes benchmarks/results/<name>.json.
BENCHES := build export queries memory incremental page quality
bench: $(VENV)/.installed-test
	rm -rf $${TMPDIR:-/tmp}/regionkg-bench
	set -e; for b in $(BENCHES); do $(BIN)/python benchmarks/bench_$$b.py; done

bench-quick: $(VENV)/.installed-test
	rm -rf $${TMPDIR:-/tmp}/regionkg-bench-quick
	set -e; export REGIONKG_BENCH_WORK=$${TMPDIR:-/tmp}/regionkg-bench-quick; \
	for b in $(BENCHES); do $(BIN)/python benchmarks/bench_$$b.py --quick; done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check kg tests benchmarks

clean:
	rm -rf out build dist .pytest_cache
