"""aks-platform-fleet: the fleet hub that upgrades the platform's clusters stage by stage (docs/fleet.md).

Run from fleet/ (`pulumi up`), which puts fleet/ first on the import path: the repo root is added so that the
hub reads and validates its config with the platform's own settings machinery and facts.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pulumi  # noqa: E402 (after the import path is set)

from fleet.hub import NAMESPACE, FleetHub, parse  # noqa: E402
from sdk_shim.pulumi_sdk import config_keys  # noqa: E402
from settings.load import decode  # noqa: E402

config = pulumi.Config(NAMESPACE)
keys = sorted(key[len(NAMESPACE) + 1:] for key in config_keys() if key.startswith(f"{NAMESPACE}:"))
location = pulumi.Config("azure-native").get("location")
settings = parse({key: decode(config.get(key)) for key in keys}, location)

hub = FleetHub("hub", settings, location)
pulumi.export("fleet_id", hub.fleet.id)
pulumi.export("update_strategy_id", hub.strategy.id)
pulumi.export("update_groups", list(settings.update_groups))
pulumi.export("auto_upgrade", "disabled" if settings.auto_upgrade_disabled else ", ".join(settings.channels) or "none")
