# The two commands a newcomer needs: `make run` and `make test`. Everything else is here too.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: setup run serve migrate seed test test-sqlite test-postgres lint format messages browsers clean screenshots

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## make run: set up, migrate, load demo data the first time, serve http://127.0.0.1:8000 (SQLite in ./data/)
run: setup
	$(BIN)/odop migrate
	$(BIN)/odop seed-demo --if-empty
	$(BIN)/odop serve --host $(HOST) --port $(PORT)

migrate: setup
	$(BIN)/odop migrate

## make test: the whole suite on SQLite, and again on PostgreSQL when ODOP_TEST_DATABASE_URL is set
test: setup
	$(BIN)/pytest
	@if [ -n "$$ODOP_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		ODOP_TEST_BACKEND=postgresql $(BIN)/pytest; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make messages: extract interface strings and update the Lao and Thai catalogues
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k N_ -o app/locale/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i app/locale/messages.pot -d app/locale -D messages --ignore-obsolete --no-wrap

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

## make screenshots: refresh docs/screenshots/ (phone and desktop) from the browser tests
screenshots: setup
	ODOP_UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/browser -k screenshots
