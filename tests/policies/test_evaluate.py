"""`evaluate` end to end through pulumi_policy's servicer: stack policies, enforcement per environment,
config thresholds and schemas, unknown values."""
from __future__ import annotations

import pytest
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from facts.profiles import ENVIRONMENTS
from policies.offline import Finding, evaluate
from policies.pack_config import PolicyConfigError

from tests.helpers import policy_config_outside_a_fleet

from .fixtures import good_stack
from .helpers import set_path




def run(stack: dict, env: str = "prod") -> list[Finding]:
    return evaluate(list(stack.values()), policy_config_outside_a_fleet(env))


def only(findings: list[Finding], policy: str) -> Finding:
    matching = [f for f in findings if f.policy == policy]
    assert len(matching) == 1, findings
    return matching[0]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_known_good_stack_has_no_findings(env):
    assert run(good_stack(), env) == []


def test_resource_finding_carries_resource_level_and_message():
    stack = good_stack()
    stack["aks"]["inputs"]["sku"]["tier"] = "Free"
    finding = only(run(stack, "prod"), "aks-paid-tier")
    assert (finding.enforcement, finding.urn, finding.name, finding.type, finding.severity) == (
        "mandatory", stack["aks"]["urn"], "aks", "azure-native:containerservice:ManagedCluster", "medium")
    assert "ManagedCluster 'aks': sku.tier is 'Free'" in finding.message
    assert "aks-platform:cluster.tier" in finding.message


def test_cost_policies_are_advisory_in_dev_and_mandatory_in_prod():
    stack = good_stack()
    stack["aks"]["inputs"]["sku"]["tier"] = "Free"
    stack["kv"]["inputs"]["properties"]["enablePurgeProtection"] = False
    stack["aks"]["inputs"]["agentPoolProfiles"][0]["availabilityZones"] = ["1"]
    stack["aks"]["inputs"]["apiServerAccessProfile"] = {"enablePrivateCluster": False,
                                                       "authorizedIPRanges": ["203.0.113.0/24"],
                                                       "disableRunCommand": True}
    dev = {f.policy: f.enforcement for f in run(stack, "dev")}
    prod = {f.policy: f.enforcement for f in run(stack, "prod")}
    # dev accepts authorized ranges instead of a private API server (requirePrivate false)
    assert dev == {"aks-paid-tier": "advisory", "keyvault-purge-protection": "advisory", "aks-pool-zones": "advisory"}
    assert prod == {"aks-paid-tier": "mandatory", "keyvault-purge-protection": "mandatory",
                    "aks-pool-zones": "mandatory", "aks-api-server-restricted": "mandatory"}


def test_security_basics_are_mandatory_in_dev():
    stack = good_stack()
    stack["aks"]["inputs"]["disableLocalAccounts"] = False
    assert only(run(stack, "dev"), "aks-local-accounts-disabled").enforcement == "mandatory"


def test_thresholds_come_from_the_stack_config():
    stack = good_stack()
    stack["log"]["inputs"]["retentionInDays"] = 60.0
    assert [f.policy for f in run(stack, "dev")] == []
    assert "retentionInDays is 60; want at least 90" in only(run(stack, "prod"), "log-analytics-retention").message


def test_config_dict_all_and_disabled_behave_as_in_the_cli():
    stack = good_stack()
    stack["aks"]["inputs"]["sku"]["tier"] = "Free"
    assert evaluate(list(stack.values()), {"all": "disabled"}) == []
    assert [f.enforcement for f in evaluate(list(stack.values()), {"all": "advisory"})] == ["advisory"]
    assert evaluate(list(stack.values()), {"aks-paid-tier": "disabled"}) == []


def test_config_violating_a_schema_is_refused():
    with pytest.raises(PolicyConfigError, match="log-analytics-retention: 10 is less than the minimum of 30"):
        evaluate([], {"log-analytics-retention": {"minimumDays": 10}})
    with pytest.raises(PolicyConfigError, match="'sometimes' is not a valid enforcement level"):
        evaluate([], {"aks-paid-tier": "sometimes"})


def test_unknown_values_do_not_crash_and_are_not_violations():
    stack = good_stack()
    stack["aks"]["inputs"]["disableLocalAccounts"] = UNKNOWN_STRING_VALUE
    stack["aks-audit"]["inputs"]["resourceUri"] = UNKNOWN_STRING_VALUE
    stack["aks-audit"]["outputs"]["resourceUri"] = UNKNOWN_STRING_VALUE
    stack["aks-audit"]["propertyDependencies"] = {"resourceUri": [stack["aks"]["urn"]]}
    assert run(stack) == []


# Stack policies --------------------------------------------------------------------------------------

def test_cluster_without_audit_setting_is_reported_with_what_was_looked_for():
    stack = good_stack()
    del stack["aks-audit"]
    finding = only(run(stack), "aks-audit-logs-to-workspace")
    assert finding.urn == stack["aks"]["urn"] and finding.enforcement == "mandatory"
    assert "ManagedCluster 'aks' does not send kube-audit to a Log Analytics workspace: no DiagnosticSetting has a " \
           "resourceUri equal to its id /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/" \
           "rg-aks-dev/providers/Microsoft.ContainerService/managedClusters/aks-dev" in finding.message


def test_audit_setting_without_audit_category_is_reported_naming_the_match():
    stack = good_stack()
    stack["aks-audit"]["outputs"]["logs"] = [{"category": "kube-apiserver", "enabled": True}]
    finding = only(run(stack), "aks-audit-logs-to-workspace")
    assert "DiagnosticSetting 'aks-audit' (resourceUri equals its id" in finding.message
    assert "sends no kube-audit" in finding.message


@pytest.mark.parametrize("log", [{"category": "kube-audit", "enabled": True},
                                 {"categoryGroup": "audit", "enabled": True}])
def test_audit_categories_and_groups_are_accepted(log):
    stack = good_stack()
    stack["aks-audit"]["outputs"]["logs"] = [log]
    assert run(stack) == []


def test_audit_setting_matched_by_property_dependency_or_arm_name_without_ids():
    stack = good_stack()
    for record in stack.values():
        record["outputs"].pop("id")
    assert run(stack) == []  # resourceUri names managedClusters/aks-dev in rg-aks-dev
    stack["aks-audit"]["outputs"]["resourceUri"] = "(unknown until deploy)"
    assert only(run(stack), "aks-audit-logs-to-workspace")
    stack["aks-audit"]["propertyDependencies"] = {"resourceUri": [stack["aks"]["urn"]]}
    assert run(stack) == []


def test_disabled_audit_log_does_not_count():
    stack = good_stack()
    stack["kv-audit"]["outputs"]["logs"][0]["enabled"] = False
    finding = only(run(stack), "keyvault-audit-logs-to-workspace")
    assert finding.urn == stack["kv"]["urn"]
    assert "Vault 'kv' does not send AuditEvent" in finding.message


def test_missing_required_tag_is_reported_per_resource():
    stack = good_stack()
    stack["acr"]["outputs"]["tags"] = {"owner": "team"}
    finding = only(run(stack), "required-tags")
    assert finding.urn == stack["acr"]["urn"]
    assert "Registry 'acr': tags lacks environment (has ['owner'])" in finding.message
    assert "aks-platform:tags" in finding.message


def test_kubelet_with_broader_role_on_registry_is_reported():
    stack = good_stack()
    contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c"
    role = stack["acr-pull"]["outputs"]["roleDefinitionId"].replace("7f951dda-4ed3-4680-a7ca-43fe172d538d", contributor)
    stack["acr-pull"]["outputs"]["roleDefinitionId"] = role
    messages = {f.urn: f.message for f in run(stack) if f.policy == "kubelet-acr-pull-only"}
    assert "RoleAssignment 'acr-pull' gives the kubelet identity of ManagedCluster 'aks' (principalId " \
           "11111111-2222-3333-4444-555555555555) roleDefinitionId Contributor on Registry 'acr'" \
           in messages[stack["acr-pull"]["urn"]]
    assert "Registry 'acr' has no AcrPull RoleAssignment" in messages[stack["acr"]["urn"]]


def test_kubelet_matched_through_property_dependency_when_principal_unknown():
    stack = good_stack()
    stack["acr-pull"]["outputs"]["principalId"] = "(known after deploy)"
    stack["aks"]["outputs"]["identityProfile"]["kubeletidentity"].pop("objectId")
    stack["aks"]["propertyDependencies"] = {"identityProfile": [stack["kubelet"]["urn"]]}
    stack["kubelet"]["outputs"].pop("principalId")
    assert run(stack) == []
    del stack["acr-pull"]
    assert "Registry 'acr' has no AcrPull" in only(run(stack), "kubelet-acr-pull-only").message


def test_setting_changes_are_seen_through_inputs_when_outputs_are_absent():
    stack = good_stack()
    for record in stack.values():
        record.pop("outputs")
    set_path(stack["acr"]["inputs"], "tags", {})
    assert only(run(stack), "required-tags").name == "acr"


def test_secrets_user_on_one_secret_passes():
    stack = good_stack()
    assert [f for f in run(stack) if f.policy == "keyvault-secrets-user-per-secret"] == []


@pytest.mark.parametrize("scope", ["vault", "resource group"])
def test_secrets_user_on_a_whole_vault_or_wider_is_reported(scope):
    stack = good_stack()
    wider = stack["kv"]["outputs"]["id"] if scope == "vault" else stack["rg"]["outputs"]["id"]
    stack["team-a-secrets-user"]["outputs"]["scope"] = wider
    finding = only(run(stack), "keyvault-secrets-user-per-secret")
    assert finding.urn == stack["team-a-secrets-user"]["urn"]
    assert f"RoleAssignment 'team-a-secrets-user' grants Key Vault Secrets User with scope {wider}" in finding.message


def test_secrets_user_whose_unknown_scope_depends_on_the_vault_is_reported():
    stack = good_stack()
    assignment = stack["team-a-secrets-user"]
    assignment["outputs"]["scope"] = assignment["inputs"]["scope"] = UNKNOWN_STRING_VALUE
    assignment["propertyDependencies"] = {"scope": [stack["kv"]["urn"]]}
    assert "scope depends on Vault 'kv'" in only(run(stack), "keyvault-secrets-user-per-secret").message


def test_safeguards_at_warn_are_refused_in_prod_and_advised_in_dev():
    stack = good_stack()
    stack["safeguard"]["inputs"]["level"] = stack["safeguard"]["outputs"]["level"] = "Warn"
    policy = "aks-deployment-safeguards-enforced"
    prod, dev = only(run(stack, "prod"), policy), only(run(stack, "dev"), policy)
    assert (prod.enforcement, dev.enforcement, prod.urn) == ("mandatory", "advisory", stack["aks"]["urn"])
    assert "ManagedCluster 'aks' has no deployment safeguards at Enforce: level 'Warn'" in prod.message
    assert "aks-platform:cluster.safeguards.level" in prod.message


def test_a_cluster_without_safeguards_is_refused_in_prod():
    stack = good_stack()
    del stack["safeguard"]
    finding = only(run(stack, "prod"), "aks-deployment-safeguards-enforced")
    assert "no DeploymentSafeguard has it as resourceUri" in finding.message


def test_a_registry_replicated_to_a_second_region_passes():
    assert [f for f in run(good_stack(), "prod") if f.policy == "acr-geo-replicated"] == []


@pytest.mark.parametrize("change, found", [
    (lambda s: s.pop("acr-replica"), "no Replication has it as registryName"),
    (lambda s: [s["acr-replica"][part].update(location="westeurope") for part in ("inputs", "outputs")],
     "its replications are in ['westeurope']"),
])
def test_a_registry_without_a_replica_elsewhere_is_refused_in_prod_and_advised_in_dev(change, found):
    stack = good_stack()
    change(stack)
    prod, dev = only(run(stack, "prod"), "acr-geo-replicated"), only(run(stack, "dev"), "acr-geo-replicated")
    assert (prod.enforcement, dev.enforcement, prod.urn) == ("mandatory", "advisory", stack["acr"]["urn"])
    assert f"Registry 'acr' (location 'westeurope') has no replica in another region: {found}" in prod.message
    assert "aks-platform:registry.replicaLocations" in prod.message
