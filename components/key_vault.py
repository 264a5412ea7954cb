"""The platform's Key Vault."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import keyvault

from settings import KeyVaultSettings

from .context import StackContext
from .private_link import PrivateLink, PrivateLinkArgs


@dataclass(frozen=True)
class KeyVaultArgs:
    settings: KeyVaultSettings
    vault_name: pulumi.Input[str]
    # Subnets whose service endpoint the vault's firewall admits (the node subnet).
    allowed_subnet_ids: Sequence[pulumi.Input[str]] = ()
    # Both set when the vault gets a private endpoint (public access off).
    private_endpoint_subnet_id: pulumi.Input[str] | None = None
    vnet_id: pulumi.Input[str] | None = None


class KeyVault(pulumi.ComponentResource):
    """Key Vault for the workloads' secrets, read in pods through the Secrets Store CSI driver.

    Access is by Azure RBAC only (no access policies); soft delete always, purge protection per
    settings; the network default is deny, with `allowedIpRanges` as the only exceptions, and with
    public access off a private endpoint in the VNet is the only way in.
    """

    def __init__(
        self, name: str, context: StackContext, args: KeyVaultArgs, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("aks-platform:keyvault:KeyVault", name, None, opts)
        s = args.settings
        self.vault = keyvault.Vault(
            f"{name}-vault",
            vault_name=args.vault_name,
            resource_group_name=context.resource_group_name,
            location=context.location,
            properties=keyvault.VaultPropertiesArgs(
                tenant_id=context.tenant_id,
                sku=keyvault.SkuArgs(family="A", name="standard"),
                enable_rbac_authorization=True,
                enable_soft_delete=True,
                soft_delete_retention_in_days=s.soft_delete_retention_days,
                # Azure refuses an explicit false once on, so "off" is sent as absent.
                enable_purge_protection=True if s.purge_protection else None,
                public_network_access=s.public_network_access,
                network_acls=keyvault.NetworkRuleSetArgs(
                    default_action="Deny",
                    # Lets Azure services the vault trusts (backup, disk encryption) through the firewall.
                    bypass="AzureServices",
                    ip_rules=[keyvault.IPRuleArgs(value=ip) for ip in s.allowed_ip_ranges],
                    # The vault waits for each subnet (an output of it), so a rule never names a missing one. Lower
                    # case, as Key Vault reads the ID back: any other case would diff on every run.
                    virtual_network_rules=[
                        keyvault.VirtualNetworkRuleArgs(id=pulumi.Output.from_input(subnet).apply(str.lower),
                                                        ignore_missing_vnet_service_endpoint=True)
                        for subnet in args.allowed_subnet_ids
                    ],
                ),
            ),
            tags=dict(context.tags),
            opts=pulumi.ResourceOptions(parent=self, protect=context.protect),
        )
        self.private_link = PrivateLink(
            f"{name}-private-link",
            context,
            PrivateLinkArgs(self.vault.id, "vault", args.private_endpoint_subnet_id, args.vnet_id),
            opts=pulumi.ResourceOptions(parent=self),
        ) if s.public_network_access == "Disabled" else None
        self.uri = self.vault.properties.vault_uri
        self.register_outputs({"id": self.vault.id, "uri": self.uri})
