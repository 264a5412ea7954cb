"""AKS deployment safeguards: Azure Policy's Kubernetes best-practice checks on every workload.

Learn "Use deployment safeguards to enforce best practices in AKS"
(https://learn.microsoft.com/azure/aks/deployment-safeguards): at `Warn` a non-compliant request goes
through with a warning; at `Enforce` it is denied or mutated. Prerequisite: the Azure Policy add-on
(`azurepolicy`), which the cluster enables and the settings require while safeguards are on. Namespaces
that AKS always leaves out come back read-only as `systemExcludedNamespaces`; the stack lists its own.

API version: the SDK (pulumi-azure-native 3.29.0) ships `containerservice.DeploymentSafeguard` only at
its default, 2025-04-02-preview. It names GA versions (2025-04-01, 2025-07-01), but only as packages
generated with `pulumi package add azure-native containerservice <version>`, which needs the Pulumi CLI
and network at build time and is not in uv.lock; the preview is what this program can say today. Its
properties (level, excludedNamespaces) are the ones the GA 2025-07-01 template has too
(https://learn.microsoft.com/azure/templates/microsoft.containerservice/deploymentsafeguards), so moving
to a GA version is a type change, not a config change; the SDK's own aliases for the versioned types
keep the URN.
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import containerservice

from settings import SafeguardsSettings


@dataclass(frozen=True)
class SafeguardsArgs:
    settings: SafeguardsSettings
    # The safeguards are an extension resource of this cluster (its `resourceUri`). Nothing documents that
    # Azure deletes them with the cluster, so they keep their own delete call (as diagnostic settings do).
    cluster: containerservice.ManagedCluster


class DeploymentSafeguards(pulumi.ComponentResource):
    """The cluster's one `deploymentSafeguards/default` resource, at the stack's level, or nothing at Off."""

    def __init__(self, name: str, args: SafeguardsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("aks-platform:containerservice:DeploymentSafeguards", name, None, opts)
        s = args.settings
        self.safeguard = None
        if s.level != "Off":
            self.safeguard = containerservice.DeploymentSafeguard(
                f"{name}-default",
                resource_uri=args.cluster.id,
                level=s.level,
                excluded_namespaces=list(s.excluded_namespaces),
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.register_outputs({"level": s.level})
