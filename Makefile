# make start  - set up (first time) and start the student app + facilitator dashboard on SQLite
# make test   - set up (first time) and run every test (unit, notebooks, browser, PostgreSQL)
# make test-quick - the unit tier only: starts no server, kernel or browser (docs/testing.md)
# make lint   - ruff and mypy exactly as the tests run them (tests/test_lint.py)
# make bench  - run the benchmarks in bench/
# make texts  - bring the translation catalogs in step with beeldwijs/texts.py (docs/texts.md)
# make frontend - rebuild the student page's front end from frontend/ (needs node and npm; the
#                 built files are committed: start and test need no node)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: start test test-quick bench lint texts frontend clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

start: $(STAMP)
	$(BIN)/beeldwijs start $(ARGS)

test: $(STAMP)
	tools/system-deps.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-quick: $(STAMP)
	$(BIN)/python -m pytest -m unit -q $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

lint: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_lint.py

texts: $(STAMP)   # after adding or changing a text in beeldwijs/texts.py (docs/texts.md)
	$(BIN)/python tools/texts.py

frontend:   # after changing frontend/ (docs/decisions/lean-student-front-end.md)
	cd frontend && npm ci --no-audit --no-fund && node build.mjs

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
