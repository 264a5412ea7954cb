"""Defaults per environment: the safe value is the default, and prod is stricter.

What costs money or slows teardown (paid tier, private API server, zones, purge protection, Defender)
is relaxed in dev; everything else is secure everywhere. A stack file overrides any key; objects merge
key by key, lists replace the default list.
"""
from __future__ import annotations

import copy
from typing import Any

_SHARED: dict[str, Any] = {
    "tags": {},
    "network": {
        "vnetCidr": "10.240.0.0/16",
        "nodeSubnetCidr": "10.240.0.0/22",
        # Azure CNI overlay: pod IPs come from this private range, not from the VNet.
        "podCidr": "192.168.0.0/16",
        "serviceCidr": "172.16.0.0/16",
        "dnsServiceIp": "172.16.0.10",
        "outboundType": "loadBalancer",
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
        "localAccounts": False,
        "virtualNodes": False,
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
    "registry": {"enabled": True},
    # The in-cluster layer: deployed unless a stack turns it off; people sign in through the Azure CLI.
    "inCluster": True,
    "kubeloginMode": "azurecli",
    "demo": False,
    "namespaces": [],
}

_BY_ENVIRONMENT: dict[str, dict[str, Any]] = {
    "dev": {
        "protect": False,
        "cluster": {"tier": "Free", "private": False, "defender": False, "disableRunCommand": False},
        "nodePools": [
            {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "minCount": 1, "maxCount": 3},
            {"name": "apps", "mode": "User", "vmSize": "Standard_D4ds_v5", "minCount": 1, "maxCount": 5},
        ],
        "keyVault": {"softDeleteRetentionDays": 7, "purgeProtection": False, "publicNetworkAccess": "Enabled"},
        "monitoring": {"retentionDays": 30, "dailyQuotaGb": 2},
        "registry": {"sku": "Standard", "publicNetworkAccess": "Enabled"},
    },
    "staging": {
        "protect": False,
        "cluster": {"tier": "Standard", "private": False, "defender": True, "disableRunCommand": True},
        "nodePools": [
            {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "minCount": 2, "maxCount": 4},
            {"name": "apps", "mode": "User", "vmSize": "Standard_D8ds_v5", "minCount": 2, "maxCount": 10},
        ],
        "keyVault": {"softDeleteRetentionDays": 30, "purgeProtection": True, "publicNetworkAccess": "Enabled"},
        "monitoring": {"retentionDays": 30, "dailyQuotaGb": 10},
        "registry": {"sku": "Standard", "publicNetworkAccess": "Enabled"},
    },
    "prod": {
        "protect": True,
        "network": {"apiServerSubnetCidr": "10.240.4.0/28", "privateEndpointSubnetCidr": "10.240.5.0/24"},
        "cluster": {"tier": "Standard", "private": True, "defender": True, "disableRunCommand": True},
        "nodePools": [
            {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "minCount": 3, "maxCount": 5},
            {"name": "apps", "mode": "User", "vmSize": "Standard_D8ds_v5", "minCount": 3, "maxCount": 20},
        ],
        "keyVault": {"softDeleteRetentionDays": 90, "purgeProtection": True, "publicNetworkAccess": "Disabled"},
        "monitoring": {"retentionDays": 90, "dailyQuotaGb": -1},
        "registry": {"sku": "Premium", "publicNetworkAccess": "Disabled"},
    },
}

# Applied to every pool of the environment before the pool's own keys (spot pools take no maxSurge).
# drainTimeoutInMinutes is AKS's default, written out; prod waits 5 minutes after each upgraded
# batch so that a bad node image shows before the next batch is drained.
_POOL_BY_ENVIRONMENT: dict[str, dict[str, Any]] = {
    "dev": {"zones": ["1"], "maxPods": 110, "maxSurge": "1", "drainTimeoutInMinutes": 30, "nodeSoakDurationInMinutes": 0},
    "staging": {"zones": ["1", "2", "3"], "maxPods": 110, "maxSurge": "33%", "drainTimeoutInMinutes": 30,
                "nodeSoakDurationInMinutes": 0},
    "prod": {"zones": ["1", "2", "3"], "maxPods": 110, "maxSurge": "33%", "drainTimeoutInMinutes": 30,
             "nodeSoakDurationInMinutes": 5},
}

# Applied to every namespace of the environment before the namespace's own keys (objects merge).
_CONTAINER_DEFAULTS = {"cpuRequest": "100m", "memoryRequest": "128Mi", "cpuLimit": "500m", "memoryLimit": "512Mi"}
_NAMESPACE_BY_ENVIRONMENT: dict[str, dict[str, Any]] = {
    "dev": {"quota": {"cpu": "4", "memory": "8Gi", "pods": 20}, "containerDefaults": _CONTAINER_DEFAULTS},
    "staging": {"quota": {"cpu": "8", "memory": "16Gi", "pods": 50}, "containerDefaults": _CONTAINER_DEFAULTS},
    "prod": {"quota": {"cpu": "16", "memory": "32Gi", "pods": 100}, "containerDefaults": _CONTAINER_DEFAULTS},
}


def merge(base: Any, override: Any) -> Any:
    """Objects merge key by key (recursively); any other value, lists included, replaces the base."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = merge(base.get(key), value) if key in base else value
        return merged
    return copy.deepcopy(override)


def defaults_for(environment: str) -> dict[str, Any]:
    """The full default config of one environment, as it would be written in a stack file."""
    return merge(_SHARED, _BY_ENVIRONMENT[environment])


def pool_defaults_for(environment: str, pool: Any = None) -> dict[str, Any]:
    """Defaults for one pool: a spot pool gets no maxSurge, which AKS refuses on spot pools."""
    defaults = copy.deepcopy(_POOL_BY_ENVIRONMENT[environment])
    if isinstance(pool, dict) and pool.get("spot") is True:
        defaults.pop("maxSurge")
    return defaults


def namespace_defaults_for(environment: str) -> dict[str, Any]:
    return copy.deepcopy(_NAMESPACE_BY_ENVIRONMENT[environment])
