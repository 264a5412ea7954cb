# Every target creates ./venv on first use, so a fresh clone needs only Python 3.11+.
PYTHON ?= python3
VENV := venv
PY := $(VENV)/bin/python
STACK ?= dev

.PHONY: venv plan test check-workflows clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The offline plan of one stack: `make plan STACK=prod [JSON=build/prod.json]`.
plan: venv
	$(PY) -m offline.plan $(STACK) $(if $(JSON),--json $(JSON))

test: venv
	$(PY) -m pytest -q

# Schema and actionlint checks of .github/workflows (installs its own tools into ./venv).
check-workflows: venv
	tools/check_workflows.sh

clean:
	rm -rf $(VENV) build
