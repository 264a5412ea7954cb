"""offline/change_rules.py: a change Azure cannot apply in place is named on its line, with what happens."""
from __future__ import annotations

from datetime import date

import pytest

from offline import change_rules, diff
from settings import kubernetes_versions

CLUSTER = "azure-native:containerservice:ManagedCluster"
POOL = "azure-native:containerservice:AgentPool"
VAULT = "azure-native:keyvault:Vault"
SUBNET = "azure-native:network:Subnet"
REGISTRY = "azure-native:containerregistry:Registry"
BACKUP_VAULT = "azure-native:dataprotection:BackupVault"
BACKUP_INSTANCE = "azure-native:dataprotection:BackupInstance"
IMMUTABILITY = "properties.securitySettings.immutabilitySettings.state"
SNAPSHOT_GROUP = "properties.policyInfo.policyParameters.dataStoreParametersList"


def verdict(token: str, path: str, old, new, protect: bool = False) -> str | None:
    return change_rules.verdict({"type": token, "protect": protect}, path, old, new)


@pytest.mark.parametrize(("token", "path", "old", "new", "expected"), [
    (VAULT, "properties.enablePurgeProtection", True, False, "REFUSED: purge protection cannot be turned off"),
    (VAULT, "properties.enablePurgeProtection", True, diff.ABSENT, "REFUSED: purge protection cannot be turned off"),
    (VAULT, "properties.softDeleteRetentionInDays", 7, 90, "REFUSED: a vault's soft-delete retention period"),
    (CLUSTER, "dnsPrefix", "contoso-dev", "contoso", "REFUSED: the DNS prefix cannot be updated"),
    (CLUSTER, "networkProfile.networkPluginMode", "overlay", diff.ABSENT, "REFUSED: a cluster on Azure CNI overlay can't move back"),
    (CLUSTER, "networkProfile.networkPluginMode", diff.ABSENT, "overlay", "ONE-WAY: moving a cluster from a flat pod network"),
    (CLUSTER, "networkProfile.networkDataplane", "cilium", "azure", "REFUSED: a cluster moves to the Cilium dataplane"),
    (CLUSTER, "agentPoolProfiles[system].vmSize", "Standard_D4ds_v5", "Standard_D8ds_v5", "REFUSED: the API does not update the inline"),
    (CLUSTER, "kubernetesVersion", "1.35", "1.34", "REFUSED: AKS cannot downgrade Kubernetes"),
    (CLUSTER, "kubernetesVersion", "1.33.2", "1.35", "REFUSED: AKS upgrades one minor version at a time"),
    # Adding a runner network to a private cluster that AKS gave its own zone: the zone is fixed at creation.
    (CLUSTER, "apiServerAccessProfile.privateDNSZone", diff.ABSENT, "/subscriptions/.../privateDnsZones/x",
     "REFUSED: a private cluster's DNS zone can't be changed"),
    (POOL, "orchestratorVersion", "1.35", "1.34.1", "REFUSED: AKS cannot downgrade a node pool"),
    (POOL, "osDiskType", "Ephemeral", "Managed", "REFUSED: a pool's OS disk type"),
    (SUBNET, "defaultOutboundAccess", False, True, "REFUSED: default outbound access"),
    (SUBNET, "addressPrefix", "10.240.0.0/22", "10.240.0.0/21", "REFUSED: a subnet's range"),
    (REGISTRY, "zoneRedundancy", "Disabled", "Enabled", "REPLACED: zone redundancy was historically create-only"),
    (CLUSTER, "securityProfile.azureKeyVaultKms.enabled", diff.ABSENT, True, "ONE-WAY: KMS encrypts only secrets"),
    (CLUSTER, "securityProfile.azureKeyVaultKms.keyId", "https://kv/keys/aks-etcd/1", "https://kv/keys/aks-etcd/2",
     "ONE-WAY: a new key version is a KMS key rotation"),
    (CLUSTER, "securityProfile.azureKeyVaultKms.keyVaultNetworkAccess", "Private", "Public",
     "REFUSED: with KMS on, the key vault's mode"),
    (VAULT, "vaultName", "kv-a", "kv-b", "REPLACED: `vaultName` is part of the resource's ARM ID"),
    (POOL, "agentPoolName", "apps", "web", "REPLACED: `agentPoolName` is part of the resource's ARM ID"),
    (CLUSTER, "resourceGroupName", "rg-a", "rg-b", "REPLACED: `resourceGroupName` is part of the resource's ARM ID"),
    ("azure-native:authorization:RoleAssignment", "scope", "/a", "/b", "REPLACED: `scope` is part of"),
    (BACKUP_VAULT, IMMUTABILITY, "Locked", "Unlocked", "REFUSED: a Locked immutable vault cannot be unlocked"),
    (BACKUP_INSTANCE, f"{SNAPSHOT_GROUP}[0].resourceGroupId", "/subscriptions/s/resourceGroups/a",
     "/subscriptions/s/resourceGroups/b", "REFUSED: the snapshot resource group of a backup instance"),
    ("azure-native:dataprotection:BackupPolicy", "backupPolicyName", "aks-pt4h-0000-7d", "aks-pt8h-0000-7d",
     "REPLACED: `backupPolicyName` is part of the resource's ARM ID"),
])
def test_each_rule_names_what_azure_does(token, path, old, new, expected):
    assert (verdict(token, path, old, new) or "").startswith(expected)


@pytest.mark.parametrize(("token", "path", "old", "new"), [
    (VAULT, "properties.enablePurgeProtection", diff.ABSENT, True),  # turning it on is fine
    (CLUSTER, "securityProfile.azureKeyVaultKms.keyVaultNetworkAccess", diff.ABSENT, "Private"),  # turning KMS on
    (CLUSTER, "securityProfile.azureKeyVaultKms.keyId", diff.ABSENT, "https://kv/keys/aks-etcd/1"),  # first key
    (CLUSTER, "networkProfile.networkDataplane", "azure", "cilium"),  # the supported direction
    (CLUSTER, "kubernetesVersion", "1.34", "1.35"),  # one minor up
    (CLUSTER, "kubernetesVersion", "1.35", "1.35.3"),  # a patch
    (CLUSTER, "networkProfile.outboundType", "loadBalancer", "userAssignedNATGateway"),  # updatable since 2024
    (POOL, "maxCount", 5, 6),
    (BACKUP_VAULT, IMMUTABILITY, "Disabled", "Unlocked"),  # immutability can be turned on
    (BACKUP_VAULT, IMMUTABILITY, "Unlocked", "Locked"),  # and locked
])
def test_changes_azure_applies_in_place_get_no_verdict(token, path, old, new):
    assert verdict(token, path, old, new) is None


def test_replacing_a_protected_resource_is_blocked():
    assert verdict(VAULT, "vaultName", "kv-a", "kv-b", protect=True).startswith(
        "BLOCKED: replacing it deletes a protected resource (`vaultName` is part of the resource's ARM ID")


def test_every_rule_cites_a_source():
    assert all(rule.source for rule in change_rules.RULES)


def resource(token: str, name: str, protect: bool = False, **inputs) -> dict:
    return {"urn": f"urn:pulumi:dev::aks-platform::{token}::{name}", "type": token, "name": name,
            "inputs": inputs, "protect": protect, "ignoreChanges": []}


def test_the_diff_marks_the_line_and_counts_what_azure_will_refuse():
    base = diff.State([resource(VAULT, "keyvault-vault", protect=True, vaultName="kv-a",
                                properties={"enablePurgeProtection": True})], [])
    head = diff.State([resource(VAULT, "keyvault-vault", protect=True, vaultName="kv-b",
                                properties={"enablePurgeProtection": False})], [], warnings=["VM size Standard_X is unknown"])
    report = diff.report("prod", "main", base, head)
    assert "    properties.enablePurgeProtection: true → false  ← REFUSED: purge protection cannot be turned off" in report
    assert '    vaultName: "kv-a" → "kv-b"  ← BLOCKED: replacing it deletes a protected resource' in report
    assert "**Azure cannot apply every change in place: 1 refused, 1 blocked (marked `←` below).**" in report
    assert "#### Warnings\n\n- VM size Standard_X is unknown" in report


def test_an_added_resource_shows_the_same_key_settings_as_the_plan():
    pool = resource(POOL, "pools-spot", agentPoolName="spot", vmSize="Standard_D8ds_v5", scaleSetPriority="Spot",
                    minCount=0, maxCount=5)
    assert diff.resource_lines(diff.diff_resources([], [pool])) == [
        f"+ {POOL} pools-spot", "    agentPoolName: spot", "    vmSize: Standard_D8ds_v5", "    minCount: 0",
        "    maxCount: 5", "    scaleSetPriority: Spot",
    ]


def test_enabling_api_server_vnet_integration_on_a_running_cluster_is_one_way_and_needs_a_restart():
    assert verdict(CLUSTER, "apiServerAccessProfile.enableVnetIntegration", diff.ABSENT, True).startswith(
        "ONE-WAY: enabling API server VNet integration on a running cluster cannot be undone and changes the API "
        "server's IP; stop and start the cluster right after")
    assert verdict(CLUSTER, "apiServerAccessProfile.enableVnetIntegration", True, True) is None


# --- versions judged against the head's whole cluster -------------------------------------------------

TODAY = date(2026, 11, 27)


@pytest.fixture
def pinned_today(monkeypatch):
    monkeypatch.setattr(kubernetes_versions, "today", lambda: TODAY)


def cluster(version: str, tier: str = "Standard", inline: str | None = None) -> dict:
    profiles = [{"name": "system", "orchestratorVersion": inline or version}]
    return resource(CLUSTER, "cluster-aks", resourceName="aks-contoso-dev", kubernetesVersion=version,
                    sku={"tier": tier}, agentPoolProfiles=profiles)


def pool(version: str) -> dict:
    return resource(POOL, "pools-apps", resourceName="aks-contoso-dev", agentPoolName="apps", orchestratorVersion=version)


def version_line(base: list[dict], head: list[dict], name: str) -> str:
    changed = dict((r["name"], lines) for r, lines in diff.diff_resources(base, head).changed)
    return next(line for line in changed[name] if line.startswith(("kubernetesVersion:", "orchestratorVersion:")))


def test_a_control_plane_upgrade_that_leaves_a_pool_more_than_two_minors_behind_is_refused(pinned_today):
    line = version_line([cluster("1.34"), pool("1.32")], [cluster("1.35"), pool("1.32")], "cluster-aks")
    assert line == ('kubernetesVersion: "1.34" → "1.35"  ← REFUSED: a node pool must be within 2 minor versions of the '
                    "control plane and not newer (pool apps at 1.32: 1.32 is more than 2 minor versions behind the "
                    "control plane's 1.35)")


def test_two_minors_behind_is_allowed(pinned_today):
    assert "←" not in version_line([cluster("1.34"), pool("1.33")], [cluster("1.35"), pool("1.33")], "cluster-aks")


def test_a_pool_newer_than_the_control_plane_is_refused(pinned_today):
    line = version_line([cluster("1.34"), pool("1.34")], [cluster("1.34"), pool("1.35")], "pools-apps")
    assert line.endswith("(1.35 is newer than the control plane's 1.34)")
    assert "← REFUSED: a node pool must be within 2 minor versions" in line


def test_a_version_past_its_end_of_support_is_refused(pinned_today):
    # 1.33 left standard support at the end of July 2026 (settings/kubernetes_versions.json).
    line = version_line([cluster("1.32")], [cluster("1.33")], "cluster-aks")
    assert "← REFUSED: 1.33 reached the end of AKS standard support (Premium tier adds long-term support) on " \
           "2026-07-31" in line


def test_premium_long_term_support_keeps_the_version_supported(pinned_today):
    assert "←" not in version_line([cluster("1.32", "Premium")], [cluster("1.33", "Premium")], "cluster-aks")


def test_a_pool_upgrade_to_a_version_past_its_end_of_support_is_refused(pinned_today):
    line = version_line([cluster("1.34"), pool("1.32")], [cluster("1.34"), pool("1.33")], "pools-apps")
    assert "← REFUSED: 1.33 reached the end of AKS standard support" in line


# --- node auto-provisioning ----------------------------------------------------------------------------


def outbound_line(nap_mode: str | None) -> str:
    def nap_cluster(outbound: str) -> dict:
        nap = {"nodeProvisioningProfile": {"mode": nap_mode}} if nap_mode else {}
        return resource(CLUSTER, "cluster-aks", resourceName="aks-contoso-dev",
                        networkProfile={"outboundType": outbound}, **nap)

    changed = dict((r["name"], lines) for r, lines in
                   diff.diff_resources([nap_cluster("loadBalancer")], [nap_cluster("userAssignedNATGateway")]).changed)
    return next(line for line in changed["cluster-aks"] if line.startswith("networkProfile.outboundType:"))


def test_changing_the_outbound_type_of_a_cluster_with_node_auto_provisioning_is_refused():
    assert outbound_line("Auto") == (
        'networkProfile.outboundType: "loadBalancer" → "userAssignedNATGateway"  ← REFUSED: the outbound type of a '
        "cluster with node auto-provisioning cannot change after it is created (recreate the cluster, or keep "
        "networkProfile.outboundType; "
        "https://learn.microsoft.com/azure/aks/node-auto-provisioning#limitations-and-unsupported-features)"
    )


@pytest.mark.parametrize("nap_mode", [None, "Manual"])
def test_without_node_auto_provisioning_the_outbound_type_change_gets_no_verdict(nap_mode):
    assert "←" not in outbound_line(nap_mode)
