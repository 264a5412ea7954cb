"""Node pool properties shared by the inline System pool and the standalone User pools."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_azure_native import containerservice

from settings.model import NodePoolSettings


def pool_properties(
    pool: NodePoolSettings, *, subnet_id: pulumi.Input[str], kubernetes_version: str | None, tags: Mapping[str, str]
) -> dict[str, Any]:
    """The arguments every pool gets, valid for both `ManagedClusterAgentPoolProfileArgs` and `AgentPool`.

    Secure defaults on every pool: ephemeral OS disk (from settings), encryption at host, no public
    IP on nodes, SSH disabled, VM scale sets; an autoscaled pool starts at its minimum.
    """
    return dict(
        mode=pool.mode,
        vm_size=pool.vm_size,
        os_type="Linux",
        os_sku="AzureLinux",
        os_disk_type=pool.os_disk_type,
        os_disk_size_gb=pool.os_disk_size_gb,
        type="VirtualMachineScaleSets",
        availability_zones=list(pool.zones) or None,
        enable_auto_scaling=pool.autoscaled,
        min_count=pool.min_count,
        max_count=pool.max_count,
        count=pool.min_count if pool.autoscaled else pool.count,
        max_pods=pool.max_pods,
        node_labels=dict(pool.labels) or None,
        node_taints=list(pool.taints) or None,
        vnet_subnet_id=subnet_id,
        orchestrator_version=kubernetes_version,
        enable_encryption_at_host=True,
        enable_node_public_ip=False,
        security_profile=containerservice.AgentPoolSecurityProfileArgs(ssh_access="Disabled"),
        upgrade_settings=containerservice.AgentPoolUpgradeSettingsArgs(max_surge=pool.max_surge),
        tags=dict(tags),
    )


@dataclass(frozen=True)
class NodePoolsArgs:
    pools: Sequence[NodePoolSettings]
    cluster_name: pulumi.Input[str]
    resource_group_name: pulumi.Input[str]
    subnet_id: pulumi.Input[str]
    kubernetes_version: str | None
    tags: Mapping[str, str]


class NodePools(pulumi.ComponentResource):
    """Every pool other than the System pool, each its own `AgentPool`, so that adding, resizing or
    removing one never touches the cluster resource or the other pools (they are created in parallel).
    """

    def __init__(self, name: str, args: NodePoolsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("aks-platform:containerservice:NodePools", name, None, opts)
        self.pools = {
            pool.name: containerservice.AgentPool(
                f"{name}-{pool.name}",
                agent_pool_name=pool.name,
                resource_name_=args.cluster_name,
                resource_group_name=args.resource_group_name,
                **pool_properties(
                    pool, subnet_id=args.subnet_id, kubernetes_version=args.kubernetes_version, tags=args.tags
                ),
                # The cluster autoscaler owns the node count of an autoscaled pool; without this every
                # run would reset the pool to its minimum.
                opts=pulumi.ResourceOptions(parent=self, ignore_changes=["count"] if pool.autoscaled else None),
            )
            for pool in args.pools
        }
        self.register_outputs({"pools": list(self.pools)})
