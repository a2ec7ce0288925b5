# Camplog. `make run` for the demo, `make test` for the whole suite. Needs only Python 3.11 and make.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test serve lint format lock messages translations db-stop backup restore bench clean vendor

$(STAMP): requirements/dev.txt
	@echo "==> Creating $(VENV) and installing the locked dependencies"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	@touch $(STAMP)

translations: $(STAMP)
	@$(PY) -c "import glob, polib; [polib.pofile(p).save_as_mofile(p[:-3] + '.mo') for p in glob.glob('locale/*/LC_MESSAGES/*.po')]"

run: $(STAMP) translations
	@echo "==> Preparing the database (embedded Postgres under .data/ unless DATABASE_URL is set)"
	@DEBUG=1 $(PY) manage.py migrate --no-input -v 0
	@DEBUG=1 $(PY) manage.py rerender
	@echo "==> Loading the demo"
	@DEBUG=1 $(PY) manage.py seed_demo
	@echo "==> Camplog is at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP) translations
	@echo "==> Lint"
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@echo "==> Import rules (pyproject.toml [tool.importlinter])"
	@$(VENV)/bin/lint-imports --no-cache >/tmp/camplog-lint-imports.log || { cat /tmp/camplog-lint-imports.log; exit 1; }
	@echo "==> Migrations are up to date"
	@DJANGO_SETTINGS_MODULE=config.test_settings $(PY) manage.py makemigrations --check --dry-run -v 1
	@echo "==> Tests"
	@$(PY) -m pytest $(PYTEST_ARGS)

serve: $(STAMP) translations
	@test -n "$$SECRET_KEY" || (echo "SECRET_KEY must be set for make serve" && exit 1)
	@$(PY) manage.py collectstatic --no-input -v 0
	@$(PY) manage.py migrate --no-input -v 0
	@$(PY) manage.py rerender
	@export DATABASE_URL="$${DATABASE_URL:-$$($(PY) config/embedded_db.py)}"; \
		$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $${WEB_CONCURRENCY:-3} --access-logfile -

lint: $(STAMP)
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports --no-cache

format: $(STAMP)
	@$(VENV)/bin/ruff check --fix . && $(VENV)/bin/ruff format .

# Rebuild the committed editor bundle static/vendor/codemirror-<version>/ from static/vendor/build/
# (package.json with exact versions, package-lock.json, the entry module). Needs Node 20 and npm;
# node_modules lives in VENDOR_TMP, outside the tree. `make run` needs none of this.
VENDOR_TMP ?= /tmp/camplog-vendor
vendor:
	@command -v npm >/dev/null || { echo "make vendor needs Node 20 and npm" >&2; exit 1; }
	@mkdir -p $(VENDOR_TMP)
	@cp static/vendor/build/package.json static/vendor/build/package-lock.json static/vendor/build/*.js static/vendor/build/*.mjs $(VENDOR_TMP)/
	@cd $(VENDOR_TMP) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@cd $(VENDOR_TMP) && node build.mjs $(CURDIR)

# Regenerate the hashed locks after changing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.txt
	uv pip compile pyproject.toml --group dev --python-version 3.11 --generate-hashes -o requirements/dev.txt

messages: $(STAMP)
	@DEBUG=1 $(PY) manage.py makemessages -l ko -l en --ignore=.venv --ignore=.data

# Backups: the database (pg_dump, custom format) and media/ into backups/<timestamp>/.
# Without SECRET_KEY (a development machine) the development settings are used.
backup: $(STAMP)
	@if [ -z "$$SECRET_KEY" ]; then export DEBUG=1; fi; $(PY) manage.py backup

restore: $(STAMP)
	@test -n "$(BACKUP)" || (echo "Usage: make restore BACKUP=backups/<timestamp>" >&2; exit 2)
	@if [ -z "$$SECRET_KEY" ]; then export DEBUG=1; fi; $(PY) manage.py restore "$(BACKUP)"

# The benchmark (README "Scaling"): populates <database>_bench once, serves it with gunicorn in
# production settings and loads every page with wrk. BENCH_ARGS="--learners 30 --days 10" etc.
bench: $(STAMP) translations
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		echo "==> Installing wrk" && apt-get install -y -qq wrk >/dev/null; } || \
		echo "==> wrk is not installed: the bench loads pages with its own Python client"
	@if [ -z "$$SECRET_KEY" ]; then export DEBUG=1; fi; CAMPLOG_BENCH=1 $(PY) manage.py bench $(BENCH_ARGS)

db-stop: $(STAMP)
	@$(PY) config/embedded_db.py stop

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
