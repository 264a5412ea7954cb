"""The README section for the pack, generated from the pack itself so it cannot drift.

`python -m policies.catalog` prints it; `--write` updates its section of README.md. The enforcement per
environment is what pack_config.reconcile gives for each shipped policies/config/<stack>.json, i.e.
what the CLI would apply.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .pack import ALL_POLICIES, PACK_NAME, new_servicer
from .pack_config import reconcile

ROOT = Path(__file__).resolve().parent
SECTION = "policies"
ENVIRONMENTS = ("dev", "staging", "prod")

INTRO = f"""`policies/` is a Pulumi CrossGuard policy pack (`{PACK_NAME}`) that enforces the platform's security
defaults. Every policy's message names the resource, the property and the stack-config key to change.
An absent property is judged by what Azure does when it is absent; a value unknown during preview is
skipped and judged again on `pulumi up`.

Run it with the Pulumi CLI (the CLI syncs `policies/venv` to `policies/uv.lock` with uv before each run):

```sh
pulumi preview --policy-pack policies --policy-pack-config policies/config/<stack>.json
pulumi up      --policy-pack policies --policy-pack-config policies/config/<stack>.json
```

Offline, `make plan STACK=<stack>` runs the same pack on the rendered resources through
`policies.offline.evaluate` with the same config file, prints advisories and violations, and fails on
a mandatory violation. A config file sets a policy to `advisory`, `mandatory` or `disabled`, and sets
thresholds, e.g. `{{"log-analytics-retention": {{"enforcementLevel": "mandatory", "minimumDays": 90}}}}`.
Security basics are mandatory everywhere; what costs money or slows teardown (private API server,
zones, paid tier, Defender, purge protection) and the run-command debugging aid are advisory in dev.

This section is generated: edit the policies or `policies/config/*.json`, then run
`python -m policies.catalog --write`.
"""


def _cell(level: str, props: dict) -> str:
    thresholds = ", ".join(f"{k}={v}" for k, v in sorted(props.items()))
    return level + (f" ({thresholds})" if thresholds else "")


def render() -> str:
    info = new_servicer().GetAnalyzerInfo(None, None)
    configs = {env: reconcile(info, ROOT / "config" / f"{env}.json") for env in ENVIRONMENTS}
    lines = [INTRO, f"{len(ALL_POLICIES)} policies:", "",
             "| Policy | Applies to | Severity | " + " | ".join(ENVIRONMENTS) + " | Why | Fix |",
             "|---|---|---|" + "---|" * len(ENVIRONMENTS) + "---|---|"]
    for policy in ALL_POLICIES:
        applies = ", ".join(t.rsplit(":", 1)[-1] for t in policy.resource_types)
        cells = [_cell(*configs[env][policy.name]) for env in ENVIRONMENTS]
        lines.append(f"| `{policy.name}` | {applies} | {policy.severity.value} | " + " | ".join(cells)
                     + f" | {policy.description} | {policy.remediation_steps} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from offline.readme import cli  # a development tool: the pack and the program never need it

    cli(SECTION, render, sys.argv[1:])
