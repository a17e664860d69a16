# KSM Desktop — developer tasks. `make help` lists them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export QT_QPA_PLATFORM ?= offscreen
# Measured 92 % on the whole suite (both engines); a drop below this fails `make test`.
COVERAGE_FLOOR ?= 90

.DEFAULT_GOAL := help
.PHONY: help run test lint typecheck pytest bench bench-baseline screenshots documents translations catalogs bundle bundle-test windows-check windows-bundle windows-installer icons clean

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ksm_desktop.i18n.catalogs compile
	touch $(STAMP)

run: $(STAMP) ## Open the app on the default local database (creates the virtualenv on first use)
	QT_QPA_PLATFORM= $(PY) -m ksm_desktop

test: lint typecheck pytest ## Everything CI checks: ruff, import contracts, mypy, the whole test suite

lint: $(STAMP) ## ruff lint and format check, the import contracts (.importlinter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: $(STAMP) ## mypy (strict) on the whole package, GUI included
	$(VENV)/bin/mypy

pytest: $(STAMP) ## The test suite only, with coverage: fails under the floor, lists the lines no test runs
	$(PY) -m pytest -q -n auto --cov --cov-report=term-missing:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)

bench: $(STAMP) ## Benchmarks: prints a table (changes against benchmarks/baseline.json) and writes docs/benchmarks.md
	$(PY) -m ksm_desktop.i18n.catalogs compile  # a .po edited since: the start would read it instead
	$(PY) -m benchmarks

bench-baseline: $(STAMP) ## Benchmarks, then record them as the new benchmarks/baseline.json (on a quiet machine)
	$(PY) -m ksm_desktop.i18n.catalogs compile
	$(PY) -m benchmarks --save-baseline

screenshots: $(STAMP) ## Render the main views and the dialogs to docs/screenshots/
	$(PY) -m ksm_desktop.ui.devtools.screenshots docs/screenshots
	$(PY) -m ksm_desktop.ui.devtools.fieldwork_screenshots docs/screenshots

documents: $(STAMP) ## Render every printed document in fr/ar/en to docs/documents/ (needs pdftoppm)
	$(PY) -m ksm_desktop.devtools.documents docs/documents

translations: $(STAMP) ## Extract messages, update the .po files, compile the .mo files
	$(PY) -m ksm_desktop.i18n.catalogs update
	$(PY) -m ksm_desktop.i18n.catalogs compile

catalogs: translations

bundle: $(STAMP) ## One-folder bundle in dist/ksm-desktop/ with PyInstaller (packaging/ksm_desktop.spec)
	$(PY) -m pip install --quiet -e '.[bundle]'
	$(PY) -m ksm_desktop.i18n.catalogs compile
	$(PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build packaging/ksm_desktop.spec

bundle-test: ## Smoke-test the built bundle offscreen (slow; after make bundle)
	$(PY) packaging/smoke_test.py dist/ksm-desktop

windows-check: $(STAMP) ## The test suite on Windows CPython 3.13 under Wine (first run downloads ~250 MB into ~/.cache)
	HOST_PY=$(PY) packaging/windows/wine.sh check $(WINDOWS_TESTS)

windows-bundle: $(STAMP) ## The Windows one-folder bundle, built by Windows Python under Wine (dist/windows/), and its smoke test
	HOST_PY=$(PY) packaging/windows/wine.sh bundle

windows-installer: $(STAMP) ## The Inno Setup installer of that bundle (installs wine32), installed silently, smoke-tested, uninstalled
	HOST_PY=$(PY) packaging/windows/wine.sh installer

icons: $(STAMP) ## Render the SVG icons (resources/icons) to their PNGs and the Windows .ico
	$(PY) packaging/make_icons.py

clean: ## Remove the virtualenv and build outputs
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache ksm_desktop/_version.py
