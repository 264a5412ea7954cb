"""Generate the policy pack's config per environment (`policies/config/<env>.json`) from its profile.

What a profile requires is a mandatory policy with the profile's threshold; what it relaxes is advisory.
The files are generated, committed output because the Pulumi CLI (`--policy-pack-config`), the offline
plan and diff, and the workflows read them; a test fails when a file differs from what this writes.

    python -m tools.policy_config           # print each environment's config
    python -m tools.policy_config --write   # rewrite policies/config/*.json
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from facts.azure import ZONES
from facts.profiles import PROFILES, Profile

CONFIG_DIR = Path(__file__).resolve().parent.parent / "policies" / "config"


def _level(required: bool) -> str:
    return "mandatory" if required else "advisory"


def config_for(profile: Profile) -> dict[str, Any]:
    """The `--policy-pack-config` content for one environment: each policy the profile governs."""
    return {
        "aks-api-server-restricted": {"enforcementLevel": _level(profile.require_restricted_api_server),
                                      "requirePrivate": profile.require_private_api_server},
        "aks-run-command-disabled": _level(profile.require_run_command_disabled),
        "aks-defender-enabled": _level(profile.require_defender),
        "aks-paid-tier": _level(profile.require_paid_tier),
        "aks-pool-zones": {"enforcementLevel": _level(profile.require_zones), "minimum": len(ZONES)},
        "aks-pool-min-max-pods": {"enforcementLevel": "mandatory", "minimum": profile.min_max_pods},
        "aks-supported-kubernetes-version": {"enforcementLevel": "mandatory",
                                             "minimumVersion": profile.min_kubernetes_version},
        "keyvault-soft-delete": {"enforcementLevel": "mandatory", "minimumRetentionDays": profile.min_soft_delete_days},
        "keyvault-purge-protection": _level(profile.require_purge_protection),
        "acr-public-access-restricted": _level(profile.require_private_registry),
        "log-analytics-retention": {"enforcementLevel": "mandatory", "minimumDays": profile.min_log_retention_days},
        "required-tags": {"enforcementLevel": "mandatory", "requiredTags": list(profile.required_tags)},
    }


def render(profile: Profile) -> str:
    """The file's text: one policy per line, so a review diff shows which policy changed."""
    lines = [f"  {json.dumps(name)}: {json.dumps(value)}" for name, value in config_for(profile).items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def path_for(environment: str) -> Path:
    return CONFIG_DIR / f"{environment}.json"


def main(argv: list[str]) -> None:
    for environment, profile in PROFILES.items():
        if "--write" in argv:
            path_for(environment).write_text(render(profile))
        else:
            sys.stdout.write(f"# {path_for(environment).name}\n{render(profile)}")


if __name__ == "__main__":
    main(sys.argv[1:])
