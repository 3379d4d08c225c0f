# memadmin: `make run` to try it, `make test` for the whole suite, `make bench` for speed.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
PYTEST_ARGS ?= -n 2

# The first Python >= 3.12 found: on PATH, then under pyenv, then the usual prefixes.
define find_python
for cand in python3.13 python3.12 python3 \
    $$(command -v pyenv >/dev/null 2>&1 && ls -d "$$(pyenv root)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) \
    $$(ls -d "$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) \
    /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do \
  if command -v "$$cand" >/dev/null 2>&1 && "$$cand" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
    command -v "$$cand"; exit 0; \
  fi; \
done; exit 1
endef

.PHONY: help
help:
	@echo "make run    set up everything and start memadmin on http://127.0.0.1:8000"
	@echo "make test   lint and run the whole test suite, browser tests included"
	@echo "make bench  run the benchmarks (prints BENCH <name> <value> <unit> lines)"
	@echo "make serve  run the production server (gunicorn + background workers)"

$(PY):
	@python=$$($(find_python)) || { \
	  echo "memadmin needs Python 3.12 or newer and found none."; \
	  echo "Install one: 'pyenv install 3.12', 'uv python install 3.12', or your system's"; \
	  echo "python3.12 and python3.12-venv packages; then run make again."; \
	  exit 1; }; \
	echo "Using $$python ($$($$python --version))"; \
	$$python -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

.PHONY: install install-dev
install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

.PHONY: migrate
migrate: install
	$(MANAGE) migrate --no-input

.PHONY: demo-data
demo-data: migrate
	$(MANAGE) seed_demo

.PHONY: run
run: demo-data
	@echo
	@echo "  memadmin is starting on http://127.0.0.1:8000 (Memory API: embedded emulator)"
	@echo "  Demo users: operator, reviewer, auditor, admin -- password: memadmin-demo"
	@echo
	$(BIN)/honcho start -f Procfile.dev

.PHONY: chromium
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else \
	    echo "Browser tests need Debian's chromium: run 'sudo apt-get install chromium'."; exit 1; \
	  fi; }

# lint-imports: the layers of docs/architecture.md, enforced (contracts in pyproject.toml).
.PHONY: lint
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: test test-sqlite test-postgres postgres
test: install-dev chromium lint test-sqlite test-postgres

test-sqlite: install-dev chromium
	@echo "== test suite on SQLite"
	$(BIN)/pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL. CI must have it; elsewhere it is skipped, loudly, when
# no server answers at POSTGRES_URL.
test-postgres: install-dev chromium postgres
	@if $(PY) -c 'import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()' \
	    "$(POSTGRES_URL)" 2>/dev/null; then \
	  echo "== test suite on PostgreSQL ($(POSTGRES_URL))"; \
	  DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest $(PYTEST_ARGS); \
	else \
	  echo "!! PostgreSQL at $(POSTGRES_URL) does not answer: the PostgreSQL pass did NOT run."; \
	  [ "$${CI:-}" != "true" ]; \
	fi

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null 2>&1; then \
	    echo "Starting PostgreSQL..."; \
	    pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -1) main start || true; \
	    sleep 2; \
	  fi; }

# A production-like server: gunicorn (gunicorn.conf.py) plus WORKERS background workers.
WORKERS ?= 2
.PHONY: serve
serve: migrate
	$(MANAGE) collectstatic --no-input --verbosity 0
	$(BIN)/honcho start -f Procfile -c worker=$(WORKERS)

.PHONY: bench
bench: install-dev
	$(PY) -m tests.benchmarks

.PHONY: clean
clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
