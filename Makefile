# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: install install-dev setup run test lint

PIP := $(PY) -m pip install --quiet --disable-pip-version-check

# Reinstall only when the pinned requirements change. `make run` needs only the application's
# packages; `make test` adds the tests' and the benchmark's (the bench scripts run in CI).
$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt bench/requirements.txt
	$(PIP) -r requirements-dev.txt -r bench/requirements.txt
	touch $@

# The browser tests' JavaScript (axe-core, pinned in package-lock.json), from the npm registry.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev node_modules/.installed

setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_registry

run: setup
	$(PY) manage.py ensure_admin
	$(PY) manage.py runserver 127.0.0.1:8000

# The suite on both cores, each test file whole in one worker (each worker its own test
# database; see README, "The tests").
test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/python manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n 2 --dist loadfile

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
