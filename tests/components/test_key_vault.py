"""The Key Vault alone: RBAC only, a firewall that denies by default, purge protection and the private endpoint per settings."""
from components.key_vault import KeyVault, KeyVaultArgs
from tests.helpers import settings_for

from .helpers import CONTEXT, render_component

NODE_SUBNET_ID = "/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/vnet/subnets/snet-nodes"
ENDPOINT_SUBNET_ID = "endpoint-subnet-id"


def render_vault(environment: str = "dev", **key_vault):
    settings = settings_for(environment, keyVault=key_vault)
    return render_component(lambda: KeyVault("keyvault", CONTEXT, KeyVaultArgs(
        settings.key_vault, "kv-contoso-prd-12345", allowed_subnet_ids=[NODE_SUBNET_ID],
        private_endpoint_subnet_id=ENDPOINT_SUBNET_ID, vnet_id="vnet-id",
    )))[0]


def vault_properties(rendered) -> dict:
    return rendered.one("azure-native:keyvault:Vault")["inputs"]["properties"]


def test_access_is_by_azure_rbac_with_soft_delete_and_the_tenant_of_the_stack():
    rendered = render_vault(softDeleteRetentionDays=30)
    vault = rendered.one("azure-native:keyvault:Vault")
    properties = vault["inputs"]["properties"]
    assert vault["inputs"]["vaultName"] == "kv-contoso-prd-12345"
    assert (properties["enableRbacAuthorization"], properties["enableSoftDelete"]) == (True, True)
    assert properties["softDeleteRetentionInDays"] == 30
    assert properties["tenantId"] == CONTEXT.tenant_id
    assert vault["protect"] is True  # CONTEXT.protect


def test_firewall_denies_by_default_and_admits_the_listed_ranges_and_subnets():
    acls = vault_properties(render_vault(allowedIpRanges=["203.0.113.0/24"]))["networkAcls"]
    assert (acls["defaultAction"], acls["bypass"]) == ("Deny", "AzureServices")
    assert acls["ipRules"] == [{"value": "203.0.113.0/24"}]
    # The rule may come before the subnet's service endpoint exists.
    assert acls["virtualNetworkRules"] == [{"id": NODE_SUBNET_ID, "ignoreMissingVnetServiceEndpoint": True}]


def test_purge_protection_on_is_sent_and_off_is_left_out():
    # Azure refuses an explicit false once purge protection is on.
    assert vault_properties(render_vault(purgeProtection=True))["enablePurgeProtection"] is True
    assert "enablePurgeProtection" not in vault_properties(render_vault(purgeProtection=False))


def test_a_private_endpoint_only_when_public_access_is_off():
    assert render_vault(publicNetworkAccess="Enabled").of_type("azure-native:network:PrivateEndpoint") == []
    private = render_vault("prod", publicNetworkAccess="Disabled")
    assert vault_properties(private)["publicNetworkAccess"] == "Disabled"
    endpoint = private.one("azure-native:network:PrivateEndpoint", "keyvault-private-link-endpoint")["inputs"]
    assert endpoint["subnet"]["id"] == ENDPOINT_SUBNET_ID
    assert endpoint["privateLinkServiceConnections"][0]["privateLinkServiceId"] == (
        private.one("azure-native:keyvault:Vault")["outputs"]["id"])


def test_the_etcd_key_is_rsa_2048_for_encrypt_and_decrypt_rotated_yearly_and_never_expiring():
    settings = settings_for("prod")
    rendered = render_component(lambda: KeyVault("keyvault", CONTEXT, KeyVaultArgs(
        settings.key_vault, "kv-contoso-prd-12345", private_endpoint_subnet_id=ENDPOINT_SUBNET_ID, vnet_id="vnet-id",
        etcd_key=True,
    )))[0]
    key = rendered.one("azure-native:keyvault:Key")
    properties = key["inputs"]["properties"]
    assert (key["name"], key["inputs"]["keyName"], key["inputs"]["vaultName"]) == (
        "keyvault-etcd-key", "aks-etcd", "kv-contoso-prd-12345")
    assert (properties["kty"], properties["keySize"], properties["keyOps"]) == ("RSA", 2048, ["encrypt", "decrypt"])
    assert properties["rotationPolicy"]["lifetimeActions"] == [
        {"action": {"type": "rotate"}, "trigger": {"timeAfterCreate": "P1Y"}}]
    # An expired version the cluster still names would stop its API server.
    assert "attributes" not in properties and "attributes" not in properties["rotationPolicy"]
    assert key["protect"] is True  # CONTEXT.protect


def test_no_etcd_key_unless_asked():
    assert render_vault().of_type("azure-native:keyvault:Key") == []
