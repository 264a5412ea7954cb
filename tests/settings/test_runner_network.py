"""network.runnerVnetId: the ID's format, the private API server it goes with, and the warning without it."""
import pytest

from settings import ConfigError, parse
from settings.errors import show
from tests.helpers import settings_for

RUNNER = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-runners/providers/Microsoft.Network/virtualNetworks/vnet-runners"
FORMAT = ("must be a virtual network's resource ID, /subscriptions/<subscription GUID>/resourceGroups/<group>/providers/"
          "Microsoft.Network/virtualNetworks/<name> (as `az network vnet show -g <group> -n <name> --query id -o tsv` "
          "prints it)")


def problems(raw):
    with pytest.raises(ConfigError) as caught:
        parse(raw, "westeurope")
    return caught.value.problems


@pytest.mark.parametrize("value", [
    "vnet-runners",  # a name, not an ID
    RUNNER + "/subnets/snet-runners",  # a subnet's ID
    RUNNER.replace("00000000-0000-0000-0000-000000000000", "my-subscription"),
    RUNNER.replace("virtualNetworks", "networkSecurityGroups"),
    RUNNER.replace("vnet-runners", "v"),  # a VNet name is at least 2 characters
    RUNNER.replace("rg-runners", "rg."),  # a resource group name does not end in a period
    42,
])
def test_a_malformed_runner_vnet_id_names_the_key_the_value_and_the_format(value):
    raw = {"environment": "prod", "namePrefix": "contoso", "network": {"runnerVnetId": value}}
    assert problems(raw) == [f"aks-platform:network.runnerVnetId: {FORMAT} (got {show(value)})"]


def test_a_runner_vnet_id_gives_its_resource_group_and_name_in_any_case():
    network = settings_for("prod", network={"runnerVnetId": RUNNER.replace("/resourceGroups/", "/resourcegroups/")}).network
    assert (network.runner_vnet.resource_group, network.runner_vnet.name) == ("rg-runners", "vnet-runners")


def test_a_runner_vnet_with_a_public_api_server_is_refused():
    raw = {"environment": "dev", "namePrefix": "contoso", "network": {"runnerVnetId": RUNNER},
           "cluster": {"authorizedIpRanges": ["203.0.113.0/24"]}}
    assert problems(raw) == [
        "aks-platform:network.runnerVnetId: peers a runner network with a private API server, but cluster.private is "
        "false (a public API server is reached through cluster.authorizedIpRanges); remove runnerVnetId or set "
        "cluster.private: true"
    ]


def runner_warnings(settings) -> list[str]:
    """The warnings about the runner's network (an alerts warning may stand beside them)."""
    return [w for w in settings.warnings if "runnerVnetId" in w]


def test_a_private_api_server_with_the_in_cluster_layer_and_no_runner_vnet_is_warned_about():
    warnings = runner_warnings(settings_for("prod"))
    assert len(warnings) == 1
    assert warnings[0].startswith("aks-platform:network.runnerVnetId: not set, but the API server is private")
    assert "docs/private-cluster.md" in warnings[0]


@pytest.mark.parametrize("sections", [
    {"network": {"runnerVnetId": RUNNER}},  # the runner's network is connected
    {"inCluster": False},  # pulumi up leaves the in-cluster layer out
])
def test_no_warning_when_the_runner_can_reach_the_api_server_or_need_not(sections):
    assert runner_warnings(settings_for("prod", **sections)) == []


def test_no_warning_for_a_public_api_server():
    assert runner_warnings(settings_for("dev")) == []
