# Labor Exchange: the commands a developer needs. `make` alone lists them.
# Needs only Python 3.11+, make and git; everything else goes into .venv.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Reinstall when the dependency list changes.
INSTALLED := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast worker beat lint format messages migrate seed check-deploy clean

help: ## List the commands
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(INSTALLED): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.x")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(INSTALLED) ## Create .venv and install the exchange with its dev tools

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

seed: migrate ## Load the demo data set (again: it is idempotent)
	$(PY) manage.py seed_demo

run: migrate ## Start the exchange on http://127.0.0.1:8000 with demo data (SQLite, eager Celery)
	$(PY) manage.py seed_demo --once
	@echo
	@echo "  The exchange:      http://$(HOST):$(PORT)/"
	@echo "  Data admin:        http://$(HOST):$(PORT)/admin/  (as admin@demo.exchange)"
	@echo "  Health:            http://$(HOST):$(PORT)/healthz"
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install ## Run the whole test suite (SQLite, eager Celery; both cores); PYTEST_ARGS adds options
	$(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

test-fast: install ## Run the tests, stopping at the first failure
	$(BIN)/pytest -x -q

worker: install ## Start a Celery worker (needs CELERY_BROKER_URL and usually DATABASE_URL)
	$(BIN)/celery -A exchange worker --loglevel=INFO

beat: install ## Start the Celery beat scheduler (periodic tasks)
	$(BIN)/celery -A exchange beat --loglevel=INFO --schedule=$(VENV)/celerybeat-schedule

lint: install ## Check style, formatting, the import layers and that migrations match the models
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

format: install ## Format the code and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install ## Collect new strings into locale/*/django.po and compile them
	$(PY) manage.py makemessages -l ru -l uz -l tg -l ky --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=bench --ignore=artifacts --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: install ## Run Django's deployment checks under production-like settings
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-a-long-enough-random-looking-value-xyz \
	DJANGO_ALLOWED_HOSTS=exchange.example.org DJANGO_SECURE_HSTS_PRELOAD=true \
	MIGRANTS_PASSPORT_KEYS=Y2hlY2stZGVwbG95LW9ubHkta2V5LTAxMjM0NTY3ODk= MIGRANTS_PASSPORT_HASH_KEY=check-deploy-only-a-separate-blind-index-key \
	$(PY) manage.py check --deploy --fail-level WARNING

clean: ## Remove the virtualenv, the SQLite database and caches
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
