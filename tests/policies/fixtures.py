"""A known-good stack in the offline plan's record format; tests flip one property at a time.

Each call returns fresh copies, so a test can mutate what it gets. Ids are realistic ARM ids like the
mock engine returns.
"""
from __future__ import annotations

import copy
from typing import Any

from facts.azure import ACR_PULL, KEY_VAULT_SECRETS_USER

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000"
RG = "rg-aks-dev"
KUBELET_PRINCIPAL = "11111111-2222-3333-4444-555555555555"


def arm_id(provider_type: str, name: str) -> str:
    return f"{SUB}/resourceGroups/{RG}/providers/{provider_type}/{name}"


CLUSTER_ID = arm_id("Microsoft.ContainerService/managedClusters", "aks-dev")
VAULT_ID = arm_id("Microsoft.KeyVault/vaults", "kv-aks-dev")
SECRET_ID = f"{VAULT_ID}/secrets/team-a-db-password"
REGISTRY_ID = arm_id("Microsoft.ContainerRegistry/registries", "acraksdev")
WORKSPACE_ID = arm_id("Microsoft.OperationalInsights/workspaces", "log-aks-dev")
KUBELET_ID = arm_id("Microsoft.ManagedIdentity/userAssignedIdentities", "id-aks-dev-kubelet")
NSG_ID = arm_id("Microsoft.Network/networkSecurityGroups", "nsg-nodes")
BACKUP_VAULT_ID = arm_id("Microsoft.DataProtection/backupVaults", "bv-aks-dev")
STORAGE_ID = arm_id("Microsoft.Storage/storageAccounts", "staksdev")
TAGS = {"environment": "dev"}


def urn(resource_type: str, name: str) -> str:
    return f"urn:pulumi:dev::aks-platform::{resource_type}::{name}"


def good_pool(name: str, mode: str) -> dict[str, Any]:
    pool = {"name": name, "mode": mode, "vmSize": "Standard_D4ds_v5", "count": 3, "osDiskType": "Ephemeral",
            "enableEncryptionAtHost": True, "enableNodePublicIP": False, "securityProfile": {"sshAccess": "Disabled"},
            "maxPods": 110.0, "type": "VirtualMachineScaleSets", "availabilityZones": ["1", "2", "3"]}
    if mode == "System":
        pool["nodeTaints"] = ["CriticalAddonsOnly=true:NoSchedule"]
    return pool


_INPUTS: dict[str, tuple[str, dict[str, Any], str | None]] = {
    # logical name: (type, inputs, ARM id)
    "rg": ("azure-native:resources:ResourceGroup", {"resourceGroupName": RG, "tags": TAGS},
           f"{SUB}/resourceGroups/{RG}"),
    "aks": ("azure-native:containerservice:ManagedCluster", {
        "resourceGroupName": RG, "resourceName": "aks-dev", "kubernetesVersion": "1.33",
        "sku": {"name": "Base", "tier": "Standard"},
        "disableLocalAccounts": True, "enableRBAC": True,
        "aadProfile": {"managed": True, "enableAzureRBAC": True},
        "apiServerAccessProfile": {"enablePrivateCluster": True, "disableRunCommand": True},
        "azureMonitorProfile": {"metrics": {"enabled": True}},
        "addonProfiles": {
            "azurepolicy": {"enabled": True},
            "omsagent": {"enabled": True, "config": {"logAnalyticsWorkspaceResourceID": WORKSPACE_ID,
                                                     "useAADAuth": "true"}},
            "azureKeyvaultSecretsProvider": {"enabled": True, "config": {"enableSecretRotation": "true",
                                                                         "rotationPollInterval": "2m"}},
        },
        "networkProfile": {"networkPlugin": "azure", "networkPluginMode": "overlay", "networkPolicy": "cilium",
                           "networkDataplane": "cilium"},
        "identity": {"type": "UserAssigned", "userAssignedIdentities": {arm_id(
            "Microsoft.ManagedIdentity/userAssignedIdentities", "id-aks-dev"): {}}},
        "identityProfile": {"kubeletidentity": {"resourceId": KUBELET_ID, "objectId": KUBELET_PRINCIPAL}},
        "oidcIssuerProfile": {"enabled": True},
        "securityProfile": {
            "workloadIdentity": {"enabled": True},
            "imageCleaner": {"enabled": True, "intervalHours": 168},
            "defender": {"logAnalyticsWorkspaceResourceId": WORKSPACE_ID, "securityMonitoring": {"enabled": True}},
            "azureKeyVaultKms": {"enabled": True, "keyId": "https://kv-aks-dev.vault.azure.net/keys/etcd/1",
                                 "keyVaultNetworkAccess": "Private", "keyVaultResourceId": VAULT_ID},
        },
        "autoUpgradeProfile": {"upgradeChannel": "patch", "nodeOSUpgradeChannel": "NodeImage"},
        "agentPoolProfiles": [good_pool("system", "System"), good_pool("batch", "User")],
        "tags": TAGS,
    }, CLUSTER_ID),
    "apps": ("azure-native:containerservice:AgentPool", {
        "resourceGroupName": RG, "resourceName": "aks-dev", "agentPoolName": "apps",
        **{k: v for k, v in good_pool("apps", "User").items() if k != "name"}, "tags": TAGS,
    }, CLUSTER_ID + "/agentPools/apps"),
    "nsg": ("azure-native:network:NetworkSecurityGroup", {
        "resourceGroupName": RG, "networkSecurityGroupName": "nsg-nodes", "tags": TAGS,
        "securityRules": [
            {"name": "allow-https", "priority": 100.0, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
             "sourceAddressPrefix": "Internet", "sourcePortRange": "*", "destinationAddressPrefix": "*",
             "destinationPortRange": "443"},
            {"name": "allow-ssh-corp", "priority": 110.0, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
             "sourceAddressPrefixes": ["203.0.113.0/24"], "sourcePortRange": "*", "destinationAddressPrefix": "*",
             "destinationPortRanges": ["22"]},
            {"name": "deny-internet", "priority": 4000.0, "direction": "Inbound", "access": "Deny", "protocol": "*",
             "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*",
             "destinationPortRange": "*"},
        ]}, NSG_ID),
    "http": ("azure-native:network:SecurityRule", {
        "resourceGroupName": RG, "networkSecurityGroupName": "nsg-nodes", "securityRuleName": "allow-http",
        "priority": 120.0, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
        "sourceAddressPrefix": "Internet", "sourcePortRange": "*", "destinationAddressPrefix": "*",
        "destinationPortRange": "80"}, NSG_ID + "/securityRules/allow-http"),
    "vnet": ("azure-native:network:VirtualNetwork", {
        "resourceGroupName": RG, "virtualNetworkName": "vnet-aks-dev", "tags": TAGS,
        "addressSpace": {"addressPrefixes": ["10.240.0.0/16"]},
        "subnets": [{"name": "inline", "addressPrefix": "10.240.8.0/24", "networkSecurityGroup": {"id": NSG_ID}},
                    {"name": "GatewaySubnet", "addressPrefix": "10.240.9.0/27"}]},
        arm_id("Microsoft.Network/virtualNetworks", "vnet-aks-dev")),
    "nodes": ("azure-native:network:Subnet", {
        "resourceGroupName": RG, "virtualNetworkName": "vnet-aks-dev", "subnetName": "nodes",
        "addressPrefix": "10.240.0.0/22", "networkSecurityGroup": {"id": NSG_ID}},
        arm_id("Microsoft.Network/virtualNetworks", "vnet-aks-dev") + "/subnets/nodes"),
    "apiserver": ("azure-native:network:Subnet", {
        "resourceGroupName": RG, "virtualNetworkName": "vnet-aks-dev", "subnetName": "apiserver",
        "addressPrefix": "10.240.4.0/28",
        "delegations": [{"name": "aks", "serviceName": "Microsoft.ContainerService/managedClusters"}]},
        arm_id("Microsoft.Network/virtualNetworks", "vnet-aks-dev") + "/subnets/apiserver"),
    "aci": ("azure-native:network:Subnet", {
        "resourceGroupName": RG, "virtualNetworkName": "vnet-aks-dev", "subnetName": "virtualnodes",
        "addressPrefix": "10.240.16.0/22", "networkSecurityGroup": {"id": NSG_ID},
        "delegations": [{"name": "virtualnodes", "serviceName": "Microsoft.ContainerInstance/containerGroups"}]},
        arm_id("Microsoft.Network/virtualNetworks", "vnet-aks-dev") + "/subnets/virtualnodes"),
    "kv": ("azure-native:keyvault:Vault", {
        "resourceGroupName": RG, "vaultName": "kv-aks-dev", "tags": TAGS,
        "properties": {"tenantId": "00000000-0000-0000-0000-000000000001", "sku": {"family": "A", "name": "standard"},
                       "enableRbacAuthorization": True, "enableSoftDelete": True, "softDeleteRetentionInDays": 90.0,
                       "enablePurgeProtection": True, "publicNetworkAccess": "Disabled",
                       "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"}}}, VAULT_ID),
    "secret": ("azure-native:keyvault:Secret", {
        "resourceGroupName": RG, "vaultName": "kv-aks-dev", "secretName": "db-password", "tags": TAGS,
        "properties": {"value": "s3cret", "attributes": {"expires": 1893456000.0}}}, VAULT_ID + "/secrets/db-password"),
    "key": ("azure-native:keyvault:Key", {
        "resourceGroupName": RG, "vaultName": "kv-aks-dev", "keyName": "etcd", "tags": TAGS,
        "properties": {"kty": "RSA", "attributes": {"expires": 1893456000.0}, "rotationPolicy": {
            "lifetimeActions": [{"action": {"type": "rotate"}, "trigger": {"timeAfterCreate": "P1Y"}}]}}},
        VAULT_ID + "/keys/etcd"),
    "acr": ("azure-native:containerregistry:Registry", {
        "resourceGroupName": RG, "registryName": "acraksdev", "sku": {"name": "Premium"}, "tags": TAGS,
        "location": "westeurope", "adminUserEnabled": False, "anonymousPullEnabled": False,
        "publicNetworkAccess": "Disabled", "policies": {"exportPolicy": {"status": "disabled"}}}, REGISTRY_ID),
    "acr-replica": ("azure-native:containerregistry:Replication", {
        "resourceGroupName": RG, "registryName": "acraksdev", "replicationName": "northeurope", "tags": TAGS,
        "location": "northeurope", "zoneRedundancy": "Enabled"}, REGISTRY_ID + "/replications/northeurope"),
    "log": ("azure-native:operationalinsights:Workspace", {
        "resourceGroupName": RG, "workspaceName": "log-aks-dev", "retentionInDays": 90.0, "tags": TAGS,
        "features": {"disableLocalAuth": True}, "sku": {"name": "PerGB2018"}}, WORKSPACE_ID),
    "grafana": ("azure-native:dashboard:Grafana", {
        "resourceGroupName": RG, "workspaceName": "amg-aks-dev", "sku": {"name": "Standard"}, "tags": TAGS,
        "properties": {"publicNetworkAccess": "Disabled", "apiKey": "Disabled"}},
        arm_id("Microsoft.Dashboard/grafana", "amg-aks-dev")),
    "flux": ("azure-native:kubernetesconfiguration:FluxConfiguration", {
        "resourceGroupName": RG, "clusterName": "aks-dev", "clusterRp": "Microsoft.ContainerService",
        "clusterResourceName": "managedClusters", "fluxConfigurationName": "platform", "sourceKind": "GitRepository",
        "gitRepository": {"url": "https://github.com/Azure/gitops-flux2-kustomize-helm-mt",
                          "repositoryRef": {"branch": "main"}}},
        CLUSTER_ID + "/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/platform"),
    "aks-audit": ("azure-native:monitor:DiagnosticSetting", {
        "name": "aks-audit", "resourceUri": CLUSTER_ID, "workspaceId": WORKSPACE_ID,
        "logs": [{"category": "kube-audit-admin", "enabled": True}, {"category": "guard", "enabled": True}]},
        CLUSTER_ID + "/providers/Microsoft.Insights/diagnosticSettings/aks-audit"),
    "kv-audit": ("azure-native:monitor:DiagnosticSetting", {
        "name": "kv-audit", "resourceUri": VAULT_ID, "workspaceId": WORKSPACE_ID,
        "logs": [{"category": "AuditEvent", "enabled": True}]},
        VAULT_ID + "/providers/Microsoft.Insights/diagnosticSettings/kv-audit"),
    "kubelet": ("azure-native:managedidentity:UserAssignedIdentity", {
        "resourceGroupName": RG, "resourceName": "id-aks-dev-kubelet", "tags": TAGS}, KUBELET_ID),
    "acr-pull": ("azure-native:authorization:RoleAssignment", {
        "principalId": KUBELET_PRINCIPAL, "principalType": "ServicePrincipal", "scope": REGISTRY_ID,
        "roleDefinitionId": f"{SUB}/providers/Microsoft.Authorization/roleDefinitions/{ACR_PULL}"},
        REGISTRY_ID + "/providers/Microsoft.Authorization/roleAssignments/aaaa"),
    "team-a-secrets-user": ("azure-native:authorization:RoleAssignment", {
        "principalId": "66666666-7777-8888-9999-000000000000", "principalType": "ServicePrincipal",
        "scope": SECRET_ID,
        "roleDefinitionId": f"{SUB}/providers/Microsoft.Authorization/roleDefinitions/{KEY_VAULT_SECRETS_USER}"},
        SECRET_ID + "/providers/Microsoft.Authorization/roleAssignments/bbbb"),
    "safeguard": ("azure-native:containerservice:DeploymentSafeguard", {
        "resourceUri": CLUSTER_ID, "level": "Enforce", "excludedNamespaces": []},
        CLUSTER_ID + "/providers/Microsoft.ContainerService/deploymentSafeguards/default"),
    # A node auto-provisioning NodePool (components/in_cluster/nap.py), as the Kubernetes provider records it.
    "nap-pool": ("kubernetes:karpenter.sh/v1:NodePool", {
        "apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": "general"},
        "spec": {"limits": {"cpu": "80", "memory": "320Gi"}, "template": {"spec": {
            "nodeClassRef": {"group": "karpenter.azure.com", "kind": "AKSNodeClass", "name": "general"},
            "requirements": [{"key": "karpenter.azure.com/sku-family", "operator": "In", "values": ["D"]}]}}}},
        "general"),
    "backup-vault": ("azure-native:dataprotection:BackupVault", {
        "resourceGroupName": RG, "vaultName": "bv-aks-dev", "tags": TAGS, "identity": {"type": "SystemAssigned"},
        "properties": {"storageSettings": [{"datastoreType": "VaultStore", "type": "LocallyRedundant"}],
                       "securitySettings": {"softDeleteSettings": {"state": "On"},
                                            "immutabilitySettings": {"state": "Unlocked"}}}}, BACKUP_VAULT_ID),
    "backup-storage": ("azure-native:storage:StorageAccount", {
        "resourceGroupName": RG, "accountName": "staksdev", "tags": TAGS, "kind": "StorageV2",
        "sku": {"name": "Standard_LRS"}, "enableHttpsTrafficOnly": True, "minimumTlsVersion": "TLS1_2",
        "allowBlobPublicAccess": False, "networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices"}},
        STORAGE_ID),
    "backup-instance": ("azure-native:dataprotection:BackupInstance", {
        "resourceGroupName": RG, "vaultName": "bv-aks-dev", "backupInstanceName": "aks-dev", "tags": TAGS,
        "properties": {"objectType": "BackupInstance", "dataSourceInfo": {"resourceID": CLUSTER_ID}}},
        BACKUP_VAULT_ID + "/backupInstances/aks-dev"),
}

_OUTPUTS_EXTRA = {"kubelet": {"principalId": KUBELET_PRINCIPAL}}


def good_stack() -> dict[str, dict[str, Any]]:
    """logical name -> resource record as the offline plan records it (inputs, outputs with id, ...)."""
    stack = {}
    for name, (resource_type, inputs, resource_id) in _INPUTS.items():
        stack[name] = {
            "urn": urn(resource_type, name), "type": resource_type, "name": name, "parent": None, "custom": True,
            "inputs": copy.deepcopy(inputs),
            "outputs": {**copy.deepcopy(inputs), "id": resource_id, **_OUTPUTS_EXTRA.get(name, {})},
            "dependencies": [], "propertyDependencies": {}, "protect": False, "ignoreChanges": [], "provider": "",
        }
    stack["acr-pull"]["propertyDependencies"] = {"scope": [stack["acr"]["urn"]],
                                                 "principalId": [stack["kubelet"]["urn"]]}
    return stack


def good(name: str) -> tuple[str, dict[str, Any]]:
    """(type, inputs) of one known-good resource."""
    resource_type, inputs, _ = _INPUTS[name]
    return resource_type, copy.deepcopy(inputs)
