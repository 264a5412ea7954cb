"""Node pool properties shared by the inline System pool and the standalone User pools."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_azure_native import containerservice

from facts.azure import takes_max_surge
from settings import NodePoolSettings

from .context import StackContext

from .retry import retry_transient_conflicts


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
        os_type=pool.os_type,
        os_sku=pool.os_sku,
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
        # SSH access is a Linux node setting; Windows nodes have no SSH server to turn off.
        security_profile=(
            containerservice.AgentPoolSecurityProfileArgs(ssh_access="Disabled") if pool.os_type == "Linux" else None
        ),
        upgrade_settings=_upgrade_settings(pool),
        gpu_profile=containerservice.GPUProfileArgs(driver=pool.gpu_driver) if pool.gpu_driver else None,
        **_spot(pool),
        tags=dict(tags),
    )


def owned_elsewhere(autoscaled: bool, channel_moves_minor: bool, prefix: str = "") -> list[str]:
    """The pool properties that something else owns once the pool exists, for `ignore_changes`: the node
    count of an autoscaled pool (the cluster autoscaler; without this every run would reset the pool to its
    minimum) and the version when a channel moves the minor (docs/upgrades.md: Pulumi then keeps the version
    of the state, which a refresh makes the one Azure runs, instead of the stack file's older one)."""
    paths = [f"{prefix}count"] if autoscaled else []
    return paths + [f"{prefix}orchestratorVersion"] if channel_moves_minor else paths


def _upgrade_settings(pool: NodePoolSettings) -> containerservice.AgentPoolUpgradeSettingsArgs | None:
    if not takes_max_surge(pool.spot):
        return None
    return containerservice.AgentPoolUpgradeSettingsArgs(
        max_surge=pool.max_surge,
        drain_timeout_in_minutes=pool.drain_timeout_in_minutes,
        node_soak_duration_in_minutes=pool.node_soak_duration_in_minutes,
    )


def _spot(pool: NodePoolSettings) -> dict[str, Any]:
    """Spot nodes are deleted on eviction (deallocated ones would still count against quota), and AKS
    taints them `kubernetes.azure.com/scalesetpriority=spot:NoSchedule` itself."""
    if not pool.spot:
        return {}
    return dict(scale_set_priority="Spot", scale_set_eviction_policy="Delete", spot_max_price=pool.spot_max_price)


@dataclass(frozen=True)
class NodePoolsArgs:
    pools: Sequence[NodePoolSettings]
    # The pools join this ManagedCluster, and die with it: Azure deletes a cluster's agent pools with it,
    # as every child resource with its parent
    # (learn.microsoft.com/azure/azure-resource-manager/templates/deployment-complete-mode-deletion), so
    # `pulumi destroy` need not delete them one by one first.
    cluster: containerservice.ManagedCluster
    subnet_id: pulumi.Input[str]
    kubernetes_version: str | None
    # A channel moves the minor version: `kubernetes_version` only seeds new pools (ClusterArgs).
    channel_moves_minor: bool = False


class NodePools(pulumi.ComponentResource):
    """Every pool other than the System pool, each its own `AgentPool`, so that adding, resizing or
    removing one never touches the cluster resource or the other pools (they are created in parallel).
    """

    def __init__(
        self, name: str, context: StackContext, args: NodePoolsArgs, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("aks-platform:containerservice:NodePools", name, None, opts)
        self.pools = {
            pool.name: containerservice.AgentPool(
                f"{name}-{pool.name}",
                agent_pool_name=pool.name,
                resource_name_=args.cluster.name,
                resource_group_name=context.resource_group_name,
                **pool_properties(
                    pool, subnet_id=args.subnet_id, kubernetes_version=args.kubernetes_version, tags=context.tags
                ),
                opts=pulumi.ResourceOptions(
                    parent=self,
                    ignore_changes=owned_elsewhere(pool.autoscaled, args.channel_moves_minor) or None,
                    deleted_with=args.cluster,
                    hooks=retry_transient_conflicts(f"{name}-{pool.name}"),
                ),
            )
            for pool in args.pools
        }
        self.register_outputs({"pools": list(self.pools)})
