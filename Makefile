# Terrain: the two commands of the README, and their helpers.
#   make run    set everything up on SQLite, load the demo data, serve on :8000 (PORT=...)
#   make test   run the whole test suite (PostgreSQL if DATABASE_URL is set, else SQLite)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM := /usr/lib/chromium/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install browser messages lint format screenshots check clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

install: $(BIN)/activate

# Debian's Chromium for the browser tests (Playwright cannot download its own here),
# gettext for the translations, Pango for PDF reports.
browser:
	@if [ ! -x $(CHROMIUM) ] || ! command -v msgfmt >/dev/null; then \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq chromium chromium-driver gettext \
			libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	fi

run: install
	DEBUG=true $(BIN)/python manage.py migrate --verbosity 0
	DEBUG=true $(BIN)/python manage.py seed_demo
	@echo "Terrain runs on http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install browser
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "Tests on PostgreSQL: $$(echo $$DATABASE_URL | sed 's|//[^@]*@|//|')"; \
	else echo "Tests on SQLite (set DATABASE_URL=postgres://... to use PostgreSQL)"; fi
	$(BIN)/pytest -p xdist -n 2 --dist loadfile

messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l fr --no-obsolete --no-location \
		--ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --ignore=scripts
	-$(BIN)/python scripts/po_fill.py locale/fr/LC_MESSAGES/django.po locale/fr/translations/*.json
	DEBUG=true $(BIN)/python manage.py compilemessages -l fr --ignore=.venv

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --config pyproject.toml

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

screenshots: install browser
	DEBUG=true $(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
