# tinmoi: `make demo` and `make test` set everything up themselves.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint format snapshots themes bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "tinmoi needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install tinmoi with its test tools

demo: $(STAMP) ## crawl the bundled offline snapshots and write the feeds
	$(VENV)/bin/tinmoi demo

test: $(STAMP) ## run the whole test suite (PostgreSQL too when TINMOI_TEST_PG is set)
	$(PY) -m pytest

lint: $(STAMP) ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check crawler feeds tinmoi tests bench
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format crawler feeds tinmoi tests bench
	$(VENV)/bin/ruff check --fix .

snapshots: $(STAMP) ## re-render tinmoi/snapshots and the expectations from tools/snapshot_content and tools/snapshots templates
	$(PY) -m tools.build_snapshots

themes: $(STAMP) ## re-render the theme variants (tests/fixtures/themes) from tools/theme_variants
	$(PY) -m tools.build_themes

bench: $(STAMP) ## benchmarks (they print ratios against a baseline)
	$(PY) bench/dates.py

clean:
	rm -rf $(VENV) var .pytest_cache build *.egg-info
