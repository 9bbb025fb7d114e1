# Jobbtorg — the common commands. `make run` and `make test` are all a newcomer needs.
VENV      := .venv
BIN       := $(VENV)/bin
PY        := $(BIN)/python
MANAGE    := $(PY) manage.py
HOST      ?= 127.0.0.1
PORT      ?= 8000

.PHONY: prod run test install dev-install bench-install migrate seed lint format lock messages browser oidc-provider clean bench

$(VENV)/.base-installed: requirements/base.txt
	test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.base-installed
	$(PY) -m pip install -q --require-hashes -r requirements/dev.txt
	touch $@

$(VENV)/.bench-installed: requirements/bench.txt $(VENV)/.dev-installed
	$(PY) -m pip install -q --require-hashes -r requirements/bench.txt
	touch $@

install: $(VENV)/.base-installed

dev-install: $(VENV)/.dev-installed

## bench-install: what the benchmarks need on top (Locust for the load test)
bench-install: $(VENV)/.bench-installed

migrate: install
	$(MANAGE) migrate --noinput

## run: create the virtualenv, install, migrate, load the demo if the database is empty, serve
run: migrate
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) demo_logins
	$(MANAGE) runserver $(HOST):$(PORT)

## prod: the production processes on one machine — web (gunicorn), worker and beat (Celery) — with the
## production settings, run by honcho from the Procfile. Needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS,
## DATABASE_URL and CELERY_BROKER_URL in the environment or in .env (docs/operations.md, "Processes").
PROD_ENV := DJANGO_SETTINGS_MODULE=jobbtorg.settings.production PYTHONPATH=src \
	PROMETHEUS_MULTIPROC_DIR=$${PROMETHEUS_MULTIPROC_DIR:-/tmp/jobbtorg-metrics}
prod: install
	rm -rf $${PROMETHEUS_MULTIPROC_DIR:-/tmp/jobbtorg-metrics} && mkdir -p $${PROMETHEUS_MULTIPROC_DIR:-/tmp/jobbtorg-metrics}
	$(PROD_ENV) $(MANAGE) migrate --noinput
	$(PROD_ENV) $(MANAGE) collectstatic --noinput -v0
	$(PROD_ENV) $(BIN)/honcho -f Procfile start

## test: install what the tests need (incl. Chromium for the browser test, where we may, and the test
## OpenID Provider's npm packages) and run all, in parallel (pytest-xdist: one process and one test database
## per core; TEST_WORKERS=0 runs in this process)
TEST_WORKERS ?= auto
test: dev-install browser oidc-provider
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS) --dist load

## browser: Debian's Chromium for the browser tests (installed only when we are root and it is missing)
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's chromium for the browser tests…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "Could not install chromium; the browser tests will be skipped."; \
	fi

## oidc-provider: the real OpenID Provider of the sign-in tests (panva's oidc-provider, tests/oidc), from its
## package-lock.json
oidc-provider:
	@if command -v npm >/dev/null; then cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm is missing: the sign-in tests against a real OpenID Provider will be skipped."; fi

seed: migrate
	$(MANAGE) seed_demo

lint: dev-install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: dev-install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

## lock: re-resolve the pinned, hashed requirements from requirements/*.in
lock: dev-install
	$(PY) -m pip install -q pip-tools
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --no-emit-find-links --no-emit-index-url --strip-extras -o base.txt base.in
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --no-emit-find-links --no-emit-index-url --strip-extras -o dev.txt dev.in
	cd requirements && ../$(BIN)/pip-compile -q --generate-hashes --no-emit-find-links --no-emit-index-url --strip-extras -o bench.txt bench.in

## messages: extract UI strings into locale/*.po (sv, en, then the participant languages) and compile them
messages: dev-install
	cd src/jobbtorg && ../../$(PY) ../../manage.py makemessages -l sv -l en --no-obsolete
	$(PY) manage.py participant_messages  # the participant languages' catalogues (docs/translations.md)
	cd src/jobbtorg && ../../$(PY) ../../manage.py compilemessages

## bench: the scale benchmarks on PostgreSQL (generator rate, query counts, load test); see bench/README.md
bench: bench-install
	$(PY) bench/generate.py --scale city
	$(PY) bench/query_counts.py
	DATABASE_URL=$${BENCH_PG:-postgres://postgres@127.0.0.1:5432}/jobbtorg_city $(PY) bench/loadtest.py

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache
