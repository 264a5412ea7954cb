"""Backup policies: the cluster is backed up, its backups survive a delete, and the backup storage is closed.

Sources are named in `facts.azure` (AKS_BACKUP_*) and components/backup.py.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .arm import CLUSTER, refers_to
from .compliance import azure_policy
from .framework import HIGH, MEDIUM, Problem, equals, kind, require, resource_policy, stack_policy
from .props import get, is_unknown

BACKUP_INSTANCE = "azure-native:dataprotection:BackupInstance"
BACKUP_VAULT = "azure-native:dataprotection:BackupVault"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
# Where a backup instance names the cluster it protects (BackupInstance.properties.dataSourceInfo.resourceID).
DATASOURCE_ID = "properties.dataSourceInfo.resourceID"


def _cluster_backed_up(resources: Sequence[Any], _config: Mapping) -> Iterable[tuple[str, str | None]]:
    """Each cluster is the datasource of a BackupInstance."""
    instances = [r for r in resources if r.resource_type == BACKUP_INSTANCE]
    for cluster in (r for r in resources if r.resource_type == CLUSTER.pulumi_type):
        if any(is_unknown(get(i.props, DATASOURCE_ID)) for i in instances):
            continue  # preview: judged again on `pulumi up`
        if not any(refers_to(i, DATASOURCE_ID, cluster, CLUSTER) for i in instances):
            yield (f"{kind(cluster.resource_type)} '{cluster.name}' is not backed up: no BackupInstance has it as "
                   f"{DATASOURCE_ID}"), cluster.urn


def _soft_delete(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    yield from require(props, "properties.securitySettings.softDeleteSettings.state", equals("On", "AlwaysOn"),
                       "On or AlwaysOn")


def _immutable(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    yield from require(props, "properties.securitySettings.immutabilitySettings.state", equals("Unlocked", "Locked"),
                       "Unlocked or Locked", azure_default="Disabled")


def _no_public_blobs(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    yield from require(props, "allowBlobPublicAccess", equals(False), "false")


def _secure_transfer(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    yield from require(props, "enableHttpsTrafficOnly", equals(True), "true")
    yield from require(props, "minimumTlsVersion", equals("TLS1_2", "TLS1_3"), "TLS1_2 or later")


POLICIES = [
    stack_policy(
        name="aks-backup-configured",
        description="Each cluster has an Azure Backup for AKS backup instance, so its Kubernetes objects and Azure "
                    "Disk volumes can be restored after a mistake, a bad upgrade or a lost cluster.",
        severity=HIGH, check=_cluster_backed_up,
        framework=azure_policy("0b0434ec-2bad-4229-965f-bb7ae5a71257"),
        remediation="set aks-platform:backup.enabled to true (docs/backup.md)"),
    resource_policy(
        name="backup-vault-soft-delete",
        checks={BACKUP_VAULT: _soft_delete},
        description="The Backup vault keeps deleted backup data in soft delete, so a deleted backup can be "
                    "recovered.",
        severity=HIGH,
        remediation="the backup component sets soft delete On; it is not a stack setting"),
    resource_policy(
        name="backup-vault-immutable",
        checks={BACKUP_VAULT: _immutable},
        description="The Backup vault is immutable: no operation may delete a recovery point before its retention "
                    "ends; absent means Disabled.",
        severity=MEDIUM,
        remediation="set aks-platform:backup.immutability to Unlocked (or Locked, which cannot be undone)"),
    resource_policy(
        name="storage-blob-public-access-disallowed",
        framework=azure_policy("4fa4b6c0-31ca-4c0d-b10d-24b96f62a751"),
        checks={STORAGE_ACCOUNT: _no_public_blobs},
        description="No container of the storage account can be made readable anonymously.",
        severity=HIGH,
        remediation="the backup component sets allowBlobPublicAccess false; it is not a stack setting"),
    resource_policy(
        name="storage-secure-transfer",
        framework=azure_policy("404c3081-a854-4457-ae30-26a93ef643f9"),
        checks={STORAGE_ACCOUNT: _secure_transfer},
        description="The storage account takes HTTPS only, with TLS 1.2 or later.",
        severity=MEDIUM,
        remediation="the backup component sets enableHttpsTrafficOnly and minimumTlsVersion TLS1_2; it is not a "
                    "stack setting"),
]
