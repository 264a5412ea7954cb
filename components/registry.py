"""The container registry the cluster pulls images from."""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import containerregistry

from facts.azure import ACR_PULL
from settings import RegistrySettings

from .context import StackContext
from .private_link import PrivateLink, PrivateLinkArgs
from .roles import assign_role


@dataclass(frozen=True)
class RegistryArgs:
    settings: RegistrySettings
    registry_name: pulumi.Input[str]
    private_endpoint_subnet_id: pulumi.Input[str] | None = None
    vnet_id: pulumi.Input[str] | None = None


class ContainerRegistry(pulumi.ComponentResource):
    """Azure Container Registry with no admin user and no anonymous pull: Entra ID identities only.

    With public access off it is reachable through its private endpoint only. `grant_pull` gives an
    identity (the kubelet's) AcrPull on this registry and nothing broader.
    """

    def __init__(
        self, name: str, context: StackContext, args: RegistryArgs, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("aks-platform:containerregistry:ContainerRegistry", name, None, opts)
        self._name, self._subscription_id = name, context.subscription_id
        s = args.settings
        self.registry = containerregistry.Registry(
            f"{name}-registry",
            registry_name=args.registry_name,
            resource_group_name=context.resource_group_name,
            location=context.location,
            sku=containerregistry.SkuArgs(name=s.sku),
            admin_user_enabled=False,
            anonymous_pull_enabled=False,
            public_network_access=s.public_network_access,
            network_rule_bypass_options="AzureServices",
            # Registries in availability-zone regions are zone-redundant whatever this says: the property "no
            # longer controls behavior" (https://learn.microsoft.com/azure/container-registry/zone-redundancy).
            # But the SDK sends "Disabled" when it is omitted, which scanners and reviewers read literally, so
            # Premium says what is true. Only Premium: whether other SKUs accept "Enabled" is unverified here.
            # Historically create-only (azurerm: "forces a new resource"), so offline/change_rules.py warns.
            zone_redundancy="Enabled" if s.sku == "Premium" else None,
            policies=self._policies(s),
            tags=dict(context.tags),
            opts=pulumi.ResourceOptions(parent=self, protect=context.protect),
        )
        self.private_link = PrivateLink(
            f"{name}-private-link",
            context,
            PrivateLinkArgs(self.registry.id, "registry", args.private_endpoint_subnet_id, args.vnet_id),
            opts=pulumi.ResourceOptions(parent=self),
        ) if s.public_network_access == "Disabled" else None
        self.replicas = [self._replica(name, context, region) for region in s.replica_locations]
        self.register_outputs({"id": self.registry.id, "login_server": self.registry.login_server})

    @staticmethod
    def _policies(s: RegistrySettings) -> containerregistry.PoliciesArgs:
        premium = s.sku == "Premium"
        return containerregistry.PoliciesArgs(
            # Waived, with the reason and sources in facts/waivers.py (Azure.ACR.Quarantine, CKV_AZURE_166):
            # a preview feature that leaves every pushed image unpullable by the kubelet's AcrPull until a
            # scanner marks it verified.
            quarantine_policy=containerregistry.QuarantinePolicyArgs(status=containerregistry.PolicyStatus.DISABLED),
            # No `acr import` or `acr transfer` out of the registry: images leave only by a pull. Azure takes
            # exports disabled only with public access disabled (built-in 524b0254-c285-4903-bee6-bb8126cde579,
            # https://aka.ms/acr/export-policy), so a public registry keeps Azure's default (enabled).
            export_policy=containerregistry.ExportPolicyArgs(status=containerregistry.ExportPolicyStatus.DISABLED)
            if s.public_network_access == "Disabled" else None,
            # Deleted or overwritten images stay recoverable for a while. The retention policy (untagged
            # manifests) is Premium only; soft delete is in every SKU but excludes both the retention policy and
            # geo-replication (preview limitations): Premium registries get the first, the others the second
            # (facts.azure, Container registry).
            retention_policy=containerregistry.RetentionPolicyArgs(
                status=containerregistry.PolicyStatus.ENABLED, days=s.untagged_retention_days) if premium else None,
            soft_delete_policy=None if premium else containerregistry.SoftDeletePolicyArgs(
                status=containerregistry.PolicyStatus.ENABLED, retention_days=s.soft_delete_days),
        )

    def _replica(self, name: str, context: StackContext, region: str) -> containerregistry.Replication:
        """A geo-replica that serves pulls in `region` and keeps the images if the home region fails; named
        after its region (as Azure names the home replica), zone-redundant like the registry."""
        return containerregistry.Replication(
            f"{name}-replica-{region}",
            replication_name=region,
            registry_name=self.registry.name,
            resource_group_name=context.resource_group_name,
            location=region,
            zone_redundancy=containerregistry.ZoneRedundancy.ENABLED,
            region_endpoint_enabled=True,
            tags=dict(context.tags),
            opts=pulumi.ResourceOptions(parent=self, protect=context.protect),
        )

    def grant_pull(self, name: str, principal_id: pulumi.Input[str]) -> None:
        """AcrPull on this registry only: pull images, never push or delete."""
        assign_role(
            f"{self._name}-{name}-acr-pull",
            scope=self.registry.id,
            role=ACR_PULL,
            principal_id=principal_id,
            subscription_id=self._subscription_id,
            parent=self,
        )
