# Juara: `make run` serves the demo, `make test` runs everything CI runs.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi
# Message keywords: gettext calls and the domain errors whose first argument is a msgid.
BABEL_KEYWORDS := -k _l -k lazy_gettext -k msgid -k ScoringError -k InvalidInput -k NotFound -k Forbidden -k Conflict \
	-k AssignmentRefused -k InvalidEntry -k InvalidJudges -k Refused -k SheetError \
	-k SheetLocked -k StaleSheet -k SubmissionReused -k WrongPassword -k SessionEnded

serve: setup translations
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# Load benchmark under gunicorn on SQLite and PostgreSQL (docs/performance.md); about 2 minutes.
bench-load: setup-dev translations
	$(BIN)/python bench/load.py

# The same benchmark for BASE (a commit) and this checkout, back to back (bench/compare.sh).
BASE ?= 5854d1c
bench-compare: setup-dev translations
	bench/compare.sh $(BASE)

.PHONY: run serve bench-load bench-compare test lint format setup setup-dev system-deps translations i18n-update clean

run: setup translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo "Juara runs on http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: setup-dev system-deps translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3

# Stamp files: reinstall only when the requirement files change.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

# Debian packages: fonts and pango for WeasyPrint, Chromium for browser tests,
# poppler and zbar to read PDFs and QR codes in tests. Installed only when missing.
system-deps:
	@scripts/system-deps.sh

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d translations

# After adding or changing user-visible strings: refresh the catalog, then translate
# (scripts/po_fill.py helps), then `make translations`.
i18n-update: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg $(BABEL_KEYWORDS) --no-location --sort-output \
		-o translations/messages.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching \
		--ignore-obsolete -w 100

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name '*.mo' -path './translations/*' -delete
