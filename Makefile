# `make run` and `make test` bootstrap .venv themselves: a fresh clone needs
# only Python 3.11+ and pip.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run serve test venv bench glossary-report clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/syndicate --config config.toml run

# The published site at config.toml's base_url, http://localhost:8080/
# ([server] host/port); Ctrl-C stops it.
serve: $(STAMP)
	$(VENV)/bin/syndicate --config config.toml serve

test: $(STAMP)
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) bench/translation.py --quick

# Everything published goes (feed.xsl included), whatever is added later;
# feeds/README.md is committed and stays.
clean:
	rm -rf data rejected
	find feeds -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +

glossary-report: $(STAMP)
	$(PY) bench/glossary_report.py
