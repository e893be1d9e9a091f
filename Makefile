# Two commands do everything on a fresh machine:
#   make serve   create .venv if needed, then serve with live reload on http://127.0.0.1:8000
#   make test    create .venv if needed, then build strictly and run the tests
# Also: make build (site/ plus the offline zip and PDFs inside it), make stress
# (the language switch under CPU load, minutes), make bench, make clean.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Timestamps in every output follow SOURCE_DATE_EPOCH, by default the last
# commit's time (hooks/state.py), so that builds are reproducible.
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

# npm ci writes it: newer than the package files once they are installed
TOOLS  := tests/node_modules/.package-lock.json

.PHONY: serve build test stress bench clean

# Every Python package, transitive ones included, comes from requirements.lock,
# pinned with hashes; pyproject.toml keeps the direct pins. After changing those:
#   pip-compile --generate-hashes --allow-unsafe --strip-extras --extra test \
#     --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	touch $@

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

build: $(STAMP)
	$(BIN)/mkdocs build --strict

# The W3C HTML checker and axe-core come from npm (pinned in tests/package-lock.json).
$(TOOLS): tests/package.json tests/package-lock.json
	@if command -v npm >/dev/null; then cd tests && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the HTML validity and accessibility tests will be skipped (they fail under CI=true)"; fi

# Every test but the stress test, on all cores (pytest-xdist; see tests/conftest.py).
test: $(STAMP) $(TOOLS)
	$(BIN)/python -m pytest

# The language switch on a slowed, busy CPU, twenty times each way, over HTTP
# and from disk (tests/test_browser.py; about five minutes). .ci/run runs it.
stress: $(STAMP)
	$(BIN)/python -m pytest -n 0 -m stress

bench: $(STAMP)
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python bench/run.py

clean:
	rm -rf site .pytest_cache bench/work tests/node_modules bench/node_modules
