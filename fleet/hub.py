"""The fleet hub's settings and resources: a fleet, its staged update strategy, its auto-upgrade profiles.

API version: the SDK (pulumi-azure-native 3.29.0) ships `Fleet`, `FleetUpdateStrategy` and
`AutoUpgradeProfile` only at its default, 2024-05-02-preview (facts.azure). It names GA
versions (2025-03-01, 2026-06-01) but only as packages generated with `pulumi package add azure-native
containerservice <version>`, which needs the Pulumi CLI and network at build time and is not in uv.lock; no
`containerservice.v2025_03_01` module ships. The properties used here (stages, groups,
afterStageWaitInSeconds; channel, updateStrategyId, nodeImageSelection, disabled) mean the same in the GA
2025-03-01 schema (https://learn.microsoft.com/azure/templates/microsoft.containerservice/fleets), so moving
to GA later changes the type token, not the stack file.

The fleet has no hub cluster: update orchestration needs none (Learn "Safely update Kubernetes and node
images across multiple clusters": "Applies to: Fleet Manager, Fleet Manager with hub cluster").
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import pulumi
from pulumi_azure_native import containerservice, resources
from pydantic import Field, StrictBool, field_validator

from facts.azure import (
    FLEET_GROUP_NAME_MAX,
    FLEET_KUBERNETES_CHANNELS,
    FLEET_NAME_PATTERN,
    FLEET_NODE_IMAGE_CHANNELS,
    FLEET_NODE_IMAGE_SELECTIONS,
    FLEET_STAGE_WAIT_MAX,
)
from facts.profiles import ENVIRONMENTS
from settings.errors import ConfigError
from settings.load import LOCATION_KEY, NAME_PREFIX, validate
from settings.model import Section

NAMESPACE = "aks-platform-fleet"
CHANNELS = (*FLEET_KUBERNETES_CHANNELS, *FLEET_NODE_IMAGE_CHANNELS)


class HubSettings(Section):
    """The `aks-platform-fleet:` keys of a hub stack (fleet/Pulumi.hub.yaml shows each)."""

    name_prefix: str = Field(description="2-10 lowercase letters and digits: the fleet is fleet-<prefix> in "
                             "rg-<prefix>-fleet, the names the member stacks' fleet.hubId point at")
    tags: dict[str, str] = {}
    # The member stacks join the group named after their environment by default (settings.defaults).
    update_groups: tuple[str, ...] = Field(default=ENVIRONMENTS, min_length=1)
    after_stage_wait_in_seconds: int = Field(default=86400, ge=0, le=FLEET_STAGE_WAIT_MAX)
    channels: tuple[Literal[CHANNELS], ...] = ("Stable", "NodeImage")
    node_image_selection: Literal[FLEET_NODE_IMAGE_SELECTIONS] = "Consistent"
    auto_upgrade_disabled: StrictBool = False

    @field_validator("name_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        if not NAME_PREFIX.match(value):
            raise ValueError("2-10 lowercase letters and digits, starting with a letter (the platform stacks' namePrefix)")
        return value

    @field_validator("update_groups")
    @classmethod
    def _groups(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # Azure's rule for stage and update group names (facts.azure); "A valid strategy contains no duplicate
        # groups within or across stages" (REST spec, UpdateRunStrategy).
        for name in value:
            if not re.match(FLEET_NAME_PATTERN, name) or len(name) > FLEET_GROUP_NAME_MAX:
                raise ValueError(f"{name!r}: an update group name is 1-{FLEET_GROUP_NAME_MAX} lowercase letters, "
                                 "digits and hyphens, starting and ending with a letter or digit")
        if len(set(value)) != len(value):
            raise ValueError(f"lists a group twice: {list(value)} (a strategy runs each group once)")
        return value

    @field_validator("channels")
    @classmethod
    def _channels(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError(f"lists a channel twice: {list(value)}")
        kubernetes = [c for c in value if c in FLEET_KUBERNETES_CHANNELS]
        if len(kubernetes) > 1:
            raise ValueError(f"{' and '.join(kubernetes)} would both upgrade Kubernetes, to different minors; "
                             "keep one")
        return value

    @property
    def stem(self) -> str:
        return f"{self.name_prefix}-fleet"


def parse(raw: Mapping[str, Any], location: str | None) -> HubSettings:
    """Validate a hub stack's `aks-platform-fleet:` config (keys without the namespace) and its region,
    every problem at once, in the platform's words (settings.load)."""
    problems: list[str] = []
    if not location:
        problems.append(f"{LOCATION_KEY}: required, the Azure region of the fleet (for example westeurope)")
    settings = validate(HubSettings, dict(raw), _path, problems)
    if problems:
        raise ConfigError(problems)
    return settings


def _path(loc: tuple) -> str:
    """("updateGroups", 1) -> `aks-platform-fleet:updateGroups[1]`."""
    path = NAMESPACE
    for index, part in enumerate(loc):
        path += f"[{part}]" if isinstance(part, int) else (":" if index == 0 else ".") + str(part)
    return path


class FleetHub(pulumi.ComponentResource):
    """A fleet without a hub cluster; one update strategy whose stages run the update groups in order, each
    followed by the soak wait (none after the last: nothing follows it); one auto-upgrade profile per channel,
    each running that strategy, so a new version reaches a stage only after the stages before it."""

    def __init__(self, name: str, settings: HubSettings, location: str, opts: pulumi.ResourceOptions | None = None):
        super().__init__("aks-platform:containerservice:FleetHub", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = {**settings.tags, "managed-by": "pulumi"}
        self.resource_group = resources.ResourceGroup(
            f"{name}-rg", resource_group_name=f"rg-{settings.stem}", location=location, tags=tags, opts=child,
        )
        self.fleet = containerservice.Fleet(
            f"{name}-fleet",
            fleet_name=f"fleet-{settings.name_prefix}",
            resource_group_name=self.resource_group.name,
            location=location,
            tags=tags,
            opts=child,
        )
        self.strategy = containerservice.FleetUpdateStrategy(
            f"{name}-strategy",
            update_strategy_name="staged",
            fleet_name=self.fleet.name,
            resource_group_name=self.resource_group.name,
            strategy=containerservice.UpdateRunStrategyArgs(stages=self._stages(settings)),
            opts=child,
        )
        self.profiles = {
            channel: containerservice.AutoUpgradeProfile(
                f"{name}-{channel.lower()}",
                auto_upgrade_profile_name=channel.lower(),
                fleet_name=self.fleet.name,
                resource_group_name=self.resource_group.name,
                channel=channel,
                update_strategy_id=self.strategy.id,
                # How a Kubernetes upgrade picks node images; Learn's examples set it with Stable and Rapid
                # only ("Automate upgrades ... using Azure Kubernetes Fleet Manager"). Consistent: "using and
                # verifying those images in clusters in earlier stages before using them in later clusters".
                node_image_selection=containerservice.AutoUpgradeNodeImageSelectionArgs(
                    type=settings.node_image_selection,
                ) if channel in FLEET_KUBERNETES_CHANNELS else None,
                disabled=settings.auto_upgrade_disabled,
                opts=child,
            )
            for channel in settings.channels
        }
        self.register_outputs({"fleet_id": self.fleet.id, "update_strategy_id": self.strategy.id})

    @staticmethod
    def _stages(settings: HubSettings) -> list[containerservice.UpdateStageArgs]:
        last = len(settings.update_groups) - 1
        return [
            containerservice.UpdateStageArgs(
                name=group,
                groups=[containerservice.UpdateGroupArgs(name=group)],
                after_stage_wait_in_seconds=settings.after_stage_wait_in_seconds if index < last else None,
            )
            for index, group in enumerate(settings.update_groups)
        ]
