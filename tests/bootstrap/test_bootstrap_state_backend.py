"""The team state backend: what bootstrap/__main__.py asks Azure for, checked value by value.

The program runs on Pulumi's mock engine; the mocks answer like Azure (real names and ARM IDs) and
record every resource, so the tests assert on the exact inputs that would reach Azure.
"""

from __future__ import annotations

import asyncio
import runpy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pulumi
import pytest

PROGRAM = Path(__file__).resolve().parents[2] / "bootstrap" / "__main__.py"
SUBSCRIPTION_ID = "00000000-1111-2222-3333-444444444444"
TENANT_ID = "99999999-8888-7777-6666-555555555555"
DEPLOYER_ID = "0f0e0d0c-0b0a-0908-0706-050403020100"

VALID_CONFIG = {
    "location": "westeurope",
    "namePrefix": "acme",
    "deployerPrincipalId": DEPLOYER_ID,
}


@dataclass
class Recorded:
    type: str
    name: str
    id: str
    inputs: dict[str, Any]


class AzureMocks(pulumi.runtime.Mocks):
    """Answers like Azure would: real names and ARM IDs, so wrong wiring between resources shows up."""

    def __init__(self) -> None:
        self.resources: list[Recorded] = []
        self.calls: list[str] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        inputs = dict(args.inputs)
        rg_id = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{inputs.get('resourceGroupName')}"
        state: dict[str, Any] = dict(inputs)
        if args.typ == "azure-native:resources:ResourceGroup":
            name, id_ = inputs["resourceGroupName"], rg_id
        elif args.typ == "azure-native:storage:StorageAccount":
            name = inputs["accountName"]
            id_ = f"{rg_id}/providers/Microsoft.Storage/storageAccounts/{name}"
        elif args.typ == "azure-native:storage:BlobServiceProperties":
            name = "default"
            id_ = f"{rg_id}/providers/Microsoft.Storage/storageAccounts/{inputs['accountName']}/blobServices/default"
        elif args.typ == "azure-native:storage:BlobContainer":
            name = inputs["containerName"]
            id_ = (
                f"{rg_id}/providers/Microsoft.Storage/storageAccounts/{inputs['accountName']}"
                f"/blobServices/default/containers/{name}"
            )
        elif args.typ == "azure-native:keyvault:Vault":
            name = inputs["vaultName"]
            id_ = f"{rg_id}/providers/Microsoft.KeyVault/vaults/{name}"
            state["properties"] = {**inputs["properties"], "vaultUri": f"https://{name}.vault.azure.net/"}
        elif args.typ == "azure-native:keyvault:Key":
            name = inputs["keyName"]
            id_ = f"{rg_id}/providers/Microsoft.KeyVault/vaults/{inputs['vaultName']}/keys/{name}"
        elif args.typ == "azure-native:authorization:RoleAssignment":
            name = f"{len(self.resources):08d}-0000-4000-8000-000000000000"
            id_ = f"{inputs['scope']}/providers/Microsoft.Authorization/roleAssignments/{name}"
        else:
            raise AssertionError(f"unexpected resource type {args.typ}")
        state["name"] = name
        self.resources.append(Recorded(args.typ, args.name, id_, inputs))
        return id_, state

    def call(self, args: pulumi.runtime.MockCallArgs):
        self.calls.append(args.token)
        if args.token == "azure-native:authorization:getClientConfig":
            return {
                "clientId": "c1c1c1c1-0000-0000-0000-000000000000",
                "objectId": DEPLOYER_ID,
                "subscriptionId": SUBSCRIPTION_ID,
                "tenantId": TENANT_ID,
            }
        raise AssertionError(f"unexpected invoke {args.token}")


@dataclass
class Run:
    mocks: AzureMocks
    outputs: dict[str, Any]

    def of_type(self, token: str) -> list[Recorded]:
        return [r for r in self.mocks.resources if r.type == token]

    def one(self, token: str) -> Recorded:
        (found,) = self.of_type(token)
        return found


@pytest.fixture
def run_bootstrap() -> Callable[..., Run]:
    """Each test gets its own event loop, mocks and config; globals are reset afterwards."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    def run(config: dict[str, str] | None = None) -> Run:
        mocks = AzureMocks()
        pulumi.runtime.set_mocks(mocks, project="aks-platform-bootstrap", stack="team", preview=False)
        values = VALID_CONFIG if config is None else config
        pulumi.runtime.set_all_config({f"aks-platform-bootstrap:{k}": v for k, v in values.items()})
        try:
            runpy.run_path(str(PROGRAM), run_name="__main__")
        finally:
            # Also after a config error: the root stack's registration is already queued.
            loop.run_until_complete(pulumi.runtime.stack.wait_for_rpcs())
        stack = pulumi.runtime.settings.get_root_resource()
        outputs = {
            name: loop.run_until_complete(pulumi.Output.from_input(value).future())
            for name, value in stack.outputs.items()
        }
        return Run(mocks, outputs)

    yield run
    pulumi.runtime.set_all_config({})
    pulumi.runtime.reset_options()
    loop.close()
    asyncio.set_event_loop(None)

RG_ID = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/rg-acme-pulumi-state"
ACCOUNT_ID = f"{RG_ID}/providers/Microsoft.Storage/storageAccounts/acmestate"
VAULT_ID = f"{RG_ID}/providers/Microsoft.KeyVault/vaults/acme-pulumi"
ROLES = f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions"


def test_storage_account_accepts_only_private_entra_id_traffic(run_bootstrap):
    account = run_bootstrap().one("azure-native:storage:StorageAccount").inputs

    assert account["accountName"] == "acmestate"
    assert account["resourceGroupName"] == "rg-acme-pulumi-state"
    assert account["location"] == "westeurope"
    assert account["kind"] == "StorageV2"
    assert account["sku"] == {"name": "Standard_ZRS"}
    assert account["allowBlobPublicAccess"] is False
    assert account["allowSharedKeyAccess"] is False
    assert account["defaultToOAuthAuthentication"] is True
    assert account["allowCrossTenantReplication"] is False
    assert account["minimumTlsVersion"] == "TLS1_2"
    assert account["enableHttpsTrafficOnly"] is True


def test_storage_account_uses_infrastructure_encryption(run_bootstrap):
    encryption = run_bootstrap().one("azure-native:storage:StorageAccount").inputs["encryption"]

    assert encryption["requireInfrastructureEncryption"] is True
    assert encryption["keySource"] == "Microsoft.Storage"
    assert encryption["services"]["blob"] == {"enabled": True, "keyType": "Account"}


def test_blob_versioning_and_soft_delete_default_to_30_days(run_bootstrap):
    blob_service = run_bootstrap().one("azure-native:storage:BlobServiceProperties").inputs

    assert blob_service["accountName"] == "acmestate"
    assert blob_service["blobServicesName"] == "default"
    assert blob_service["isVersioningEnabled"] is True
    assert blob_service["deleteRetentionPolicy"] == {"enabled": True, "days": 30}
    assert blob_service["containerDeleteRetentionPolicy"] == {"enabled": True, "days": 30}


def test_soft_delete_days_come_from_config(run_bootstrap):
    run = run_bootstrap({**VALID_CONFIG, "softDeleteRetentionDays": "90"})
    blob_service = run.one("azure-native:storage:BlobServiceProperties").inputs

    assert blob_service["deleteRetentionPolicy"]["days"] == 90
    assert blob_service["containerDeleteRetentionPolicy"]["days"] == 90


def test_state_container_is_private(run_bootstrap):
    container = run_bootstrap().one("azure-native:storage:BlobContainer").inputs

    assert container == {
        "accountName": "acmestate",
        "resourceGroupName": "rg-acme-pulumi-state",
        "containerName": "state",
        "publicAccess": "None",
    }


def test_key_vault_uses_rbac_with_soft_delete_and_purge_protection(run_bootstrap):
    vault = run_bootstrap().one("azure-native:keyvault:Vault").inputs

    assert vault["vaultName"] == "acme-pulumi"
    assert vault["location"] == "westeurope"
    properties = vault["properties"]
    assert properties["tenantId"] == TENANT_ID
    assert properties["sku"] == {"family": "A", "name": "standard"}
    assert properties["enableRbacAuthorization"] is True
    assert properties["enableSoftDelete"] is True
    assert properties["softDeleteRetentionInDays"] == 90
    assert properties["enablePurgeProtection"] is True
    assert "accessPolicies" not in properties


def test_secrets_key_is_rsa_4096_for_encrypt_and_decrypt_only(run_bootstrap):
    key = run_bootstrap().one("azure-native:keyvault:Key").inputs

    assert key["keyName"] == "pulumi-secrets"
    assert key["vaultName"] == "acme-pulumi"
    assert key["properties"] == {"kty": "RSA", "keySize": 4096, "keyOps": ["encrypt", "decrypt"]}


def test_deployer_gets_exactly_two_data_roles_each_on_its_own_resource(run_bootstrap):
    assignments = run_bootstrap().of_type("azure-native:authorization:RoleAssignment")

    granted = {(a.inputs["roleDefinitionId"], a.inputs["scope"]) for a in assignments}
    assert granted == {
        (f"{ROLES}/ba92f5b4-2d11-453d-a403-e96b0029c9fe", ACCOUNT_ID),  # Storage Blob Data Contributor
        (f"{ROLES}/12338af0-0e69-4776-bea7-57ae8d297424", VAULT_ID),  # Key Vault Crypto User
    }
    assert [a.inputs["principalId"] for a in assignments] == [DEPLOYER_ID, DEPLOYER_ID]
    assert [a.inputs["principalType"] for a in assignments] == ["ServicePrincipal", "ServicePrincipal"]


def test_principal_type_can_be_a_group(run_bootstrap):
    run = run_bootstrap({**VALID_CONFIG, "deployerPrincipalType": "Group"})

    types = {a.inputs["principalType"] for a in run.of_type("azure-native:authorization:RoleAssignment")}
    assert types == {"Group"}


def test_outputs_are_the_login_url_and_secrets_provider(run_bootstrap):
    outputs = run_bootstrap().outputs

    assert outputs["backendUrl"] == "azblob://state?storage_account=acmestate"
    assert outputs["secretsProvider"] == "azurekeyvault://acme-pulumi.vault.azure.net/keys/pulumi-secrets"
    assert outputs["storageAccountName"] == "acmestate"
    assert outputs["keyVaultName"] == "acme-pulumi"
    assert outputs["resourceGroupName"] == "rg-acme-pulumi-state"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("namePrefix", "Acme", "namePrefix: 'Acme' must be 3-16 lowercase letters or digits"),
        ("namePrefix", "1acme", "namePrefix: '1acme' must be 3-16"),
        ("namePrefix", "a" * 17, "must be 3-16 lowercase letters or digits"),
        ("location", "West Europe", "location: 'West Europe' is not a region name"),
        ("deployerPrincipalId", "my-ci-app", "deployerPrincipalId: 'my-ci-app' is not an object ID"),
        ("deployerPrincipalType", "App", "deployerPrincipalType: 'App' must be one of ServicePrincipal, User, Group"),
        ("softDeleteRetentionDays", "3", "softDeleteRetentionDays: '3' must be a whole number of days from 7 to 365"),
        ("softDeleteRetentionDays", "a month", "softDeleteRetentionDays: 'a month' must be a whole number"),
    ],
)
def test_bad_config_value_is_named_in_the_error(run_bootstrap, key, value, message):
    with pytest.raises(ValueError, match="invalid aks-platform-bootstrap config") as error:
        run_bootstrap({**VALID_CONFIG, key: value})

    assert message in str(error.value)


def test_every_missing_required_key_is_reported_at_once(run_bootstrap):
    with pytest.raises(ValueError) as error:
        run_bootstrap({})

    for key in ("location", "namePrefix", "deployerPrincipalId"):
        assert f"{key}: required (pulumi config set {key} <value>)" in str(error.value)
