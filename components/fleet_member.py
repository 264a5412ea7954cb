"""The cluster as a member of an Azure Kubernetes Fleet Manager fleet, in its update group.

The fleet (the `fleet/` project, docs/fleet.md) upgrades its members stage by stage: its update strategy
runs the update groups dev, then staging, then prod. A member joins with its group's name; the settings
make sure that the cluster's own channels leave to the fleet what the fleet upgrades
(`settings.preflight.fleet_member`).

API version: the SDK's default for FleetMember, 2024-05-02-preview, the only one it ships (facts.azure, and
why).
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import containerservice

from settings import FleetSettings

from .context import StackContext


@dataclass(frozen=True)
class FleetMembershipArgs:
    settings: FleetSettings
    # The member's cluster. The membership lives in the fleet's resource group (it is a child of the fleet,
    # fleets/<name>/members/<member>), so it is deployed with the stack's provider: the fleet must be in
    # the deploying subscription.
    cluster: containerservice.ManagedCluster


class FleetMembership(pulumi.ComponentResource):
    """One `FleetMember` named after the stack (`<prefix>-<environment>`), in its update group."""

    def __init__(
        self, name: str, context: StackContext, args: FleetMembershipArgs, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("aks-platform:containerservice:FleetMembership", name, None, opts)
        hub = args.settings.hub
        self.member = containerservice.FleetMember(
            f"{name}-member",
            fleet_member_name=context.stem,
            fleet_name=hub["name"],
            resource_group_name=hub["resource_group"],
            cluster_resource_id=args.cluster.id,
            group=args.settings.update_group,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"group": args.settings.update_group})

