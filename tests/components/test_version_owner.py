"""Re-runs never fight an upgrade (issue 10 §2): once a channel moves the minor version (the cluster's stable
or rapid channel, or a fleet), the cluster's and every pool's version are left to it (`ignoreChanges`);
otherwise the stack file's version is applied as written. Whole-program renders of the dev stack file with
only the upgrade owner changed, and the pools component alone."""
import json

import pytest

from components.fleet_member import FleetMembership, FleetMembershipArgs
from components.node_pools import NodePools, NodePoolsArgs
from offline.engine import render, stack_config
from tests.helpers import settings_for

from .helpers import CONTEXT, render_component, stand_in_cluster

AKS = "azure-native:containerservice:ManagedCluster"
AGENT_POOL = "azure-native:containerservice:AgentPool"
CLUSTER_VERSION_PATHS = {"kubernetesVersion", "agentPoolProfiles[0].orchestratorVersion"}
HUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fleet/providers/Microsoft.ContainerService/fleets/hub"


def dev_with(cluster: dict, fleet: dict):
    """The dev stack, its cluster channels and fleet membership replaced."""
    config = stack_config("dev")
    config["aks-platform:cluster"] = json.dumps({**json.loads(config["aks-platform:cluster"]), **cluster})
    config["aks-platform:fleet"] = json.dumps(fleet)
    return render("dev", config)


@pytest.mark.parametrize("cluster, fleet, owned_by_channel", [
    ({"upgradeChannel": "none", "nodeOsUpgradeChannel": "None"}, {"hubId": HUB}, True),  # the fleet
    ({"upgradeChannel": "stable", "kubernetesVersion": None}, {"hubId": None}, True),  # the cluster's channel
    ({"upgradeChannel": "patch"}, {"hubId": None}, False),  # patches only: "1.35" stays true
    ({"upgradeChannel": "none"}, {"hubId": None}, False),  # the stack file alone
])
def test_the_versions_are_left_to_a_channel_that_moves_the_minor_and_applied_otherwise(cluster, fleet, owned_by_channel):
    rendered = dev_with(cluster, fleet)
    aks = rendered.one(AKS)
    ignored_versions = CLUSTER_VERSION_PATHS & set(aks["ignoreChanges"])
    assert ignored_versions == (CLUSTER_VERSION_PATHS if owned_by_channel else set())
    assert "agentPoolProfiles[0].count" in aks["ignoreChanges"]  # the autoscaler's, whoever owns the version
    for pool in rendered.of_type(AGENT_POOL):
        assert ("orchestratorVersion" in pool["ignoreChanges"]) is owned_by_channel
    members = rendered.of_type("azure-native:containerservice:FleetMember")
    assert len(members) == (1 if fleet["hubId"] else 0)


def pools(channel_moves_minor: bool):
    settings = settings_for("dev", nodePools=[
        {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "count": 1},
        {"name": "fixed", "vmSize": "Standard_D4ds_v5", "count": 2},
        {"name": "scaled", "vmSize": "Standard_D4ds_v5", "minCount": 1, "maxCount": 4},
    ])
    return render_component(lambda: NodePools("pools", CONTEXT, NodePoolsArgs(
        settings.agent_pools, stand_in_cluster(), "node-subnet-id", "1.35", channel_moves_minor=channel_moves_minor,
    )))[0]


def test_a_pool_still_starts_at_the_declared_version_when_a_channel_owns_it_later():
    rendered = pools(channel_moves_minor=True)
    fixed, scaled = rendered.one(AGENT_POOL, "pools-fixed"), rendered.one(AGENT_POOL, "pools-scaled")
    assert fixed["inputs"]["orchestratorVersion"] == scaled["inputs"]["orchestratorVersion"] == "1.35"
    assert (fixed["ignoreChanges"], scaled["ignoreChanges"]) == (["orchestratorVersion"], ["count", "orchestratorVersion"])


def test_without_a_channel_a_pool_ignores_nothing_but_the_autoscalers_count():
    rendered = pools(channel_moves_minor=False)
    assert rendered.one(AGENT_POOL, "pools-fixed")["ignoreChanges"] == []
    assert rendered.one(AGENT_POOL, "pools-scaled")["ignoreChanges"] == ["count"]


def test_a_member_joins_the_fleet_named_by_its_id_with_its_cluster_in_its_group():
    settings = settings_for("staging", cluster={"authorizedIpRanges": ["203.0.113.0/24"], "upgradeChannel": "none",
                                                "nodeOsUpgradeChannel": "None"}, fleet={"hubId": HUB})
    rendered, _ = render_component(lambda: FleetMembership("fleet", CONTEXT, FleetMembershipArgs(
        settings.fleet, stand_in_cluster())))
    member = rendered.one("azure-native:containerservice:FleetMember")
    assert member["inputs"] == {
        "fleetMemberName": CONTEXT.stem, "fleetName": "hub", "resourceGroupName": "rg-fleet", "group": "staging",
        "clusterResourceId": rendered.one(AKS)["outputs"]["id"],
    }
    assert member["outputs"]["id"] == f"{HUB}/members/{CONTEXT.stem}"

