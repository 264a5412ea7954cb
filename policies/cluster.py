"""ManagedCluster policies: how the control plane, identity, add-ons and upgrades are configured.

References: checkov's CKV_AZURE_* AKS checks, Azure Policy's built-in AKS definitions and the AKS
baseline. Wire names are the camelCase inputs the engine sends (verified on the mock engine).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from facts.azure import AZURE_POLICY_ADDON, CONTAINER_INSIGHTS_ADDON, SECRETS_PROVIDER_ADDON
from facts.profiles import STRICTEST

from .compliance import azure_policy, cis_aks
from .framework import CRITICAL, HIGH, LOW, MEDIUM, Problem, equals, require, resource_policy
from .netrules import is_internet
from .props import get, is_unknown, items, lookup_ci, show

CLUSTER = "azure-native:containerservice:ManagedCluster"
_is_true = equals(True)


def cluster_policy(*, check: Any, **kwargs: Any):
    return resource_policy(checks={CLUSTER: check}, **kwargs)


def _api_server_access(props: Mapping, config: Mapping) -> Iterable[Problem]:
    private = get(props, "apiServerAccessProfile.enablePrivateCluster", False)
    if is_unknown(private) or private is True:
        return
    if config["requirePrivate"]:
        yield "apiServerAccessProfile.enablePrivateCluster", f"is {show(private)}; this environment requires a private API server"
        return
    ranges = items(get(props, "apiServerAccessProfile.authorizedIPRanges"))
    if any(is_unknown(r) for r in ranges):
        return
    if not ranges:
        yield ("apiServerAccessProfile.authorizedIPRanges",
               "is empty while the API server is public, so any internet address can reach it")
    for cidr in ranges:
        if is_internet(cidr):
            yield "apiServerAccessProfile.authorizedIPRanges", f"contains {show(cidr)}, which is the whole internet"


def _addon(props: Mapping, name: str) -> Any:
    return lookup_ci(get(props, "addonProfiles", {}), name)


def _container_insights(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    yield from _addon_on(props, CONTAINER_INSIGHTS_ADDON, "Container Insights shipping to Log Analytics")
    profile = _addon(props, CONTAINER_INSIGHTS_ADDON)
    if profile is not None and not is_unknown(profile) and get(profile, "enabled") is True:
        yield from _prefixed(f"addonProfiles.{CONTAINER_INSIGHTS_ADDON}.", require(
            profile, "config.logAnalyticsWorkspaceResourceID", bool, "a Log Analytics workspace id"))


def _prefixed(prefix: str, problems: Iterable[Problem]) -> Iterable[Problem]:
    return ((prefix + prop, complaint) for prop, complaint in problems)


def _addon_on(props: Mapping, name: str, want: str) -> Iterable[Problem]:
    """Add-on profile `name` must exist with enabled true; absent means Azure does not install it."""
    profile = _addon(props, name)
    if is_unknown(profile):
        return
    yield from _prefixed(f"addonProfiles.{name}.", require(profile or {}, "enabled", _is_true, f"true ({want})",
                                                           azure_default=False))


def _secrets_rotation(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    yield from _addon_on(props, SECRETS_PROVIDER_ADDON, "the Secrets Store CSI driver")
    profile = _addon(props, SECRETS_PROVIDER_ADDON)
    if profile is not None and not is_unknown(profile) and get(profile, "enabled") is True:
        # Add-on config values are strings; Azure reads a missing enableSecretRotation as "false".
        yield from _prefixed(f"addonProfiles.{SECRETS_PROVIDER_ADDON}.", require(
            profile, "config.enableSecretRotation", equals("true"), '"true"', azure_default="false"))


_RETIRED_ADDONS = ("kubeDashboard", "httpApplicationRouting")


def _no_retired_addons(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    for name in _RETIRED_ADDONS:
        profile = _addon(props, name)
        if profile is not None and not is_unknown(profile):
            yield f"addonProfiles.{name}", f"is set ({show(profile)}); the add-on is retired, remove the key"


def _managed_identity(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    yield from require(props, "identity.type", equals("SystemAssigned", "UserAssigned"),
                       "SystemAssigned or UserAssigned (without it AKS needs a service principal secret)")
    # "msi" is the placeholder Azure itself reports for managed-identity clusters.
    yield from require(props, "servicePrincipalProfile.clientId", lambda v: v in (None, "msi"),
                       "absent: no service principal credentials")


def _workload_identity(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    yield from require(props, "securityProfile.workloadIdentity.enabled", _is_true, "true", azure_default=False)
    yield from require(props, "oidcIssuerProfile.enabled", _is_true, "true (workload identity needs the OIDC issuer)",
                       azure_default=False)


def _version(text: Any) -> tuple[int, int] | None:
    match = re.match(r"^\s*(\d+)\.(\d+)", str(text))
    return (int(match[1]), int(match[2])) if match else None


def _supported_version(props: Mapping, config: Mapping) -> Iterable[Problem]:
    minimum = _version(config["minimumVersion"])
    # Absent: AKS picks its current default version, which is supported.
    yield from require(props, "kubernetesVersion", lambda v: (_version(v) or (0, 0)) >= minimum,
                       f"{config['minimumVersion']} or newer", azure_default=config["minimumVersion"])


def _defender(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    yield from require(props, "securityProfile.defender.securityMonitoring.enabled", _is_true, "true",
                       azure_default=False)
    if get(props, "securityProfile.defender.securityMonitoring.enabled") is True:
        yield from require(props, "securityProfile.defender.logAnalyticsWorkspaceResourceId", bool,
                           "the workspace Defender reports to")


def _kms(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    yield from require(props, "securityProfile.azureKeyVaultKms.enabled", _is_true, "true", azure_default=False)
    if get(props, "securityProfile.azureKeyVaultKms.enabled") is not True:
        return
    # keyId is required when KMS is on, keyVaultResourceId when the vault is Private (ManagedCluster REST spec,
    # AzureKeyVaultKms); keyVaultNetworkAccess is Public when absent.
    yield from require(props, "securityProfile.azureKeyVaultKms.keyId", bool, "the key's identifier")
    if get(props, "securityProfile.azureKeyVaultKms.keyVaultNetworkAccess", "Public") == "Private":
        yield from require(props, "securityProfile.azureKeyVaultKms.keyVaultResourceId", bool,
                           "the private vault's resource ID")


POLICIES = [
    cluster_policy(
        name="aks-api-server-restricted",
        framework=cis_aks("5.4.1"),
        description="The API server is private, or public only to authorized IP ranges: a public API server "
                    "open to the internet is the widest door into the cluster. Absent settings mean public and "
                    "open to all.",
        severity=CRITICAL, check=_api_server_access,
        config={"requirePrivate": {"type": "boolean", "default": STRICTEST.require_private_api_server,
                                   "description": "Only a private API server passes (authorized ranges do not)."}},
        remediation="set aks-platform:cluster.private to true, or list admin networks in "
                    "aks-platform:cluster.authorizedIpRanges"),
    cluster_policy(
        name="aks-local-accounts-disabled",
        framework=azure_policy("993c2fcd-2b29-49d2-9eb0-df2c3a730c32"),
        description="Local accounts are disabled so every kubectl call is an audited Entra ID identity; absent "
                    "means Azure keeps the shared clusterAdmin certificate.",
        severity=HIGH, check=lambda p, c: require(p, "disableLocalAccounts", _is_true, "true", azure_default=False),
        remediation="keep aks-platform:cluster.localAccounts false"),
    cluster_policy(
        name="aks-entra-azure-rbac",
        framework=cis_aks("5.5.2"),
        description="Entra ID integration with Azure RBAC for Kubernetes authorization, so access is granted and "
                    "revoked with role assignments; absent aadProfile means no Entra ID integration.",
        severity=HIGH,
        check=lambda p, c: require(p, "aadProfile.enableAzureRBAC", _is_true, "true", azure_default=False),
        remediation="the cluster component sets aadProfile.enableAzureRBAC; grant admins through "
                    "aks-platform:cluster.adminGroupObjectIds instead of switching it off"),
    cluster_policy(
        name="aks-kubernetes-rbac",
        framework=azure_policy("ac4a19c2-fa67-49b4-8ae5-0b2e78c49457"),
        description="Kubernetes RBAC stays on; absent means Azure turns it on, false leaves every "
                    "authenticated user unrestricted.",
        severity=CRITICAL, check=lambda p, c: require(p, "enableRBAC", _is_true, "true", azure_default=True),
        remediation="remove enableRBAC=false from the cluster component (not a stack setting)"),
    cluster_policy(
        name="aks-network-policy",
        framework=cis_aks("5.4.4"),
        description="A network policy engine is set so NetworkPolicies are enforced; absent means none, and "
                    "every pod can reach every other pod.",
        severity=HIGH,
        check=lambda p, c: require(p, "networkProfile.networkPolicy", equals("azure", "calico", "cilium"),
                                   "azure, calico or cilium", azure_default="none"),
        remediation="the cluster component sets networkProfile.networkPolicy (cilium); do not override it"),
    cluster_policy(
        name="aks-azure-cni",
        framework=azure_policy("46238e2f-3f6f-4589-9f3f-77bed4116e67"),
        description="Azure CNI networking (overlay or VNet), which supports network policy and is the supported "
                    "path; absent means Azure falls back to kubenet, which is being retired.",
        severity=MEDIUM,
        check=lambda p, c: require(p, "networkProfile.networkPlugin", equals("azure"), "azure",
                                   azure_default="kubenet"),
        remediation="the cluster component sets networkProfile.networkPlugin to azure; address ranges come from "
                    "aks-platform:network.*"),
    cluster_policy(
        name="aks-managed-identity",
        framework=azure_policy("da6e2401-19da-4532-9141-fb8fbde08431"),
        description="The cluster uses a managed identity and no service principal, so no client secret exists "
                    "to leak or expire; absent identity means a service principal is required.",
        severity=HIGH, check=_managed_identity,
        remediation="the cluster component sets identity.type UserAssigned; never set servicePrincipalProfile"),
    cluster_policy(
        name="aks-workload-identity",
        framework=azure_policy("2cc2e023-0dac-4046-875b-178f683929d5"),
        description="Workload identity with the OIDC issuer, so pods get Entra ID tokens instead of stored "
                    "secrets; both are off when absent.",
        severity=HIGH, check=_workload_identity,
        remediation="the cluster component enables securityProfile.workloadIdentity and oidcIssuerProfile; do not "
                    "override them"),
    cluster_policy(
        name="aks-auto-upgrade-channel",
        framework=azure_policy("5c345cdf-2049-47e0-b8fe-b0e96bc2df35"),
        description="An auto-upgrade channel is set so Kubernetes patches land without a person; absent means "
                    "'none', which lets the cluster drift out of support.",
        severity=MEDIUM,
        check=lambda p, c: require(p, "autoUpgradeProfile.upgradeChannel", equals(*c["allowedChannels"]),
                                   " or ".join(c["allowedChannels"]), azure_default="none"),
        config={"allowedChannels": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                                    "default": ["patch", "stable", "rapid", "node-image"]}},
        remediation="set aks-platform:cluster.upgradeChannel to patch or stable"),
    cluster_policy(
        name="aks-node-os-upgrade-channel",
        framework=azure_policy("04408ca5-aa10-42ce-8536-98955cdddd4c"),
        description="Node OS images are patched by AKS (NodeImage or SecurityPatch) rather than unattended-"
                    "upgrades or nothing; absent means Azure's default, NodeImage.",
        severity=MEDIUM,
        check=lambda p, c: require(p, "autoUpgradeProfile.nodeOSUpgradeChannel", equals(*c["allowedChannels"]),
                                   " or ".join(c["allowedChannels"]), azure_default="NodeImage"),
        config={"allowedChannels": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                                    "default": ["NodeImage", "SecurityPatch"]}},
        remediation="set aks-platform:cluster.nodeOsUpgradeChannel to NodeImage or SecurityPatch"),
    cluster_policy(
        name="aks-run-command-disabled",
        framework=azure_policy("89f2d532-c53c-4f8f-9afa-4927b1114a0d"),
        description="Run command is disabled, so nobody can run pods through the Azure API and bypass the API "
                    "server's network restrictions; absent means enabled.",
        severity=MEDIUM,
        check=lambda p, c: require(p, "apiServerAccessProfile.disableRunCommand", _is_true, "true",
                                   azure_default=False),
        remediation="set aks-platform:cluster.disableRunCommand to true"),
    cluster_policy(
        name="aks-azure-policy-addon",
        framework=azure_policy("0a15ec92-a229-4763-bb14-0ea34a568f8d"),
        description="The Azure Policy add-on (Gatekeeper) is on, so pod security and image rules are enforced "
                    "in the cluster; absent means not installed.",
        severity=MEDIUM, check=lambda p, c: _addon_on(p, AZURE_POLICY_ADDON, "Gatekeeper admission control"),
        remediation="set aks-platform:cluster.azurePolicy to true"),
    cluster_policy(
        name="aks-container-insights",
        description="Container Insights sends node and container logs to the platform's Log Analytics "
                    "workspace, so incidents can be investigated; absent means no logs leave the nodes.",
        severity=MEDIUM, check=_container_insights,
        remediation="the cluster component enables addonProfiles.omsagent with the workspace id; "
                    "aks-platform:monitoring.retentionDays sets how long logs are kept"),
    cluster_policy(
        name="aks-secrets-provider-rotation",
        framework=cis_aks("4.5.2"),
        description="The Key Vault secrets provider is on with rotation, so pods read secrets from Key Vault "
                    "and pick up rotated values; rotation is off when absent.",
        severity=MEDIUM, check=_secrets_rotation,
        remediation="the cluster component sets enableSecretRotation \"true\"; "
                    "aks-platform:keyVault.secretRotationInterval sets the poll interval"),
    cluster_policy(
        name="aks-no-retired-addons",
        description="No retired add-ons (kubeDashboard, httpApplicationRouting): they are unpatched, expose "
                    "services publicly and newer API versions reject them.",
        severity=HIGH, check=_no_retired_addons,
        remediation="remove the add-on from addonProfiles in the cluster component; use the ingress of the "
                    "platform instead"),
    cluster_policy(
        name="aks-defender-enabled",
        framework=azure_policy("a1840de2-8088-4ea8-b153-b4c723e9cb01"),
        description="Microsoft Defender for Containers monitors nodes and the control plane for threats; "
                    "absent means off. It costs money per vCore, so it is advisory in dev.",
        severity=MEDIUM, check=_defender,
        remediation="set aks-platform:cluster.defender to true"),
    cluster_policy(
        name="aks-kms-etcd-encryption",
        framework=azure_policy("dbbdc317-9734-4dd8-9074-993b29c69008"),
        description="Kubernetes secrets in etcd are also encrypted with a Key Vault key (KMS), beyond Azure's "
                    "platform encryption, with the key named and, for a private vault, the vault too; absent means "
                    "off. It needs a private vault and API server VNet integration, so it is advisory in dev and "
                    "staging.",
        severity=MEDIUM, check=_kms,
        remediation="set aks-platform:cluster.kms to true (with keyVault.publicNetworkAccess Disabled, "
                    "keyVault.purgeProtection and network.apiServerSubnetCidr)"),
    cluster_policy(
        name="aks-image-cleaner",
        framework=azure_policy("af3c26b2-6fad-493e-9236-9c68928516ab"),
        description="Image Cleaner removes unused images from the nodes, vulnerable ones included, so they cannot "
                    "be started again later; absent means off.",
        severity=LOW,
        check=lambda p, c: require(p, "securityProfile.imageCleaner.enabled", _is_true, "true", azure_default=False),
        remediation="the cluster component enables securityProfile.imageCleaner (weekly); it is not a stack setting"),
    cluster_policy(
        name="aks-paid-tier",
        description="The Standard (or Premium) tier, which carries the API server uptime SLA and scales the "
                    "control plane; absent means Free. Costs money, so advisory in dev.",
        severity=MEDIUM,
        check=lambda p, c: require(p, "sku.tier", equals("Standard", "Premium"), "Standard or Premium",
                                   azure_default="Free"),
        remediation="set aks-platform:cluster.tier to Standard"),
    cluster_policy(
        name="aks-supported-kubernetes-version",
        description="The Kubernetes version is at least the configured minimum, so the cluster stays in AKS "
                    "support; absent means AKS's current default, which is supported.",
        severity=HIGH, check=_supported_version,
        config={"minimumVersion": {"type": "string", "pattern": r"^1\.[0-9]{2}$",
                                   "default": STRICTEST.min_kubernetes_version,
                                   "description": "Oldest Kubernetes minor version still accepted."}},
        remediation="raise aks-platform:cluster.kubernetesVersion (or remove it to take the AKS default)"),
]
