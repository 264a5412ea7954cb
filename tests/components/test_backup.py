"""Azure Backup for AKS: alone, each resource with the value that matters (who gets which role where, what the
extension is told, what the policy and instance say, what the instance waits for); in the shipped stacks, on in
staging and prod and off in dev, wired to the cluster's identity and the node subnet."""
import pytest

from components.backup import BackupArgs, ClusterBackup
from facts.azure import CONTRIBUTOR, READER, STORAGE_BLOB_DATA_CONTRIBUTOR
from offline.engine import render
from offline.mocks import SUBSCRIPTION_ID, TENANT_ID
from tests.helpers import settings_for, upstream

from .helpers import CONTEXT, render_component, stand_in_cluster

VAULT = "azure-native:dataprotection:BackupVault"
POLICY = "azure-native:dataprotection:BackupPolicy"
INSTANCE = "azure-native:dataprotection:BackupInstance"
STORAGE = "azure-native:storage:StorageAccount"
CONTAINER = "azure-native:storage:BlobContainer"
EXTENSION = "azure-native:kubernetesconfiguration:Extension"
BINDING = "azure-native:containerservice:TrustedAccessRoleBinding"
GROUP = "azure-native:resources:ResourceGroup"
ROLE = "azure-native:authorization:RoleAssignment"
CLUSTER_PRINCIPAL = "33333333-3333-3333-3333-333333333333"
SUBNET_ID = (f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-contoso-prod/providers/Microsoft.Network/"
             "virtualNetworks/vnet-contoso-prod/subnets/snet-nodes")


def render_backup(**backup):
    settings = settings_for("prod", backup=backup).backup
    return render_component(lambda: ClusterBackup("backup", CONTEXT, BackupArgs(
        settings, stand_in_cluster(), cluster_principal_id=CLUSTER_PRINCIPAL,
        storage_account_name="stcontosoprd12345", node_subnet_id=SUBNET_ID,
    )))


@pytest.fixture(scope="module")
def backup():
    return render_backup()


def grants(rendered):
    """(role, scope's last two segments, principal) of every role assignment."""
    return {(r["inputs"]["roleDefinitionId"].rsplit("/", 1)[-1], "/".join(r["inputs"]["scope"].split("/")[-2:]),
             r["inputs"]["principalId"]) for r in rendered[0].of_type(ROLE)}


def test_the_vault_has_soft_delete_immutability_redundancy_and_its_own_identity(backup):
    vault = backup[0].one(VAULT)
    security = vault["inputs"]["properties"]["securitySettings"]
    assert security == {"softDeleteSettings": {"state": "On"}, "immutabilitySettings": {"state": "Unlocked"}}
    assert vault["inputs"]["properties"]["storageSettings"] == [{"datastoreType": "VaultStore", "type": "ZoneRedundant"}]
    assert vault["inputs"]["identity"] == {"type": "SystemAssigned"}
    assert vault["protect"] is True


def test_the_storage_account_is_closed_but_to_the_nodes_and_the_vault(backup):
    account = backup[0].one(STORAGE)["inputs"]
    assert (account["kind"], account["sku"]["name"]) == ("StorageV2", "Standard_GZRS")
    assert (account["minimumTlsVersion"], account["enableHttpsTrafficOnly"], account["allowBlobPublicAccess"],
            account["allowCrossTenantReplication"]) == ("TLS1_2", True, False, False)
    # The extension's default storage location signs in with the account key (components/backup.py).
    assert account["allowSharedKeyAccess"] is True
    rules = account["networkRuleSet"]
    assert (rules["defaultAction"], rules["bypass"]) == ("Deny", "AzureServices")
    assert rules["virtualNetworkRules"] == [{"virtualNetworkResourceId": SUBNET_ID, "action": "Allow"}]
    assert rules["resourceAccessRules"] == [{"tenantId": TENANT_ID, "resourceId": backup[0].one(VAULT)["outputs"]["id"]}]
    assert backup[0].one(CONTAINER)["inputs"]["publicAccess"] == "None"


def test_the_extension_is_told_the_container_account_group_subscription_and_tenant(backup):
    extension = backup[0].one(EXTENSION)["inputs"]
    assert (extension["extensionType"], extension["extensionName"], extension["releaseTrain"]) == (
        "microsoft.dataprotection.kubernetes", "azure-aks-backup", "stable")
    assert extension["scope"] == {"cluster": {"releaseNamespace": "dataprotection-microsoft"}}
    assert extension["configurationSettings"] == {
        "configuration.backupStorageLocation.bucket": "aks-backup",
        "configuration.backupStorageLocation.config.storageAccount": "stcontosoprd12345",
        "configuration.backupStorageLocation.config.resourceGroup": "rg-contoso-prod",
        "configuration.backupStorageLocation.config.subscriptionId": SUBSCRIPTION_ID,
        "credentials.tenantId": TENANT_ID,
    }


def test_each_identity_gets_exactly_the_documented_role_on_the_documented_scope(backup):
    rendered = backup[0]
    extension = rendered.one(EXTENSION)["outputs"]["aksAssignedIdentity"]["principalId"]
    vault = rendered.one(VAULT)["outputs"]["identity"]["principalId"]
    snapshots = "resourceGroups/rg-contoso-prod-backup-snapshots"
    assert grants(backup) == {
        (STORAGE_BLOB_DATA_CONTRIBUTOR, "storageAccounts/stcontosoprd12345", extension),
        (READER, "managedClusters/aks-contoso-prod", vault),
        (READER, snapshots, vault),
        (CONTRIBUTOR, snapshots, CLUSTER_PRINCIPAL),
    }


def test_trusted_access_binds_the_vault_to_the_cluster_as_backup_operator(backup):
    binding = backup[0].one(BINDING)["inputs"]
    assert binding["roles"] == ["Microsoft.DataProtection/backupVaults/backup-operator"]
    assert binding["sourceResourceId"] == backup[0].one(VAULT)["outputs"]["id"]
    assert binding["resourceName"] == "aks-contoso-prod"


def test_the_policy_says_the_schedule_and_the_retention_and_is_named_after_them():
    rendered, _ = render_backup(frequency="PT8H", startTime="01:30", retentionDays=14)
    policy = rendered.one(POLICY)["inputs"]
    assert policy["backupPolicyName"] == "aks-pt8h-0130-14d"
    backup_rule, retention_rule = policy["properties"]["policyRules"]
    assert backup_rule["trigger"]["schedule"]["repeatingTimeIntervals"] == ["R/2024-01-01T01:30:00+00:00/PT8H"]
    assert backup_rule["dataStore"]["dataStoreType"] == "OperationalStore"
    assert retention_rule["lifecycles"][0]["deleteAfter"]["duration"] == "P14D"
    assert policy["properties"]["datasourceTypes"] == ["Microsoft.ContainerService/managedClusters"]


def test_the_instance_protects_the_cluster_with_the_namespaces_and_waits_for_every_grant(backup):
    rendered, _ = render_backup(includedNamespaces=["shop", "payments"], excludedNamespaces=["scratch"])
    instance = rendered.one(INSTANCE)
    properties = instance["inputs"]["properties"]
    assert properties["dataSourceInfo"]["resourceID"].endswith("/managedClusters/aks-contoso-prod")
    assert properties["policyInfo"]["policyId"] == rendered.one(POLICY)["outputs"]["id"]
    [parameters] = properties["policyInfo"]["policyParameters"]["backupDatasourceParametersList"]
    assert (parameters["includedNamespaces"], parameters["excludedNamespaces"]) == (["shop", "payments"], ["scratch"])
    assert (parameters["snapshotVolumes"], parameters["includeClusterScopeResources"]) == (True, True)
    [store] = properties["policyInfo"]["policyParameters"]["dataStoreParametersList"]
    assert store["resourceGroupId"] == rendered.one(GROUP)["outputs"]["id"]
    waits_for = {r["type"] for r in upstream(rendered, instance)}
    assert {ROLE, BINDING, EXTENSION, POLICY, VAULT, GROUP} <= waits_for
    assert len([r for r in upstream(rendered, instance) if r["type"] == ROLE]) == 4
    assert instance["protect"] is True


def test_no_namespace_lists_means_every_namespace(backup):
    [parameters] = backup[0].one(INSTANCE)["inputs"]["properties"]["policyInfo"]["policyParameters"][
        "backupDatasourceParametersList"]
    assert "includedNamespaces" not in parameters and "excludedNamespaces" not in parameters


@pytest.fixture(scope="module")
def stacks():
    return {stack: render(stack) for stack in ("dev", "prod")}


def test_backup_is_off_in_dev_and_on_in_prod_with_the_cluster_identity_and_the_node_subnet(stacks):
    assert stacks["dev"].of_type(INSTANCE) == []
    prod = stacks["prod"]
    identity = prod.one("azure-native:managedidentity:UserAssignedIdentity", "cluster-identity")
    contributor = [r for r in prod.of_type(ROLE) if r["name"] == "backup-cluster-snapshots-contributor"]
    assert contributor[0]["inputs"]["principalId"] == identity["outputs"]["principalId"]
    nodes = next(r for r in prod.of_type("azure-native:network:Subnet") if r["inputs"]["subnetName"] == "snet-nodes")
    assert [e["service"] for e in nodes["inputs"]["serviceEndpoints"]] == ["Microsoft.KeyVault", "Microsoft.Storage"]
    rules = prod.one(STORAGE)["inputs"]["networkRuleSet"]["virtualNetworkRules"]
    assert rules[0]["virtualNetworkResourceId"] == nodes["outputs"]["id"]
