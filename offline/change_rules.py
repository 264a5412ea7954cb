"""Changes Azure cannot apply in place, so that the offline diff says so on the changed line.

One table: each rule names a resource type, the input path it watches, what happens when that input
changes (`refused`: the update fails and nothing changes; `replaced`: Pulumi deletes the resource and
creates a new one) and the Azure source that says so. A replacement of a protected resource is
`blocked`: `pulumi up` stops before deleting it. A version change is also judged against the head's whole
cluster (`state_verdict`: pool and control-plane skew, end of support), which one line alone cannot tell.

What is not here is not known to be safe: it is only not known to be unsafe. `pulumi preview` against
the deployed stack is the last word on updates and replacements.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from settings import kubernetes_versions

from .arm import ARM_TYPES, RESOURCE_GROUPS

AZURE = "azure-native:"
AZURE_NATIVE_77 = "https://github.com/pulumi/pulumi-azure-native/issues/77"
KEY_VAULT_SOFT_DELETE = "https://learn.microsoft.com/en-us/azure/key-vault/general/soft-delete-overview"
CNI_UPGRADE = "https://learn.microsoft.com/en-us/azure/aks/upgrade-aks-ipam-and-dataplane"
CNI_UPDATE = "https://learn.microsoft.com/en-us/azure/aks/update-azure-cni"
AKS_REST = ("https://github.com/Azure/azure-rest-api-specs/blob/main/specification/containerservice/"
            "resource-manager/Microsoft.ContainerService/aks/stable/2025-09-01/managedClusters.json")
AKS_UPGRADE = "https://learn.microsoft.com/en-us/azure/aks/upgrade-aks-cluster"
PRIVATE_CLUSTERS = "https://learn.microsoft.com/en-us/azure/aks/private-clusters#configuration-options-for-private-dns"
KMS = "https://learn.microsoft.com/en-us/azure/aks/use-kms-etcd-encryption"


@dataclass(frozen=True)
class Rule:
    type: str  # the resource type token
    path: str  # the input path, as the diff prints it; a change at or below it matches
    effect: str  # "refused", "replaced", or "one-way" (applied, but cannot be undone and needs an operator step)
    why: str
    source: str
    applies: Callable[[Any, Any], bool] = lambda old, new: True  # on (old, new) values; ABSENT-safe

    def matches(self, token: str, path: str) -> bool:
        return token == self.type and (path == self.path or path.startswith((f"{self.path}.", f"{self.path}[")))


def _turned_off(old: Any, new: Any) -> bool:
    return old is True and new is not True


def _minor(version: Any) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d+)\.(\d+)(?:\.\d+)?", version) if isinstance(version, str) else None
    return (int(match[1]), int(match[2])) if match else None


def _downgrade(old: Any, new: Any) -> bool:
    before, after = _minor(old), _minor(new)
    return bool(before and after and after < before)


def _skips_a_minor(old: Any, new: Any) -> bool:
    before, after = _minor(old), _minor(new)
    return bool(before and after and after[0] == before[0] and after[1] > before[1] + 1)


def _identity_rules() -> list[Rule]:
    """A resource's name and what holds it (its resource group, or its scope) are its ARM ID: changing either
    is a new resource."""
    rules = []
    for token, arm in ARM_TYPES.items():
        if arm.type == RESOURCE_GROUPS:
            continue
        keys = [arm.scope_parameter] if arm.scope_parameter else []
        keys += arm.name_fields[-1:] + ([] if arm.scope_parameter else ["resourceGroupName"])
        rules += [Rule(token, key, "replaced", f"`{key}` is part of the resource's ARM ID", AZURE_NATIVE_77)
                  for key in keys]
    rules.append(Rule(f"{AZURE}resources:ResourceGroup", "resourceGroupName", "replaced",
                      "a resource group's name is its ARM ID", AZURE_NATIVE_77))
    return rules


CLUSTER = f"{AZURE}containerservice:ManagedCluster"
POOL = f"{AZURE}containerservice:AgentPool"
VAULT = f"{AZURE}keyvault:Vault"
SUBNET = f"{AZURE}network:Subnet"
REGISTRY = f"{AZURE}containerregistry:Registry"
BACKUP_VAULT = f"{AZURE}dataprotection:BackupVault"
BACKUP_INSTANCE = f"{AZURE}dataprotection:BackupInstance"
AKS_BACKUP_MATRIX = "https://learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup-support-matrix"
IMMUTABLE_VAULT = "https://learn.microsoft.com/azure/backup/backup-azure-immutable-vault-concept"

RULES: tuple[Rule, ...] = (
    *_identity_rules(),
    Rule(VAULT, "properties.enablePurgeProtection", "refused",
         "purge protection cannot be turned off once on (the API does not accept false)", KEY_VAULT_SOFT_DELETE,
         _turned_off),
    Rule(VAULT, "properties.softDeleteRetentionInDays", "refused",
         "a vault's soft-delete retention period cannot be changed once set", KEY_VAULT_SOFT_DELETE),
    Rule(CLUSTER, "dnsPrefix", "refused", "the DNS prefix cannot be updated once the cluster is created", AKS_REST),
    # Learn 'Update Azure CNI': "Updating a cluster to Azure CNI Overlay is a one-way, irreversible operation.
    # After the cluster is updated, it can't be migrated back to a Node Subnet based networking mode." The same
    # page: the update needs network policies disabled and "triggers node pools to be reimaged simultaneously".
    Rule(CLUSTER, "networkProfile.networkPluginMode", "refused",
         "a cluster on Azure CNI overlay can't move back to a flat pod network (network.podNetwork: vnet)", CNI_UPDATE,
         lambda old, new: old == "overlay" and new != "overlay"),
    Rule(CLUSTER, "networkProfile.networkPluginMode", "one-way",
         "moving a cluster from a flat pod network to Azure CNI overlay cannot be undone; the update reimages "
         "every node pool at once, and network policy must be off first", CNI_UPDATE,
         lambda old, new: old != "overlay" and new == "overlay"),
    Rule(CLUSTER, "networkProfile.networkDataplane", "refused",
         "a cluster moves to the Cilium dataplane, never back", CNI_UPGRADE,
         lambda old, new: old == "cilium"),
    Rule(CLUSTER, "agentPoolProfiles", "refused",
         "the API does not update the inline (system) pool through the cluster: change it with `az aks nodepool "
         "update`, then `pulumi refresh`", "pulumi-azure-native ManagedCluster docs: agentPoolProfiles"),
    Rule(CLUSTER, "kubernetesVersion", "refused", "AKS cannot downgrade Kubernetes", AKS_UPGRADE, _downgrade),
    Rule(CLUSTER, "kubernetesVersion", "refused",
         "AKS upgrades one minor version at a time: minor versions cannot be skipped", AKS_REST, _skips_a_minor),
    Rule(CLUSTER, "apiServerAccessProfile.privateDNSZone", "refused",
         "a private cluster's DNS zone can't be changed after the cluster is created", PRIVATE_CLUSTERS),
    Rule(POOL, "orchestratorVersion", "refused", "AKS cannot downgrade a node pool", AKS_UPGRADE, _downgrade),
    Rule(POOL, "osDiskType", "refused", "a pool's OS disk type may not be changed after creation", AKS_REST),
    Rule(CLUSTER, "apiServerAccessProfile.enableVnetIntegration", "one-way",
         "enabling API server VNet integration on a running cluster cannot be undone and changes the API server's "
         "IP; stop and start the cluster right after (az aks stop, az aks start)",
         "https://learn.microsoft.com/en-us/azure/aks/api-server-vnet-integration",
         lambda old, new: old is not True and new is True),
    Rule(SUBNET, "defaultOutboundAccess", "refused",
         "default outbound access can only be set when the subnet is created",
         "https://learn.microsoft.com/en-us/azure/templates/microsoft.network/virtualnetworks/subnets"),
    Rule(SUBNET, "addressPrefix", "refused",
         "a subnet's range can only change while nothing is deployed in it (Azure: InUseSubnetCannotBeUpdated)",
         "https://learn.microsoft.com/en-us/azure/virtual-network/virtual-network-manage-subnet#change-subnet-settings"),
    Rule(BACKUP_INSTANCE, "properties.policyInfo.policyParameters.dataStoreParametersList", "refused",
         "the snapshot resource group of a backup instance cannot be modified", AKS_BACKUP_MATRIX),
    Rule(BACKUP_VAULT, "properties.securitySettings.immutabilitySettings.state", "refused",
         "a Locked immutable vault cannot be unlocked or have immutability disabled", IMMUTABLE_VAULT,
         lambda old, new: old == "Locked" and new != "Locked"),
    # The one rule here that is not Azure's word for azure-native: Terraform's azurerm provider replaces the
    # registry on this change; whether pulumi-azure-native does is unverified, so the diff warns.
    Rule(REGISTRY, "zoneRedundancy", "replaced",
         "zone redundancy was historically create-only (azurerm: \"forces a new resource\"); unverified for "
         "azure-native: check `pulumi preview`",
         "https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/container_registry"),
    Rule(CLUSTER, "securityProfile.azureKeyVaultKms.enabled", "one-way",
         "KMS encrypts only secrets written from now on: re-write every secret after the update (kubectl get "
         "secrets -A -o json | kubectl replace -f -), and never delete or expire the key while a secret uses it",
         KMS, lambda old, new: old is not True and new is True),
    Rule(CLUSTER, "securityProfile.azureKeyVaultKms.keyId", "one-way",
         "a new key version is a KMS key rotation: re-write every secret after the update (kubectl get secrets -A "
         "-o json | kubectl replace -f -) and keep the previous version valid until the next rotation",
         KMS, lambda old, new: isinstance(old, str) and isinstance(new, str) and old != new),
    Rule(CLUSTER, "securityProfile.azureKeyVaultKms.keyVaultNetworkAccess", "refused",
         "with KMS on, the key vault's mode (Public or Private) cannot change: turn KMS off, then on again",
         KMS, lambda old, new: isinstance(old, str)),
)


def verdict(resource: dict[str, Any], path: str, old: Any, new: Any) -> str | None:
    """What Azure does with this one change, as the text shown after it; None when no rule speaks."""
    for rule in RULES:
        if rule.matches(resource["type"], path) and rule.applies(old, new):
            if rule.effect == "replaced" and resource.get("protect"):
                return f"BLOCKED: replacing it deletes a protected resource ({rule.why}; unprotect on purpose to go on)"
            return f"{rule.effect.upper()}: {rule.why}"
    return None


# --- rules on the head's state: a version judged against the rest of the cluster ------------------
# AgentPool.orchestratorVersion in the REST spec (AKS_REST): "The node pool minor version must be within two
# minor versions of the control plane version. The node pool version cannot be greater than the control
# plane version."
MAX_POOL_MINORS_BEHIND = 2


def _pool_skew(pool_version: Any, control_plane: Any) -> str | None:
    """Why AKS refuses a pool at `pool_version` under a control plane at `control_plane`, or None."""
    pool, plane = _minor(pool_version), _minor(control_plane)
    if not (pool and plane):
        return None
    if pool > plane:
        return f"{pool_version} is newer than the control plane's {control_plane}"
    if pool[0] != plane[0] or plane[1] - pool[1] > MAX_POOL_MINORS_BEHIND:
        return (f"{pool_version} is more than {MAX_POOL_MINORS_BEHIND} minor versions behind the control plane's "
                f"{control_plane}")
    return None


def _support(version: Any, cluster: dict[str, Any]) -> str | None:
    """Why the AKS release calendar (settings/kubernetes_versions.json, from Learn "Supported Kubernetes
    versions in AKS", https://learn.microsoft.com/azure/aks/supported-kubernetes-versions) refuses `version`
    today: past its end of support, or not offered; None when it is supported."""
    if not isinstance(version, str) or not kubernetes_versions.VERSION.match(version):
        return None
    lts = (cluster.get("inputs", {}).get("sku") or {}).get("tier") == "Premium"  # ClusterSettings.long_term_support
    return kubernetes_versions.problem(version, kubernetes_versions.today(), lts)


def _pools_of(cluster: dict[str, Any], head: Sequence[dict[str, Any]]) -> list[tuple[str, Any]]:
    """(name, orchestratorVersion) of the cluster's pools in the head: inline and standalone."""
    inputs = cluster["inputs"]
    pools = [(p.get("name"), p.get("orchestratorVersion")) for p in inputs.get("agentPoolProfiles") or []]
    pools += [(r["inputs"].get("agentPoolName"), r["inputs"].get("orchestratorVersion")) for r in head
              if r["type"] == POOL and r["inputs"].get("resourceName") == inputs.get("resourceName")]
    return pools


def _cluster_of(pool: dict[str, Any], head: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    name = pool["inputs"].get("resourceName")
    return next((r for r in head if r["type"] == CLUSTER and r["inputs"].get("resourceName") == name), None)


# Learn "Overview of node auto-provisioning", limitations: "You can't change the cluster egress outbound type after
# you create a cluster enabled with NAP."
NAP_OVERVIEW = "https://learn.microsoft.com/azure/aks/node-auto-provisioning#limitations-and-unsupported-features"


def _nap_outbound_type(cluster: dict[str, Any]) -> str | None:
    """An outbound type change on a cluster with node auto-provisioning (nodeProvisioningProfile.mode Auto)."""
    if ((cluster["inputs"].get("nodeProvisioningProfile") or {}).get("mode")) != "Auto":
        return None
    return ("REFUSED: the outbound type of a cluster with node auto-provisioning cannot change after it is created "
            f"(recreate the cluster, or keep networkProfile.outboundType; {NAP_OVERVIEW})")


def state_verdict(resource: dict[str, Any], path: str, new: Any, head: Sequence[dict[str, Any]]) -> str | None:
    """What AKS refuses about a changed version, judged against the head's whole cluster (its control plane,
    its pools, its tier), as the text shown after the line; and an outbound type change on a cluster with node
    auto-provisioning. None when nothing is refused."""
    if resource["type"] == CLUSTER and path == "networkProfile.outboundType":
        return _nap_outbound_type(resource)
    if resource["type"] == CLUSTER and path == "kubernetesVersion":
        cluster, control_plane = resource, new
        skews = [f"pool {name} at {v}: {why}" for name, v in _pools_of(resource, head)
                 if (why := _pool_skew(v, control_plane))]
    elif resource["type"] == POOL and path == "orchestratorVersion":
        cluster = _cluster_of(resource, head)
        if cluster is None:
            return None
        why = _pool_skew(new, cluster["inputs"].get("kubernetesVersion"))
        skews = [why] if why else []
    else:
        return None
    if skews:
        return f"REFUSED: a node pool must be within {MAX_POOL_MINORS_BEHIND} minor versions of the control plane " \
               f"and not newer ({'; '.join(skews)})"
    unsupported = _support(new, cluster)
    return f"REFUSED: {unsupported}" if unsupported else None
