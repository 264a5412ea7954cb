"""The in-cluster layer: one Kubernetes provider, the team namespaces and the optional demo."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from settings import InClusterSettings, NamespaceSettings, NapPoolSettings

from ..context import StackContext
from .demo import KeyVaultDemo, KeyVaultDemoArgs
from .deployer_access import deployer_cluster_admin
from .nap import NodeAutoProvisioning
from .provider import kubernetes_provider
from .team_namespace import TeamNamespace, TeamNamespaceArgs


@dataclass(frozen=True)
class InClusterArgs:
    settings: InClusterSettings
    cluster_id: pulumi.Input[str]
    # The cluster's Entra ID user kubeconfig (exec format); carries the dependency on the cluster.
    user_kubeconfig: pulumi.Input[str]
    oidc_issuer_url: pulumi.Input[str]
    # The cluster resource: its Key Vault secrets provider add-on installs the SecretProviderClass CRD.
    secrets_store_addon: pulumi.Resource
    vault_name: pulumi.Input[str]
    # The object ID of the identity running the program: granted Kubernetes rights on the cluster, unless
    # the settings name the deployer (`deployerObjectId`).
    client_object_id: pulumi.Input[str]
    workload_nodes: Sequence[pulumi.Resource] = ()
    # The Karpenter pools (cluster.nodeProvisioning: auto); none in manual mode.
    nap_pools: Sequence[NapPoolSettings] = ()


def reached_from(source: str, namespaces: Sequence[NamespaceSettings]) -> tuple[str, ...]:
    """The namespaces whose allowFrom names `source`: the ones its pods may send to."""
    return tuple(ns.name for ns in namespaces if source in ns.allow_from)


class InCluster(pulumi.ComponentResource):
    """Everything the platform deploys inside the cluster, through a provider signed in with kubelogin
    as the deployer, who is granted cluster admin through Azure RBAC first.

    The namespaces do not depend on each other; each waits only for the cluster (through the provider)
    and its own Azure identity.
    """

    def __init__(
        self, name: str, context: StackContext, args: InClusterArgs, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("aks-platform:kubernetes:InCluster", name, None, opts)
        s = args.settings
        self.deployer_rights = deployer_cluster_admin(
            name, cluster_id=args.cluster_id, principal_id=s.deployer_object_id or args.client_object_id,
            subscription_id=context.subscription_id, parent=self,
        )
        self.provider = kubernetes_provider(
            f"{name}-kubernetes",
            user_kubeconfig=args.user_kubeconfig,
            login_mode=s.kubelogin_mode,
            tenant_id=context.tenant_id,
            cluster_id=args.cluster_id,
            parent=self,
            cluster=args.secrets_store_addon,
            rights=self.deployer_rights,
        )
        in_cluster = pulumi.ResourceOptions(parent=self, providers={"kubernetes": self.provider})
        shared = dict(
            oidc_issuer_url=args.oidc_issuer_url, vault_name=args.vault_name,
            secrets_store_addon=args.secrets_store_addon, cluster_id=args.cluster_id,
        )
        self.namespaces = {
            ns.name: TeamNamespace(f"ns-{ns.name}", context, TeamNamespaceArgs(
                settings=ns, reaches=reached_from(ns.name, s.namespaces), **shared,
            ), opts=in_cluster)
            for ns in s.namespaces
        }
        self.nap = None
        if args.nap_pools:
            # secrets_store_addon is the cluster resource, which serves the Karpenter CRDs with NAP on.
            self.nap = NodeAutoProvisioning("nap", args.nap_pools, context.location, args.secrets_store_addon,
                                            opts=in_cluster)
        self.demo = None
        if s.demo is not None:
            self.demo = KeyVaultDemo("demo", context, KeyVaultDemoArgs(
                namespace=TeamNamespaceArgs(settings=s.demo, **shared),
                workload_nodes=args.workload_nodes,
            ), opts=in_cluster)
        self.register_outputs({"namespaces": [ns.name for ns in s.namespaces]})
