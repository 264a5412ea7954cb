"""Security rules this platform knowingly does not meet, each with the resource, the reason and a source.

A waiver names the rules it waives: this pack's policy names (the pack skips the waived resource), and
the IDs outside scanners use (PSRule for Azure, checkov), so that a reviewer finds the reason here
whichever tool raised the finding. The resource is the Pulumi logical name the program gives it, which
the URN guard keeps stable (offline/urns/), or a shell-style pattern of such names (`ns-*-secret-*`);
`where` narrows a waiver to the resources whose inputs have one of the listed values (a rule that does
not apply below the Premium SKU is waived for the other SKUs only). Tests check that every waived
resource exists in a shipped stack and that every waiver has a reason and a source; `make scan`
(tools/scan.py) fails on a waiver of a checkov rule that the resource passes (a stale waiver).
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

REGISTRY = "azure-native:containerregistry:Registry"
WORKSPACE = "azure-native:operationalinsights:Workspace"
KEY = "azure-native:keyvault:Key"
CLUSTER = "azure-native:containerservice:ManagedCluster"
VAULT = "azure-native:keyvault:Vault"
SECRET = "azure-native:keyvault:Secret"
STORAGE = "azure-native:storage:StorageAccount"

# Defender for Containers' sensor needs a workspace that accepts the workspace key (see the Monitoring
# component); the logical name of the workspace it gets for that.
DEFENDER_WORKSPACE = "monitoring-defender-workspace"
DEFENDER_SENSOR_SOURCES = (
    "https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-architecture",
    "https://github.com/Azure/Microsoft-Defender-for-Cloud/issues/1010",
)


@dataclass(frozen=True)
class Waiver:
    rules: tuple[str, ...]  # this pack's policy names and outside scanners' rule IDs
    resource_type: str
    resource: str  # the Pulumi logical name
    reason: str
    sources: tuple[str, ...]
    # Only where the resource's input at each path (dotted, as the engine records it) is one of the values.
    where: tuple[tuple[str, tuple[Any, ...]], ...] = ()

    def covers(self, rule: str, resource_type: str, resource: str, inputs: dict[str, Any] | None = None) -> bool:
        """Whether this waiver waives `rule` for the resource; one with `where` needs the resource's inputs."""
        if rule not in self.rules or resource_type != self.resource_type or not fnmatchcase(resource, self.resource):
            return False
        return not self.where or inputs is not None and all(_at(inputs, path) in values for path, values in self.where)


def _at(inputs: dict[str, Any], path: str) -> Any:
    for key in path.split("."):
        inputs = inputs.get(key) if isinstance(inputs, dict) else None
    return inputs


WAIVERS: tuple[Waiver, ...] = (
    Waiver(
        rules=("Azure.ACR.Quarantine", "CKV_AZURE_166"),
        resource_type=REGISTRY,
        resource="registry-registry",
        reason="image quarantine is a preview feature of ACR; with it on, every pushed image stays unpullable "
               "until an identity with AcrQuarantineWriter marks it verified, and the kubelet's AcrPull cannot "
               "pull quarantined images. This platform wires no such scanner, so quarantine is set disabled "
               "explicitly; Defender for Containers scans pushed images instead",
        sources=(
            "https://learn.microsoft.com/azure/container-registry/container-registry-faq",
            "https://github.com/Azure/acr/tree/main/docs/preview/quarantine",
            "https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.ACR.Quarantine/",
        ),
    ),
    Waiver(
        # The pack's policy names the Azure Policy definition it mirrors (policies/monitoring_registry.py).
        rules=("log-analytics-local-auth-disabled",),
        resource_type=WORKSPACE,
        resource=DEFENDER_WORKSPACE,
        reason="Defender for Containers' sensor registers with a Log Analytics workspace, and its publisher pods "
               "authenticate with the workspace key: they crash when the workspace disables local auth (open "
               "issue, quoting Microsoft support). This workspace serves only the sensor; the platform's own "
               "workspace stays Entra ID only",
        sources=DEFENDER_SENSOR_SOURCES,
    ),
    Waiver(
        rules=("log-analytics-retention",),
        resource_type=WORKSPACE,
        resource=DEFENDER_WORKSPACE,
        reason="the sensor uses the workspace as a data pipeline and the data is not stored in it, so it keeps "
               "Log Analytics' minimum retention; the platform's own workspace keeps the environment's",
        sources=DEFENDER_SENSOR_SOURCES[:1],
    ),
    Waiver(
        # The pack's policy (it mirrors the built-in "Key Vault keys should have an expiration date") and checkov's.
        rules=("keyvault-secret-key-expiry", "CKV_AZURE_40"),
        resource_type=KEY,
        resource="keyvault-etcd-key",
        reason="AKS's KMS names one version of this key, and an expired version stops the API server and leaves "
               "etcd's secrets unreadable; the key is rotated by its rotation policy instead (yearly), and the "
               "vault's purge protection keeps a deleted key recoverable",
        sources=("https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption#limitations",),
    ),
    # checkov's rules that do not apply to what this platform renders, or ask what AKS or Key Vault refuse.
    Waiver(
        rules=("CKV_AZURE_8",),
        resource_type=CLUSTER,
        resource="cluster-aks",
        reason="the check passes only with addonProfiles.kubeDashboard set to enabled: false, but the kube-dashboard "
               "add-on is retired: AKS does not allow it from Kubernetes 1.19 (the API answers AddonInvalid, "
               "'Kubernetes Dashboard addon is deprecated for Kubernetes version >= 1.19.0') and every supported "
               "version is newer. The program never sends the retired key, so there is nothing to disable",
        sources=(
            "https://github.com/hashicorp/terraform-provider-azurerm/issues/13119",
            "https://github.com/Azure/azure-cli/pull/15267",
        ),
    ),
    Waiver(
        rules=("CKV_AZURE_172",),
        resource_type=CLUSTER,
        resource="cluster-aks",
        reason="secret rotation is on: the add-on's config has enableSecretRotation \"true\". An add-on's config is a "
               "map of strings in the AKS API, and the docs set this key as the string \"true\"; checkov compares the "
               "value with the JSON boolean true, which the API does not take there",
        sources=(
            "https://learn.microsoft.com/rest/api/aks/managed-clusters/create-or-update#managedclusteraddonprofile",
            "https://learn.microsoft.com/azure/aks/csi-secrets-store-configuration-options",
            "https://github.com/bridgecrewio/checkov/blob/main/checkov/arm/checks/resource/AkSSecretStoreRotation.py",
        ),
        where=(("addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation", ("true",)),),
    ),
    Waiver(
        rules=("CKV_AZURE_6",),
        resource_type=CLUSTER,
        resource="cluster-aks",
        reason="authorized IP ranges restrict the public API server endpoint; a private cluster has none, and AKS "
               "does not allow the feature with private clusters. The API server is reachable from its VNet only",
        sources=("https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges",),
        where=(("apiServerAccessProfile.enablePrivateCluster", (True,)),),
    ),
    Waiver(
        rules=("CKV_AZURE_171",),
        resource_type=CLUSTER,
        resource="cluster-aks",
        reason="the shipped stacks are Fleet Manager members and the fleet's update runs upgrade them, in its stages' "
               "order; a member's own auto-upgrade channel races the fleet, so Learn says to disable it on each member "
               "(and the settings refuse a cluster channel on a member whose Kubernetes version the fleet upgrades, "
               "settings.preflight). A stack outside a fleet keeps its profile's channel (patch)",
        sources=("https://learn.microsoft.com/azure/kubernetes-fleet/faq",),
        where=(("autoUpgradeProfile.upgradeChannel", ("none",)),),
    ),
    Waiver(
        rules=("CKV_AZURE_112",),
        resource_type=KEY,
        resource="keyvault-etcd-key",
        reason="an HSM-protected key (RSA-HSM) needs a Premium vault, and the platform's vault is Standard "
               "(components/key_vault.py); the KMS key is a software-protected RSA key, which AKS's KMS takes. Moving "
               "the vault to Premium, and the key to RSA-HSM, is a cost decision not made here",
        sources=(
            "https://learn.microsoft.com/azure/key-vault/keys/about-keys",
            "https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption",
        ),
        where=(("properties.kty", ("RSA",)),),
    ),
    Waiver(
        rules=("CKV_AZURE_59",),
        resource_type=STORAGE,
        resource="backup-storage",
        reason="the backup account's firewall denies by default and admits only the node subnet (a virtual network "
               "rule) and the backup vault (a resource instance rule), which Azure Backup for AKS asks for when the "
               "account is behind a firewall. Public network access Disabled would deny the virtual network rule too "
               "(Azure Policy b2982f36's own description), leaving a private endpoint as the nodes' only way in, which "
               "this platform does not build for the backup account",
        sources=(
            "https://learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup-concept",
            "https://github.com/Azure/azure-policy/blob/master/built-in-policies/policyDefinitions/Storage/StoragePublicNetworkAccess_AuditDeny.json",
        ),
        where=(("networkRuleSet.defaultAction", ("Deny",)),),
    ),
    Waiver(
        rules=("CKV_AZURE_41",),
        resource_type=SECRET,
        resource="ns-*-secret-*",
        reason="a team secret is created once with a placeholder value and its properties are ignored after that "
               "(components/in_cluster/team_namespace.py): the team sets the real value, with its own attributes, "
               "as a new version. An expiry here would date only the placeholder, with a date fixed in code",
        sources=("https://learn.microsoft.com/azure/key-vault/secrets/about-secrets",),
    ),
    Waiver(
        rules=("CKV_AZURE_41",),
        resource_type=SECRET,
        resource="demo-secret",
        reason="the Key Vault demo's secret is a greeting written in the code (components/in_cluster/demo.py), not "
               "a credential: there is nothing to rotate, and the demo is never on in prod",
        sources=("https://learn.microsoft.com/azure/key-vault/secrets/about-secrets",),
    ),
    Waiver(
        rules=("CKV_AZURE_110", "CKV_AZURE_42"),
        resource_type=VAULT,
        resource="keyvault-vault",
        reason="purge protection is off only where the stack turns it off (keyVault.purgeProtection: dev, whose "
               "profile does not require it, so the vault can be deleted and recreated under its name): once on it "
               "cannot be turned off, and a deleted vault's name stays taken for the whole retention period. Soft "
               "delete is on everywhere; staging and prod require purge protection (a mandatory policy)",
        sources=("https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",),
        where=(("properties.enablePurgeProtection", (None, False)),),  # absent where off: the property takes no false (REST spec, VaultProperties)
    ),
    Waiver(
        rules=("CKV_AZURE_139",),
        resource_type=REGISTRY,
        resource="registry-registry",
        reason="public network access can be disabled only on a Premium registry (a private endpoint is the way in "
               "then, and private endpoints are a Premium feature; settings refuse Disabled below Premium). Stacks "
               "whose profile does not require a private registry (dev, staging) use Standard; pulls still need "
               "Entra ID (no admin user, no anonymous pull)",
        sources=("https://learn.microsoft.com/azure/container-registry/container-registry-private-link",),
        where=(("sku.name", ("Basic", "Standard")),),
    ),
    Waiver(
        rules=("CKV_AZURE_233",),
        resource_type=REGISTRY,
        resource="registry-registry",
        reason="registries in regions with availability zones are zone-redundant on every SKU whatever zoneRedundancy "
               "says (the property no longer controls it). Below Premium the program leaves the property out and the "
               "SDK sends Disabled, which checkov reads literally; whether Basic and Standard accept Enabled is not "
               "documented (components/registry.py)",
        sources=("https://learn.microsoft.com/azure/container-registry/zone-redundancy",),
        where=(("sku.name", ("Basic", "Standard")),),
    ),
)


def waiver_for(rule: str, resource_type: str, resource: str, inputs: dict[str, Any] | None = None) -> Waiver | None:
    """The waiver of `rule` for this resource (with these inputs), if there is one."""
    return next((w for w in WAIVERS if w.covers(rule, resource_type, resource, inputs)), None)
