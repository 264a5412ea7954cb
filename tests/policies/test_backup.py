"""The backup policies (policies/backup.py): resource rules here (the checks are in resource_cases.py), the stack
rule that each cluster is backed up with a known-good stack, one that lacks it, and its level per environment."""
from __future__ import annotations

from .fixtures import good_stack
from .helpers import DELETE
from .resource_cases import checks_for
from .test_evaluate import only, run

CASES = [
    ("backup-vault-soft-delete", "backup-vault", {"properties.securitySettings.softDeleteSettings.state": "Off"},
     "properties.securitySettings.softDeleteSettings.state is 'Off'; want On or AlwaysOn", None),
    ("backup-vault-immutable", "backup-vault", {"properties.securitySettings.immutabilitySettings": DELETE},
     "properties.securitySettings.immutabilitySettings.state is absent (Azure then uses 'Disabled')", None),
    ("storage-blob-public-access-disallowed", "backup-storage", {"allowBlobPublicAccess": True},
     "allowBlobPublicAccess is true; want false", None),
    ("storage-secure-transfer", "backup-storage", {"enableHttpsTrafficOnly": False},
     "enableHttpsTrafficOnly is false; want true", None),
    ("storage-secure-transfer", "backup-storage", {"minimumTlsVersion": "TLS1_0"},
     "minimumTlsVersion is 'TLS1_0'; want TLS1_2 or later", None),
]
test_known_good_resources_pass, test_flipped_property_is_reported, test_unknown_value_does_not_crash_or_report = \
    checks_for(CASES)


def test_a_cluster_without_a_backup_instance_is_refused_in_prod_and_advised_in_dev():
    stack = good_stack()
    del stack["backup-instance"]
    prod, dev = only(run(stack, "prod"), "aks-backup-configured"), only(run(stack, "dev"), "aks-backup-configured")
    assert (prod.enforcement, dev.enforcement, prod.urn) == ("mandatory", "advisory", stack["aks"]["urn"])
    assert "ManagedCluster 'aks' is not backed up: no BackupInstance has it as properties.dataSourceInfo.resourceID" \
        in prod.message
    assert "aks-platform:backup.enabled" in prod.message


def test_a_backup_instance_of_another_cluster_does_not_count():
    stack = good_stack()
    other = stack["aks"]["outputs"]["id"].replace("aks-dev", "aks-other")
    stack["backup-instance"]["inputs"]["properties"]["dataSourceInfo"]["resourceID"] = other
    stack["backup-instance"]["outputs"]["properties"]["dataSourceInfo"]["resourceID"] = other
    assert only(run(stack, "prod"), "aks-backup-configured").enforcement == "mandatory"


def test_a_mutable_vault_is_refused_in_prod_only():
    stack = good_stack()
    for record in ("inputs", "outputs"):
        stack["backup-vault"][record]["properties"]["securitySettings"]["immutabilitySettings"]["state"] = "Disabled"
    assert only(run(stack, "prod"), "backup-vault-immutable").enforcement == "mandatory"
    assert only(run(stack, "staging"), "backup-vault-immutable").enforcement == "advisory"
