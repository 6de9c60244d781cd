# Two commands do everything on a fresh machine (see README.md):
#   make start   install, create the instance and the site with demo data, serve on 127.0.0.1:8080
#   make test    install with the test dependencies (and Chromium) and run the whole suite
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DEMO_CASES ?= 200
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: start install install-test test browser-deps system-deps versions clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python setup.py constraints.txt
	$(PIP) install -q -c constraints.txt 'setuptools<82' wheel
	$(PIP) install -q -c constraints.txt --no-build-isolation -e .
	touch $@

install: $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(PIP) install -q -c constraints.txt --no-build-isolation -e '.[test]'
	touch $@

install-test: $(TEST_STAMP) browser-deps system-deps

# Debian's Chromium for the browser tests (no browser download works here),
# and a CJK font so that pages and screenshots show Chinese.
browser-deps:
	@if ! command -v chromium >/dev/null; then \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null; \
	fi

# The CJK TrueType font that PDFs embed (filing catalogues, 归档章, 备考表, 销毁清册):
# reportlab cannot embed Debian's CFF-flavoured Noto CJK fonts.
WQY_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
system-deps:
	@if [ ! -f $(WQY_FONT) ]; then \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null; \
	fi

start: install system-deps
	$(BIN)/xinfang-archive init --demo-cases $(DEMO_CASES)
	$(BIN)/xinfang-archive serve

test: install-test
	$(BIN)/python -m pytest tests

versions:
	$(BIN)/python tools/sync_versions.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info
