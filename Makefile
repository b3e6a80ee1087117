# Two commands on a fresh machine: `make run` and `make test`. Everything else is for CI and
# developers. Python 3.11+ and make are all that is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve install migrate data test test-fast lint typecheck format migrations-check worker beat ci bench clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

# The demo's e-mails and documents name the address make run serves on.
data run: export SITE_URL ?= http://$(HOST):$(PORT)
data: migrate
	$(PY) manage.py load_reference_data
	$(PY) manage.py seal_demo_certificate
	$(PY) manage.py load_demo_data

## make run: install, migrate, load reference and demo data, serve http://$(HOST):$(PORT)
run: data
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Serverar http://$(HOST):$(PORT)/  (avsluta med Ctrl-C)"
	$(BIN)/gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers 2 --threads 4 \
		--access-logfile - --graceful-timeout 5

## make test: the whole test suite (SQLite unless DATABASE_URL is set)
test: install
	$(BIN)/pytest -q

test-fast: install
	$(BIN)/pytest -q -m "not browser and not worker"

## make lint: ruff, the import contract of the layers (pyproject.toml) and the type check
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(MAKE) typecheck

## make typecheck: mypy with django-stubs on the services and selectors (pyproject.toml)
typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

## make worker: a Celery worker (needs REDIS_URL and usually DATABASE_URL)
worker: install
	$(BIN)/celery -A config worker --loglevel=info --concurrency=2

beat: install
	$(BIN)/celery -A config beat --loglevel=info

ci: lint migrations-check test

## make bench: scale S, then N, into a fresh PostgreSQL database (BENCH_PG_URL, default
## postgres://postgres@127.0.0.1:5432), every page through gunicorn on 127.0.0.1; prints a
## table, writes bench/results.json and fails if a goal of issue 9 is missed (~30 minutes)
bench: install
	$(PY) bench/run.py

.PHONY: bench-s bench-n
bench-s: install
	BENCH_SCALES=S $(PY) bench/run.py

bench-n: install
	BENCH_SCALES=N $(PY) bench/run.py

## make bench-pdf: BP1 and 100-/300-row BP2 documents (PDF/A, tags, seal) against plain
## references in fresh processes; prints seconds, peak memory and ratios, writes
## bench/pdf-results.json and fails if a goal of issue 14 is missed (~3 minutes)
.PHONY: bench-pdf
bench-pdf: install
	$(PY) bench/pdf.py

## make bench-report: the yearly follow-up report of a whole region at scale N, made by a real
## Celery worker on Redis (BENCH_REPORT_REDIS); prints the seconds, fails above 60 (~3 minutes)
.PHONY: bench-report
bench-report: install
	$(PY) bench/report.py

## make bench-uploads: zip bombs at every upload's size limit through the product's own
## checks in fresh processes; prints seconds and peak-memory growth, writes bench/uploads.json
## and fails unless each is refused in under 1 s with under 50 MB (issue 19, ~10 seconds)
.PHONY: bench-uploads
bench-uploads: install
	$(PY) bench/uploads.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 media
