#!/usr/bin/env bash
# Checks every GitHub workflow and local action before GitHub sees them:
#   1. check-jsonschema against the GitHub workflow and action schemas (structure, keys, types);
#   2. actionlint (expressions, contexts, `needs`, action inputs, permissions, matrix) with shellcheck on
#      every `run:` script.
# Installs its pinned tools (the `ci` group of uv.lock) into ./venv itself, with the uv that `make
# check-workflows` provides (UV; or a uv on PATH). Exits non-zero on any finding.
set -euo pipefail

cd "$(dirname "$0")/.."
# --inexact: keep the dev group that `make venv` installed.
UV_PROJECT_ENVIRONMENT=venv "${UV:-uv}" sync --locked --inexact --group ci --quiet
# The venv's shellcheck must be the one actionlint finds.
export PATH="$PWD/venv/bin:$PATH"

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
actions=(.github/actions/*/action.yml .github/actions/*/action.yaml)
if [ ${#workflows[@]} -eq 0 ]; then
  echo "check_workflows: no workflows found under .github/workflows" >&2
  exit 1
fi

status=0
echo "check-jsonschema: ${#workflows[@]} workflow(s)"
check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}" || status=1
if [ ${#actions[@]} -gt 0 ]; then
  echo "check-jsonschema: ${#actions[@]} action(s)"
  check-jsonschema --builtin-schema vendor.github-actions "${actions[@]}" || status=1
fi

echo "actionlint: $(actionlint -version | head -n 1), $(shellcheck --version | sed -n 's/^version: /shellcheck /p')"
# No file arguments: actionlint finds the repository and can then also check local actions
# (`uses: ./.github/actions/...`) and reusable workflows against their definitions.
actionlint -shellcheck shellcheck || status=1

if [ "$status" -eq 0 ]; then
  echo "check_workflows: all workflows pass"
fi
exit "$status"
