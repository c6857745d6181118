# make start  - set up (first time) and start the student app + facilitator dashboard on SQLite
# make test   - set up (first time) and run every test (unit, notebooks, browser, PostgreSQL)
# make bench  - run the benchmarks in bench/

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: start test bench lint clean

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

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check beeldwijs tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
