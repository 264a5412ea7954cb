"""Planned maintenance windows for the cluster's automatic upgrades."""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import containerservice

from settings import MaintenanceWindowSettings

from .context import StackContext

from .retry import retry_transient_conflicts

# AKS reads these two configuration names, and only these, for the auto-upgrade schedules.
SCHEDULES = {
    "aksManagedAutoUpgradeSchedule": "kubernetes",
    "aksManagedNodeOSUpgradeSchedule": "node-os",
}


@dataclass(frozen=True)
class MaintenanceArgs:
    window: MaintenanceWindowSettings
    # The schedules belong to this ManagedCluster, and die with it: Azure deletes a cluster's maintenance
    # configurations with it, as every child resource with its parent
    # (learn.microsoft.com/azure/azure-resource-manager/templates/deployment-complete-mode-deletion).
    cluster: containerservice.ManagedCluster


class PlannedMaintenance(pulumi.ComponentResource):
    """Weekly windows in which AKS may apply Kubernetes patch upgrades and node OS image upgrades,
    so that upgrades (and the node drains they cause) never happen at a random time.
    """

    def __init__(
        self, name: str, context: StackContext, args: MaintenanceArgs, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("aks-platform:containerservice:PlannedMaintenance", name, None, opts)
        w = args.window
        self.configurations = [
            containerservice.MaintenanceConfiguration(
                f"{name}-{suffix}",
                config_name=config_name,
                resource_name_=args.cluster.name,
                resource_group_name=context.resource_group_name,
                maintenance_window=containerservice.MaintenanceWindowArgs(
                    schedule=containerservice.ScheduleArgs(
                        weekly=containerservice.WeeklyScheduleArgs(day_of_week=w.day_of_week, interval_weeks=1)
                    ),
                    duration_hours=w.duration_hours,
                    start_time=f"{w.start_hour:02d}:00",
                    utc_offset="+00:00",
                ),
                opts=pulumi.ResourceOptions(
                    parent=self,
                    deleted_with=args.cluster,
                    hooks=retry_transient_conflicts(f"{name}-{suffix}"),
                ),
            )
            for config_name, suffix in SCHEDULES.items()
        ]
        self.register_outputs({})
