"""policies/coverage.py and the pack stay in step: every outside rule is answered by a policy that exists, or by
a reason; every built-in a policy declares as its framework is answered by that policy; waived PSRule rules are
answered by their waiver."""
from __future__ import annotations

import re

import pytest

from facts.waivers import WAIVERS
from policies import compliance, coverage
from policies.coverage import Gap
from policies.pack import ALL_POLICIES
from tools import compliance_mapping

POLICIES = {p.name: p for p in ALL_POLICIES}
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _answers():
    yield from coverage.BUILT_INS.items()
    yield from ((rule, answer) for rule, (_, answer) in coverage.PSRULE.items())


@pytest.mark.parametrize("rule, answer", list(_answers()), ids=lambda v: v if isinstance(v, str) else "")
def test_each_rule_is_answered_by_a_pack_policy_or_a_reason(rule, answer):
    if isinstance(answer, Gap):
        assert len(answer.reason) > 30, rule
    else:
        assert answer in POLICIES, f"{rule} names {answer!r}, which is not a policy of the pack"


def test_every_recorded_built_in_is_answered_and_every_answered_one_has_its_display_name():
    assert set(coverage.BUILT_INS) == set(compliance.AZURE_BUILT_INS)
    assert all(GUID.match(guid) for guid in coverage.BUILT_INS)


def test_every_built_in_a_policy_claims_is_answered_by_that_policy():
    for policy in ALL_POLICIES:
        if policy.framework is None or policy.framework.name != compliance.AZURE_POLICY:
            continue
        for reference in policy.framework.reference.split(", "):
            guid = reference.rsplit("/", 1)[-1]
            assert coverage.BUILT_INS[guid] == policy.name, (guid, policy.name)


def test_every_psrule_rule_a_waiver_names_is_answered_by_the_waiver():
    waived = {rule for waiver in WAIVERS for rule in waiver.rules if rule.startswith("Azure.")}
    assert waived  # Azure.ACR.Quarantine today
    for rule in waived:
        answer = coverage.PSRULE[rule][1]
        assert isinstance(answer, Gap) and "facts/waivers.py" in answer.reason, rule


def test_psrule_entries_name_a_rule_of_the_audited_types_and_its_release():
    for rule, (release, _) in coverage.PSRULE.items():
        assert re.fullmatch(r"Azure\.(AKS|ACR|KeyVault|NSG|Log)\.[A-Za-z]+", rule), rule
        assert release in ("GA", "preview"), rule


def test_the_table_shows_a_policy_with_its_levels_and_a_gap_with_its_reason():
    table = compliance_mapping.render()
    assert ("| `dbbdc317-9734-4dd8-9074-993b29c69008` | Azure Kubernetes Clusters should enable Key Management Service "
            "(KMS) | `aks-kms-etcd-encryption` | advisory | advisory | mandatory | |") in table
    reason = coverage.PSRULE["Azure.AKS.NetworkPolicy"][1].reason
    assert f"| `Azure.AKS.NetworkPolicy` | GA | none | – | – | – | {reason} |" in table

