"""Key Vault policies: who can read secrets, how deletes are recoverable, and who can reach the vault."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from facts.azure import SOFT_DELETE_DAYS_LIMITS
from facts.profiles import STRICTEST

from .compliance import azure_policy
from .framework import ADVISORY, HIGH, LOW, MEDIUM, Problem, equals, require, resource_policy
from .props import get, is_unknown, items, show

VAULT = "azure-native:keyvault:Vault"
SECRET = "azure-native:keyvault:Secret"
KEY = "azure-native:keyvault:Key"
_is_true = equals(True)


def vault_policy(*, check, **kwargs):
    return resource_policy(checks={VAULT: check}, **kwargs)


def _soft_delete(props: Mapping, config: Mapping) -> Iterable[Problem]:
    # Soft delete is always on for new vaults; false is rejected or ignored by Azure but says the wrong thing.
    yield from require(props, "properties.enableSoftDelete", _is_true, "true", azure_default=True)
    minimum = config["minimumRetentionDays"]
    yield from require(props, "properties.softDeleteRetentionInDays",
                       lambda v: isinstance(v, (int, float)) and v >= minimum, f"at least {minimum}",
                       azure_default=90)


def _network(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    access = get(props, "properties.publicNetworkAccess", "Enabled")
    action = get(props, "properties.networkAcls.defaultAction", "Allow")
    if is_unknown(access) or is_unknown(action):
        return
    if access.lower() != "disabled" and action.lower() != "deny":
        yield ("properties.networkAcls.defaultAction",
               f"is {show(get(props, 'properties.networkAcls.defaultAction'))} (absent means Allow) while "
               f"properties.publicNetworkAccess is {show(get(props, 'properties.publicNetworkAccess'))} "
               "(absent means Enabled); want defaultAction Deny or publicNetworkAccess Disabled")


def _expiry(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    yield from require(props, "properties.attributes.expires", lambda v: isinstance(v, (int, float)) and v > 0,
                       "an expiry time (seconds since 1970)", azure_default="never expires")


def _auto_rotation(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    actions = get(props, "properties.rotationPolicy.lifetimeActions")
    if is_unknown(actions) or any(is_unknown(get(a, "action.type")) for a in items(actions)):
        return
    types = [get(a, "action.type") for a in items(actions)]
    if not any(isinstance(t, str) and t.lower() == "rotate" for t in types):
        yield ("properties.rotationPolicy.lifetimeActions",
               f"has action types {types} (absent: none); want one of type rotate")


POLICIES = [
    vault_policy(
        name="keyvault-rbac-authorization",
        framework=azure_policy("12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5"),
        description="The vault authorizes data access with Azure RBAC, so access is per secret scope and "
                    "audited like every other role; absent means legacy access policies.",
        severity=HIGH,
        check=lambda p, c: require(p, "properties.enableRbacAuthorization", _is_true, "true",
                                   azure_default=False),
        remediation="the Key Vault component sets enableRbacAuthorization; it is not a stack setting"),
    vault_policy(
        name="keyvault-soft-delete",
        framework=azure_policy("1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d"),
        description="Soft delete is on with at least the configured retention, so a deleted secret can be "
                    "recovered; absent means on with 90 days.",
        severity=MEDIUM, check=_soft_delete,
        config={"minimumRetentionDays": {"type": "integer", "minimum": SOFT_DELETE_DAYS_LIMITS[0],
                                         "maximum": SOFT_DELETE_DAYS_LIMITS[1],
                                         "default": STRICTEST.min_soft_delete_days,
                                         "description": "Fewest soft-delete retention days."}},
        remediation="raise aks-platform:keyVault.softDeleteRetentionDays"),
    vault_policy(
        name="keyvault-purge-protection",
        framework=azure_policy("0b60c0b2-2dc2-4e1c-b5c9-abbed971de53"),
        description="Purge protection stops anyone, including an attacker with Owner, from purging a deleted "
                    "vault before retention ends; absent means off. It blocks reusing the vault name, so "
                    "advisory in dev.",
        severity=HIGH,
        check=lambda p, c: require(p, "properties.enablePurgeProtection", _is_true, "true", azure_default=False),
        remediation="set aks-platform:keyVault.purgeProtection to true (it cannot be turned off again)"),
    vault_policy(
        name="keyvault-network-restricted",
        framework=azure_policy("55615ac9-af46-4a59-874e-391cc3dfb490"),
        description="The vault is not open to the whole internet: public network access off, or firewall "
                    "default Deny; absent means public with default Allow.",
        severity=HIGH, check=_network,
        remediation="set aks-platform:keyVault.publicNetworkAccess to Disabled, or keep it Enabled and list "
                    "callers in aks-platform:keyVault.allowedIpRanges (the firewall then denies the rest)"),
    resource_policy(
        name="keyvault-key-auto-rotation",
        checks={KEY: _auto_rotation},
        description="Every key has a rotation policy with a rotate action, so Key Vault makes new key versions "
                    "on a schedule without a person (PSRule for Azure Azure.KeyVault.AutoRotationPolicy); absent "
                    "means the key is never rotated.",
        severity=MEDIUM,
        remediation="set properties.rotationPolicy.lifetimeActions with action type rotate where the key is created "
                    "(the Key Vault component does for the etcd key; not a stack setting)"),
    resource_policy(
        name="keyvault-secret-key-expiry",
        framework=azure_policy("98728c90-32c7-4049-8429-847dc0f4fe37", "152b15f7-8e1f-4c1f-ab71-8c010ba5dbc0"),
        checks={SECRET: _expiry, KEY: _expiry},
        description="Secrets and keys carry an expiry so forgotten credentials stop working; absent means "
                    "they never expire. Advisory: some secrets are rotated by other means.",
        severity=LOW, enforcement=ADVISORY,
        remediation="set properties.attributes.expires where the secret or key is created (not a stack setting)"),
]
