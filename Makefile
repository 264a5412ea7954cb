# `make` alone lists the targets. A fresh clone needs only Python 3.11+: the first target that needs
# ./venv installs uv (pinned and hash-checked: tools/uv/requirements.txt) into ./.uv, then builds ./venv
# from uv.lock (every package pinned, transitive ones included, each file checked against its hash).
# A target shows in `make help` when its rule line ends in `## <one line>`.
PYTHON ?= python3
VENV := venv
PY := $(VENV)/bin/python
UV_HOME := .uv
UV := $(UV_HOME)/bin/uv
# Each has a pyproject.toml and its own uv.lock: the program, the policy pack, the state-backend bootstrap,
# the outside scanner (checkov, kept out of the program's lock).
PROJECTS := . policies bootstrap tools/scanner
# checkov's own venv, built from tools/scanner/uv.lock by `make scan`.
SCANNER_VENV := tools/scanner/venv
STACK ?= dev
BASE ?= main

# uv installs into ./venv (Pulumi.yaml's virtualenv, so `pulumi up` uses the same one); tools/check_workflows.sh
# finds uv through UV.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV

.DEFAULT_GOAL := help
.PHONY: help venv lock upgrade check-locks plan plan-all diff urns bench test check-workflows clean docs import-file scan

help: ## List the targets (what plain `make` does)
	@echo "Usage: make <target> [STACK=dev|staging|prod] [BASE=<git ref>] [JSON=<file>] [RUNS=<n>]"
	@echo
	@awk -F ':.*## ' '/^[a-z][a-z-]*:.*## / { printf "  %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

venv: $(VENV)/.installed ## Build ./venv from uv.lock (every target that needs it does this first)

# uv, in a venv of its own so that syncing ./venv never removes it.
$(UV): tools/uv/requirements.txt
	@echo "make: installing uv into ./$(UV_HOME) (pinned and hash-checked: tools/uv/requirements.txt)" >&2
	$(PYTHON) -m venv --clear $(UV_HOME)
	$(UV_HOME)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r tools/uv/requirements.txt
	touch $@

# uv creates ./venv with $(PYTHON) if it is missing. `--locked` refuses a uv.lock that no longer matches
# pyproject.toml.
$(VENV)/.installed: pyproject.toml uv.lock $(UV)
	@echo "make: building ./$(VENV) from uv.lock (runtime and dev dependencies)" >&2
	$(UV) sync --locked --python $(PYTHON) --group dev
	touch $@

# The same, for checkov: its own environment, its own lock. uv reads a relative UV_PROJECT_ENVIRONMENT
# against the project's folder, hence the absolute path.
$(SCANNER_VENV)/.installed: tools/scanner/pyproject.toml tools/scanner/uv.lock $(UV)
	@echo "make: building ./$(SCANNER_VENV) from tools/scanner/uv.lock (checkov)" >&2
	UV_PROJECT_ENVIRONMENT=$(CURDIR)/$(SCANNER_VENV) $(UV) sync --locked --python $(PYTHON) --project tools/scanner
	touch $@

lock: $(UV) ## Re-lock each uv.lock after editing a pin in its pyproject.toml
	$(foreach project,$(PROJECTS),$(UV) lock --project $(project) &&) true

upgrade: $(UV) ## Move every unpinned (transitive) dependency in each uv.lock to its newest release
	$(foreach project,$(PROJECTS),$(UV) lock --upgrade --project $(project) &&) true

check-locks: $(UV) ## Fail if a uv.lock no longer matches its pyproject.toml
	$(foreach project,$(PROJECTS),$(UV) lock --check --project $(project) &&) true

plan: venv ## The offline plan of one stack: make plan STACK=prod [JSON=build/prod.json]
	$(PY) -m offline.plan $(STACK) $(if $(JSON),--json $(JSON))

plan-all: venv ## The offline plan of every stack in parallel: one line per stack (count, policies, cost)
	$(PY) -m tools.plan_all

# The offline-diff workflow posts the stdout of `make -s diff` as markdown, so nothing else here writes
# to stdout.
diff: venv ## What the work tree changes in a stack against a git ref, as markdown: make -s diff STACK=prod BASE=origin/main
	$(PY) -m offline.diff $(STACK) --base $(BASE)

urns: venv ## Rewrite offline/urns/<stack>.txt on purpose, printing what pulumi up would delete and create
	$(PY) -m offline.urn_guard --write

bench: venv ## Offline plan time of each stack and its longest dependency chain: make bench [RUNS=5]
	$(PY) tools/bench.py $(if $(RUNS),--runs $(RUNS))

test: venv ## The test suite, on Pulumi's mock engine
	$(PY) -m pytest -q

check-workflows: venv ## Schema and actionlint checks of .github/workflows (adds the ci group to ./venv)
	tools/check_workflows.sh

scan: venv $(SCANNER_VENV)/.installed ## checkov's ARM and Kubernetes checks on each stack's render, waivers in facts/waivers.py: make scan [STACKS="dev prod"]
	$(PY) -m tools.scan $(STACKS)

clean: ## Remove ./venv, ./.uv, the scanner's venv and build/
	rm -rf $(VENV) $(UV_HOME) $(SCANNER_VENV) build

docs: venv ## Rewrite the generated parts of docs/ (config reference, policy catalog, VM sizes)
	$(PY) -m tools.docs --write

# Writes build/import-<stack>.json (docs/adopting.md).
import-file: venv ## The pulumi import file to adopt an existing cluster: make import-file STACK=prod SUBSCRIPTION=<id>
	$(PY) tools/import_file.py $(STACK) $(if $(SUBSCRIPTION),--subscription $(SUBSCRIPTION))
