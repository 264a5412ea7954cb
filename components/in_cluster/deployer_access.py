"""Kubernetes rights for the identity that runs `pulumi up`, granted before the in-cluster layer needs them.

Local accounts are off and the cluster authorizes with Azure RBAC, so the deployer has no Kubernetes
rights until a role assignment on the cluster gives them, and Azure takes a while to honour a new one.
"""
from __future__ import annotations

import pulumi
import pulumiverse_time as time

from facts.azure import AKS_RBAC_CLUSTER_ADMIN, AKS_RBAC_PROPAGATION

from ..roles import assign_role


def deployer_cluster_admin(
    name: str,
    *,
    cluster_id: pulumi.Input[str],
    principal_id: pulumi.Input[str],
    subscription_id: pulumi.Input[str],
    parent: pulumi.Resource,
) -> time.Sleep:
    """Azure Kubernetes Service RBAC Cluster Admin on the cluster for the deployer, and a wait for it to
    propagate: what the Kubernetes provider must wait for.

    The wait runs when the assignment is created or replaced (its ID is the trigger), not on every deploy.
    """
    grant = assign_role(
        f"{name}-deployer-cluster-admin",
        scope=cluster_id,
        role=AKS_RBAC_CLUSTER_ADMIN,
        principal_id=principal_id,
        subscription_id=subscription_id,
        parent=parent,
        # The deployer is a person (azurecli) or a service principal (CI), and the client config does not
        # say which: Azure looks the principal up, which is safe for one that has existed for a while.
        principal_type=None,
    )
    return time.Sleep(
        f"{name}-rbac-propagation",
        create_duration=AKS_RBAC_PROPAGATION,
        triggers={"roleAssignmentId": grant.id},
        opts=pulumi.ResourceOptions(parent=parent),
    )
