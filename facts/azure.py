"""Azure's own facts that the settings, the components and the policies rely on, each with its source.

A fact lives here once; everything else imports it. Limits are inclusive (lowest, highest).
"""
from __future__ import annotations

# --- Built-in role definition IDs (the same in every tenant) ------------------------------------------
# Source: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
ACR_PUSH = "8311e382-0749-4cb8-b61a-304f252e45ec"
KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
# Data actions Microsoft.ContainerService/managedClusters/* with no exclusions, and listClusterUserCredential:
# what the in-cluster layer needs (RBAC Admin may not write namespaces or resource quotas). Source:
# https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers#azure-kubernetes-service-rbac-cluster-admin
AKS_RBAC_CLUSTER_ADMIN = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"
# What a team's Entra ID groups get on their own namespace, assigned at the scope `<cluster id>/namespaces/<name>`
# ("az role assignment create ... --scope $AKS_ID/namespaces/<namespace-name>"). Sources:
# https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers (the IDs) and
# https://learn.microsoft.com/azure/aks/manage-azure-rbac#create-role-assignments-for-users-to-access-the-cluster
AKS_RBAC_READER = "7f6c6a51-bcf8-42ba-9220-52d62157d7db"
AKS_RBAC_WRITER = "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb"
AKS_RBAC_ADMIN = "3498e952-d568-435e-9b2c-8d77e338d7f7"

# Read on the built-in roles page itself: MicrosoftDocs/azure-docs
# articles/role-based-access-control/built-in-roles/networking.md @ 03adcc30b28ecad9f81aba5638a15fb1930f5ec0
# ("Private DNS Zone Contributor", id .../roleDefinitions/b12aa53e-6015-4669-85d0-8515ebb3ae7f).
PRIVATE_DNS_ZONE_CONTRIBUTOR = "b12aa53e-6015-4669-85d0-8515ebb3ae7f"

ROLE_NAMES = {
    NETWORK_CONTRIBUTOR: "Network Contributor",
    ACR_PULL: "AcrPull",
    ACR_PUSH: "AcrPush",
    KEY_VAULT_SECRETS_USER: "Key Vault Secrets User",
    CONTRIBUTOR: "Contributor",
    OWNER: "Owner",
    READER: "Reader",
    AKS_RBAC_CLUSTER_ADMIN: "Azure Kubernetes Service RBAC Cluster Admin",
    AKS_RBAC_READER: "Azure Kubernetes Service RBAC Reader",
    AKS_RBAC_WRITER: "Azure Kubernetes Service RBAC Writer",
    AKS_RBAC_ADMIN: "Azure Kubernetes Service RBAC Admin",
    PRIVATE_DNS_ZONE_CONTRIBUTOR: "Private DNS Zone Contributor",
}
# How long a new Azure RBAC role assignment may take before the cluster's authorization server honours it,
# as a Go duration: "New role assignments can take up to five minutes to propagate and be updated by the
# authorization server." Source: https://learn.microsoft.com/azure/aks/entra-id-authorization
AKS_RBAC_PROPAGATION = "5m"

# --- Service and resource type names --------------------------------------------------------------------
# The managed cluster's resource type, which is also the service a subnet is delegated to for API server
# VNet integration. Source: https://learn.microsoft.com/azure/aks/api-server-vnet-integration
MANAGED_CLUSTERS = "Microsoft.ContainerService/managedClusters"
# The service endpoint that lets a subnet reach Key Vault through the vault's firewall.
# Source: https://learn.microsoft.com/azure/key-vault/general/overview-vnet-service-endpoints
KEY_VAULT_SERVICE_ENDPOINT = "Microsoft.KeyVault"
# Add-on keys of a managed cluster's addonProfiles (AKS compares them without case).
# Source: https://learn.microsoft.com/azure/aks/integrations#add-ons and the ManagedCluster REST spec
SECRETS_PROVIDER_ADDON = "azureKeyvaultSecretsProvider"
CONTAINER_INSIGHTS_ADDON = "omsagent"
AZURE_POLICY_ADDON = "azurepolicy"

# --- Private API server DNS ---------------------------------------------------------------------------
# A private cluster's own ("bring your own") private DNS zone must be named `privatelink.<region>.azmk8s.io`
# or `<subzone>.privatelink.<region>.azmk8s.io`; with API server VNet integration `private.<region>.azmk8s.io`
# or `<subzone>.private.<region>.azmk8s.io`, the subzone at most 32 characters. The zone cannot be changed
# after the cluster is created. The cluster's identity needs Private DNS Zone Contributor on the zone and
# Network Contributor (AKS links the zone to the cluster's VNet itself).
# Source: https://learn.microsoft.com/azure/aks/private-clusters#configuration-options-for-private-dns
# (MicrosoftDocs/azure-aks-docs articles/aks/private-clusters.md, ms.date 08/05/2026).
API_SERVER_DNS_SUBZONE_MAX = 32


def api_server_private_dns_zone(subzone: str, region: str, vnet_integration: bool) -> str:
    """The name AKS accepts for a private cluster's own API server zone (see above)."""
    if len(subzone) > API_SERVER_DNS_SUBZONE_MAX:
        raise ValueError(f"subzone {subzone!r} is longer than {API_SERVER_DNS_SUBZONE_MAX} characters")
    return f"{subzone}.{'private' if vnet_integration else 'privatelink'}.{region}.azmk8s.io"


# --- Node pools -----------------------------------------------------------------------------------------
# Pods per node that a pool may allow; the default is 250 with Azure CNI overlay, 30 with flat Azure CNI.
# Source: https://learn.microsoft.com/azure/aks/azure-cni-overlay ("Maximum pods per node": 10-250).
MAX_PODS_LIMITS = (10, 250)
# A System pool must allow at least 30 pods. Source: https://learn.microsoft.com/azure/aks/use-system-pools
SYSTEM_POOL_MIN_PODS = 30
# Availability zone numbers a pool can list. Source: https://learn.microsoft.com/azure/aks/availability-zones
ZONES = ("1", "2", "3")


def takes_max_surge(spot: bool) -> bool:
    """Spot pools take no max surge: AKS replaces spot nodes in place and refuses upgrade settings with a
    surge on them ("Spot pools can't set max surge", the AKS API's error). Limitations of spot pools:
    https://learn.microsoft.com/azure/aks/spot-node-pool"""
    return not spot


# --- Key Vault and Log Analytics ------------------------------------------------------------------------
# Soft-delete retention of a vault, in days; 90 when not set.
# Source: https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview
SOFT_DELETE_DAYS_LIMITS = (7, 90)
# Interactive retention of a Log Analytics workspace, in days; 30 when not set.
# Source: https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure
LOG_RETENTION_DAYS_LIMITS = (30, 730)


# --- Fleet Manager and who moves a cluster's version ----------------------------------------------------
# API version: the SDK (pulumi-azure-native 3.29.0) ships Fleet, FleetMember, FleetUpdateStrategy and
# AutoUpgradeProfile at 2024-05-02-preview only, the one it can say without a locally generated package: its
# docstrings name GA versions (2025-03-01, 2026-06-01) but only through `pulumi package add azure-native
# containerservice <version>`, which needs the Pulumi CLI and network at build time (fleet/hub.py, docs/fleet.md).
# Auto-upgrade profile channels in that API (REST spec fleet/preview/2024-05-02-preview/fleets.json,
# `UpgradeChannel`: Stable, Rapid, NodeImage; TargetKubernetesVersion and SecurityPatch came later).
FLEET_KUBERNETES_CHANNELS = ("Stable", "Rapid")
FLEET_NODE_IMAGE_CHANNELS = ("NodeImage",)
# How an auto-upgrade run picks node images (same spec, `AutoUpgradeNodeImageSelectionType`).
FLEET_NODE_IMAGE_SELECTIONS = ("Latest", "Consistent")
# Stage and update group names: 1-50 of lowercase letters, digits and '-', starting and ending with a letter or
# digit; fleet names the same at 1-63 (same spec: `UpdateStage.name`, `UpdateGroup.name`, `fleetName`).
FLEET_NAME_PATTERN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
FLEET_GROUP_NAME_MAX = 50
# `UpdateStage.afterStageWaitInSeconds` is an int32 (same spec); no documented upper bound was found.
FLEET_STAGE_WAIT_MAX = 2**31 - 1
# A member's own auto-upgrade and the fleet's race: "either Fleet Manager or AKS cluster auto-upgrade performs
# the update, depending on which one runs first ... If you want Fleet Manager to manage auto-upgrades,
# disable auto-upgrade on each member AKS cluster" (Learn "Frequently asked questions - Azure Kubernetes
# Fleet Manager", https://learn.microsoft.com/azure/kubernetes-fleet/faq).
FLEET_FAQ = "https://learn.microsoft.com/azure/kubernetes-fleet/faq"
# The cluster channel that replaces node images, and the node OS channels that replace or patch them, each
# on the cluster's own schedule (Learn "Automatically upgrade an AKS cluster", "Autoupgrade node OS images").
CLUSTER_NODE_IMAGE_CHANNELS = ("node-image",)
NODE_OS_IMAGE_CHANNELS = ("NodeImage", "SecurityPatch")
# Channels that move the minor version, so that the version Azure runs leaves the one in the stack file:
# the cluster's stable and rapid, and a fleet's Stable and Rapid. `patch` keeps the minor: "Updating the
# cluster with the same <major.minor> once it has been created (e.g. 1.14.x -> 1.14) will not trigger an
# upgrade" (AKS REST spec, ManagedCluster.kubernetesVersion, 2025-09-01).
CLUSTER_MINOR_CHANNELS = ("stable", "rapid")
