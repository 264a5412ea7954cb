"""offline/export.py: each recorded resource as the ARM template or manifest an outside scanner reads."""
from __future__ import annotations

import json

import pytest
import yaml

from offline.engine import render, stack_config
from offline.export import ARM_TEMPLATE_SCHEMA, ARM_TYPES, api_version, arm_resource, export

RG = "/subscriptions/0000/resourceGroups/rg"


def record(token: str, name: str, inputs: dict, custom: bool = True) -> dict:
    return {"urn": f"urn:pulumi:dev::aks-platform::{token}::{name}", "type": token, "name": name, "custom": custom,
            "inputs": inputs}


def test_a_flattened_resource_gets_its_arm_type_name_envelope_and_properties():
    registry = record("azure-native:containerregistry:Registry", "registry-registry", {
        "registryName": "crcontoso", "resourceGroupName": "rg", "location": "westeurope", "tags": {"env": "dev"},
        "sku": {"name": "Premium"}, "adminUserEnabled": False, "publicNetworkAccess": "Disabled",
    })
    assert arm_resource(registry) == {
        "type": "Microsoft.ContainerRegistry/registries",
        "apiVersion": api_version("azure-native:containerregistry:Registry"),
        "name": "crcontoso",
        "location": "westeurope",
        "tags": {"env": "dev"},
        "sku": {"name": "Premium"},
        "properties": {"adminUserEnabled": False, "publicNetworkAccess": "Disabled"},
    }


def test_the_api_version_is_the_one_the_pinned_sdk_sends():
    assert api_version("azure-native:containerservice:ManagedCluster") == "2025-09-01"


def test_a_child_resource_is_named_parent_slash_child_and_its_subresources_get_a_properties_envelope():
    subnet = record("azure-native:network:Subnet", "network-nodes-subnet", {
        "virtualNetworkName": "vnet", "subnetName": "snet-nodes", "resourceGroupName": "rg",
        "addressPrefix": "10.0.0.0/22", "delegations": [{"name": "aks", "serviceName": "Microsoft.ContainerService/managedClusters"}],
        "networkSecurityGroup": {"id": f"{RG}/providers/Microsoft.Network/networkSecurityGroups/nsg"},
    })
    arm = arm_resource(subnet)
    assert (arm["type"], arm["name"]) == ("Microsoft.Network/virtualNetworks/subnets", "vnet/snet-nodes")
    assert arm["properties"] == {
        "addressPrefix": "10.0.0.0/22",
        "delegations": [{"name": "aks", "properties": {"serviceName": "Microsoft.ContainerService/managedClusters"}}],
        # A reference to another resource ({id}) stays as it is.
        "networkSecurityGroup": {"id": f"{RG}/providers/Microsoft.Network/networkSecurityGroups/nsg"},
    }


def test_a_name_may_hold_a_fixed_segment():
    container = record("azure-native:storage:BlobContainer", "backup-container", {
        "accountName": "stbackup", "containerName": "velero", "resourceGroupName": "rg", "publicAccess": "None"})
    arm = arm_resource(container)
    assert (arm["name"], arm["properties"]) == ("stbackup/default/velero", {"publicAccess": "None"})


def test_properties_the_sdk_renames_get_their_rest_names_back():
    account = record("azure-native:storage:StorageAccount", "backup-storage", {
        "accountName": "st", "resourceGroupName": "rg", "publicNetworkAccess": "Enabled",
        "networkRuleSet": {"defaultAction": "Deny", "bypass": "AzureServices",
                           "virtualNetworkRules": [{"virtualNetworkResourceId": f"{RG}/subnets/nodes", "action": "Allow"}],
                           "ipRules": [{"iPAddressOrRange": "203.0.113.0/24", "action": "Allow"}]},
    })
    # checkov's CKV_AZURE_35 and _36 read properties.networkAcls, the name in the REST body.
    assert arm_resource(account)["properties"] == {"publicNetworkAccess": "Enabled", "networkAcls": {
        "defaultAction": "Deny", "bypass": "AzureServices",
        "virtualNetworkRules": [{"id": f"{RG}/subnets/nodes", "action": "Allow"}],
        "ipRules": [{"value": "203.0.113.0/24", "action": "Allow"}]}}
    key = record("azure-native:keyvault:Key", "keyvault-etcd-key", {
        "vaultName": "kv", "keyName": "k", "resourceGroupName": "rg",
        "properties": {"kty": "EC", "curveName": "P-256", "attributes": {"enabled": True, "expires": 1893456000}},
    })
    assert arm_resource(key)["properties"] == {"kty": "EC", "crv": "P-256", "attributes": {"enabled": True, "exp": 1893456000}}


def test_a_cluster_extension_is_scoped_to_its_cluster_and_keeps_its_own_scope_property():
    extension = record("azure-native:kubernetesconfiguration:Extension", "backup-extension", {
        "extensionName": "azure-aks-backup", "clusterRp": "Microsoft.ContainerService",
        "clusterResourceName": "managedClusters", "clusterName": "aks", "resourceGroupName": "rg",
        "extensionType": "microsoft.dataprotection.kubernetes",
        "scope": {"cluster": {"releaseNamespace": "dataprotection-microsoft"}},
    })
    arm = arm_resource(extension)
    assert (arm["type"], arm["name"], arm["scope"]) == (
        "Microsoft.KubernetesConfiguration/extensions", "azure-aks-backup", "Microsoft.ContainerService/managedClusters/aks")
    assert arm["properties"] == {"extensionType": "microsoft.dataprotection.kubernetes",
                                 "scope": {"cluster": {"releaseNamespace": "dataprotection-microsoft"}}}


def test_nsg_rules_are_subresources_as_checkovs_port_checks_read_them():
    nsg = record("azure-native:network:NetworkSecurityGroup", "network-nodes-nsg", {
        "networkSecurityGroupName": "nsg", "resourceGroupName": "rg", "location": "westeurope",
        "securityRules": [{"name": "allow-https", "access": "Allow", "direction": "Inbound", "protocol": "Tcp",
                           "destinationPortRange": "443", "sourceAddressPrefix": "Internet", "priority": 100}],
    })
    (rule,) = arm_resource(nsg)["properties"]["securityRules"]
    assert rule == {"name": "allow-https", "properties": {
        "access": "Allow", "direction": "Inbound", "protocol": "Tcp", "destinationPortRange": "443",
        "sourceAddressPrefix": "Internet", "priority": 100}}


def test_an_extension_resource_keeps_its_scope_and_a_workspace_sku_is_a_property():
    grant = record("azure-native:authorization:RoleAssignment", "registry-kubelet-acr-pull", {
        "roleAssignmentName": "guid", "scope": f"{RG}/providers/Microsoft.ContainerRegistry/registries/cr",
        "principalId": "p", "roleDefinitionId": "/role",
    })
    assert arm_resource(grant)["scope"] == f"{RG}/providers/Microsoft.ContainerRegistry/registries/cr"
    assert arm_resource(grant)["properties"] == {"principalId": "p", "roleDefinitionId": "/role"}
    workspace = record("azure-native:operationalinsights:Workspace", "monitoring-workspace", {
        "workspaceName": "log", "resourceGroupName": "rg", "sku": {"name": "PerGB2018"}, "retentionInDays": 90,
    })
    arm = arm_resource(workspace)
    assert "sku" not in arm and arm["properties"] == {"sku": {"name": "PerGB2018"}, "retentionInDays": 90}


def test_a_properties_input_is_the_body_identities_become_a_map_and_secrets_stay_hidden():
    envelope = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "hunter2"}
    secret = record("azure-native:keyvault:Secret", "demo-secret", {
        "vaultName": "kv", "secretName": "greeting", "resourceGroupName": "rg",
        "properties": {"value": envelope, "contentType": "text/plain"},
    })
    arm = arm_resource(secret)
    assert (arm["name"], arm["properties"]) == ("kv/greeting", {"value": "[secret]", "contentType": "text/plain"})
    cluster = record("azure-native:containerservice:ManagedCluster", "cluster-aks", {
        "resourceName": "aks", "resourceGroupName": "rg",
        "identity": {"type": "UserAssigned", "userAssignedIdentities": ["/id/a"]},
    })
    assert arm_resource(cluster)["identity"] == {"type": "UserAssigned", "userAssignedIdentities": {"/id/a": {}}}


def test_export_writes_one_file_per_resource_named_by_its_logical_name(tmp_path):
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}
    done = export([
        record("azure-native:resources:ResourceGroup", "platform-rg", {"resourceGroupName": "rg", "location": "westeurope"}),
        record("kubernetes:core/v1:Pod", "demo-pod", pod),
        record("kubernetes:helm.sh/v3:Release", "a-release", {"chart": "x"}),
        record("azure-native:web:WebApp", "site", {"name": "site"}),
        record("aks-platform:network:Network", "network", {}, custom=False),
        record("pulumi:providers:kubernetes", "provider", {}),
    ], tmp_path)
    assert done.files == {"platform-rg": tmp_path / "azure/platform-rg.json", "demo-pod": tmp_path / "kubernetes/demo-pod.yaml"}
    template = json.loads(done.files["platform-rg"].read_text())
    assert template["$schema"] == ARM_TEMPLATE_SCHEMA
    assert [(r["type"], r["name"]) for r in template["resources"]] == [("Microsoft.Resources/resourceGroups", "rg")]
    assert yaml.safe_load(done.files["demo-pod"].read_text()) == pod
    # What has no ARM type here, or is no manifest, is listed rather than skipped unseen.
    assert sorted(done.unmapped) == [("azure-native:web:WebApp", "site"), ("kubernetes:helm.sh/v3:Release", "a-release")]


def test_two_resources_of_one_name_are_refused(tmp_path):
    twice = [record("kubernetes:core/v1:Namespace", "ns", {"apiVersion": "v1", "kind": "Namespace"}),
             record("kubernetes:core/v1:ServiceAccount", "ns", {"apiVersion": "v1", "kind": "ServiceAccount"})]
    with pytest.raises(ValueError, match="two resources are named 'ns'"):
        export(twice, tmp_path)


@pytest.mark.parametrize("stack", ["dev", "staging", "prod"])
def test_every_resource_of_a_shipped_stack_is_exported(stack, tmp_path):
    resources = render(stack).resources
    done = export(resources, tmp_path)
    assert done.unmapped == []
    wanted = {r["name"] for r in resources if r["custom"] and r["type"].split(":")[0] in ("azure-native", "kubernetes")}
    assert set(done.files) == wanted
    assert {r["type"] for r in resources if r["type"].startswith("azure-native:")} <= ARM_TYPES.keys()


@pytest.mark.parametrize("outbound_type", ["userAssignedNATGateway", "userDefinedRouting"])
def test_the_egress_resources_of_the_other_outbound_types_are_exported_too(outbound_type, tmp_path):
    config = stack_config("dev")
    network = {**json.loads(config["aks-platform:network"]), "outboundType": outbound_type}
    if outbound_type == "userDefinedRouting":
        network["egressNextHopIp"] = "10.240.8.4"  # the firewall the route table sends egress to
    config["aks-platform:network"] = json.dumps(network)
    resources = render("dev", config=config).resources
    egress = {r["type"] for r in resources} & {"azure-native:network:NatGateway", "azure-native:network:PublicIPAddress",
                                               "azure-native:network:RouteTable"}
    assert egress  # the variant does create its egress resources
    assert export(resources, tmp_path).unmapped == []
