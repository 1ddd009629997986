# Pilotage — every set-up step lives here (and in pyproject.toml / the lock files).
# `make demo` and `make test` work on a fresh machine with Python ≥ 3.11 and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint serve bench bench-peers bench-pymc install install-dev lock check-imports clean messages help

help:
	@echo "make demo   - install, load the demo companies, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install dev tools, lint, run the whole test suite (browser tests included)"
	@echo "make lint | make serve | make bench | make lock | make messages"

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.5,<1"

$(VENV)/.installed: $(UV) requirements.lock pyproject.toml
	$(UV) pip sync --quiet --python $(BIN)/python requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

# gbstats (GrowthBook's engine, the Bayesian tests' reference) pins numpy<2 and pandas<2 but
# runs on current ones: installed without its dependencies, for the tests only.
GBSTATS := gbstats==0.8.0

$(VENV)/.installed-dev: $(UV) requirements-dev.lock pyproject.toml
	$(UV) pip sync --quiet --python $(BIN)/python requirements-dev.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps "$(GBSTATS)"
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/pilotage demo --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/pilotage serve --host $(HOST) --port $(PORT)

lint: install-dev
	$(BIN)/ruff format --check src tests tools bench
	$(BIN)/ruff check src tests tools bench
	$(BIN)/mypy
	$(BIN)/python tools/check_imports.py

# The whole suite on SQLite; then, when PILOTAGE_TEST_POSTGRES_URL is set, the database tests
# again on PostgreSQL (.ci/run sets it).
test: lint
	$(BIN)/python -m pytest
	@if [ -n "$$PILOTAGE_TEST_POSTGRES_URL" ]; then \
		echo "== database tests on PostgreSQL ($$PILOTAGE_TEST_POSTGRES_URL) =="; \
		PILOTAGE_DATABASE_URL="$$PILOTAGE_TEST_POSTGRES_URL" $(BIN)/python -m pytest -m django_db tests/web; \
	else \
		echo "SKIPPED: database tests on PostgreSQL (set PILOTAGE_TEST_POSTGRES_URL to run them)"; \
	fi

bench: install-dev
	$(BIN)/python bench/run.py

# The peers some benchmarks compare with (ChannelAttribution: GPL-3, may compile from source).
bench-peers: install-dev
	$(UV) pip install --python $(BIN)/python "channelattribution>=2.2,<3" "matplotlib>=3.8,<4"

# PyMC-Marketing, the MMM peer, in its own environment (about 1 GB; it pins its own numpy and
# PyTensor): then Pilotage's MMM against it on its published example data and on the same
# simulated markets (an hour or more on 2 cores).
PYMC_VENV := .venv-pymc

$(PYMC_VENV)/.installed: $(UV)
	$(PYTHON) -m venv $(PYMC_VENV)
	$(UV) pip install --quiet --python $(PYMC_VENV)/bin/python "pymc-marketing>=0.19,<0.20" "nutpie>=0.15,<0.17"
	@touch $@

bench-pymc: install-dev $(PYMC_VENV)/.installed
	$(BIN)/python bench/run.py mmm_published mmm_peer

# Re-resolve the pinned dependencies after changing pyproject.toml.
lock: $(UV)
	$(UV) pip compile --quiet --universal --python-version 3.11 pyproject.toml -o requirements.lock
	$(UV) pip compile --quiet --universal --python-version 3.11 --extra dev pyproject.toml -o requirements-dev.lock

# Refresh the French catalogue after adding UI strings, then translate and run this again.
messages: install-dev
	cd src/pilotage/web && ../../../$(BIN)/django-admin makemessages -l fr --no-obsolete --no-location
	cd src/pilotage/web && ../../../$(BIN)/django-admin compilemessages -l fr

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
