"""Defaults per environment, derived from its profile (`facts.profiles`): the safe value is the default.

What a profile requires is also its default (a required paid tier defaults to Standard, a minimum retention
is the default retention); the profile's own sizes and the shared defaults fill in the rest. A stack file
overrides any key; objects merge key by key, lists replace the default list.
"""
from __future__ import annotations

import copy
from typing import Any

from facts.azure import takes_max_surge
from facts.profiles import PROFILES, SHARED_DEFAULTS, Profile


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
        },
        "keyVault": {
            "softDeleteRetentionDays": profile.min_soft_delete_days,
            "purgeProtection": profile.require_purge_protection,
        },
        "monitoring": {"retentionDays": profile.min_log_retention_days},
        # Private endpoints are a Premium feature of the registry.
        "registry": {
            "sku": "Premium" if private_registry else "Standard",
            "publicNetworkAccess": "Disabled" if private_registry else "Enabled",
        },
    }


def defaults_for(environment: str) -> dict[str, Any]:
    """The full default config of one environment, as it would be written in a stack file."""
    profile = PROFILES[environment]
    # A fleet member is upgraded with the update group named after its environment.
    by_name = {"fleet": {"updateGroup": profile.name}}
    return merge(merge(merge(SHARED_DEFAULTS, _required(profile)), by_name), profile.defaults)


def pool_defaults_for(environment: str, pool: Any = None) -> dict[str, Any]:
    """Defaults for one pool; a spot pool gets no maxSurge (see `facts.azure.takes_max_surge`)."""
    profile = PROFILES[environment]
    defaults = {"zones": profile.default_zones, **copy.deepcopy(profile.pool_defaults)}
    if isinstance(pool, dict) and not takes_max_surge(pool.get("spot") is True):
        defaults.pop("maxSurge")
    return defaults


def namespace_defaults_for(environment: str) -> dict[str, Any]:
    return copy.deepcopy(PROFILES[environment].namespace_defaults)
