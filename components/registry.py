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
            policies=containerregistry.PoliciesArgs(
                # Waived, with the reason and sources in facts/waivers.py (Azure.ACR.Quarantine, CKV_AZURE_166):
                # a preview feature that leaves every pushed image unpullable by the kubelet's AcrPull until a
                # scanner marks it verified.
                quarantine_policy=containerregistry.QuarantinePolicyArgs(status=containerregistry.PolicyStatus.DISABLED),
            ),
            tags=dict(context.tags),
            opts=pulumi.ResourceOptions(parent=self, protect=context.protect),
        )
        self.private_link = PrivateLink(
            f"{name}-private-link",
            context,
            PrivateLinkArgs(self.registry.id, "registry", args.private_endpoint_subnet_id, args.vnet_id),
            opts=pulumi.ResourceOptions(parent=self),
        ) if s.public_network_access == "Disabled" else None
        self.register_outputs({"id": self.registry.id, "login_server": self.registry.login_server})

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
