"""The in-cluster layer: one Kubernetes provider, the team namespaces and the optional demo."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.settings import get_monitor

from settings.load import InClusterSettings

from .demo import KeyVaultDemo, KeyVaultDemoArgs
from .provider import kubernetes_provider
from .team_namespace import TeamNamespace, TeamNamespaceArgs


def on_mock_engine() -> bool:
    """True when the program runs on Pulumi's mock engine (the offline plan, tests), never under the CLI.

    With `inCluster: false` the layer is registered only here, so reviewers still see it in the plan
    while `pulumi up` cannot create it: the CLI's engine is never a mock monitor.
    """
    return isinstance(get_monitor(), MockMonitor)


@dataclass(frozen=True)
class InClusterArgs:
    settings: InClusterSettings
    stem: str
    resource_group_name: pulumi.Input[str]
    location: str
    tags: Mapping[str, str]
    tenant_id: pulumi.Input[str]
    subscription_id: pulumi.Input[str]
    cluster_id: pulumi.Input[str]
    # The cluster's Entra ID user kubeconfig (exec format); carries the dependency on the cluster.
    user_kubeconfig: pulumi.Input[str]
    oidc_issuer_url: pulumi.Input[str]
    # The cluster resource: its Key Vault secrets provider add-on installs the SecretProviderClass CRD.
    secrets_store_addon: pulumi.Resource
    vault_id: pulumi.Input[str]
    vault_name: pulumi.Input[str]
    workload_nodes: Sequence[pulumi.Resource] = ()


class InCluster(pulumi.ComponentResource):
    """Everything the platform deploys inside the cluster, through a provider signed in with kubelogin.

    The namespaces do not depend on each other; each waits only for the cluster (through the provider)
    and its own Azure identity.
    """

    def __init__(self, name: str, args: InClusterArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("aks-platform:kubernetes:InCluster", name, None, opts)
        s = args.settings
        self.provider = kubernetes_provider(
            f"{name}-kubernetes",
            user_kubeconfig=args.user_kubeconfig,
            login_mode=s.kubelogin_mode,
            tenant_id=args.tenant_id,
            cluster_id=args.cluster_id,
            parent=self,
            cluster=args.secrets_store_addon,
        )
        in_cluster = pulumi.ResourceOptions(parent=self, providers={"kubernetes": self.provider})
        shared = dict(
            stem=args.stem, resource_group_name=args.resource_group_name, location=args.location, tags=args.tags,
            tenant_id=args.tenant_id, subscription_id=args.subscription_id, oidc_issuer_url=args.oidc_issuer_url,
            vault_id=args.vault_id, vault_name=args.vault_name, secrets_store_addon=args.secrets_store_addon,
        )
        self.namespaces = {
            ns.name: TeamNamespace(f"ns-{ns.name}", TeamNamespaceArgs(settings=ns, **shared), opts=in_cluster)
            for ns in s.namespaces
        }
        self.demo = None
        if s.demo is not None:
            self.demo = KeyVaultDemo("demo", KeyVaultDemoArgs(
                namespace=TeamNamespaceArgs(settings=s.demo, **shared),
                workload_nodes=args.workload_nodes,
            ), opts=in_cluster)
        self.register_outputs({"namespaces": [ns.name for ns in s.namespaces]})
