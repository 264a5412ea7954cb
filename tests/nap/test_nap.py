"""The node auto-provisioning example stack renders the ARM switch and one Karpenter NodePool and AKSNodeClass per
pool, with the limits, capacity types, selectors, taints and disruption of its config."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from offline.engine import render, stack_config
from offline.plan import describe
from policies.offline import evaluate
from tests.helpers import policy_config_outside_a_fleet

HERE = Path(__file__).parent
CLUSTER = "azure-native:containerservice:ManagedCluster"
NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool"
NODE_CLASS = "kubernetes:karpenter.azure.com/v1beta1:AKSNodeClass"
ZONES = ["westeurope-1", "westeurope-2", "westeurope-3"]


@pytest.fixture(scope="module")
def rendered():
    return render("nap", config=stack_config("nap", root=HERE))


def node_pool(rendered, name: str) -> dict:
    return rendered.one(NODE_POOL, f"nap-{name}-node-pool")["inputs"]


def requirement(pool: dict, key: str) -> tuple[str, list[str]] | None:
    found = [r for r in pool["spec"]["template"]["spec"]["requirements"] if r["key"] == key]
    return (found[0]["operator"], found[0]["values"]) if found else None


def test_cluster_turns_node_auto_provisioning_on_without_aks_default_pools(rendered):
    cluster = rendered.one(CLUSTER)["inputs"]
    assert cluster["nodeProvisioningProfile"] == {"mode": "Auto", "defaultNodePools": "None"}
    # No agent pool autoscales with NAP, so no cluster autoscaler profile; the System pool has a fixed size.
    assert "autoScalerProfile" not in cluster
    (system,) = cluster["agentPoolProfiles"]
    assert (system["mode"], system["count"], system.get("enableAutoScaling")) == ("System", 3, False)


def test_each_pool_has_its_limits(rendered):
    limits = {name: node_pool(rendered, name)["spec"]["limits"] for name in ("general", "spot", "gpu")}
    assert limits == {
        "general": {"cpu": "80", "memory": "320Gi"},
        "spot": {"cpu": "64", "memory": "256Gi"},
        "gpu": {"cpu": "16", "memory": "112Gi"},
    }


def test_general_pool_takes_on_demand_d_sizes_in_every_zone(rendered):
    general = node_pool(rendered, "general")
    assert requirement(general, "karpenter.sh/capacity-type") == ("In", ["on-demand"])
    assert requirement(general, "karpenter.azure.com/sku-family") == ("In", ["D"])
    assert requirement(general, "topology.kubernetes.io/zone") == ("In", ZONES)
    assert requirement(general, "kubernetes.io/arch") == ("In", ["amd64"])
    assert requirement(general, "kubernetes.io/os") == ("In", ["linux"])
    assert "taints" not in general["spec"]["template"]["spec"]
    assert general["spec"]["template"]["spec"]["nodeClassRef"] == {
        "group": "karpenter.azure.com", "kind": "AKSNodeClass", "name": "general",
    }


def test_general_pool_disruption_is_the_default(rendered):
    general = node_pool(rendered, "general")["spec"]
    assert general["disruption"] == {
        "consolidationPolicy": "WhenEmptyOrUnderutilized", "consolidateAfter": "0s", "budgets": [{"nodes": "10%"}],
    }
    assert general["template"]["spec"]["expireAfter"] == "Never"


def test_spot_pool_is_spot_and_tainted_like_spot_agent_pools(rendered):
    spot = node_pool(rendered, "spot")
    assert requirement(spot, "karpenter.sh/capacity-type") == ("In", ["spot"])
    assert requirement(spot, "karpenter.azure.com/sku-family") == ("In", ["D", "F"])
    assert spot["spec"]["template"]["spec"]["taints"] == [
        {"key": "kubernetes.azure.com/scalesetpriority", "value": "spot", "effect": "NoSchedule"},
    ]
    assert spot["spec"]["disruption"]["budgets"] == [
        {"nodes": "20%"}, {"nodes": "0", "schedule": "0 8 * * 1-5", "duration": "10h"},
    ]


def test_gpu_pool_takes_only_gpu_sizes_and_is_tainted_like_gpu_agent_pools(rendered):
    gpu = node_pool(rendered, "gpu")
    assert requirement(gpu, "karpenter.azure.com/sku-name") == ("In", ["Standard_NC4as_T4_v3", "Standard_NC8as_T4_v3"])
    assert requirement(gpu, "karpenter.azure.com/sku-gpu-count") == ("Gt", ["0"])
    assert requirement(gpu, "karpenter.azure.com/sku-family") is None  # named sizes, no family
    assert gpu["spec"]["template"]["spec"]["taints"] == [{"key": "sku", "value": "gpu", "effect": "NoSchedule"}]
    assert gpu["spec"]["disruption"]["consolidationPolicy"] == "WhenEmpty"
    assert gpu["spec"]["disruption"]["consolidateAfter"] == "5m"


def test_each_pool_has_its_own_node_class_with_azure_linux(rendered):
    classes = {r["inputs"]["metadata"]["name"]: r["inputs"]["spec"] for r in rendered.of_type(NODE_CLASS)}
    assert classes == {name: {"imageFamily": "AzureLinux", "maxPods": 110} for name in ("general", "spot", "gpu")}


def test_the_example_passes_the_pack_and_a_nodepool_without_limits_is_refused(rendered):
    config = policy_config_outside_a_fleet("staging")  # the example joins no fleet
    assert [f for f in evaluate(rendered.resources, config) if f.mandatory] == []
    resources = copy.deepcopy(rendered.resources)
    general = next(r for r in resources if r["name"] == "nap-general-node-pool")
    del general["inputs"]["spec"]["limits"]
    findings = [f for f in evaluate(resources, config) if f.mandatory]
    assert {(f.policy, f.name) for f in findings} == {("nap-nodepool-limits", "nap-general-node-pool")}
    assert ["spec.limits.cpu is absent" in f.message for f in findings] == [True, False]
    assert "spec.limits.memory is absent" in findings[1].message


def test_the_plan_shows_each_nodepools_limits_capacity_type_and_selectors(rendered):
    lines = describe(rendered.one(NODE_POOL, "nap-spot-node-pool"))
    assert "spec.limits: cpu=64, memory=256Gi" in lines
    assert 'requirement: karpenter.sh/capacity-type In ["spot"]' in lines
    assert 'requirement: karpenter.azure.com/sku-family In ["D","F"]' in lines
    assert 'requirement: topology.kubernetes.io/zone In ["westeurope-1","westeurope-2","westeurope-3"]' in lines
    cluster = describe(rendered.one(CLUSTER))
    assert {"nodeProvisioningProfile.mode: Auto", "nodeProvisioningProfile.defaultNodePools: None"} <= set(cluster)
