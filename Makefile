# Every target creates ./venv on first use, so a fresh clone needs only Python 3.11+.
PYTHON ?= python3
VENV := venv
PY := $(VENV)/bin/python
STACK ?= dev
BASE ?= main

.PHONY: venv plan diff urns bench test check-workflows clean import-file

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The offline plan of one stack: `make plan STACK=prod [JSON=build/prod.json]`.
plan: venv
	$(PY) -m offline.plan $(STACK) $(if $(JSON),--json $(JSON))

# What the work tree changes in a stack's desired state against a git ref, as markdown:
# `make -s diff STACK=prod BASE=origin/main` (the offline-diff workflow posts its stdout).
diff: venv
	$(PY) -m offline.diff $(STACK) --base $(BASE)

# Rewrite offline/urns/<stack>.txt on purpose, printing what `pulumi up` would delete and create
# because of the change (the test suite fails while the lists and the program disagree).
urns: venv
	$(PY) -m offline.urn_guard --write

# Offline plan time of each stack against a bare SDK import, and each stack's longest dependency chain.
bench: venv
	$(PY) tools/bench.py $(if $(RUNS),--runs $(RUNS))

test: venv
	$(PY) -m pytest -q

# Schema and actionlint checks of .github/workflows (installs its own tools into ./venv).
check-workflows: venv
	tools/check_workflows.sh

clean:
	rm -rf $(VENV) build

# Rewrite the generated parts of docs/ (config reference, policy catalog, VM size table) from the code;
# `make test` fails while one is out of date.
.PHONY: docs
docs: venv
	$(PY) -m tools.docs --write

# The `pulumi import --file` file to adopt an existing cluster into a stack (docs/adopting.md):
# `make import-file STACK=prod SUBSCRIPTION=<subscription id>` writes build/import-prod.json.
import-file: venv
	$(PY) tools/import_file.py $(STACK) $(if $(SUBSCRIPTION),--subscription $(SUBSCRIPTION))
