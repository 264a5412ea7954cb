"""One profile per environment: what a stack gets by default and what it must keep.

Both the settings and the policy pack derive from these profiles, so the two cannot disagree:
- the settings defaults (`settings.defaults`) start at the profile's required values (the safe value is
  the default) and add the per-environment sizes below;
- the settings refuse what the profile requires more of (`settings.profile`), naming the policy;
- the policy pack's config per environment (`policies/config/<env>.json`) is generated from the profile
  (`python -m tools.policy_config --write`): what a profile requires is a mandatory policy with that
  threshold, what it relaxes is advisory.

What costs money or slows teardown (paid tier, private API server, zones, purge protection, Defender,
a private registry) and the run-command debugging aid are relaxed in dev; security basics are the same
everywhere; prod is the strictest.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .azure import SOFT_DELETE_DAYS_LIMITS, ZONES


@dataclass(frozen=True)
class Profile:
    """One environment. The `require_*` and `min_*` fields are what its mandatory policies enforce; a
    False `require_*` makes the matching policy advisory there."""

    name: str
    # Zone-redundant pools: every pool in all of `ZONES` (mandatory), or one zone by default (advisory).
    require_zones: bool
    # The API server is restricted (a public one only to listed ranges, never the whole internet).
    require_restricted_api_server: bool
    # Only a private API server passes; authorized ranges on a public one do not.
    require_private_api_server: bool
    require_paid_tier: bool
    require_defender: bool
    require_run_command_disabled: bool
    require_purge_protection: bool
    # The registry reachable only privately, which needs the Premium SKU.
    require_private_registry: bool
    # Deployment safeguards at Enforce (non-compliant workloads denied), not only Warn.
    require_enforced_safeguards: bool
    min_soft_delete_days: int
    min_log_retention_days: int
    # Fewest pods per node a pool may allow. 50: PSRule for Azure's rule Azure.AKS.NodeMinPods ("set maxPods
    # to at least 50": DaemonSets for monitoring and management exhaust a lower cap),
    # https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.AKS.NodeMinPods. Keep it at 30 or more: AKS
    # refuses a System pool below 30 (https://learn.microsoft.com/azure/aks/use-system-pools).
    min_max_pods: int = 50
    # Oldest Kubernetes minor a cluster may run. AKS supports three GA minors (N-2) and lists their end of
    # life in its release calendar: https://learn.microsoft.com/azure/aks/supported-kubernetes-versions
    # 1.33 is the oldest minor this platform still takes; raise it as AKS retires minors.
    min_kubernetes_version: str = "1.33"
    # Tags every taggable resource must carry (the settings add `environment` to every resource).
    required_tags: tuple[str, ...] = ("environment",)
    # Defaults that no policy judges: sizes and the like, in stack-file shape (merged over SHARED_DEFAULTS).
    defaults: dict[str, Any] = field(default_factory=dict)
    # Applied to every pool of the environment before the pool's own keys.
    pool_defaults: dict[str, Any] = field(default_factory=dict)
    # Applied to every namespace of the environment before the namespace's own keys (objects merge).
    namespace_defaults: dict[str, Any] = field(default_factory=dict)
    # Azure Backup for AKS on (the stack has a backup instance for its cluster), and its vault immutable.
    require_backup: bool = False
    require_immutable_backups: bool = False

    # Managed Prometheus on the cluster (metrics.enabled), so that the recommended alerts can fire.
    require_managed_prometheus: bool = False
    # Managed Grafana, where it is on, reachable only through its private endpoint (publicNetworkAccess Disabled).
    require_private_grafana: bool = False

    # KMS etcd encryption with a key in the platform vault. It needs a private vault and API server VNet
    # integration (facts.azure, KMS), which only prod's defaults have, so it is off and advisory elsewhere.
    require_kms: bool = False
    # The registry geo-replicated to a second region (PSRule for Azure Azure.ACR.GeoReplica, GA); replication is a
    # Premium feature, billed per replica, so prod only.
    require_registry_replica: bool = False

    @property
    def default_zones(self) -> list[str]:
        return list(ZONES if self.require_zones else ZONES[:1])


# Defaults shared by every environment, in stack-file shape; a stack file overrides any key.
SHARED_DEFAULTS: dict[str, Any] = {
    "tags": {},
    "network": {
        "vnetCidr": "10.240.0.0/16",
        "nodeSubnetCidr": "10.240.0.0/22",
        # Azure CNI overlay: pod IPs come from this private range, not from the VNet.
        "podCidr": "192.168.0.0/16",
        # overlay, or vnet (flat Azure CNI: pods take node-subnet addresses), which virtual nodes need.
        "podNetwork": "overlay",
        "serviceCidr": "172.16.0.0/16",
        "dnsServiceIp": "172.16.0.10",
        "outboundType": "loadBalancer",
        # API server VNet integration everywhere, as AKS Automatic has it: nodes reach the API server over the
        # VNet, public or private. A stack opts out with `apiServerSubnetCidr: null`.
        "apiServerSubnetCidr": "10.240.4.0/28",
        "allowedInboundCidrs": [],
        # Cilium's eBPF dataplane and network policy; Windows pools need "azure" (set at creation:
        # AKS can move a cluster from azure to cilium later, never back).
        "dataplane": "cilium",
    },
    "cluster": {
        "authorizedIpRanges": [],
        "adminGroupObjectIds": [],
        # patch keeps the pinned minor version and applies its patches; minor upgrades are a config change.
        "upgradeChannel": "patch",
        "nodeOsUpgradeChannel": "NodeImage",
        "maintenanceWindow": {"dayOfWeek": "Sunday", "startHour": 2, "durationHours": 4},
        "azurePolicy": True,
        # KEDA and VPA as AKS Automatic has them (docs/aks-automatic.md).
        "keda": True,
        "vpa": True,
        # Local (certificate) accounts bypass Entra ID and Azure RBAC.
        "localAccounts": False,
        # Virtual nodes (the ACI connector add-on): need podNetwork vnet and a virtualNodeSubnetCidr.
        "virtualNodes": False,
        # The level comes from the profile (settings.defaults); the namespaces a stack lists are its own.
        "safeguards": {"excludedNamespaces": []},
        # With nodeProvisioning: auto, only the pools of napPools (see settings.model.ClusterSettings).
        "defaultNodePools": "None",
        # AKS's own defaults, except the expander: least-waste picks the pool that fits pending pods
        # best, which matters once GPU, spot and regular pools sit side by side.
        "autoscaler": {
            "expander": "least-waste",
            "scanInterval": "10s",
            "scaleDownDelayAfterAdd": "10m",
            "scaleDownDelayAfterDelete": "10m",
            "scaleDownDelayAfterFailure": "3m",
            "scaleDownUnneededTime": "10m",
            "scaleDownUtilizationThreshold": 0.5,
        },
    },
    "keyVault": {"allowedIpRanges": [], "secretRotationInterval": "2m"},
    # Untagged manifests a Premium registry keeps (its retention policy), and days a deleted artifact can be
    # restored in the other SKUs (soft delete); see components/registry.py for which applies where.
    "registry": {"enabled": True, "replicaLocations": [], "untaggedRetentionDays": 30, "softDeleteDays": 7},
    # No fleet unless the stack names one (hubId); a member's update group defaults to its environment's name
    # (settings.defaults), and the fleet upgrades both Kubernetes and node images (docs/fleet.md).
    "fleet": {"hubId": None, "upgrades": ["kubernetes", "nodeImage"]},
    # The in-cluster layer: deployed unless a stack turns it off; people sign in through the Azure CLI.
    "inCluster": True,
    "kubeloginMode": "azurecli",
    "demo": False,
    "namespaces": [],
    # Managed Prometheus, Grafana and alerts (docs/metrics.md): metrics on where the profile requires them (staging
    # and prod; they cost money, so dev leaves them off), Grafana's network access from the profile
    # (settings.defaults); Grafana and the alerts are on wherever metrics are, unless a stack says otherwise.
    "metrics": {"grafana": {"sku": "Standard"}},
    "alerts": {"emails": [], "rules": {}},
    "alertWebhooks": {},
    # Azure Backup for AKS (docs/backup.md). On is the profile's (required in prod, a default in staging). Every
    # 4 hours kept 7 days is Azure's own default policy (AKS_BACKUP_CLI, the default policy template).
    "backup": {
        "enabled": False,
        "redundancy": "LocallyRedundant",
        "frequency": "PT4H",
        "startTime": "00:00",
        "retentionDays": 7,
        "includedNamespaces": [],
        "excludedNamespaces": [],
        "includeClusterScopedResources": True,
        "snapshotVolumes": True,
    },
}

# Every NAP pool (`napPools`), every environment, before the pool's own keys; zones and maxPods come from the
# profile as for agent pools. The disruption values are the NodePool CRD's own defaults written out
# (consolidationPolicy WhenEmptyOrUnderutilized, consolidateAfter 0s, one budget of 10%; Azure/karpenter-provider-azure
# pkg/apis/crds/karpenter.sh_nodepools.yaml), except expireAfter: Never, as AKS's own default NodePool has it and
# as Learn advises "to confine NAP disruptions to a maintenance window" (node-auto-provisioning-disruption.md):
# nodes are then replaced by drift (a new node image) and consolidation, both held to the budget.
NAP_POOL_DEFAULTS: dict[str, Any] = {
    "architectures": ["amd64"],
    # Azure Linux, as for agent pools (settings.model.OS_SKUS).
    "imageFamily": "AzureLinux",
    "disruption": {
        "consolidationPolicy": "WhenEmptyOrUnderutilized",
        "consolidateAfter": "0s",
        "expireAfter": "Never",
        "budgets": [{"nodes": "10%"}],
    },
}

# Every pool, every environment: 110 pods per node (the Kubernetes default); drainTimeoutInMinutes is
# AKS's default, written out.
_POOL = {"maxPods": 110, "drainTimeoutInMinutes": 30}
_CONTAINER_DEFAULTS = {"cpuRequest": "100m", "memoryRequest": "128Mi", "cpuLimit": "500m", "memoryLimit": "512Mi"}

PROFILES: dict[str, Profile] = {
    "dev": Profile(
        name="dev",
        require_zones=False,
        require_restricted_api_server=False,
        require_private_api_server=False,
        require_paid_tier=False,
        require_defender=False,
        require_run_command_disabled=False,
        require_purge_protection=False,
        require_private_registry=False,
        require_enforced_safeguards=False,
        min_soft_delete_days=SOFT_DELETE_DAYS_LIMITS[0],
        min_log_retention_days=30,
        defaults={
            # Agent pools under the cluster autoscaler: a cluster with node auto-provisioning cannot be stopped
            # (Learn "Overview of node auto-provisioning", limitations), and a stopped cluster is dev's cheapest state.
            "cluster": {"nodeProvisioning": "manual"},
            "protect": False,
            "nodePools": [
                {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "minCount": 1, "maxCount": 3},
                {"name": "apps", "mode": "User", "vmSize": "Standard_D4ds_v5", "minCount": 1, "maxCount": 5},
            ],
            "keyVault": {"publicNetworkAccess": "Enabled"},
            "monitoring": {"dailyQuotaGb": 2},
        },
        pool_defaults={**_POOL, "maxSurge": "1", "nodeSoakDurationInMinutes": 0},
        namespace_defaults={"quota": {"cpu": "4", "memory": "8Gi", "pods": 20}, "containerDefaults": _CONTAINER_DEFAULTS},
    ),
    "staging": Profile(
        name="staging",
        require_zones=True,
        require_restricted_api_server=True,
        require_private_api_server=False,
        require_paid_tier=True,
        require_defender=True,
        require_run_command_disabled=True,
        require_purge_protection=True,
        require_private_registry=False,
        require_enforced_safeguards=True,
        min_soft_delete_days=30,
        min_log_retention_days=30,
        defaults={
            # What prod runs: staging rehearses prod's changes, so it provisions nodes the same way.
            "cluster": {"nodeProvisioning": "manual"},
            "protect": False,
            "nodePools": [
                {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "minCount": 2, "maxCount": 4},
                {"name": "apps", "mode": "User", "vmSize": "Standard_D8ds_v5", "minCount": 2, "maxCount": 10},
            ],
            "keyVault": {"publicNetworkAccess": "Enabled"},
            "monitoring": {"dailyQuotaGb": 10},
            "backup": {"enabled": True},
        },
        pool_defaults={**_POOL, "maxSurge": "33%", "nodeSoakDurationInMinutes": 0},
        namespace_defaults={"quota": {"cpu": "8", "memory": "16Gi", "pods": 50}, "containerDefaults": _CONTAINER_DEFAULTS},
        require_managed_prometheus=True,
    ),
    "prod": Profile(
        name="prod",
        require_zones=True,
        require_restricted_api_server=True,
        require_private_api_server=True,
        require_paid_tier=True,
        require_defender=True,
        require_run_command_disabled=True,
        require_purge_protection=True,
        require_private_registry=True,
        require_enforced_safeguards=True,
        require_kms=True,
        require_registry_replica=True,
        min_soft_delete_days=SOFT_DELETE_DAYS_LIMITS[1],
        min_log_retention_days=90,
        defaults={
            # Agent pools: capacity per zone is known before a deploy (maxCount nodes of a listed size, whose
            # ephemeral OS disk the preflight checked), and leaving auto again needs every NAP node drained first
            # (Learn "Enable or disable node auto-provisioning", disable). tests/nap/Pulumi.nap.yaml shows auto.
            "cluster": {"nodeProvisioning": "manual"},
            "protect": True,
            "network": {"privateEndpointSubnetCidr": "10.240.5.0/24"},
            "nodePools": [
                {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "minCount": 3, "maxCount": 5},
                {"name": "apps", "mode": "User", "vmSize": "Standard_D8ds_v5", "minCount": 3, "maxCount": 20},
            ],
            "keyVault": {"publicNetworkAccess": "Disabled"},
            # -1: no cap, so audit logs are never dropped because a quota ran out.
            "monitoring": {"dailyQuotaGb": -1},
            # A month of restore points, kept in the region's zones like the cluster's pools.
            "backup": {"redundancy": "ZoneRedundant", "retentionDays": 30},
        },
        # prod waits 5 minutes after each upgraded batch so that a bad node image shows before the next
        # batch is drained.
        pool_defaults={**_POOL, "maxSurge": "33%", "nodeSoakDurationInMinutes": 5},
        namespace_defaults={"quota": {"cpu": "16", "memory": "32Gi", "pods": 100}, "containerDefaults": _CONTAINER_DEFAULTS},
        require_managed_prometheus=True,
        require_private_grafana=True,
        require_backup=True,
        require_immutable_backups=True,
    ),
}

ENVIRONMENTS: tuple[str, ...] = tuple(PROFILES)
# The strictest profile: the policy pack's thresholds when no config file is given.
STRICTEST = PROFILES["prod"]
