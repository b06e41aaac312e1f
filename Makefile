# DVO Portal. `make run` serves the demo on http://127.0.0.1:8000; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

# A Python >= 3.12 (Django 6.1 needs it): $PYTHON, python3.13, python3.12, pyenv builds, python3.
FIND_PYTHON = for c in "$$PYTHON" python3.13 python3.12 \
	  $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
	  [ -n "$$c" ] || continue; p=$$(command -v "$$c" 2>/dev/null) || continue; \
	  "$$p" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo "$$p"; exit 0; }; \
	done; exit 1

.PHONY: help run test test-postgres lint format migrations-check messages check-deploy bench bench-server clean

help:
	@echo "make run               serve the portal with the SMG model and demo data (SQLite)"
	@echo "make test              run the whole test suite (DATABASE_URL picks the database)"
	@echo "make lint              ruff check + ruff format --check"
	@echo "make migrations-check  fail if models and migrations disagree"
	@echo "make messages          update and compile the Dutch translations"
	@echo "make bench             time report rendering (HTML and PDF) for 12 processes"
	@echo "make bench-server      gunicorn on PostgreSQL with 500 organisations: page latencies"

$(VENV)/.base: requirements.txt
	@py=$$($(FIND_PYTHON)) || { echo "No Python >= 3.12 with venv found. Install one, e.g. 'apt-get install python3.13 python3.13-venv' (Debian 13) or 'pyenv install 3.12', or set PYTHON=/path/to/python3.12." >&2; exit 1; }; \
	  echo "Using $$py ($$($$py --version))"; \
	  [ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { rm -rf $(VENV); "$$py" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.base requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.base
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py load_demo_brand
	DEBUG=1 $(PY) manage.py load_demo_units
	DEBUG=1 $(PY) manage.py load_demo_benchmark
	DEBUG=1 $(PY) manage.py load_demo_portfolio
	@# Reminders that are due are queued now; the worker below sends them (console in DEBUG).
	DEBUG=1 $(PY) manage.py send_reminders
	@echo "Serving on http://$(HOST):$(PORT)/ with a worker for PDFs and decks (Ctrl+C stops both)"
	@# The worker renders PDFs and decks off the request path (reports/tasks.py); both reload
	@# on code changes, and the server's end (Ctrl+C) ends the worker too.
	@DEBUG=1 $(PY) manage.py db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The suite runs on every core (pytest-xdist; `make test PYTEST_WORKERS=0` runs it in one
# process), each worker with its own test database and live server. Compiled test modules
# (with pytest's rewritten asserts) are kept between runs even where the environment says
# not to write bytecode: that is seconds per worker at every start.
PYTEST_WORKERS ?= auto
test: $(VENV)/.dev
	scripts/system-deps
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(VENV)/.base
	$(PY) manage.py makemigrations --check --dry-run

messages: $(VENV)/.base
	$(PY) manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=staticfiles --add-location=file
	$(PY) manage.py compilemessages -l nl --ignore=.venv

check-deploy: $(VENV)/.base
	DEBUG=0 HTTPS=1 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  MFA_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	  ALLOWED_HOSTS=portal.example.org $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-*

bench: $(VENV)/.dev
	$(PY) bench/pdf_bench.py

bench-server: $(VENV)/.dev
	scripts/with-postgres $(PY) bench/server_bench.py

test-postgres: $(VENV)/.dev
	scripts/with-postgres $(MAKE) test
