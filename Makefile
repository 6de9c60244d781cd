# Two commands do everything on a fresh machine (see README.md):
#   make start   install, create the instance and the site with demo data, serve on 127.0.0.1:8080
#   make test    install with the test dependencies (and Chromium) and run the whole suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DEMO_CASES ?= 200
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages, installed quietly: apt's own chatter is shown only if it fails.
APT_INSTALL = f() { echo "Installing Debian packages: $$*"; \
  log=$$(mktemp); \
  { $(SUDO) apt-get update -qq && \
    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$$@"; } >"$$log" 2>&1 \
  || { cat "$$log"; rm -f "$$log"; exit 1; }; rm -f "$$log"; }; f

.PHONY: start install install-test test browser-deps system-deps postgres-deps versions sdist-check i18n i18n-check clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null \
	  || { echo "Python 3.11 is required: install python3.11 (and python3.11-venv), or run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python setup.py constraints.txt
	@echo "Installing the pinned set of constraints.txt into $(VENV) (first time: about 3 minutes)"
	$(PIP) install -q -c constraints.txt 'setuptools<82' wheel
	$(PIP) install -q -c constraints.txt -e . --report $(VENV)/install-report.json
	@# (--report: what pip installed and from which file; tools/sdist_only.py --report reads it)
	touch $@

install: $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(PIP) install -q -c constraints.txt -e '.[test]' --report $(VENV)/install-test-report.json
	touch $@

install-test: $(TEST_STAMP) browser-deps system-deps postgres-deps

# Debian's Chromium for the browser tests (no browser download works here),
# and a CJK font so that pages and screenshots show Chinese.
browser-deps:
	@if ! command -v chromium >/dev/null; then $(APT_INSTALL) chromium fonts-wqy-zenhei; fi

# The CJK TrueType font that PDFs embed (filing catalogues, 归档章, 备考表, 销毁清册):
# reportlab cannot embed Debian's CFF-flavoured Noto CJK fonts.
WQY_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
system-deps:
	@if [ ! -f $(WQY_FONT) ]; then $(APT_INSTALL) fonts-wqy-zenhei; fi

# Debian's PostgreSQL server for the tests of an archive on RelStorage: the
# tests start a cluster of their own (initdb, pg_ctl) and stop it; Debian's
# own cluster is not used.
postgres-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then $(APT_INSTALL) postgresql; fi

start: install system-deps
	$(BIN)/xinfang-archive init --demo-cases $(DEMO_CASES)
	$(BIN)/xinfang-archive serve

test: install-test
	$(BIN)/python -m pytest tests

versions:
	$(BIN)/python tools/sync_versions.py

# Pins that the index serves only as source distributions, compared with the
# '# sdist-only:' line of constraints.txt (the test suite checks it too).
sdist-check: $(STAMP)
	$(BIN)/python tools/sdist_only.py --check

# Message catalogs (i18ndude, in the test extra): rebuild the .pot files and
# sync the zh_CN .po files; the check writes nothing (tests/test_i18n.py runs it).
i18n: $(TEST_STAMP)
	$(BIN)/python tools/i18n.py

i18n-check: $(TEST_STAMP)
	$(BIN)/python tools/i18n.py --check

clean:
	rm -rf $(VENV) build dist src/*.egg-info
