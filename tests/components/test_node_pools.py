"""The User pools alone: each its own AgentPool on the cluster, independent of the others."""
from components.node_pools import NodePools, NodePoolsArgs
from tests.helpers import settings_for

from .helpers import CONTEXT, render_component, stand_in_cluster

AGENT_POOL = "azure-native:containerservice:AgentPool"
POOLS = [
    {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "minCount": 1, "maxCount": 3},
    {"name": "fixed", "mode": "User", "vmSize": "Standard_D4ds_v5", "count": 2},
    {"name": "scaled", "mode": "User", "vmSize": "Standard_D4ds_v5", "minCount": 1, "maxCount": 4},
]


def render_pools():
    settings = settings_for("dev", nodePools=POOLS)
    return render_component(lambda: NodePools("pools", CONTEXT, NodePoolsArgs(
        settings.agent_pools, stand_in_cluster(), "node-subnet-id", "1.35",
    )))[0]


def test_each_pool_is_its_own_agent_pool_on_the_cluster_in_the_node_subnet():
    rendered = render_pools()
    pools = {p["name"]: p["inputs"] for p in rendered.of_type(AGENT_POOL)}
    assert sorted(pools) == ["pools-fixed", "pools-scaled"]
    for name, pool in pools.items():
        assert pool["agentPoolName"] == name.removeprefix("pools-")
        assert (pool["resourceName"], pool["resourceGroupName"]) == ("aks-contoso-prod", "rg-contoso-prod")
        assert (pool["vnetSubnetID"], pool["orchestratorVersion"]) == ("node-subnet-id", "1.35")
        assert pool["tags"] == dict(CONTEXT.tags)


def test_an_autoscaled_pool_starts_at_its_minimum_and_leaves_the_count_to_the_autoscaler():
    rendered = render_pools()
    scaled, fixed = rendered.one(AGENT_POOL, "pools-scaled"), rendered.one(AGENT_POOL, "pools-fixed")
    assert (scaled["inputs"]["enableAutoScaling"], scaled["inputs"]["count"]) == (True, 1)
    assert scaled["ignoreChanges"] == ["count"]
    assert (fixed["inputs"]["enableAutoScaling"], fixed["inputs"]["count"]) == (False, 2)
    assert fixed["ignoreChanges"] == []


def test_pools_do_not_wait_for_each_other():
    rendered = render_pools()
    pools = rendered.of_type(AGENT_POOL)
    urns = {p["urn"] for p in pools}
    for pool in pools:
        assert not urns & set(pool["dependencies"]), pool["name"]
