"""The backup section: what each environment gets by default, what prod requires, and each refusal with its key,
the value and what is allowed (sources in facts.azure)."""
import pytest

from settings import ConfigError
from tests.helpers import settings_for


def problems(environment: str = "staging", **sections) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        settings_for(environment, **sections)
    return caught.value.problems


@pytest.mark.parametrize(("environment", "enabled", "immutability", "redundancy", "days"), [
    ("dev", False, "Disabled", "LocallyRedundant", 7),
    ("staging", True, "Disabled", "LocallyRedundant", 7),
    ("prod", True, "Unlocked", "ZoneRedundant", 30),
])
def test_defaults_follow_the_environment(environment, enabled, immutability, redundancy, days):
    backup = settings_for(environment).backup
    assert (backup.enabled, backup.immutability, backup.redundancy, backup.retention_days) == (
        enabled, immutability, redundancy, days)
    assert (backup.frequency, backup.snapshot_volumes, backup.include_cluster_scoped_resources) == ("PT4H", True, True)
    assert backup.schedule == "R/2024-01-01T00:00:00+00:00/PT4H"


def test_dev_may_turn_backup_on_and_staging_off():
    assert settings_for("dev", backup={"enabled": True}).backup.enabled is True
    assert settings_for("staging", backup={"enabled": False}).backup.enabled is False


@pytest.mark.parametrize(("backup", "message"), [
    ({"enabled": False},
     'aks-platform:backup.enabled: false is refused in prod, which requires Azure Backup for AKS (true)'),
    ({"immutability": "Disabled"},
     'aks-platform:backup.immutability: "Disabled" is refused in prod, which requires an immutable backup vault'),
])
def test_prod_requires_backup_with_an_immutable_vault(backup, message):
    assert any(message in line for line in problems("prod", backup=backup))


@pytest.mark.parametrize(("backup", "message"), [
    ({"frequency": "PT2H"}, "aks-platform:backup.frequency: Input should be 'PT4H', 'PT6H', 'PT8H', 'PT12H' or 'P1D'"),
    ({"startTime": "25:00"}, 'aks-platform:backup.startTime: must be the first backup\'s time of day, UTC, as HH:MM'),
    ({"retentionDays": 0}, "aks-platform:backup.retentionDays: Input should be greater than or equal to 1"),
    ({"retentionDays": 361}, "aks-platform:backup.retentionDays: Input should be less than or equal to 360"),
    ({"redundancy": "ReadAccessGeoRedundant"}, "aks-platform:backup.redundancy: Input should be 'LocallyRedundant'"),
    ({"includedNamespaces": ["shop"], "excludedNamespaces": ["shop"]},
     "aks-platform:backup: shop both in includedNamespaces and excludedNamespaces"),
    ({"excludedNamespaces": ["kube-system"]},
     "aks-platform:backup.excludedNamespaces: kube-system is never backed up: Azure Backup skips kube-system, "
     "kube-node-lease, kube-public"),
    ({"includedNamespaces": ["shop", "shop"]}, "aks-platform:backup.includedNamespaces: lists a namespace twice"),
    ({"includedNamespaces": [f"ns{i}" for i in range(801)]},
     "aks-platform:backup.includedNamespaces: lists 801 namespaces; a backup instance takes at most 800"),
    ({"enabled": "yes"}, "aks-platform:backup.enabled: Input should be a valid boolean"),
    ({"schedule": "PT4H"}, 'aks-platform:backup: unknown key "schedule"'),
])
def test_bad_backup_settings_are_refused_with_the_key(backup, message):
    assert any(message in line for line in problems(backup=backup)), problems(backup=backup)


WINDOWS = [
    {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "minCount": 2, "maxCount": 4},
    {"name": "win", "osType": "Windows", "vmSize": "Standard_D4ds_v5", "minCount": 1, "maxCount": 3},
]


def test_windows_pools_are_refused_while_backup_is_on():
    found = problems(nodePools=WINDOWS, network={"dataplane": "azure"})
    assert ('aks-platform:nodePools[1] "win": a Windows pool, and AKS clusters with Windows nodes don\'t allow the '
            "Azure Backup extension (AKS backup support matrix); set aks-platform:backup.enabled: false") in " ".join(found)


def test_windows_pools_are_accepted_with_backup_off():
    settings = settings_for("staging", nodePools=WINDOWS, network={"dataplane": "azure"}, backup={"enabled": False})
    assert settings.backup.enabled is False
