"""Azure Backup for AKS: the cluster's Kubernetes objects and Azure Disk volumes, backed up on a schedule.

What Azure Backup needs, and where each piece is documented (the URLs are in `facts.azure`):
- a Backup vault with a system-assigned identity, and a backup policy for `Microsoft.ContainerService/
  managedClusters` (AKS_BACKUP_CLI, "Create a Backup vault", "Create a backup policy");
- a storage account and an empty blob container for the cluster's objects, in the cluster's region and
  subscription, Standard general-purpose v2 (AKS_BACKUP_MATRIX, Limitations), and a resource group for the
  volume snapshots (AKS_BACKUP_CLI, Before you start);
- the data protection extension (`microsoft.dataprotection.kubernetes`) in the cluster, configured with the
  container, and its identity granted Storage Blob Data Contributor on the storage account (AKS_BACKUP_CONCEPT,
  Backup Extension; AKS_BACKUP_TERRAFORM);
- Trusted Access from the vault to the cluster with the `backup-operator` role (AKS_BACKUP_CONCEPT, Trusted Access);
- Reader for the vault on the cluster and on the snapshot group, Contributor for the cluster's identity on the
  snapshot group (AKS_BACKUP_CONCEPT, "Required roles and permissions");
- then the backup instance, which Azure validates against all of the above when it is created, so it waits for
  every grant, the binding and the extension (AKS_BACKUP_TERRAFORM: the instance `depends_on` the role assignments).

API versions (pulumi-azure-native 3.29.0 defaults, all GA): dataprotection 2025-01-01, kubernetesconfiguration
2023-05-01, containerservice TrustedAccessRoleBinding 2025-09-01, storage 2024-01-01.
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import containerservice, dataprotection, kubernetesconfiguration, resources, storage

from facts.azure import (
    AKS_DATASOURCE_TYPE,
    BACKUP_EXTENSION_NAMESPACE,
    BACKUP_EXTENSION_TYPE,
    BACKUP_TRUSTED_ACCESS_ROLE,
    BACKUP_VAULT_ROLE_ON_CLUSTER,
    BACKUP_VAULT_ROLE_ON_SNAPSHOT_GROUP,
    CLUSTER_ROLE_ON_SNAPSHOT_GROUP,
    EXTENSION_CLUSTER_RESOURCE_NAME,
    EXTENSION_CLUSTER_RP,
    STORAGE_BLOB_DATA_CONTRIBUTOR,
)
from settings import BackupSettings

from .context import StackContext
from .roles import assign_role

# The storage account holds the cluster's backed-up objects, the one copy there is: it is geo-replicated in
# every stack, so that they outlive a region, and zone-redundant too where the vault is (one setting,
# `backup.redundancy`). Each is a Standard general-purpose v2 SKU, the kind the extension takes (AKS_BACKUP_MATRIX);
# geo-replication is added to an account by changing its SKU, in place (Learn "Change how a storage account is
# replicated", https://learn.microsoft.com/azure/storage/common/redundancy-migration). checkov CKV_AZURE_206.
STORAGE_REPLICATION = {
    "LocallyRedundant": "Standard_GRS", "ZoneRedundant": "Standard_GZRS", "GeoRedundant": "Standard_GRS",
}
# The extension's name in the docs' commands (AKS_BACKUP_CLI: `az k8s-extension create --name azure-aks-backup`).
EXTENSION_NAME = "azure-aks-backup"
CONTAINER_NAME = "aks-backup"
OPERATIONAL_STORE = "OperationalStore"


@dataclass(frozen=True)
class BackupArgs:
    settings: BackupSettings
    cluster: containerservice.ManagedCluster
    # The cluster's control-plane identity (user-assigned): what "the AKS cluster" is in Azure Backup's role table.
    cluster_principal_id: pulumi.Input[str]
    # Global, 3-24 lowercase letters and digits: components.naming.global_name("st", ...).
    storage_account_name: pulumi.Input[str]
    # The node subnet, which reaches the storage account through its service endpoint (Microsoft.Storage).
    node_subnet_id: pulumi.Input[str]


class ClusterBackup(pulumi.ComponentResource):
    """Backup vault, policy and instance for one cluster, with the storage, extension, Trusted Access and grants
    the instance needs. Protected where the stack protects its data (prod): the vault, the storage account, the
    container, the snapshot group and the instance."""

    def __init__(self, name: str, context: StackContext, args: BackupArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("aks-platform:dataprotection:ClusterBackup", name, None, opts)
        self._name, self._context = name, context
        s, cluster = args.settings, args.cluster
        kept = pulumi.ResourceOptions(parent=self, protect=context.protect)

        self.snapshot_group = resources.ResourceGroup(
            f"{name}-snapshots",
            resource_group_name=f"rg-{context.stem}-backup-snapshots",
            location=context.location,
            tags=dict(context.tags),
            opts=kept,
        )
        self.vault = self._vault(name, s, kept)
        self.storage_account = self._storage_account(name, s, args, kept)
        self.container = storage.BlobContainer(
            f"{name}-container",
            account_name=self.storage_account.name,
            resource_group_name=context.resource_group_name,
            container_name=CONTAINER_NAME,
            public_access=storage.PublicAccess.NONE,
            opts=kept,
        )
        self.extension = self._extension(name, cluster)
        extension_principal = self.extension.aks_assigned_identity.apply(lambda i: i.principal_id if i else None)
        vault_principal = self.vault.identity.apply(lambda i: i.principal_id if i else None)
        grants = [
            self._grant("extension-blob-data", self.storage_account.id, STORAGE_BLOB_DATA_CONTRIBUTOR,
                        extension_principal),
            self._grant("vault-cluster-reader", cluster.id, BACKUP_VAULT_ROLE_ON_CLUSTER, vault_principal),
            self._grant("vault-snapshots-reader", self.snapshot_group.id, BACKUP_VAULT_ROLE_ON_SNAPSHOT_GROUP,
                        vault_principal),
            self._grant("cluster-snapshots-contributor", self.snapshot_group.id, CLUSTER_ROLE_ON_SNAPSHOT_GROUP,
                        args.cluster_principal_id),
        ]
        self.trusted_access = containerservice.TrustedAccessRoleBinding(
            f"{name}-trusted-access",
            resource_group_name=context.resource_group_name,
            resource_name_=cluster.name,
            trusted_access_role_binding_name="backup-vault",
            source_resource_id=self.vault.id,
            roles=[BACKUP_TRUSTED_ACCESS_ROLE],
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.policy = self._policy(name, s)
        self.instance = self._instance(name, s, cluster, kept, waits_for=[*grants, self.trusted_access, self.extension])
        self.register_outputs({"vault_id": self.vault.id, "instance_id": self.instance.id})

    def _vault(self, name: str, s: BackupSettings, opts: pulumi.ResourceOptions) -> dataprotection.BackupVault:
        """Soft delete On (deleted backups are kept and can be undeleted; AlwaysOn would make that irreversible) and
        immutability as configured (docs/backup.md: why prod is Unlocked by default, not Locked)."""
        return dataprotection.BackupVault(
            f"{name}-vault",
            vault_name=f"bv-{self._context.stem}",
            resource_group_name=self._context.resource_group_name,
            location=self._context.location,
            identity=dataprotection.DppIdentityDetailsArgs(type="SystemAssigned"),
            properties=dataprotection.BackupVaultArgs(
                storage_settings=[dataprotection.StorageSettingArgs(datastore_type="VaultStore", type=s.redundancy)],
                security_settings=dataprotection.SecuritySettingsArgs(
                    soft_delete_settings=dataprotection.SoftDeleteSettingsArgs(state=dataprotection.SoftDeleteState.ON),
                    immutability_settings=dataprotection.ImmutabilitySettingsArgs(state=s.immutability),
                ),
            ),
            tags=dict(self._context.tags),
            opts=opts,
        )

    def _storage_account(
        self, name: str, s: BackupSettings, args: BackupArgs, opts: pulumi.ResourceOptions
    ) -> storage.StorageAccount:
        """Standard general-purpose v2 (the only kind the extension takes, AKS_BACKUP_MATRIX), HTTPS with TLS 1.2,
        no public blob access, no cross-tenant replication; its firewall denies everything but the node subnet and
        the backup vault (a resource instance rule: if the account is behind a firewall, the vault must be allowed
        as trusted access in its network settings, AKS_BACKUP_CONCEPT).

        Shared key access stays on: the extension's default backup storage location authenticates with the account
        key, and with key access off it fails with UserErrorStorageAccountKeyAccessDisallowed, "Please ensure that
        storage account key access is enabled" (github.com/MicrosoftDocs/azure-docs/pull/127508; the extension calls
        listKeys: github.com/MicrosoftDocs/azure-docs/issues/121928). Microsoft samples set
        `configuration.backupStorageLocation.config.useAAD`, but no Learn page documents it: not used here.
        """
        return storage.StorageAccount(
            f"{name}-storage",
            account_name=args.storage_account_name,
            resource_group_name=self._context.resource_group_name,
            location=self._context.location,
            kind=storage.Kind.STORAGE_V2,
            sku=storage.SkuArgs(name=STORAGE_REPLICATION[s.redundancy]),
            enable_https_traffic_only=True,
            minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
            allow_blob_public_access=False,
            allow_cross_tenant_replication=False,
            allow_shared_key_access=True,
            public_network_access=storage.PublicNetworkAccess.ENABLED,
            network_rule_set=storage.NetworkRuleSetArgs(
                default_action=storage.DefaultAction.DENY,
                bypass=storage.Bypass.AZURE_SERVICES,
                virtual_network_rules=[storage.VirtualNetworkRuleArgs(virtual_network_resource_id=args.node_subnet_id,
                                                                      action=storage.Action.ALLOW)],
                resource_access_rules=[storage.ResourceAccessRuleArgs(tenant_id=self._context.tenant_id,
                                                                      resource_id=self.vault.id)],
            ),
            tags=dict(self._context.tags),
            opts=opts,
        )

    def _extension(self, name: str, cluster: containerservice.ManagedCluster) -> kubernetesconfiguration.Extension:
        """The extension, with the configuration keys Microsoft's own templates use (Learn "Quickstart: Configure
        backup for an AKS cluster using Azure Bicep", quick-kubernetes-backup-bicep; the CLI's `blobContainer`,
        `storageAccount`, `storageAccountResourceGroup`, `storageAccountSubscriptionId` map to them). It waits for
        the container: "The blob container must be created in the storage account before installing the AKS Backup
        Extension" (Learn "Frequently asked questions about Azure Backup for AKS")."""
        context = self._context
        return kubernetesconfiguration.Extension(
            f"{name}-extension",
            cluster_rp=EXTENSION_CLUSTER_RP,
            cluster_resource_name=EXTENSION_CLUSTER_RESOURCE_NAME,
            cluster_name=cluster.name,
            resource_group_name=context.resource_group_name,
            extension_name=EXTENSION_NAME,
            extension_type=BACKUP_EXTENSION_TYPE,
            release_train="stable",
            auto_upgrade_minor_version=True,
            scope=kubernetesconfiguration.ScopeArgs(
                cluster=kubernetesconfiguration.ScopeClusterArgs(release_namespace=BACKUP_EXTENSION_NAMESPACE)),
            configuration_settings={
                "configuration.backupStorageLocation.bucket": self.container.name,
                "configuration.backupStorageLocation.config.storageAccount": self.storage_account.name,
                "configuration.backupStorageLocation.config.resourceGroup": context.resource_group_name,
                "configuration.backupStorageLocation.config.subscriptionId": context.subscription_id,
                "credentials.tenantId": context.tenant_id,
            },
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _grant(self, what: str, scope: pulumi.Input[str], role: str, principal_id: pulumi.Input[str]):
        return assign_role(f"{self._name}-{what}", scope=scope, role=role, principal_id=principal_id,
                           subscription_id=self._context.subscription_id, parent=self)

    def _policy(self, name: str, s: BackupSettings) -> dataprotection.BackupPolicy:
        """The schedule and the operational-tier retention, shaped like Azure's default AKS policy template
        (AKS_BACKUP_CLI). Azure does not support changing a policy (AKS_BACKUP_MATRIX: "the modification of a
        backup policy ... [isn't] supported") but does support moving an instance to another policy (Learn "Manage
        Azure Kubernetes Service backups", Change policy): the policy is named after its settings, so a new schedule
        or retention is a new policy that the instance moves to, and the old one is deleted after."""
        operational = dataprotection.DataStoreInfoBaseArgs(data_store_type=OPERATIONAL_STORE,
                                                           object_type="DataStoreInfoBase")
        return dataprotection.BackupPolicy(
            f"{name}-policy",
            backup_policy_name=f"aks-{s.frequency.lower()}-{s.start_time.replace(':', '')}-{s.retention_days}d",
            resource_group_name=self._context.resource_group_name,
            vault_name=self.vault.name,
            properties=dataprotection.BackupPolicyArgs(
                object_type="BackupPolicy",
                datasource_types=[AKS_DATASOURCE_TYPE],
                policy_rules=[
                    dataprotection.AzureBackupRuleArgs(
                        name="BackupDaily" if s.frequency == "P1D" else "BackupHourly",
                        object_type="AzureBackupRule",
                        backup_parameters=dataprotection.AzureBackupParamsArgs(backup_type="Incremental",
                                                                               object_type="AzureBackupParams"),
                        data_store=operational,
                        trigger=dataprotection.ScheduleBasedTriggerContextArgs(
                            object_type="ScheduleBasedTriggerContext",
                            schedule=dataprotection.BackupScheduleArgs(repeating_time_intervals=[s.schedule]),
                            tagging_criteria=[dataprotection.TaggingCriteriaArgs(
                                is_default=True, tag_info=dataprotection.RetentionTagArgs(tag_name="Default"),
                                tagging_priority=99)],
                        ),
                    ),
                    dataprotection.AzureRetentionRuleArgs(
                        name="Default",
                        object_type="AzureRetentionRule",
                        is_default=True,
                        lifecycles=[dataprotection.SourceLifeCycleArgs(
                            delete_after=dataprotection.AbsoluteDeleteOptionArgs(duration=s.retention,
                                                                                 object_type="AbsoluteDeleteOption"),
                            source_data_store=operational,
                        )],
                    ),
                ],
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _instance(
        self, name: str, s: BackupSettings, cluster: containerservice.ManagedCluster, opts: pulumi.ResourceOptions,
        waits_for: list[pulumi.Resource],
    ) -> dataprotection.BackupInstance:
        """The cluster as a protected datasource. Empty namespace lists are left out: no includedNamespaces means
        every namespace (AKS_BACKUP_CLI, `initialize-backupconfig` leaves both null). The snapshot group cannot
        change once the instance exists (AKS_BACKUP_MATRIX), which offline/change_rules.py says in the diff."""
        datasource = {
            "resource_id": cluster.id, "resource_uri": cluster.id, "resource_name": cluster.name,
            "resource_location": self._context.location, "resource_type": AKS_DATASOURCE_TYPE,
            "datasource_type": AKS_DATASOURCE_TYPE,
        }
        return dataprotection.BackupInstance(
            f"{name}-instance",
            backup_instance_name=cluster.name,
            resource_group_name=self._context.resource_group_name,
            vault_name=self.vault.name,
            properties=dataprotection.BackupInstanceArgs(
                object_type="BackupInstance",
                friendly_name=cluster.name,
                data_source_info=dataprotection.DatasourceArgs(object_type="Datasource", **datasource),
                data_source_set_info=dataprotection.DatasourceSetArgs(object_type="DatasourceSet", **datasource),
                policy_info=dataprotection.PolicyInfoArgs(
                    policy_id=self.policy.id,
                    policy_parameters=dataprotection.PolicyParametersArgs(
                        backup_datasource_parameters_list=[dataprotection.KubernetesClusterBackupDatasourceParametersArgs(
                            object_type="KubernetesClusterBackupDatasourceParameters",
                            include_cluster_scope_resources=s.include_cluster_scoped_resources,
                            snapshot_volumes=s.snapshot_volumes,
                            included_namespaces=list(s.included_namespaces) or None,
                            excluded_namespaces=list(s.excluded_namespaces) or None,
                        )],
                        data_store_parameters_list=[dataprotection.AzureOperationalStoreParametersArgs(
                            data_store_type=OPERATIONAL_STORE,
                            object_type="AzureOperationalStoreParameters",
                            resource_group_id=self.snapshot_group.id,
                        )],
                    ),
                ),
            ),
            tags=dict(self._context.tags),
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=waits_for)),
        )
