# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export SIARAN_DATA_DIR ?= $(CURDIR)/data

.PHONY: run test lint bench install install-test browser clean lock

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=69,<81"

# Everything installs from a lock with hashes (requirements*.lock, made by `make lock`); the
# project itself goes in editable, without resolving anything again.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(TEST_STAMP): pyproject.toml requirements-test.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@ $(STAMP)

# Upgrades are on purpose: edit the floors in pyproject.toml, run this, review the diff.
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv && .lockenv/bin/pip install --quiet pip-tools
	.lockenv/bin/pip-compile --quiet --upgrade --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	.lockenv/bin/pip-compile --quiet --upgrade --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --extra test -o requirements-test.lock pyproject.toml
	rm -rf .lockenv

install: $(STAMP)
install-test: $(TEST_STAMP) browser

# Browser tests use Debian's chromium; never a downloaded browser. The reverse-proxy test runs
# the shipped deploy/nginx/siaran.conf in Debian's nginx (nginx-light where the release has it).
# PDF tests use poppler-utils.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing and we are not root: browser tests will skip"; fi; \
	fi
	@if [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's nginx for the reverse-proxy test"; \
	    apt-get update -qq && { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 \
	      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; }; \
	  else echo "nginx is missing and we are not root: the reverse-proxy test will skip"; fi; \
	fi
	@# The Monev PDF tests read the report back with poppler's pdftotext and pdftoppm.
	@if ! command -v pdftotext >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's poppler-utils for the PDF tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	  else echo "pdftotext is missing and we are not root: PDF tests will skip (they fail under CI=true)"; fi; \
	fi

run: $(STAMP)
	$(BIN)/siaran init
	$(BIN)/siaran demo --if-empty
	$(BIN)/siaran up

test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy content publishers scheduler dashboard siaran
	# Three workers on two cores: most tests wait on processes, browsers and the network.
	$(BIN)/pytest -q -ra -n 3 --dist loadfile -m "not serial" --durations=25
	$(BIN)/pytest -q -ra -m serial

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy content publishers scheduler dashboard siaran

bench: install-test
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
