# Tigerbird: `make run` starts the bot, `make test` runs every check. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest install install-dev clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamps: reinstall only when the packaging files change (`make run` twice installs once).
$(VENV)/.installed: pyproject.toml setup.py | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml setup.py | $(BIN)/activate
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/tigerbird db upgrade
	$(BIN)/tigerbird run $(ARGS)

lint: install-dev
	$(BIN)/ruff check bot adapters tests
	$(BIN)/ruff format --check bot adapters
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy --strict bot adapters tests

pytest: install-dev
	$(BIN)/pytest -q --durations=25

test: lint typecheck pytest

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

# The long reliability campaign (issue 8): 20 kill -9 trials, thousands of fuzz cases each,
# on SQLite and on PostgreSQL (CI's local server unless TEST_DATABASE_URL says otherwise; with
# CI=true an unreachable server fails the run instead of skipping its half).
TEST_DATABASE_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test
test-reliability: install-dev
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) CI=true RELIABILITY_LONG=1 RELIABILITY_TRIALS=20 RELIABILITY_EXAMPLES=2000 RELIABILITY_DB_CUT_SECONDS=30 $(BIN)/pytest -q -rs tests/reliability
