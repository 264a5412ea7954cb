"""The Karpenter pools of node auto-provisioning: one NodePool and one AKSNodeClass per pool of `napPools`.

AKS installs and runs Karpenter itself (nodeProvisioningProfile.mode Auto) and serves its CRDs: `NodePool`
karpenter.sh/v1 and `AKSNodeClass` karpenter.azure.com/v1beta1 (Learn "Configure node pools for node
auto-provisioning" and "Configure AKSNodeClass resources"; the CRDs of Azure/karpenter-provider-azure, whose
trimmed schemas the tests validate against). The well-known labels used as requirements are Learn's list.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from settings import NapPoolSettings
from settings.preflight import GPU_TAINT

NODE_POOL_API = "karpenter.sh/v1"
NODE_CLASS_GROUP = "karpenter.azure.com"
NODE_CLASS_API = f"{NODE_CLASS_GROUP}/v1beta1"
# AKS's own taint on spot agent pool nodes (Learn "Add an Azure Spot node pool"): the spot NAP pool carries it
# too, so that a pod tolerating spot agent pool nodes runs on spot NAP nodes unchanged.
SPOT_TAINT = "kubernetes.azure.com/scalesetpriority=spot:NoSchedule"
# Learn "Configure node pools for NAP", well-known labels and SKU selectors.
CAPACITY_TYPE = "karpenter.sh/capacity-type"
SKU_FAMILY = "karpenter.azure.com/sku-family"
SKU_NAME = "karpenter.azure.com/sku-name"
SKU_GPU_COUNT = "karpenter.azure.com/sku-gpu-count"
ZONE = "topology.kubernetes.io/zone"
ARCH = "kubernetes.io/arch"
OS = "kubernetes.io/os"


def _requirement(key: str, operator: str, values: Sequence[str]) -> dict[str, Any]:
    return {"key": key, "operator": operator, "values": list(values)}


def _taint(text: str) -> dict[str, str]:
    """`key=value:Effect` (the agent pools' form, validated by the settings) as a Kubernetes taint."""
    key_value, effect = text.rsplit(":", 1)
    key, value = key_value.split("=", 1)
    return {"key": key, "value": value, "effect": effect} if value else {"key": key, "effect": effect}


def taints(pool: NapPoolSettings) -> list[str]:
    """The pool's own taints, and the spot and GPU ones (as agent pools get them) unless already listed."""
    implied = [t for flag, t in ((pool.spot, SPOT_TAINT), (pool.gpu, GPU_TAINT)) if flag]
    return [*pool.taints, *(t for t in implied if t not in pool.taints)]


def requirements(pool: NapPoolSettings, location: str) -> list[dict[str, Any]]:
    """What the VM sizes NAP picks for the pool must satisfy; zones as Azure labels them (`<region>-<n>`)."""
    found = [
        _requirement(OS, "In", ["linux"]),
        _requirement(ARCH, "In", pool.architectures),
        _requirement(CAPACITY_TYPE, "In", ["spot" if pool.spot else "on-demand"]),
        _requirement(ZONE, "In", [f"{location}-{zone}" for zone in pool.zones]),
    ]
    if pool.sku_families:
        found.append(_requirement(SKU_FAMILY, "In", pool.sku_families))
    if pool.sku_names:
        found.append(_requirement(SKU_NAME, "In", pool.sku_names))
    if pool.gpu:
        found.append(_requirement(SKU_GPU_COUNT, "Gt", ["0"]))
    return found


def node_pool_spec(pool: NapPoolSettings, location: str) -> dict[str, Any]:
    d = pool.disruption
    node = {
        "nodeClassRef": {"group": NODE_CLASS_GROUP, "kind": "AKSNodeClass", "name": pool.name},
        "requirements": requirements(pool, location),
        "expireAfter": d.expire_after,
    }
    node_taints = taints(pool)
    if node_taints:
        node["taints"] = [_taint(t) for t in node_taints]
    spec: dict[str, Any] = {
        "template": {"metadata": {"labels": dict(pool.labels)}, "spec": node} if pool.labels else {"spec": node},
        "limits": {"cpu": pool.limits.cpu, "memory": pool.limits.memory},
        "disruption": {
            "consolidationPolicy": d.consolidation_policy,
            "consolidateAfter": d.consolidate_after,
            "budgets": [b.model_dump(exclude_none=True) for b in d.budgets],
        },
    }
    if pool.weight is not None:
        spec["weight"] = pool.weight
    return spec


def node_class_spec(pool: NapPoolSettings) -> dict[str, Any]:
    # No vnetSubnetID: NAP nodes join the cluster's node subnet (Learn "Configure networking for NAP", subnets).
    return {"imageFamily": pool.image_family, "maxPods": pool.max_pods}


class NodeAutoProvisioning(pulumi.ComponentResource):
    """The cluster's Karpenter pools: each NodePool with its own AKSNodeClass (image family, pods per node)."""

    def __init__(
        self, name: str, pools: Sequence[NapPoolSettings], location: str, cluster: pulumi.Resource,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("aks-platform:kubernetes:NodeAutoProvisioning", name, None, opts)
        # AKS serves the CRDs once the cluster runs with nodeProvisioningProfile.mode Auto. A NodePool names its
        # AKSNodeClass and Karpenter waits for it, so neither waits for the other here.
        crds = pulumi.ResourceOptions(parent=self, depends_on=[cluster], deleted_with=cluster)
        self.node_classes, self.node_pools = {}, {}
        for pool in pools:
            self.node_classes[pool.name] = k8s.apiextensions.CustomResource(
                f"{name}-{pool.name}-node-class", api_version=NODE_CLASS_API, kind="AKSNodeClass",
                metadata={"name": pool.name}, spec=node_class_spec(pool), opts=crds,
            )
            self.node_pools[pool.name] = k8s.apiextensions.CustomResource(
                f"{name}-{pool.name}-node-pool", api_version=NODE_POOL_API, kind="NodePool",
                metadata={"name": pool.name}, spec=node_pool_spec(pool, location), opts=crds,
            )
        self.register_outputs({"node_pools": [p.name for p in pools]})
