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
# What the cluster identity needs for KMS etcd encryption with a private vault: Key Vault Crypto User (encrypt and
# decrypt with the key) and Key Vault Contributor on the vault ("required to create a private link between the
# private key vault and the cluster"). Source: https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption
# (MicrosoftDocs/azure-aks-docs articles/aks/use-kms-etcd-encryption.md, ms.date 12/22/2025); the IDs from
# https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security
KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"
KEY_VAULT_CONTRIBUTOR = "f25e0fa2-a7c8-4377-a976-54943a77a395"

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
    KEY_VAULT_CRYPTO_USER: "Key Vault Crypto User",
    KEY_VAULT_CONTRIBUTOR: "Key Vault Contributor",
}
# How long a new Azure RBAC role assignment may take before the cluster's authorization server honours it,
# as a Go duration: "New role assignments can take up to five minutes to propagate and be updated by the
# authorization server." Source: https://learn.microsoft.com/azure/aks/entra-id-authorization
AKS_RBAC_PROPAGATION = "5m"

# --- Service and resource type names --------------------------------------------------------------------
# The managed cluster's resource type, which is also the service a subnet is delegated to for API server
# VNet integration. Source: https://learn.microsoft.com/azure/aks/api-server-vnet-integration
MANAGED_CLUSTERS = "Microsoft.ContainerService/managedClusters"
# The same type split the way Microsoft.KubernetesConfiguration's resources (cluster extensions, Flux
# configurations) address their cluster: `clusterRp` and `clusterResourceName` (Learn "GitOps (Flux v2)
# supported parameters": `--cluster-type managedClusters` for AKS).
EXTENSION_CLUSTER_RP, EXTENSION_CLUSTER_RESOURCE_NAME = MANAGED_CLUSTERS.split("/")
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

# --- Virtual nodes (the ACI connector) ------------------------------------------------------------------
# The ACI connector add-on (the `virtual-node` add-on of `az aks enable-addons`), config `SubnetName`: the
# name of a subnet in the cluster's VNet delegated to ACI container groups. Sources:
# https://learn.microsoft.com/azure/aks/virtual-nodes-cli (MicrosoftDocs/azure-aks-docs
# articles/aks/virtual-nodes-cli.md) and the CLI's add-on key, CONST_VIRTUAL_NODE_ADDON_NAME + "Linux"
# (Azure/azure-cli, command_modules/acs: add_virtual_node_role_assignment).
ACI_CONNECTOR_ADDON = "aciConnectorLinux"
# The service a virtual node subnet is delegated to; such a subnet holds container groups only and takes an NSG
# ("Use NSG rules to control container access to subnets or other network resources"). Source:
# https://learn.microsoft.com/azure/container-instances/container-instances-virtual-network-concepts
CONTAINER_GROUPS = "Microsoft.ContainerInstance/containerGroups"


def flat_network_addresses_per_node(max_pods: int) -> int:
    """VNet addresses one node takes when pods get theirs from the node subnet (flat Azure CNI, "Azure CNI
    Node Subnet"): its own and one per pod it may run, reserved up front. Learn "IP address planning for your
    AKS clusters", Subnet: "(number of nodes + max surge nodes) + ((number of nodes + max surge nodes) *
    maximum pods per node that you configure)" (https://learn.microsoft.com/azure/aks/concepts-network-ip-address-planning,
    ms.date 2026-04-16); "Configure Azure CNI networking": "The equivalent number of IP addresses per node
    are then reserved up front for that node" (https://learn.microsoft.com/azure/aks/configure-azure-cni)."""
    return max_pods + 1


# --- Managed Prometheus, alerts and Managed Grafana ------------------------------------------------------
# What Managed Grafana's identity needs on an Azure Monitor workspace to query its Prometheus metrics, and what
# lets a group administer a Grafana workspace. Source: https://learn.microsoft.com/azure/role-based-access-control/
# built-in-roles (Monitor: "Monitoring Data Reader"; "Grafana Admin", MicrosoftDocs/azure-docs
# articles/role-based-access-control/built-in-roles.md), and Azure's onboarding template, which grants the first
# to Grafana on the workspace (Azure/prometheus-collector AddonBicepTemplate/FullAzureMonitorMetricsProfile.bicep).
MONITORING_DATA_READER = "b0d8363b-8ddd-447d-831f-62ca05bff136"
GRAFANA_ADMIN = "22926164-76b3-42b3-bc55-97df8dab3e41"
ROLE_NAMES[MONITORING_DATA_READER] = "Monitoring Data Reader"
ROLE_NAMES[GRAFANA_ADMIN] = "Grafana Admin"
# Action groups are global resources: their location is "global" (the Azure Verified Module's examples,
# Azure/bicep-registry-modules avm/res/insights/action-group README, deploy them with location 'global').
ACTION_GROUP_LOCATION = "global"
# Managed Grafana's private endpoint: sub-resource `grafana`, zone privatelink.grafana.azure.com. Source: Azure
# Policy built-ins "Configure Azure Managed Grafana workspaces with private endpoints" / "... to use private DNS
# zones" (Azure/azure-policy built-in-policies/policyDefinitions/Managed Grafana/AMG_PrivateEndpoints_DINE.json and
# AMG_PrivateDNSZone_DINE.json at commit f4a50bacae07ddb096943c597669bcae494a6e29).
GRAFANA_PRIVATE_LINK_GROUP = "grafana"
GRAFANA_PRIVATE_DNS_ZONE = "privatelink.grafana.azure.com"
# Managed Grafana's plans: Standard, and Essential, which is in preview and "doesn't offer the same reliability
# options. We don't recommend that plan for production." Source: Learn "Azure Managed Grafana service
# reliability", https://learn.microsoft.com/azure/managed-grafana/high-availability
GRAFANA_SKUS = ("Standard", "Essential")
GRAFANA_PREVIEW_SKUS = ("Essential",)

# --- Azure Backup for AKS ------------------------------------------------------------------------------
# Sources (read 2026-11-27): Learn "Prerequisites for Azure Kubernetes Service backup using Azure Backup"
# https://learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup-concept (AKS_BACKUP_CONCEPT);
# "Back up Azure Kubernetes Service using Azure CLI"
# https://learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup-using-cli (AKS_BACKUP_CLI);
# "Azure Kubernetes Service backup support matrix"
# https://learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup-support-matrix (AKS_BACKUP_MATRIX);
# "Quickstart: Configure backup for an AKS cluster using Terraform"
# https://learn.microsoft.com/azure/backup/quick-kubernetes-backup-terraform (AKS_BACKUP_TERRAFORM).
AKS_BACKUP_CONCEPT = "https://learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup-concept"
AKS_BACKUP_CLI = "https://learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup-using-cli"
AKS_BACKUP_MATRIX = "https://learn.microsoft.com/azure/backup/azure-kubernetes-service-cluster-backup-support-matrix"
AKS_BACKUP_TERRAFORM = "https://learn.microsoft.com/azure/backup/quick-kubernetes-backup-terraform"
# What the extension identity needs on the storage account that holds the backup container: "the Extension
# Identity requires Storage Blob Data Contributor role on the storage account that has the container"
# (AKS_BACKUP_CONCEPT, Backup Extension; the same in AKS_BACKUP_CLI and AKS_BACKUP_TERRAFORM). The ID: built-in
# roles page (MicrosoftDocs/azure-docs articles/role-based-access-control/built-in-roles, "Storage Blob Data
# Contributor", Id ba92f5b4-2d11-453d-a403-e96b0029c9fe).
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
ROLE_NAMES[STORAGE_BLOB_DATA_CONTRIBUTOR] = "Storage Blob Data Contributor"
# The roles Azure Backup assigns for an AKS datasource, by who gets them on what (AKS_BACKUP_CONCEPT, "Required
# roles and permissions": Reader for the vault on the cluster and on the snapshot resource group, Contributor for
# the cluster on the snapshot resource group; the same in Az.DataProtection's manifest for AzureKubernetesService:
# datasourcePermissions [Reader], snapshotRGPermissions [Reader], dataSourceOverSnapshotRGPermissions [Contributor],
# github.com/Azure/azure-powershell src/DataProtection/DataProtection.Autorest/custom/manifests/
# AzureKubernetesService.json). For a cluster with a user-assigned identity, "the cluster" is that identity
# (Set-AzDataProtectionMSIPermission takes UserAssignedIdentities[...].PrincipalId when the type is UserAssigned).
BACKUP_VAULT_ROLE_ON_CLUSTER = READER
BACKUP_VAULT_ROLE_ON_SNAPSHOT_GROUP = READER
CLUSTER_ROLE_ON_SNAPSHOT_GROUP = CONTRIBUTOR
# The extension type and the Trusted Access role that lets the vault reach the cluster's API server
# (AKS_BACKUP_CONCEPT, Trusted Access; AKS_BACKUP_CLI, "Enable Trusted Access").
BACKUP_EXTENSION_TYPE = "microsoft.dataprotection.kubernetes"
BACKUP_EXTENSION_NAMESPACE = "dataprotection-microsoft"
BACKUP_TRUSTED_ACCESS_ROLE = "Microsoft.DataProtection/backupVaults/backup-operator"
# The datasource type of an AKS backup policy and instance (AKS_BACKUP_CLI, the default policy template).
AKS_DATASOURCE_TYPE = MANAGED_CLUSTERS
# How often AKS backups can run: "every 4, 6, 8, or 12 hours" or once a day (AKS_BACKUP_CLI, "Create a backup
# policy"), as ISO 8601 durations.
BACKUP_FREQUENCIES = ("PT4H", "PT6H", "PT8H", "PT12H", "P1D")
# Operational-tier retention, in days: "retain your data for restore for up to 360 days" (AKS_BACKUP_CLI, Before you
# start). No documented minimum was found; 1 day is the least a positive ISO 8601 duration in days can say.
BACKUP_RETENTION_DAYS_LIMITS = (1, 360)
# Namespaces Azure Backup never backs up: "The following namespaces are skipped from Backup Configuration and not
# configured for backups: kube-system, kube-node-lease, kube-public" (AKS_BACKUP_MATRIX, Limitations).
BACKUP_SKIPPED_NAMESPACES = ("kube-system", "kube-node-lease", "kube-public")
# "Number of namespaces per backup instance: 800" (AKS_BACKUP_MATRIX, AKS backup limits).
BACKUP_NAMESPACES_PER_INSTANCE = 800
# The service endpoint that lets the node subnet reach a storage account through its firewall.
# Source: https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
STORAGE_SERVICE_ENDPOINT = "Microsoft.Storage"

# --- KMS etcd encryption (the GA, "legacy" experience of the pinned ManagedCluster API 2025-09-01) ----------
# Source: https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption (ms.date 12/22/2025):
# - a vault behind a firewall ("Allow public access from specific virtual networks and IP addresses") is not
#   supported; a vault with public access disabled is, with API server VNet integration only;
# - the key needs the encrypt and decrypt operations; `keyId` names one key version, and rotating means
#   setting a new `keyId` (then re-writing every secret); both versions must stay valid (not expired);
# - deleting the key, or expiring it, stops the API server and makes the secrets unrecoverable.
# The newer "KMS data encryption" (platform-managed keys, versionless key IDs that AKS follows every 6 hours,
# https://learn.microsoft.com/azure/aks/kms-data-encryption) is Preview and needs
# securityProfile.kubernetesResourceObjectEncryptionProfile, which API 2025-09-01 does not have.
KMS_KEY_OPERATIONS = ("encrypt", "decrypt")
KMS_KEY_TYPE, KMS_KEY_SIZE = "RSA", 2048

# --- Container registry ---------------------------------------------------------------------------------
# Days a Premium registry keeps untagged manifests before its retention policy deletes them, 0-365 (default 7);
# the retention policy is Premium only. Source: PSRule for Azure's rule page (no stored copy of the Learn page
# "Set a retention policy for untagged manifests" was found), https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.ACR.Retention/
ACR_RETENTION_DAYS_LIMITS = (0, 365)
# Days a soft-deleted artifact can be restored, 1-90 (default 7); soft delete is in every SKU but (preview
# limitations) not with geo-replication nor together with the retention policy.
# Source: https://learn.microsoft.com/azure/container-registry/container-registry-soft-delete-policy
ACR_SOFT_DELETE_DAYS_LIMITS = (1, 90)

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
