# The two commands a newcomer types:  make  (build the lessons)  and  make test.
# Both create the virtual environment from the pinned locks when needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP     := $(VENV)/.dev-installed
NODE_STAMP    := node_modules/.installed

.DEFAULT_GOAL := build
.PHONY: build check schema serve test lint format clean bench mutation editor

build: $(RUNTIME_STAMP)
	$(BIN)/python make_docs.py build

check: $(RUNTIME_STAMP)
	$(BIN)/python make_docs.py check

# The browser app: prints an address to open (with its one-time key) and opens the browser.
serve: $(RUNTIME_STAMP)
	$(BIN)/python make_docs.py serve

schema: $(RUNTIME_STAMP)
	$(BIN)/python make_docs.py schema

test: $(DEV_STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(RUNTIME_STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

# axe-core for the accessibility tests and the editor's build tools (package-lock.json pins them); skipped without npm.
$(NODE_STAMP): package.json package-lock.json
	if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; fi

# The browser app's source editor: web-src/ bundled into lessonkit/web/static/editor.js (committed). Needs npm.
editor: $(NODE_STAMP)
	npm run --silent build:editor

# Mutation testing (not part of CI; see the README). One worker by default: the machine is shared.
# Only some modules: make mutation MUTANTS='lessonkit.confine.* lessonkit.fetcher.*'
MUTATION_JOBS ?= 1
MUTANTS ?=
# Each process at most 6 GB: a mutant that loops on an SVG reference cycle grows about 1 GB a minute until
# mutmut's time limit stops it; with the cap it fails at once (killed, as the time limit would have it).
MUTATION_MEMORY_KB ?= 6000000
mutation: $(DEV_STAMP)
	ulimit -v $(MUTATION_MEMORY_KB) && $(BIN)/mutmut run --max-children $(MUTATION_JOBS) $(MUTANTS)
	$(BIN)/python tools/mutation_report.py

clean:
	rm -rf outputs $(VENV) node_modules *.egg-info .pytest_cache .ruff_cache mutants

bench: $(RUNTIME_STAMP)
	$(BIN)/python tools/bench.py
