"""Defaults per environment, derived from its profile (`facts.profiles`): the safe value is the default.

What a profile requires is also its default (a required paid tier defaults to Standard, a minimum retention
is the default retention); the profile's own sizes and the shared defaults fill in the rest. A stack file
overrides any key; objects merge key by key, lists replace the default list.
"""
from __future__ import annotations

import copy
from typing import Any

from facts.azure import takes_max_surge
from facts.profiles import NAP_POOL_DEFAULTS, PROFILES, SHARED_DEFAULTS, Profile

from . import vm_sizes


def merge(base: Any, override: Any) -> Any:
    """Objects merge key by key (recursively); any other value, lists included, replaces the base."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = merge(base.get(key), value) if key in base else value
        return merged
    return copy.deepcopy(override)


def _required(profile: Profile) -> dict[str, Any]:
    """The settings a profile's requirements fix, at the least each requirement takes."""
    private_registry = profile.require_private_registry
    return {
        "cluster": {
            "tier": "Standard" if profile.require_paid_tier else "Free",
            "private": profile.require_private_api_server,
            "defender": profile.require_defender,
            "disableRunCommand": profile.require_run_command_disabled,
            "safeguards": {"level": "Enforce" if profile.require_enforced_safeguards else "Warn"},
            "kms": profile.require_kms,
        },
        "keyVault": {
            "softDeleteRetentionDays": profile.min_soft_delete_days,
            "purgeProtection": profile.require_purge_protection,
        },
        "monitoring": {"retentionDays": profile.min_log_retention_days},
        # Unlocked, not Locked: immutable, and still reversible (docs/backup.md, "Immutability").
        "backup": {
            "enabled": profile.require_backup,
            "immutability": "Unlocked" if profile.require_immutable_backups else "Disabled",
        },
        # Private endpoints are a Premium feature of the registry.
        "registry": {
            "sku": "Premium" if private_registry else "Standard",
            "publicNetworkAccess": "Disabled" if private_registry else "Enabled",
        },
        "metrics": {
            "enabled": profile.require_managed_prometheus,
            "grafana": {"publicNetworkAccess": "Disabled" if profile.require_private_grafana else "Enabled"},
        },
    }


def defaults_for(environment: str, stack: Any = None) -> dict[str, Any]:
    """The full default config of one environment, as it would be written in a stack file; given the stack's
    own config, without the defaults its choices leave unused (podCidr under `podNetwork: vnet`)."""
    profile = PROFILES[environment]
    # A fleet member is upgraded with the update group named after its environment.
    by_name = {"fleet": {"updateGroup": profile.name}}
    defaults = merge(merge(merge(SHARED_DEFAULTS, _required(profile)), by_name), profile.defaults)
    defaults = {**defaults, "napPools": [_general_nap_pool(defaults["nodePools"])]}
    if _pod_network(stack) == "vnet":
        # Flat Azure CNI gives pods node-subnet addresses: the overlay's pod range has no use there.
        defaults["network"] = {key: value for key, value in defaults["network"].items() if key != "podCidr"}
    return defaults


def _pod_network(stack: Any) -> Any:
    network = stack.get("network") if isinstance(stack, dict) else None
    return network.get("podNetwork") if isinstance(network, dict) else None


def _general_nap_pool(agent_pools: list[dict[str, Any]]) -> dict[str, Any]:
    """The default NAP pool: general-purpose D sizes, on demand, capped at what the environment's default user
    pools reach at their largest (maxCount nodes of their size), so that auto spends no more than manual would."""
    users = [p for p in agent_pools if p.get("mode", "User") == "User"]
    cpu = sum(vm_sizes.lookup(p["vmSize"]).vcpus * p["maxCount"] for p in users)
    memory = sum(vm_sizes.lookup(p["vmSize"]).memory_gib * p["maxCount"] for p in users)
    return {"name": "general", "skuFamilies": ["D"], "limits": {"cpu": str(cpu), "memory": f"{memory:g}Gi"}}


def pool_defaults_for(environment: str, pool: Any = None) -> dict[str, Any]:
    """Defaults for one pool; a spot pool gets no maxSurge (see `facts.azure.takes_max_surge`)."""
    profile = PROFILES[environment]
    defaults = {"zones": profile.default_zones, **copy.deepcopy(profile.pool_defaults)}
    if isinstance(pool, dict) and not takes_max_surge(pool.get("spot") is True):
        defaults.pop("maxSurge")
    return defaults


def namespace_defaults_for(environment: str) -> dict[str, Any]:
    return copy.deepcopy(PROFILES[environment].namespace_defaults)


def nap_pool_defaults_for(environment: str) -> dict[str, Any]:
    """Defaults for one NAP pool (`napPools`): the shared ones, and the profile's zones and pods per node."""
    profile = PROFILES[environment]
    return merge(NAP_POOL_DEFAULTS, {"zones": profile.default_zones, "maxPods": profile.pool_defaults["maxPods"]})
