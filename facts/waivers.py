"""Security rules this platform knowingly does not meet, each with the resource, the reason and a source.

A waiver names the rules it waives: this pack's policy names (the pack skips the waived resource), and
the IDs outside scanners use (PSRule for Azure, checkov), so that a reviewer finds the reason here
whichever tool raised the finding. The resource is the Pulumi logical name the program gives it, which
the URN guard keeps stable (offline/urns/); tests check that every waived resource exists in a shipped
stack and that every waiver has a reason and a source.
"""
from __future__ import annotations

from dataclasses import dataclass

REGISTRY = "azure-native:containerregistry:Registry"
WORKSPACE = "azure-native:operationalinsights:Workspace"
KEY = "azure-native:keyvault:Key"

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
)


def waiver_for(rule: str, resource_type: str, resource: str) -> Waiver | None:
    """The waiver of `rule` for this resource, if there is one."""
    return next((w for w in WAIVERS if rule in w.rules and (w.resource_type, w.resource) == (resource_type, resource)),
                None)
