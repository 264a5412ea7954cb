"""The table in docs/compliance-mapping.md, generated from policies/coverage.py and the pack.

Each outside rule (an Azure Policy built-in by definition ID, a PSRule for Azure rule by name) with the pack
policy that enforces the same control and its level per environment (what the generated
policies/config/<env>.json make of it), or the reason there is none. `python -m tools.docs --write` writes it.
"""
from __future__ import annotations

from facts.profiles import ENVIRONMENTS
from policies.compliance import AZURE_BUILT_INS
from policies.coverage import BUILT_INS, PSRULE, Answer, Gap
from policies.pack import new_servicer
from policies.pack_config import reconcile
from tools.policy_catalog import CONFIG_DIR

INTRO = """Generated from `policies/coverage.py` (one answer per rule) and the pack: edit those, then run `make docs`.
A rule is answered by the pack policy that enforces the same control (its level in each environment, from
`policies/config/<env>.json`), or by the reason the pack has none. A test keeps this table and the pack in
step: every policy named here exists, and every built-in a policy declares as its framework is answered by it.
"""


def _levels() -> dict[str, dict[str, str]]:
    """policy name -> environment -> enforcement level, as the CLI would apply each shipped config."""
    info = new_servicer().GetAnalyzerInfo(None, None)
    configs = {env: reconcile(info, CONFIG_DIR / f"{env}.json") for env in ENVIRONMENTS}
    return {policy.name: {env: configs[env][policy.name][0] for env in ENVIRONMENTS} for policy in info.policies}


def _cells(answer: Answer, levels: dict[str, dict[str, str]]) -> str:
    if isinstance(answer, Gap):
        return "none | " + " | ".join("–" for _ in ENVIRONMENTS) + f" | {answer.reason} |"
    return f"`{answer}` | " + " | ".join(levels[answer][env] for env in ENVIRONMENTS) + " | |"


def render() -> str:
    levels = _levels()
    envs = " | ".join(ENVIRONMENTS)
    rule = "|---" * (len(ENVIRONMENTS) + 4) + "|"
    built_ins = sum(1 for a in BUILT_INS.values() if not isinstance(a, Gap))
    psrule = sum(1 for _, a in PSRULE.values() if not isinstance(a, Gap))
    lines = [INTRO, "## Azure Policy built-in definitions", "",
             f"{len(BUILT_INS)} definitions, {built_ins} enforced by a pack policy.", "",
             f"| Definition | Display name | Pack policy | {envs} | Why none |", rule]
    for guid, answer in BUILT_INS.items():
        lines.append(f"| `{guid}` | {AZURE_BUILT_INS[guid]} | {_cells(answer, levels)}")
    lines += ["", "## PSRule for Azure", "",
              f"{len(PSRULE)} rules, {psrule} enforced by a pack policy.", "",
              f"| Rule | Release | Pack policy | {envs} | Why none |", rule]
    for name, (release, answer) in PSRULE.items():
        lines.append(f"| `{name}` | {release} | {_cells(answer, levels)}")
    return "\n".join(lines) + "\n"
