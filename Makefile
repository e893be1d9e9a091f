# Two commands do everything on a fresh machine:
#   make serve   create .venv if needed, then serve with live reload on http://127.0.0.1:8000
#   make test    also install what the system lacks, then build strictly and run the tests
# Also: make build (site/ with the offline zip and PDFs), make stress (the
# language switch under CPU load, minutes), make bench, make clean.
# Without make (Windows): README.md, "Without make".

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SYSTEM := $(PYTHON) sco_report/system_deps.py

export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

# npm ci writes it: newer than the package files once they are installed
TOOLS  := tests/node_modules/.package-lock.json

.PHONY: serve build test stress bench clean

# Every Python package comes from requirements.lock, pinned with hashes;
# pyproject.toml keeps the direct pins (CONTRIBUTING.md, "Upgrading").
# Then our own package, editable, so that MkDocs finds the `report` plugin.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(STAMP)
	$(SYSTEM) build
	$(BIN)/mkdocs build --strict

# The W3C HTML checker and axe-core come from npm (pinned in tests/package-lock.json).
$(TOOLS): tests/package.json tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund --loglevel=error

test: $(STAMP)
	$(SYSTEM) test
	$(MAKE) $(TOOLS)
	$(BIN)/python -m pytest

# The language switch on a slowed, busy CPU, twenty times each way, over HTTP
# and from disk (tests/test_browser.py; minutes). .ci/run runs it.
stress: $(STAMP)
	$(SYSTEM) test
	$(BIN)/python -m pytest -n 0 -m stress

bench: $(STAMP)
	$(SYSTEM) bench
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python bench/run.py

clean:
	rm -rf site .pytest_cache bench/work tests/node_modules bench/node_modules
