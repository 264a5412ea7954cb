"""The shipped prod stack's runner network, in the whole program: what the cluster and the in-cluster layer wait for."""
import pytest

from offline.engine import render
from tests.helpers import role_id, upstream

AKS = "azure-native:containerservice:ManagedCluster"
PRIVATE_DNS_ZONE_CONTRIBUTOR = "b12aa53e-6015-4669-85d0-8515ebb3ae7f"  # read on the built-in roles page
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
RUNNER_PATH = ("network-to-runner", "network-from-runner", "network-apiserver-zone-runner-link")


@pytest.fixture(scope="module")
def prod():
    return render("prod")


def test_the_cluster_uses_the_stacks_zone_and_waits_for_its_grant(prod):
    zone = prod.one("azure-native:privatedns:PrivateZone", "network-apiserver-zone")
    cluster = prod.one(AKS)
    assert cluster["inputs"]["apiServerAccessProfile"]["privateDNSZone"] == zone["outputs"]["id"]
    grant = prod.one("azure-native:authorization:RoleAssignment", "cluster-private-dns-zone-contributor")
    identity = prod.one("azure-native:managedidentity:UserAssignedIdentity", "cluster-identity")
    assert (grant["inputs"]["roleDefinitionId"], grant["inputs"]["scope"], grant["inputs"]["principalId"]) == (
        role_id(PRIVATE_DNS_ZONE_CONTRIBUTOR), zone["outputs"]["id"], identity["outputs"]["principalId"])
    assert grant["urn"] in cluster["dependencies"]


def test_the_control_plane_may_link_the_zone_to_its_vnet(prod):
    vnet = prod.one("azure-native:network:VirtualNetwork")
    grants = [g for g in prod.of_type("azure-native:authorization:RoleAssignment")
              if g["inputs"]["scope"] == vnet["outputs"]["id"]]
    assert [g["inputs"]["roleDefinitionId"] for g in grants] == [role_id(NETWORK_CONTRIBUTOR)]
    assert grants[0]["urn"] in prod.one(AKS)["dependencies"]


def test_the_in_cluster_layer_waits_until_the_runner_reaches_the_api_server(prod):
    provider = prod.one("pulumi:providers:kubernetes")
    waited_for = {r["name"] for r in upstream(prod, provider)}
    assert set(RUNNER_PATH) <= waited_for


def test_without_a_runner_vnet_nothing_of_it_is_rendered():
    dev = render("dev")
    assert "privateDNSZone" not in dev.one(AKS)["inputs"]["apiServerAccessProfile"]
    names = {r["name"] for r in dev.resources}
    assert not names & {*RUNNER_PATH, "network-apiserver-zone", "cluster-private-dns-zone-contributor"}
