"""The policy catalog in docs/policies.md, generated from the pack itself so it cannot drift.

`python -m tools.docs --write` (`make docs`) writes it. The enforcement per environment is what
pack_config.reconcile gives for each shipped policies/config/<stack>.json (generated from the profiles by
tools/policy_config.py), i.e. what the CLI would apply.
"""
from __future__ import annotations

from pathlib import Path

from pulumi_policy.policy import Policy

from facts.profiles import ENVIRONMENTS
from policies.compliance import AZURE_POLICY, WITHOUT_FRAMEWORK
from policies.pack import ALL_POLICIES, PACK_NAME, new_servicer
from policies.pack_config import reconcile

CONFIG_DIR = Path(__file__).resolve().parent.parent / "policies" / "config"

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
"Maps to" is the compliance control each policy carries in the pack (`framework`, policies/compliance.py):
a CIS AKS Benchmark recommendation, or the Azure Policy built-in definitions it mirrors.

The config files are generated from the environment profiles (`facts/profiles.py`), from which the
settings defaults and refusals derive too: edit a profile, then run `python -m tools.policy_config --write`.
This section is generated: edit the policies or the profiles, then run `make docs`.
"""


def _cell(level: str, props: dict) -> str:
    thresholds = ", ".join(f"{k}={v}" for k, v in sorted(props.items()))
    return level + (f" ({thresholds})" if thresholds else "")


def _maps_to(policy: Policy) -> str:
    """The compliance control the policy carries, or why it carries none."""
    framework = policy.framework
    if framework is None:
        return f"none: {WITHOUT_FRAMEWORK[policy.name]}"
    if framework.name == AZURE_POLICY:
        guids = ", ".join(f"`{ref.rsplit('/', 1)[-1]}`" for ref in framework.reference.split(", "))
        return f"Azure Policy {guids}: {framework.specification}"
    return f"CIS AKS {framework.version} {framework.reference} {framework.specification}"


def render() -> str:
    info = new_servicer().GetAnalyzerInfo(None, None)
    configs = {env: reconcile(info, CONFIG_DIR / f"{env}.json") for env in ENVIRONMENTS}
    lines = [INTRO, f"{len(ALL_POLICIES)} policies:", "",
             "| Policy | Applies to | Severity | " + " | ".join(ENVIRONMENTS) + " | Why | Fix | Maps to |",
             "|---|---|---|" + "---|" * len(ENVIRONMENTS) + "---|---|---|"]
    for policy in ALL_POLICIES:
        applies = ", ".join(t.rsplit(":", 1)[-1] for t in policy.resource_types)
        cells = [_cell(*configs[env][policy.name]) for env in ENVIRONMENTS]
        lines.append(f"| `{policy.name}` | {applies} | {policy.severity.value} | " + " | ".join(cells)
                     + f" | {policy.description} | {policy.remediation_steps} | {_maps_to(policy)} |")
    return "\n".join(lines) + "\n"
