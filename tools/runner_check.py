"""`python -m tools.runner_check STACK RUNS_ON`: refuse, in seconds, a job that cannot reach its cluster.

A stack with a private API server (`cluster.private: true`) and the in-cluster layer on (`inCluster`)
needs `pulumi up` to run where the API server is reachable: a runner on the cluster's network or one
peered with it (docs/delivery.md, "A private cluster"). GitHub-hosted runners (`ubuntu-latest`) are not,
and `az aks command invoke` is no substitute ("Not for programmatic access", Learn "Access a private AKS
cluster using command invoke"; prod also disables run command). Without this check the job would spend
twenty minutes on Azure resources and then fail on the first Kubernetes object.

RUNS_ON is the job's `runs-on` as JSON (what deploy-stack.yml takes): `"ubuntu-latest"`,
`["self-hosted","aks-prod"]` or `{"group": "aks-prod"}`. Exit 0 when the job can reach the cluster (or
needs not), 1 with a GitHub error annotation otherwise, 2 when the stack's settings are invalid.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from offline.engine import stack_config  # noqa: E402 (needs ROOT on sys.path)
from settings import ConfigError, PlatformSettings, from_config_text  # noqa: E402

# GitHub's hosted runner images: outside every customer network.
# (docs.github.com, "GitHub-hosted runners": the standard labels.)
GITHUB_HOSTED = ("ubuntu-", "windows-", "macos-")


def needs_line_of_sight(settings: PlatformSettings) -> bool:
    return settings.cluster.private and settings.in_cluster.enabled


def github_hosted(runs_on: object) -> bool:
    labels = [runs_on] if isinstance(runs_on, str) else runs_on if isinstance(runs_on, list) else []
    return any(isinstance(label, str) and label.startswith(GITHUB_HOSTED) for label in labels)


def problem(stack: str, runs_on: object, settings: PlatformSettings) -> str | None:
    if needs_line_of_sight(settings) and github_hosted(runs_on):
        variable = f"RUNNER_{stack.upper().replace('-', '_')}"
        return (f"stack {stack!r} has a private API server and the in-cluster layer on, but this job runs on "
                f"{json.dumps(runs_on)}, a GitHub-hosted runner that cannot reach it. Set the repository variable "
                f"{variable} to the runs-on of a runner with line of sight (JSON, e.g. "
                f'\'["self-hosted","aks-{stack}"]\'), see docs/delivery.md ("A private cluster"); or set '
                "aks-platform:inCluster: false until you have one")
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    stack, runs_on = args[0], json.loads(args[1]) if args[1][:1] in "\"[{" else args[1]
    try:
        found = problem(stack, runs_on, from_config_text(stack_config(stack)))
    except (ConfigError, FileNotFoundError) as err:
        print(f"Stack {stack!r} cannot be checked.\n{err}", file=sys.stderr)
        return 2
    if found:
        print(f"::error::{found}")
        return 1
    print(f"stack {stack!r}: runner {json.dumps(runs_on)} is fine for it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
