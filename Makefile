# Tolk — every target sets up what it needs; the README documents each.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
TOLK   := $(VENV)/bin/tolk
STAMP  := $(VENV)/.installed

.PHONY: help run demo test fuzz bench spans package screenshots demo-model translations lint clean

help:
	@echo "make demo   convert the bundled demo model and translate the examples (headless)"
	@echo "make run    open the desktop app with the demo model"
	@echo "make test   run the whole test suite"
	@echo "make fuzz   the property tests with many new random examples (not part of CI)"
	@echo "make bench  benchmarks: Tolk vs raw CTranslate2 vs HF transformers"
	@echo "make spans  inline spans placed by documents, scored on the hand-labelled set"
	@echo "make package       Linux bundle, .tar.gz and .deb in dist/"
	@echo "make screenshots   render each tab to docs/screenshots/"
	@echo "make demo-model    retrain the demo model (hours; not part of CI)"

# One environment for app, converter and tests. torch is pinned: any other version
# (or plain `torch`) resolves to a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[convert]' --group test
	touch $@

test: $(STAMP) translations
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider --durations=15

# The hypothesis plugin marks every property test `hypothesis`; tests/conftest.py has the profiles.
fuzz: $(STAMP)
	TOLK_HYPOTHESIS_PROFILE=wide QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -m hypothesis

lint: $(STAMP)
	$(PY) -m ruff check desktop_app converter tests bench packaging examples
	$(PY) -m mypy

demo: $(STAMP)
	$(PY) examples/demo.py

run: $(STAMP) translations
	$(PY) examples/demo.py --install-only
	$(TOLK) gui

# The French interface: .ts is the source, the .qm is built here and never committed.
translations: desktop_app/gui/i18n/tolk_fr.qm
desktop_app/gui/i18n/tolk_fr.qm: desktop_app/gui/i18n/tolk_fr.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

screenshots: $(STAMP) translations
	$(PY) examples/demo.py --install-only
	QT_QPA_PLATFORM=offscreen $(PY) -m desktop_app.gui.screenshots docs/screenshots

bench: $(STAMP)
	$(PY) bench/documents.py
	$(PY) -m bench
	$(PY) bench/gui_startup.py

# Scores per kind of span; tests/documents/spans/README.md says how the set was made.
spans: $(STAMP)
	$(PY) examples/demo.py --install-only
	$(PY) bench/spans.py

package: $(STAMP) translations
	$(PY) -m pip install -q --group package
	$(PY) packaging/build.py --dist dist

demo-model: $(STAMP)
	$(PY) models/demo-en-fr/recipe/run.py all

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
