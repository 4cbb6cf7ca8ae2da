# gaia_geo: two commands on a fresh machine.
#   make demo   builds catalogs/demo end to end, offline, with no API key
#   make test   runs ruff, mypy and pytest (make test-fast: pytest without the slow tests)
# Each creates and fills .venv itself when it is missing.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PYTHONHASHSEED := 0

.PHONY: demo test test-fast lint typecheck pytest venv docs bench clean screenshots

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip
	$(BIN)/pip install --quiet "torch==2.14.1" "torchvision==0.29.1"
	$(BIN)/pip install --quiet -e ".[all,dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/gaia-geo demo --out catalogs/demo
	$(BIN)/gaia-geo stats catalogs/demo --out docs/figures --spatial continent --temporal decade

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples

typecheck: $(STAMP)
	$(BIN)/mypy

# pytest-xdist: one worker per core; --dist loadfile keeps a module's tests (and its module-scoped
# servers and catalogs) on one worker, and the docs blocks, which share fixed ports, in order.
XDIST := -n auto --dist loadfile

pytest: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider $(XDIST)

test: lint typecheck pytest

# The edit-test loop: pytest alone, without the tests marked slow (make test still runs them all).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider $(XDIST) -m "not slow"

# Every CPU benchmark; benchmarks/gpu_clip.py is for a GPU machine and runs on its own;
# benchmarks/learn_real.py runs when GAIA_GEO_REAL_DATA names its local data (docs/evaluate.md).
bench: $(STAMP)
	for f in benchmarks/*.py; do \
		case $$f in */gpu_clip.py|*/_*.py) continue;; esac; \
		case $$f in */learn_real.py) test -n "$$GAIA_GEO_REAL_DATA" || { echo "== $$f skipped: GAIA_GEO_REAL_DATA is unset (see docs/evaluate.md)"; continue; };; esac; \
		echo "== $$f"; $(BIN)/python $$f || exit 1; \
	done

# STAC Browser v5 screenshots of catalogs/demo into docs/stac-browser/ (needs git, npm, chromium;
# the browser is built in ~/.cache/gaia_geo/stac-browser, outside the repository).
screenshots: $(STAMP)
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache
