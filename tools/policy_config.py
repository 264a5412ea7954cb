"""Generate each stack's policy pack config (`policies/config/<stack>.json`) from its environment's profile.

What a profile requires is a mandatory policy with the profile's threshold; what it relaxes is advisory.
A stack whose cluster joins a fleet gets the channel policies narrowed to what a fleet member may keep
(`settings.preflight.fleet_member_channels`): there the fleet, not the cluster, upgrades it.
The files are generated, committed output because the Pulumi CLI (`--policy-pack-config`), the offline
plan and diff, and the workflows read them per stack; a test fails when a file differs from what this
writes, or when a stack has none. A new stack gets its environment's config: add `Pulumi.<stack>.yaml`,
then write the files.

    python -m tools.policy_config           # print each stack's config
    python -m tools.policy_config --write   # rewrite policies/config/*.json
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from facts.azure import ZONES
from facts.profiles import PROFILES, Profile
from offline.engine import stack_config
from settings import ConfigError, from_config_text
from settings.preflight import fleet_member_channels

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "policies" / "config"


def _level(required: bool) -> str:
    return "mandatory" if required else "advisory"


# The policy that judges each cluster channel key (settings.preflight.fleet_member_channels' keys).
CHANNEL_POLICIES = {"upgradeChannel": "aks-auto-upgrade-channel", "nodeOsUpgradeChannel": "aks-node-os-upgrade-channel"}


def config_for(profile: Profile, member_channels: dict[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
    """The `--policy-pack-config` content for one environment: each policy the profile governs, and for a
    fleet member the channels it may keep (`member_channels`), mandatory."""
    channels = {CHANNEL_POLICIES[key]: {"enforcementLevel": "mandatory", "allowedChannels": list(allowed)}
                for key, allowed in (member_channels or {}).items()}
    return channels | {
        "aks-api-server-restricted": {"enforcementLevel": _level(profile.require_restricted_api_server),
                                      "requirePrivate": profile.require_private_api_server},
        "aks-run-command-disabled": _level(profile.require_run_command_disabled),
        "aks-defender-enabled": _level(profile.require_defender),
        "aks-paid-tier": _level(profile.require_paid_tier),
        "aks-deployment-safeguards-enforced": _level(profile.require_enforced_safeguards),
        "aks-backup-configured": _level(profile.require_backup),
        "backup-vault-immutable": _level(profile.require_immutable_backups),
        "aks-kms-etcd-encryption": _level(profile.require_kms),
        "aks-pool-zones": {"enforcementLevel": _level(profile.require_zones), "minimum": len(ZONES)},
        "aks-pool-min-max-pods": {"enforcementLevel": "mandatory", "minimum": profile.min_max_pods},
        "aks-supported-kubernetes-version": {"enforcementLevel": "mandatory",
                                             "minimumVersion": profile.min_kubernetes_version},
        "keyvault-soft-delete": {"enforcementLevel": "mandatory", "minimumRetentionDays": profile.min_soft_delete_days},
        "keyvault-purge-protection": _level(profile.require_purge_protection),
        "acr-public-access-restricted": _level(profile.require_private_registry),
        # Azure disables exports only on a registry whose public access is disabled.
        "acr-export-disabled": _level(profile.require_private_registry),
        "acr-geo-replicated": _level(profile.require_registry_replica),
        "log-analytics-retention": {"enforcementLevel": "mandatory", "minimumDays": profile.min_log_retention_days},
        "required-tags": {"enforcementLevel": "mandatory", "requiredTags": list(profile.required_tags)},
        "aks-managed-prometheus": _level(profile.require_managed_prometheus),
        "grafana-public-access-disabled": _level(profile.require_private_grafana),
    }


def render(profile: Profile, member_channels: dict[str, tuple[str, ...]] | None = None) -> str:
    """The file's text: one policy per line, so a review diff shows which policy changed."""
    lines = [f"  {json.dumps(name)}: {json.dumps(value)}"
             for name, value in config_for(profile, member_channels).items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def path_for(stack: str) -> Path:
    return CONFIG_DIR / f"{stack}.json"


def stack_environments(root: Path = ROOT) -> dict[str, str | None]:
    """Each `Pulumi.<stack>.yaml` and its `aks-platform:environment` (None when the file is broken or the
    environment missing or unknown: the settings report that stack's problem)."""
    environments = {}
    for path in sorted(root.glob("Pulumi.*.yaml")):
        stack = path.name[len("Pulumi."):-len(".yaml")]
        try:
            environment = stack_config(stack, root).get("aks-platform:environment")
        except FileNotFoundError:  # StackFileError: not YAML, or not a mapping
            environment = None
        environments[stack] = environment if environment in PROFILES else None
    return environments


def member_channels(stack: str, root: Path = ROOT) -> dict[str, tuple[str, ...]]:
    """The channels the stack's cluster may keep as a fleet member; empty when it joins no fleet or its
    config is invalid (the settings report that)."""
    try:
        return fleet_member_channels(from_config_text(stack_config(stack, root)).fleet)
    except ConfigError:
        return {}


def main(argv: list[str]) -> None:
    for stack, environment in stack_environments().items():
        if environment is None:
            sys.stderr.write(f"Pulumi.{stack}.yaml: no valid aks-platform:environment, so no policy config written\n")
        elif "--write" in argv:
            path_for(stack).write_text(render(PROFILES[environment], member_channels(stack)))
        else:
            sys.stdout.write(f"# {path_for(stack).name} ({environment})\n"
                             f"{render(PROFILES[environment], member_channels(stack))}")


if __name__ == "__main__":
    main(sys.argv[1:])
