"""Team state backend for aks-platform: where the platform stacks keep their state and encrypt secrets.

Run once per team, from this folder, with the local backend (the backend it creates cannot hold its own
state); see docs/delivery.md. It creates:

- a resource group;
- a StorageV2 account that accepts Entra ID (OAuth) requests only: no shared keys or SAS, no public blob
  access, TLS 1.2, HTTPS only, infrastructure (double) encryption, blob versioning and blob/container
  soft delete, so a bad `pulumi up` or a deleted checkpoint can be rolled back;
- a private container `state` for the Pulumi checkpoints;
- a Key Vault (RBAC, soft delete, purge protection) with an RSA key for `--secrets-provider`;
- role assignments for the deployer identity (the one the GitHub workflows log in as): Storage Blob Data
  Contributor on the account and Key Vault Crypto User on the vault.

Stack config (namespace `aks-platform-bootstrap`):
    location                  Azure region, e.g. `westeurope`.
    namePrefix                3-16 lowercase letters or digits, starting with a letter. The account is
                              `<prefix>state`, the vault `<prefix>-pulumi`: both names are global and a
                              soft-deleted vault keeps its name, so choose it once.
    deployerPrincipalId       object ID (GUID) of the deployer identity.
    deployerPrincipalType     `ServicePrincipal` (default; a managed identity is one too), `User` or `Group`.
    softDeleteRetentionDays   days deleted blobs and containers are kept, 7-365 (default 30).
"""

from __future__ import annotations

import dataclasses
import re

import pulumi
from pulumi_azure_native import authorization, keyvault, resources, storage

# Built-in role definition IDs (the same in every tenant).
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"

STATE_CONTAINER = "state"
SECRETS_KEY = "pulumi-secrets"
# A deleted vault and its keys stay recoverable this long; 90 is the maximum Key Vault allows.
KEY_VAULT_SOFT_DELETE_DAYS = 90

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_PREFIX = re.compile(r"^[a-z][a-z0-9]{2,15}$")
_LOCATION = re.compile(r"^[a-z][a-z0-9]+$")
_PRINCIPAL_TYPES = ("ServicePrincipal", "User", "Group")


class BootstrapConfigError(ValueError):
    """Raised with every config problem at once, so one `pulumi up` shows all of them."""


@dataclasses.dataclass(frozen=True)
class Settings:
    location: str
    name_prefix: str
    deployer_principal_id: str
    deployer_principal_type: str
    soft_delete_retention_days: int

    @property
    def resource_group_name(self) -> str:
        return f"rg-{self.name_prefix}-pulumi-state"

    @property
    def storage_account_name(self) -> str:
        return f"{self.name_prefix}state"

    @property
    def key_vault_name(self) -> str:
        return f"{self.name_prefix}-pulumi"


def load_settings(config: pulumi.Config) -> Settings:
    errors: list[str] = []

    def required(key: str) -> str:
        value = (config.get(key) or "").strip()
        if not value:
            errors.append(f"{key}: required (pulumi config set {key} <value>)")
        return value

    location = required("location")
    if location and not _LOCATION.match(location):
        errors.append(f"location: {location!r} is not a region name such as 'westeurope' (lowercase, no spaces)")

    prefix = required("namePrefix")
    if prefix and not _PREFIX.match(prefix):
        errors.append(
            f"namePrefix: {prefix!r} must be 3-16 lowercase letters or digits starting with a letter "
            "(it becomes part of the storage account and Key Vault names)"
        )

    principal_id = required("deployerPrincipalId")
    if principal_id and not _GUID.match(principal_id):
        errors.append(f"deployerPrincipalId: {principal_id!r} is not an object ID (a GUID)")

    principal_type = config.get("deployerPrincipalType") or "ServicePrincipal"
    if principal_type not in _PRINCIPAL_TYPES:
        errors.append(f"deployerPrincipalType: {principal_type!r} must be one of {', '.join(_PRINCIPAL_TYPES)}")

    raw_days = config.get("softDeleteRetentionDays") or "30"
    try:
        days = int(raw_days)
    except ValueError:
        days = 0
    if not 7 <= days <= 365:
        errors.append(f"softDeleteRetentionDays: {raw_days!r} must be a whole number of days from 7 to 365")

    if errors:
        raise BootstrapConfigError("invalid aks-platform-bootstrap config:\n  - " + "\n  - ".join(errors))
    return Settings(location, prefix, principal_id.lower(), principal_type, days)


settings = load_settings(pulumi.Config())
client = authorization.get_client_config_output()
# Losing this account or vault loses every stack's state or its secrets: `pulumi destroy` must not do it.
keep = pulumi.ResourceOptions(protect=True)

group = resources.ResourceGroup(
    "state-rg",
    resources.ResourceGroupArgs(resource_group_name=settings.resource_group_name, location=settings.location),
    opts=keep,
)

account = storage.StorageAccount(
    "state-account",
    storage.StorageAccountArgs(
        account_name=settings.storage_account_name,
        resource_group_name=group.name,
        location=settings.location,
        kind=storage.Kind.STORAGE_V2,
        # Zone-redundant: the state must survive the loss of one datacenter.
        sku=storage.SkuArgs(name=storage.SkuName.STANDARD_ZRS),
        allow_blob_public_access=False,
        # The azblob backend authenticates with Entra ID (DefaultAzureCredential: the az CLI login in CI)
        # when no AZURE_STORAGE_KEY/SAS is set, so account keys and SAS tokens can be switched off.
        allow_shared_key_access=False,
        default_to_o_auth_authentication=True,
        allow_cross_tenant_replication=False,
        minimum_tls_version=storage.MinimumTlsVersion.TLS1_2,
        enable_https_traffic_only=True,
        # Infrastructure encryption can only be chosen when the account is created.
        encryption=storage.EncryptionArgs(
            key_source=storage.KeySource.MICROSOFT_STORAGE,
            require_infrastructure_encryption=True,
            services=storage.EncryptionServicesArgs(
                blob=storage.EncryptionServiceArgs(enabled=True, key_type=storage.KeyType.ACCOUNT),
                file=storage.EncryptionServiceArgs(enabled=True, key_type=storage.KeyType.ACCOUNT),
            ),
        ),
    ),
    opts=keep,
)

storage.BlobServiceProperties(
    "state-blob-service",
    storage.BlobServicePropertiesArgs(
        account_name=account.name,
        resource_group_name=group.name,
        blob_services_name="default",  # the only name Azure accepts
        # Every checkpoint write keeps the previous version: a broken state can be restored.
        is_versioning_enabled=True,
        delete_retention_policy=storage.DeleteRetentionPolicyArgs(
            enabled=True, days=settings.soft_delete_retention_days
        ),
        container_delete_retention_policy=storage.DeleteRetentionPolicyArgs(
            enabled=True, days=settings.soft_delete_retention_days
        ),
    ),
)

container = storage.BlobContainer(
    "state-container",
    storage.BlobContainerArgs(
        account_name=account.name,
        resource_group_name=group.name,
        container_name=STATE_CONTAINER,
        public_access=storage.PublicAccess.NONE,
    ),
    opts=keep,
)

vault = keyvault.Vault(
    "secrets-vault",
    keyvault.VaultArgs(
        vault_name=settings.key_vault_name,
        resource_group_name=group.name,
        location=settings.location,
        properties=keyvault.VaultPropertiesArgs(
            tenant_id=client.tenant_id,
            sku=keyvault.SkuArgs(family=keyvault.SkuFamily.A, name=keyvault.SkuName.STANDARD),
            enable_rbac_authorization=True,
            enable_soft_delete=True,
            soft_delete_retention_in_days=KEY_VAULT_SOFT_DELETE_DAYS,
            # Irreversible by design: nobody can purge the key that decrypts every stack's secrets.
            enable_purge_protection=True,
        ),
    ),
    opts=keep,
)

# The stacks name this key without a version, so Pulumi always uses the latest one. Do not rotate it:
# data keys wrapped by an older version would no longer decrypt. No rotation policy on purpose.
key = keyvault.Key(
    "secrets-key",
    keyvault.KeyArgs(
        key_name=SECRETS_KEY,
        vault_name=vault.name,
        resource_group_name=group.name,
        properties=keyvault.KeyPropertiesArgs(
            kty=keyvault.JsonWebKeyType.RSA,
            key_size=4096,
            # Pulumi only wraps and unwraps its data key (RSA-OAEP-256 encrypt/decrypt).
            key_ops=[keyvault.JsonWebKeyOperation.ENCRYPT, keyvault.JsonWebKeyOperation.DECRYPT],
        ),
    ),
    opts=keep,
)


def grant(name: str, role_id: str, scope: pulumi.Output[str]) -> authorization.RoleAssignment:
    """Give the deployer one built-in role on one resource (never wider)."""
    return authorization.RoleAssignment(
        name,
        authorization.RoleAssignmentArgs(
            principal_id=settings.deployer_principal_id,
            # Set explicitly so a just-created service principal does not fail on replication delay.
            principal_type=settings.deployer_principal_type,
            role_definition_id=pulumi.Output.concat(
                "/subscriptions/", client.subscription_id, "/providers/Microsoft.Authorization/roleDefinitions/", role_id
            ),
            scope=scope,
        ),
    )


grant("deployer-state-blob-data-contributor", STORAGE_BLOB_DATA_CONTRIBUTOR, account.id)
grant("deployer-secrets-crypto-user", KEY_VAULT_CRYPTO_USER, vault.id)

vault_host = vault.properties.vault_uri.apply(lambda uri: uri.removeprefix("https://").rstrip("/"))
pulumi.export("resourceGroupName", group.name)
pulumi.export("storageAccountName", account.name)
pulumi.export("keyVaultName", vault.name)
# `pulumi login <backendUrl>`; the repository variable PULUMI_BACKEND_URL holds the same value.
pulumi.export("backendUrl", pulumi.Output.concat("azblob://", container.name, "?storage_account=", account.name))
# `pulumi stack init <stack> --secrets-provider <secretsProvider>`
pulumi.export("secretsProvider", pulumi.Output.concat("azurekeyvault://", vault_host, "/keys/", key.name))
