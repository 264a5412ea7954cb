"""`python -m offline.export STACK DIR`: a stack's desired state as the files outside scanners read.

Each Azure resource becomes an ARM template of its own (`DIR/azure/<logical name>.json`: one resource with
its ARM type, API version, name, envelope and `properties`), each Kubernetes object a manifest
(`DIR/kubernetes/<logical name>.yaml`). One file per resource, named by the Pulumi logical name, so that a
scanner's finding names the resource the way facts/waivers.py and the URN lists do. Secrets are written
as "[secret]", as the plan shows them.

The mock engine records what the program sends the Azure Native provider: the wire inputs, with the
REST body's `properties` flattened into the top level and the URL's path parameters (resourceGroupName,
registryName, ...) beside them. `arm_resource` undoes that with the table ARM_TYPES; a resource type
missing from it is listed in `Export.unmapped` instead of being written, so nothing goes unscanned
unnoticed.
"""
from __future__ import annotations

import argparse
import functools
import importlib
import json
import re
import string
import sys
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .engine import render
from .plan import masked


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


# The top-level fields of an ARM resource besides type, apiVersion, name and properties.
ENVELOPE = ("location", "tags", "sku", "identity", "kind", "zones", "extendedLocation", "plan")
# Path parameters that are no part of the body: the resource group is the deployment's; an extension
# resource's parent (a role assignment's scope, a diagnostic setting's resource) is its ARM `scope`.
SCOPE_PARAMETERS = ("scope", "resourceUri")
DROPPED_PARAMETERS = ("resourceGroupName",)

# The ARM type of each Azure Native token (the REST specs' resource types, https://learn.microsoft.com/azure/templates/).
ARM_TYPES: dict[str, ArmType] = {
    "azure-native:resources:ResourceGroup": ArmType("Microsoft.Resources/resourceGroups", "{resourceGroupName}"),
    "azure-native:authorization:RoleAssignment": ArmType("Microsoft.Authorization/roleAssignments", "{roleAssignmentName}"),
    "azure-native:containerregistry:Registry": ArmType("Microsoft.ContainerRegistry/registries", "{registryName}"),
    "azure-native:containerservice:ManagedCluster": ArmType("Microsoft.ContainerService/managedClusters", "{resourceName}"),
    "azure-native:containerservice:AgentPool": ArmType(
        "Microsoft.ContainerService/managedClusters/agentPools", "{resourceName}/{agentPoolName}"),
    "azure-native:containerservice:MaintenanceConfiguration": ArmType(
        "Microsoft.ContainerService/managedClusters/maintenanceConfigurations", "{resourceName}/{configName}"),
    "azure-native:containerservice:DeploymentSafeguard": ArmType("Microsoft.ContainerService/deploymentSafeguards", "default"),
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
        "Microsoft.Insights/dataCollectionRuleAssociations", "{associationName}"),
    "azure-native:monitor:DiagnosticSetting": ArmType("Microsoft.Insights/diagnosticSettings", "{name}"),
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
    "azure-native:storage:BlobContainer": ArmType(
        "Microsoft.Storage/storageAccounts/blobServices/containers", "{accountName}/default/{containerName}"),
}

ARM_TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
KUBERNETES_PREFIX = "kubernetes:"


@functools.cache
def api_version(token: str) -> str:
    """The REST API version the pinned SDK sends for a type: its docstring says `Uses Azure REST API version X`."""
    _, module, name = token.split(":")
    cls = getattr(importlib.import_module(f"pulumi_azure_native.{module.replace('/', '.')}"), name)
    docs = " ".join(overload.__doc__ or "" for overload in typing.get_overloads(cls.__init__))
    found = re.search(r"Uses Azure REST API version (\S+?)\.?\s", docs)
    if not found:
        raise LookupError(f"the SDK's docstring of {token} names no REST API version")
    return found.group(1)


def arm_resource(resource: dict[str, Any]) -> dict[str, Any]:
    """One recorded Azure Native resource as an ARM template resource (its token must be in ARM_TYPES)."""
    arm = ARM_TYPES[resource["type"]]
    inputs = masked(resource["inputs"])
    name_parameters = {field for text in (arm.name, arm.scope) for _, field, _, _ in string.Formatter().parse(text)
                       if field}
    body: dict[str, Any] = {
        "type": arm.type,
        "apiVersion": api_version(resource["type"]),
        "name": arm.name.format_map(inputs),
    }
    if arm.scope:
        body["scope"] = arm.scope.format_map(inputs)
    properties = dict(inputs.get("properties") or {})
    for key, value in inputs.items():
        if key in name_parameters or key in DROPPED_PARAMETERS or key == "properties":
            continue
        if key in arm.in_properties:
            properties[key] = value
        elif key in SCOPE_PARAMETERS:
            body["scope"] = value
        elif key in ENVELOPE:
            body[key] = value
        elif key in arm.subresources:
            properties[key] = [_subresource(item) for item in value]
        else:
            properties[key] = value
    identities = (body.get("identity") or {}).get("userAssignedIdentities")
    if isinstance(identities, list):  # the SDK takes a list of identity IDs; ARM a map of ID to {}
        body["identity"] = {**body["identity"], "userAssignedIdentities": {i: {} for i in identities}}
    for path, arm_name in sorted(arm.renamed, key=lambda rename: -rename[0].count(".")):  # inner keys first
        _rename(properties, path.split("."), arm_name)
    body["properties"] = properties
    return body


def _rename(value: Any, path: list[str], arm_name: str) -> None:
    """Rename the key at `path` (under `value`, through lists) to `arm_name`, in place, wherever it is present."""
    if isinstance(value, list):
        for item in value:
            _rename(item, path, arm_name)
    elif isinstance(value, dict) and path[0] in value:
        if len(path) == 1:
            value[arm_name] = value.pop(path[0])
        else:
            _rename(value[path[0]], path[1:], arm_name)


def _subresource(item: dict[str, Any]) -> dict[str, Any]:
    """A flattened sub-resource ({name, a, b}) as ARM has it ({name, properties: {a, b}})."""
    outer = {k: v for k, v in item.items() if k in ("id", "name")}
    return {**outer, "properties": {k: v for k, v in item.items() if k not in outer}}


def arm_template(resource: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": ARM_TEMPLATE_SCHEMA, "contentVersion": "1.0.0.0", "resources": [arm_resource(resource)]}


def kubernetes_manifest(resource: dict[str, Any]) -> dict[str, Any] | None:
    """A recorded Kubernetes object as its manifest; None for what is no object of its own (a Helm release)."""
    inputs = masked(resource["inputs"])
    return inputs if "apiVersion" in inputs and "kind" in inputs else None


@dataclass
class Export:
    """What `export` wrote, and the resources it could not (no ARM type known, or no manifest)."""

    files: dict[str, Path] = field(default_factory=dict)  # logical name -> file
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # (type token, logical name)


def export(resources: list[dict[str, Any]], directory: Path) -> Export:
    """Write each Azure resource and Kubernetes object of a rendered stack under `directory`."""
    done = Export()
    for resource in sorted(resources, key=lambda r: r["urn"]):
        token, name = resource["type"], resource["name"]
        if not resource["custom"] or not token.startswith(("azure-native:", KUBERNETES_PREFIX)):
            continue  # components, providers, and what creates nothing in Azure or the cluster
        if token.startswith(KUBERNETES_PREFIX):
            manifest = kubernetes_manifest(resource)
            path, text = directory / "kubernetes" / f"{name}.yaml", manifest and yaml.safe_dump(manifest, sort_keys=True)
        else:
            path = directory / "azure" / f"{name}.json"
            text = json.dumps(arm_template(resource), indent=2, sort_keys=True) + "\n" if token in ARM_TYPES else None
        if text is None:
            done.unmapped.append((token, name))
            continue
        if name in done.files:
            raise ValueError(f"two resources are named {name!r}: their export files would collide")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        done.files[name] = path
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m offline.export", description=__doc__.splitlines()[0])
    parser.add_argument("stack", help="stack name: reads Pulumi.<stack>.yaml")
    parser.add_argument("directory", type=Path, help="where to write azure/*.json and kubernetes/*.yaml")
    args = parser.parse_args(argv)
    done = export(render(args.stack).resources, args.directory)
    print(f"{len(done.files)} files written under {args.directory}")
    for token, name in done.unmapped:
        print(f"not exported: {name} ({token}): no ARM type in offline/export.py ARM_TYPES, or no manifest",
              file=sys.stderr)
    return 1 if done.unmapped else 0


if __name__ == "__main__":
    sys.exit(main())
