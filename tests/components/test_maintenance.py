"""Planned maintenance alone: the two schedules AKS reads, in the configured weekly window."""
from components.maintenance import MaintenanceArgs, PlannedMaintenance
from tests.helpers import settings_for

from .helpers import CONTEXT, render_component, stand_in_cluster


def test_both_upgrade_schedules_use_the_configured_window_in_utc():
    settings = settings_for("dev", cluster={
        "authorizedIpRanges": ["203.0.113.0/24"],
        "maintenanceWindow": {"dayOfWeek": "Tuesday", "startHour": 3, "durationHours": 6},
    })
    rendered, _ = render_component(lambda: PlannedMaintenance(
        "maintenance", CONTEXT, MaintenanceArgs(settings.cluster.maintenance_window, stand_in_cluster()),
    ))
    configurations = {
        c["inputs"]["configName"]: c["inputs"]
        for c in rendered.of_type("azure-native:containerservice:MaintenanceConfiguration")
    }
    # AKS reads these two names, and only these, for the auto-upgrade and node OS upgrade schedules.
    assert sorted(configurations) == ["aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"]
    for configuration in configurations.values():
        assert (configuration["resourceName"], configuration["resourceGroupName"]) == ("aks-contoso-prod", "rg-contoso-prod")
        assert configuration["maintenanceWindow"] == {
            "schedule": {"weekly": {"dayOfWeek": "Tuesday", "intervalWeeks": 1}},
            "durationHours": 6, "startTime": "03:00", "utcOffset": "+00:00",
        }
