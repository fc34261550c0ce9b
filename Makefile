# geomap: every target is .PHONY and does one job. `make maps` and `make test` do all set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
REFERENCE ?= ../shared/reference
CORPUS ?= corpus/seeds
OUT ?= output

.PHONY: help venv install install-test browser maps test lint gazetteer bench eval clean

help:
	@echo "make maps       set up and build maps, check page and report for the example corpus into $(OUT)/"
	@echo "make test       set up (Python packages, Debian chromium) and run the whole test suite"
	@echo "make lint       ruff and mypy"
	@echo "make gazetteer  rebuild gazetteer/ from $(REFERENCE)"
	@echo "make bench      run the benchmarks and write BENCHMARKS.md"
	@echo "make eval       score the examples, the dev gold and the dev labels; write docs/EVALUATION.md"
	@echo "make clean      remove generated files"

venv: $(VENV)/.stamp-venv

$(VENV)/.stamp-venv:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	touch $@

install: $(VENV)/.stamp-install

$(VENV)/.stamp-install: $(VENV)/.stamp-venv pyproject.toml
	$(PY) -m pip install -q -e .
	touch $@

install-test: $(VENV)/.stamp-test

$(VENV)/.stamp-test: $(VENV)/.stamp-install pyproject.toml
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# Debian's chromium (for Playwright and PDF printing) and poppler-utils (pdftoppm), installed
# only where missing. Playwright never downloads a browser here.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
		echo "installing Debian chromium and poppler-utils"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi

maps: install browser
	$(VENV)/bin/geomap build $(CORPUS) --out $(OUT)

test: install-test browser
	$(PY) -m pytest -q

lint: install-test
	$(VENV)/bin/ruff check geomap tests scripts
	$(VENV)/bin/mypy geomap

gazetteer: install
	$(PY) -m geomap.gazetteer.build --reference $(REFERENCE) --out gazetteer

bench: install-test browser
	$(PY) -m bench.run --out BENCHMARKS.md

# Needs ../shared/devset beside the repository. RATCHET=1 also rewrites tests/devgold/RATCHET.json.
eval: install
	$(PY) -m geomap.evaluation.report $(if $(RATCHET),--update-ratchet)

clean:
	rm -rf $(OUT)/*.html $(OUT)/dates $(OUT)/check $(OUT)/report $(OUT)/*.png $(OUT)/*.geojson \
		$(OUT)/*.csv $(OUT)/*.gpkg $(OUT)/*.parquet $(OUT)/eval $(OUT)/assets .cache .pytest_cache \
		.mypy_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
