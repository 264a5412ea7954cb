"""The Karpenter objects of one NAP pool, from its settings (components/in_cluster/nap.py)."""
from __future__ import annotations

from components.in_cluster.nap import node_class_spec, node_pool_spec, taints
from settings.nap import NapPoolSettings

BASE = {
    "architectures": ["amd64"], "zones": ["1", "2"], "imageFamily": "Ubuntu", "maxPods": 60,
    "limits": {"cpu": "32", "memory": "128Gi"},
    "disruption": {"consolidationPolicy": "WhenEmpty", "consolidateAfter": "1m", "expireAfter": "720h",
                   "budgets": [{"nodes": "1"}]},
}


def pool(**keys) -> NapPoolSettings:
    return NapPoolSettings.model_validate({**BASE, "name": "p", "skuFamilies": ["E"], **keys})


def test_a_listed_spot_taint_is_not_added_twice_and_own_taints_come_first():
    spot = pool(spot=True, taints=["team=a:NoSchedule", "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"])
    assert taints(spot) == ["team=a:NoSchedule", "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"]
    assert taints(pool(spot=True, gpu=True)) == [
        "kubernetes.azure.com/scalesetpriority=spot:NoSchedule", "sku=gpu:NoSchedule",
    ]


def test_the_node_pool_spec_carries_the_settings():
    spec = node_pool_spec(pool(labels={"tier": "batch"}, weight=50, taints=["dedicated=:NoExecute"]), "northeurope")
    assert spec["limits"] == {"cpu": "32", "memory": "128Gi"}
    assert spec["weight"] == 50
    assert spec["template"]["metadata"] == {"labels": {"tier": "batch"}}
    assert spec["template"]["spec"]["taints"] == [{"key": "dedicated", "effect": "NoExecute"}]  # empty value left out
    assert spec["template"]["spec"]["expireAfter"] == "720h"
    assert spec["disruption"] == {"consolidationPolicy": "WhenEmpty", "consolidateAfter": "1m", "budgets": [{"nodes": "1"}]}
    zones = next(r for r in spec["template"]["spec"]["requirements"] if r["key"] == "topology.kubernetes.io/zone")
    assert zones["values"] == ["northeurope-1", "northeurope-2"]


def test_the_node_class_carries_image_family_and_pods_per_node():
    assert node_class_spec(pool()) == {"imageFamily": "Ubuntu", "maxPods": 60}
