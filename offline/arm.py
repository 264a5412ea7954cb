"""Where each Azure Native resource type lives in ARM: its type, its name and scope from the path parameters.

One table for everything that needs it: the mock engine's resource IDs and names (offline/mocks.py), the
change rules' "part of the ARM ID" (offline/change_rules.py), and the ARM export the scanner reads
(offline/export.py). A type the program creates and this table lacks gets a placeholder ID on the mock
engine, no identity rule in the diff, and a NOT SCANNED line in `make scan`.
"""
from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Mapping

RESOURCE_GROUPS = "Microsoft.Resources/resourceGroups"


@dataclass(frozen=True)
class ArmType:
    """Where a Pulumi resource type lives in ARM, and how its inputs fold back into the REST body."""

    type: str  # the ARM resource type, e.g. Microsoft.ContainerService/managedClusters
    # Its ARM name from the path parameters, parent first: "{virtualNetworkName}/{subnetName}" for a child,
    # "default" for a singleton.
    name: str
    # Input lists whose items are ARM sub-resources ({name, properties}), flattened by the SDK.
    subresources: tuple[str, ...] = ()
    # Inputs that are properties in this type's REST body although other types carry them in the envelope
    # (or, for `scope`, as the ARM scope).
    in_properties: tuple[str, ...] = ()
    # An extension resource's ARM scope from the path parameters (a cluster extension's cluster), "" for none.
    scope: str = ""
    # Properties the SDK names otherwise than the REST body (the spec's x-ms-client-name): the SDK's dotted path
    # under `properties` (a list's items are passed through) and the REST name of its last key.
    renamed: tuple[tuple[str, str], ...] = ()
    # The input that is an extension resource's ARM scope (a role assignment's `scope`, a diagnostic setting's
    # `resourceUri`), "" for a resource in a resource group.
    scope_parameter: str = ""

    @property
    def name_fields(self) -> list[str]:
        """The inputs the ARM name is made of, parent first."""
        return [field for _, field, _, _ in string.Formatter().parse(self.name) if field]

    @property
    def scope_fields(self) -> list[str]:
        return [field for _, field, _, _ in string.Formatter().parse(self.scope) if field]

    def arm_name(self, inputs: Mapping[str, Any], default: str) -> str:
        """The resource's own name: the last segment of its ARM name; `default` where the input is absent
        (Azure Native then names the resource after its logical name)."""
        return self._names(inputs, default)[-1]

    def resource_id(self, inputs: Mapping[str, Any], subscription_id: str, default: str) -> str:
        """The ID Azure gives the resource: its scope (the resource group, its `scope_parameter` input, or
        `scope` under the group), then each type segment followed by its name segment."""
        group = f"/subscriptions/{subscription_id}/resourceGroups/{inputs.get('resourceGroupName', 'rg')}"
        names = self._names(inputs, default)
        if self.type == RESOURCE_GROUPS:
            return f"/subscriptions/{subscription_id}/resourceGroups/{names[0]}"
        if self.scope:
            base = f"{group}/providers/{self.scope.format_map(inputs)}"
        else:
            base = inputs[self.scope_parameter] if self.scope_parameter else group
        namespace, *types = self.type.split("/")
        return f"{base}/providers/{namespace}/" + "/".join(f"{t}/{n}" for t, n in zip(types, names))

    def _names(self, inputs: Mapping[str, Any], default: str) -> list[str]:
        fields = self.name_fields
        values = {**({fields[-1]: default} if fields else {}), **inputs}
        return self.name.format_map(values).split("/")


# The ARM type of each Azure Native token (the REST specs' resource types, https://learn.microsoft.com/azure/templates/).
ARM_TYPES: dict[str, ArmType] = {
    "azure-native:resources:ResourceGroup": ArmType(RESOURCE_GROUPS, "{resourceGroupName}"),
    "azure-native:authorization:RoleAssignment": ArmType(
        "Microsoft.Authorization/roleAssignments", "{roleAssignmentName}", scope_parameter="scope"),
    "azure-native:containerregistry:Registry": ArmType("Microsoft.ContainerRegistry/registries", "{registryName}"),
    "azure-native:containerservice:ManagedCluster": ArmType("Microsoft.ContainerService/managedClusters", "{resourceName}"),
    "azure-native:containerservice:AgentPool": ArmType(
        "Microsoft.ContainerService/managedClusters/agentPools", "{resourceName}/{agentPoolName}"),
    "azure-native:containerservice:MaintenanceConfiguration": ArmType(
        "Microsoft.ContainerService/managedClusters/maintenanceConfigurations", "{resourceName}/{configName}"),
    "azure-native:containerservice:DeploymentSafeguard": ArmType(
        "Microsoft.ContainerService/deploymentSafeguards", "default", scope_parameter="resourceUri"),
    "azure-native:keyvault:Vault": ArmType("Microsoft.KeyVault/vaults", "{vaultName}"),
    # https://learn.microsoft.com/azure/templates/microsoft.keyvault/vaults/secrets and .../vaults/keys:
    # attributes.exp and .nbf, a key's crv.
    "azure-native:keyvault:Secret": ArmType("Microsoft.KeyVault/vaults/secrets", "{vaultName}/{secretName}",
                                            renamed=(("attributes.expires", "exp"), ("attributes.notBefore", "nbf"))),
    "azure-native:keyvault:Key": ArmType("Microsoft.KeyVault/vaults/keys", "{vaultName}/{keyName}", renamed=(
        ("attributes.expires", "exp"), ("attributes.notBefore", "nbf"), ("curveName", "crv"))),
    "azure-native:managedidentity:UserAssignedIdentity": ArmType(
        "Microsoft.ManagedIdentity/userAssignedIdentities", "{resourceName}"),
    "azure-native:managedidentity:FederatedIdentityCredential": ArmType(
        "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
        "{resourceName}/{federatedIdentityCredentialResourceName}"),
    "azure-native:containerregistry:Replication": ArmType(
        "Microsoft.ContainerRegistry/registries/replications", "{registryName}/{replicationName}"),
    "azure-native:containerservice:FleetMember": ArmType("Microsoft.ContainerService/fleets/members", "{fleetName}/{fleetMemberName}"),
    "azure-native:containerservice:TrustedAccessRoleBinding": ArmType(
        "Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings", "{resourceName}/{trustedAccessRoleBindingName}"),
    "azure-native:dataprotection:BackupVault": ArmType("Microsoft.DataProtection/backupVaults", "{vaultName}"),
    "azure-native:dataprotection:BackupPolicy": ArmType(
        "Microsoft.DataProtection/backupVaults/backupPolicies", "{vaultName}/{backupPolicyName}"),
    "azure-native:dataprotection:BackupInstance": ArmType(
        "Microsoft.DataProtection/backupVaults/backupInstances", "{vaultName}/{backupInstanceName}"),
    # Extension resources of the cluster; their own `scope` is a property (the extension's install scope, the
    # configuration's "cluster" or "namespace").
    "azure-native:kubernetesconfiguration:Extension": ArmType(
        "Microsoft.KubernetesConfiguration/extensions", "{extensionName}", in_properties=("scope",),
        scope="{clusterRp}/{clusterResourceName}/{clusterName}"),
    "azure-native:kubernetesconfiguration:FluxConfiguration": ArmType(
        "Microsoft.KubernetesConfiguration/fluxConfigurations", "{fluxConfigurationName}", in_properties=("scope",),
        scope="{clusterRp}/{clusterResourceName}/{clusterName}"),
    "azure-native:alertsmanagement:PrometheusRuleGroup": ArmType(
        "Microsoft.AlertsManagement/prometheusRuleGroups", "{ruleGroupName}"),
    "azure-native:monitor:ActionGroup": ArmType("Microsoft.Insights/actionGroups", "{actionGroupName}"),
    "azure-native:monitor:AzureMonitorWorkspace": ArmType("Microsoft.Monitor/accounts", "{azureMonitorWorkspaceName}"),
    "azure-native:monitor:DataCollectionEndpoint": ArmType(
        "Microsoft.Insights/dataCollectionEndpoints", "{dataCollectionEndpointName}"),
    "azure-native:dashboard:Grafana": ArmType("Microsoft.Dashboard/grafana", "{workspaceName}"),
    "azure-native:monitor:DataCollectionRule": ArmType("Microsoft.Insights/dataCollectionRules", "{dataCollectionRuleName}"),
    "azure-native:monitor:DataCollectionRuleAssociation": ArmType(
        "Microsoft.Insights/dataCollectionRuleAssociations", "{associationName}", scope_parameter="resourceUri"),
    "azure-native:monitor:DiagnosticSetting": ArmType(
        "Microsoft.Insights/diagnosticSettings", "{name}", scope_parameter="resourceUri"),
    "azure-native:network:VirtualNetwork": ArmType("Microsoft.Network/virtualNetworks", "{virtualNetworkName}"),
    "azure-native:network:Subnet": ArmType("Microsoft.Network/virtualNetworks/subnets", "{virtualNetworkName}/{subnetName}",
                                           subresources=("delegations",)),
    "azure-native:network:NetworkSecurityGroup": ArmType(
        "Microsoft.Network/networkSecurityGroups", "{networkSecurityGroupName}", subresources=("securityRules",)),
    "azure-native:network:VirtualNetworkPeering": ArmType(
        "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", "{virtualNetworkName}/{virtualNetworkPeeringName}"),
    "azure-native:network:PrivateEndpoint": ArmType(
        "Microsoft.Network/privateEndpoints", "{privateEndpointName}", subresources=("privateLinkServiceConnections",)),
    "azure-native:network:PrivateDnsZoneGroup": ArmType(
        "Microsoft.Network/privateEndpoints/privateDnsZoneGroups", "{privateEndpointName}/{privateDnsZoneGroupName}",
        subresources=("privateDnsZoneConfigs",)),
    "azure-native:privatedns:PrivateZone": ArmType("Microsoft.Network/privateDnsZones", "{privateZoneName}"),
    "azure-native:privatedns:VirtualNetworkLink": ArmType(
        "Microsoft.Network/privateDnsZones/virtualNetworkLinks", "{privateZoneName}/{virtualNetworkLinkName}"),
    # A Log Analytics workspace's sku is a property (REST spec: WorkspaceProperties.sku).
    "azure-native:operationalinsights:Workspace": ArmType(
        "Microsoft.OperationalInsights/workspaces", "{workspaceName}", in_properties=("sku",)),
    # https://learn.microsoft.com/azure/templates/microsoft.storage/storageaccounts: properties.networkAcls,
    # its virtualNetworkRules' `id` and ipRules' `value`.
    "azure-native:storage:StorageAccount": ArmType("Microsoft.Storage/storageAccounts", "{accountName}", renamed=(
        ("networkRuleSet", "networkAcls"),
        ("networkRuleSet.virtualNetworkRules.virtualNetworkResourceId", "id"),
        ("networkRuleSet.ipRules.iPAddressOrRange", "value"),
    )),
    # Only in stacks with a NAT gateway or a route table to a firewall, in the runner network, and in the fleet hub.
    "azure-native:network:NatGateway": ArmType("Microsoft.Network/natGateways", "{natGatewayName}"),
    "azure-native:network:PublicIPAddress": ArmType("Microsoft.Network/publicIPAddresses", "{publicIpAddressName}"),
    "azure-native:network:RouteTable": ArmType("Microsoft.Network/routeTables", "{routeTableName}"),
    "azure-native:network:SecurityRule": ArmType(
        "Microsoft.Network/networkSecurityGroups/securityRules", "{networkSecurityGroupName}/{securityRuleName}"),
    "azure-native:containerservice:Fleet": ArmType("Microsoft.ContainerService/fleets", "{fleetName}"),
    "azure-native:containerservice:FleetUpdateStrategy": ArmType(
        "Microsoft.ContainerService/fleets/updateStrategies", "{fleetName}/{updateStrategyName}"),
    "azure-native:containerservice:AutoUpgradeProfile": ArmType(
        "Microsoft.ContainerService/fleets/autoUpgradeProfiles", "{fleetName}/{autoUpgradeProfileName}"),
    "azure-native:storage:BlobContainer": ArmType(
        "Microsoft.Storage/storageAccounts/blobServices/containers", "{accountName}/default/{containerName}"),
}
