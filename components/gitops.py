"""GitOps with Flux: the `microsoft.flux` cluster extension and one Flux configuration (docs/gitops.md).

Learn "Application deployments with GitOps (Flux v2) for AKS and Azure Arc-enabled Kubernetes"
(https://learn.microsoft.com/azure/azure-arc/kubernetes/conceptual-gitops-flux2): the extension "must be
installed in the cluster before one or more fluxConfigurations can be created"; its fluxconfig-agent
*polls* the Kubernetes Configuration data plane service for configurations, and Flux pulls from Git. Both
resources are ARM calls that never reach the API server, so they work on a private cluster; what the
nodes need is outbound HTTPS to `<region>.dp.kubernetesconfiguration.azure.com` and MCR (Learn "Outbound
network and FQDN rules for AKS clusters", Cluster extensions) and to the Git host.

API version: the SDK (pulumi-azure-native 3.29.0) ships `kubernetesconfiguration.Extension` and
`FluxConfiguration` at 2023-05-01, a GA version (no `-preview`), which is what this program uses. Newer GA
versions exist (2024-11-01, 2025-04-01), but only as packages generated with `pulumi package add`, which
needs the Pulumi CLI and network at build time and is not in uv.lock; nothing this platform sets needs them.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import containerservice, kubernetesconfiguration as k8sconfig

from facts.azure import EXTENSION_CLUSTER_RESOURCE_NAME, EXTENSION_CLUSTER_RP
from settings.gitops import GitOpsSettings, interval_seconds

# The extension type (Learn "GitOps (Flux v2) supported parameters").
FLUX_EXTENSION_TYPE = "microsoft.flux"
# Where the credential goes in `configurationProtectedSettings`, base64-encoded, as the Azure CLI sends it
# (Azure/azure-cli-extensions src/k8s-configuration/azext_k8s_configuration/consts.py and
# providers/FluxConfigurationProvider.py `get_protected_settings`).
HTTPS_KEY = "httpsKey"
SSH_PRIVATE_KEY = "sshPrivateKey"


@dataclass(frozen=True)
class GitOpsArgs:
    settings: GitOpsSettings
    cluster: containerservice.ManagedCluster
    resource_group_name: pulumi.Input[str]
    # The private repository's token, password or SSH private key (settings `gitopsSecret`), a secret Output.
    secret: pulumi.Input[str] | None = None


class GitOps(pulumi.ComponentResource):
    """Flux on the cluster, syncing the configured repository's kustomizations."""

    def __init__(self, name: str, args: GitOpsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("aks-platform:kubernetesconfiguration:GitOps", name, None, opts)
        s = args.settings
        on_cluster = {
            "resource_group_name": args.resource_group_name,
            "cluster_name": args.cluster.name,
            "cluster_rp": EXTENSION_CLUSTER_RP,
            "cluster_resource_name": EXTENSION_CLUSTER_RESOURCE_NAME,
        }
        self.extension = k8sconfig.Extension(
            f"{name}-flux",
            extension_name="flux",
            extension_type=FLUX_EXTENSION_TYPE,
            # Flux's minor versions follow Azure's releases of the extension; said here rather than left to the API.
            auto_upgrade_minor_version=True,
            **on_cluster,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.configuration = k8sconfig.FluxConfiguration(
            f"{name}-config",
            flux_configuration_name="platform",
            namespace=s.namespace,
            scope="cluster",
            source_kind="GitRepository",
            git_repository=k8sconfig.GitRepositoryDefinitionArgs(
                url=s.url,
                repository_ref=k8sconfig.RepositoryRefDefinitionArgs(branch=s.branch),
                sync_interval_in_seconds=interval_seconds(s.sync_interval),
                https_user=s.https_user,
                ssh_known_hosts=s.ssh_known_hosts,
                local_auth_ref=s.local_auth_secret,
            ),
            kustomizations={
                k.name: k8sconfig.KustomizationDefinitionArgs(
                    path=k.path,
                    prune=k.prune,
                    sync_interval_in_seconds=interval_seconds(k.interval),
                    depends_on=list(k.depends_on),
                )
                for k in s.kustomizations
            },
            configuration_protected_settings=self._credential(s, args.secret),
            **on_cluster,
            # No output of the extension reaches the configuration, yet Azure refuses a configuration on a
            # cluster without the extension (Learn, conceptual page above).
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.extension]),
        )
        self.register_outputs({"url": s.url, "branch": s.branch})

    @staticmethod
    def _credential(s: GitOpsSettings, secret: pulumi.Input[str] | None) -> dict[str, pulumi.Output[str]] | None:
        """`httpsKey` or `sshPrivateKey`, base64 of the secret, still a secret; None for a public repository."""
        if secret is None:
            return None
        encoded = pulumi.Output.secret(secret).apply(lambda text: base64.b64encode(text.encode()).decode())
        return {SSH_PRIVATE_KEY if s.ssh else HTTPS_KEY: encoded}
