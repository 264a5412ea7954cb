"""The platform's Key Vault."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
from pulumi_azure_native import keyvault

from facts.azure import KMS_KEY_OPERATIONS, KMS_KEY_SIZE, KMS_KEY_TYPE
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
    # A key for the cluster's KMS etcd encryption (cluster.kms).
    etcd_key: bool = False


# How often Key Vault makes a new version of the etcd key: the platform's choice (yearly), not an Azure figure.
# AKS's KMS keeps using the version its keyId names until keyId changes (facts.azure, KMS).
ETCD_KEY_ROTATION = "P1Y"


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
        self.etcd_key = self._etcd_key(name, context) if args.etcd_key else None
        self.uri = self.vault.properties.vault_uri
        self.register_outputs({"id": self.vault.id, "uri": self.uri})

    def _etcd_key(self, name: str, context: StackContext) -> keyvault.Key:
        """The key the cluster's KMS plugin encrypts etcd's data keys with: RSA 2048 with encrypt and decrypt,
        rotated by Key Vault on a schedule. It carries no expiry on purpose: AKS names one key version, and an
        expired version stops the API server (facts.azure, KMS); the vault's purge protection keeps a deleted
        key recoverable. Created through ARM, which reaches a vault whose public access is disabled."""
        return keyvault.Key(
            f"{name}-etcd-key",
            key_name="aks-etcd",
            vault_name=self.vault.name,
            resource_group_name=context.resource_group_name,
            properties=keyvault.KeyPropertiesArgs(
                kty=KMS_KEY_TYPE,
                key_size=KMS_KEY_SIZE,
                key_ops=list(KMS_KEY_OPERATIONS),
                rotation_policy=keyvault.RotationPolicyArgs(
                    lifetime_actions=[keyvault.LifetimeActionArgs(
                        action=keyvault.ActionArgs(type=keyvault.KeyRotationPolicyActionType.ROTATE),
                        trigger=keyvault.TriggerArgs(time_after_create=ETCD_KEY_ROTATION),
                    )],
                ),
            ),
            tags=dict(context.tags),
            opts=pulumi.ResourceOptions(parent=self, protect=context.protect),
        )
