"""The example stack that bursts onto virtual nodes (Pulumi.burst.yaml) renders the ACI connector wired end to end."""
from __future__ import annotations

import re
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from offline.engine import ROOT, render, stack_config
from policies.offline import evaluate
from tests.helpers import policy_config_outside_a_fleet, role_id

HERE = Path(__file__).parent
CONFIG = stack_config("burst", root=HERE)
CLUSTER = "azure-native:containerservice:ManagedCluster"
SUBNET = "azure-native:network:Subnet"
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"


@pytest.fixture(scope="module")
def rendered():
    return render("burst", config=CONFIG)


def test_the_aci_connector_runs_in_the_delegated_subnet(rendered):
    subnet = rendered.one(SUBNET, "network-virtualnodes-subnet")["inputs"]
    assert (subnet["addressPrefix"], subnet["delegations"][0]["serviceName"]) == (
        "10.240.16.0/22", "Microsoft.ContainerInstance/containerGroups")
    addon = rendered.one(CLUSTER)["inputs"]["addonProfiles"]["aciConnectorLinux"]
    assert addon == {"enabled": True, "config": {"SubnetName": subnet["subnetName"]}}


def test_pods_take_node_subnet_addresses_on_the_azure_dataplane(rendered):
    inputs = rendered.one(CLUSTER)["inputs"]
    profile = inputs["networkProfile"]
    assert (profile["networkPlugin"], profile["networkDataplane"], profile["networkPolicy"]) == ("azure", "azure", "calico")
    assert "networkPluginMode" not in profile and "podCidr" not in profile
    assert rendered.one(SUBNET, "network-nodes-subnet")["inputs"]["addressPrefix"] == "10.240.8.0/21"
    # No authorized IP ranges, which virtual nodes do not support: the API server is private.
    assert inputs["apiServerAccessProfile"]["enablePrivateCluster"] is True
    assert "authorizedIPRanges" not in inputs["apiServerAccessProfile"]


def test_the_add_on_identity_may_use_the_subnet(rendered):
    cluster = rendered.one(CLUSTER)
    subnet = rendered.one(SUBNET, "network-virtualnodes-subnet")
    grant = rendered.one("azure-native:authorization:RoleAssignment", "cluster-aci-connector-network-contributor")
    assert (grant["inputs"]["roleDefinitionId"], grant["inputs"]["scope"], grant["inputs"]["principalId"]) == (
        role_id(NETWORK_CONTRIBUTOR), subnet["outputs"]["id"],
        cluster["outputs"]["addonProfiles"]["aciConnectorLinux"]["identity"]["objectId"])


def test_the_example_passes_the_dev_policy_pack(rendered):
    findings = evaluate(rendered.to_json()["resources"], policy_config_outside_a_fleet("dev"))  # the example joins no fleet
    assert [f.message for f in findings if f.mandatory] == []


def yaml_blocks() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", (ROOT / "docs" / "virtual-nodes.md").read_text(), re.S)


def test_the_documented_example_is_the_stack_file_the_tests_render():
    stack_file = (HERE / "Pulumi.burst.yaml").read_text()
    assert yaml_blocks()[0] == stack_file[stack_file.index("config:"):]


def test_the_documented_pod_is_valid_and_targets_the_virtual_node():
    deployment = yaml.safe_load(yaml_blocks()[1])
    kubernetes_validate.validate(deployment, "1.35", strict=True)
    pod = deployment["spec"]["template"]["spec"]
    # The node's label and taints, as Learn "Create virtual nodes using Azure CLI" schedules its sample app.
    assert pod["nodeSelector"] == {"kubernetes.io/role": "agent", "kubernetes.io/os": "linux", "type": "virtual-kubelet"}
    assert pod["tolerations"] == [
        {"key": "virtual-kubelet.io/provider", "operator": "Exists"},
        {"key": "azure.com/aci", "effect": "NoSchedule"},
    ]
