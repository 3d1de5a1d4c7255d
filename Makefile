# The two quick-start commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: demo test install lint lint-python lint-sql coverage bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make demo: set up, generate the demo sources, run the whole pipeline, print a summary.
demo: $(STAMP)
	$(BIN)/churnstack init-secret
	$(BIN)/churnstack generate
	$(BIN)/churnstack run
	$(BIN)/churnstack status --limit 1

## make test: set up, lint (ruff + sqlfluff), run the whole test suite with line coverage.
test: $(STAMP) lint
	$(BIN)/pytest --cov=churnstack --cov-report=term --cov-fail-under=85

lint: lint-python lint-sql

lint-python: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

lint-sql: $(STAMP)
	$(BIN)/sqlfluff lint src/churnstack/dbt_project/models src/churnstack/dbt_project/tests

bench: $(STAMP)
	$(BIN)/python bench/bench_run.py

clean:
	rm -rf .churnstack data/demo .pytest_cache .coverage
