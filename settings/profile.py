"""What an environment's profile requires, checked on validated settings.

A value the settings accept must pass that environment's mandatory policies too: each rule here refuses
what the profile (`facts.profiles`) requires more of, and the policy pack's config is generated from the
same profile. Every rule returns problem lines (key path, the value, what the environment requires);
a section that failed validation is skipped, its own problems are already reported.
"""
from __future__ import annotations

from collections.abc import Mapping
from ipaddress import IPv4Network
from typing import Any

from facts.azure import ZONES
from facts.profiles import Profile

from .errors import NAMESPACE, key_path, show
from .model import (
    BackupSettings, ClusterSettings, KeyVaultSettings, MetricsSettings, MonitoringSettings, NodePoolSettings,
    RegistrySettings,
)
from .nap import NapPoolSettings


def minor_version(version: str) -> tuple[int, int]:
    """'1.35' and '1.35.2' -> (1, 35)."""
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def _at_least(key: str, value: int, minimum: int, profile: Profile) -> list[str]:
    if value >= minimum:
        return []
    return [f"{key}: {value} is below {minimum}, the least the {profile.name} environment takes; use {minimum} or more"]


def _required(key: str, ok: bool, value: Any, want: str, profile: Profile) -> list[str]:
    if ok:
        return []
    return [f"{key}: {show(value)} is refused in {profile.name}, which requires {want}"]


def cluster(profile: Profile, s: ClusterSettings) -> list[str]:
    key = f"{NAMESPACE}:cluster."
    problems = []
    if s.kubernetes_version and minor_version(s.kubernetes_version) < minor_version(profile.min_kubernetes_version):
        problems.append(
            f"{key}kubernetesVersion: {s.kubernetes_version} is older than {profile.min_kubernetes_version}, the "
            f"oldest minor the {profile.name} environment takes; use {profile.min_kubernetes_version} or newer"
        )
    if profile.require_private_api_server:
        problems += _required(key + "private", s.private, s.private, "a private API server (private: true)", profile)
    if profile.require_restricted_api_server and not s.private:
        internet = [r for r in s.authorized_ip_ranges if IPv4Network(r).prefixlen == 0]
        problems += _required(key + "authorizedIpRanges", not internet, list(s.authorized_ip_ranges),
                              "a public API server restricted to known ranges, not the whole internet", profile)
    if profile.require_paid_tier:
        problems += _required(key + "tier", s.tier != "Free", s.tier,
                              "a paid tier (Standard or Premium) for the API server uptime SLA", profile)
    if profile.require_defender:
        problems += _required(key + "defender", s.defender, s.defender, "Defender for Containers (true)", profile)
    if profile.require_run_command_disabled:
        problems += _required(key + "disableRunCommand", s.disable_run_command, s.disable_run_command,
                              "run command disabled (true)", profile)
    if profile.require_enforced_safeguards:
        problems += _required(key + "safeguards.level", s.safeguards.level == "Enforce", s.safeguards.level,
                              "deployment safeguards at Enforce", profile)
    if profile.require_kms:
        problems += _required(key + "kms", s.kms, s.kms, "KMS etcd encryption (true)", profile)
    return problems


def pool(profile: Profile, index: int, s: NodePoolSettings) -> list[str]:
    problems = _at_least(key_path("nodePools", (index, "maxPods")), s.max_pods, profile.min_max_pods, profile)
    if profile.require_zones:
        problems += _required(key_path("nodePools", (index, "zones")), len(set(s.zones)) >= len(ZONES), list(s.zones),
                              f"zone-redundant pools (zones: {show(list(ZONES))})", profile)
    return problems


def nap_pools(profile: Profile, pools: Mapping[int, NapPoolSettings]) -> list[str]:
    """NAP pools answer to the same pods-per-node and zone requirements as agent pools."""
    problems = []
    for index, s in pools.items():
        problems += _at_least(key_path("napPools", (index, "maxPods")), s.max_pods, profile.min_max_pods, profile)
        if profile.require_zones:
            problems += _required(key_path("napPools", (index, "zones")), len(set(s.zones)) >= len(ZONES),
                                  list(s.zones), f"zone-redundant pools (zones: {show(list(ZONES))})", profile)
    return problems


def key_vault(profile: Profile, s: KeyVaultSettings) -> list[str]:
    key = f"{NAMESPACE}:keyVault."
    problems = _at_least(key + "softDeleteRetentionDays", s.soft_delete_retention_days,
                         profile.min_soft_delete_days, profile)
    if profile.require_purge_protection:
        problems += _required(key + "purgeProtection", s.purge_protection, s.purge_protection,
                              "purge protection (true)", profile)
    return problems


def monitoring(profile: Profile, s: MonitoringSettings) -> list[str]:
    return _at_least(f"{NAMESPACE}:monitoring.retentionDays", s.retention_days, profile.min_log_retention_days, profile)


def registry(profile: Profile, s: RegistrySettings) -> list[str]:
    # A required replica (profile.require_registry_replica) is not refused here: its region has no default (it
    # depends on the stack's own), so the pack's acr-geo-replicated policy reports a stack that names none.
    if not (profile.require_private_registry and s.enabled):
        return []
    return _required(f"{NAMESPACE}:registry.publicNetworkAccess", s.public_network_access == "Disabled",
                     s.public_network_access, "a private registry (publicNetworkAccess: Disabled, sku: Premium)", profile)


def metrics(profile: Profile, s: MetricsSettings) -> list[str]:
    key = f"{NAMESPACE}:metrics."
    problems = []
    if profile.require_managed_prometheus:
        problems += _required(key + "enabled", s.enabled, s.enabled, "Managed Prometheus (true)", profile)
    if profile.require_private_grafana and s.grafana.enabled:
        problems += _required(key + "grafana.publicNetworkAccess", s.grafana.public_network_access == "Disabled",
                              s.grafana.public_network_access, "a private Grafana (publicNetworkAccess: Disabled)",
                              profile)
    return problems


def backup(profile: Profile, s: BackupSettings) -> list[str]:
    key = f"{NAMESPACE}:backup."
    problems = []
    if profile.require_backup:
        problems += _required(key + "enabled", s.enabled, s.enabled, "Azure Backup for AKS (true)", profile)
    if profile.require_immutable_backups and s.enabled:
        problems += _required(key + "immutability", s.immutability != "Disabled", s.immutability,
                              "an immutable backup vault (Unlocked or Locked)", profile)
    return problems


def problems(profile: Profile, sections: Mapping[str, Any], pools: Mapping[int, NodePoolSettings]) -> list[str]:
    """Every requirement of the profile that valid settings fall short of."""
    found = [line for index, p in pools.items() for line in pool(profile, index, p)]
    rules = (("cluster", cluster), ("keyVault", key_vault), ("monitoring", monitoring), ("registry", registry),
             ("metrics", metrics), ("backup", backup))
    for section, rule in rules:
        if sections.get(section) is not None:
            found += rule(profile, sections[section])
    return found
