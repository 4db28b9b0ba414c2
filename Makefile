# roadcarbon: `make run` starts the platform (API + dashboard), `make test` runs every check.
# Both create (or reuse) the virtual environment in .venv themselves.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run demo test lint typecheck pytest bench fmt install clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip>=25.1"
	$(PY) -m pip install -q -e ".[server,data,notebook,batch]" --group dev
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/roadcarbon serve

demo: $(STAMP)
	$(VENV)/bin/roadcarbon demo

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy src/roadcarbon/engine src/roadcarbon/rules src/roadcarbon/planner src/roadcarbon/fleet src/roadcarbon/types.py src/roadcarbon/specs.py src/roadcarbon/errors.py src/roadcarbon/constants.py

pytest: $(STAMP)
	$(VENV)/bin/roadcarbon data validate
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

test: lint typecheck pytest

bench: $(STAMP)
	$(PY) bench/bench_engine.py

fmt: $(STAMP)
	$(VENV)/bin/ruff format src tests bench scripts
	$(VENV)/bin/ruff check --fix src tests bench scripts

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
