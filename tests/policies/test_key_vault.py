"""The Key Vault policies (policies/key_vault.py), rule by rule (the checks are in resource_cases.py)."""
from __future__ import annotations

from .helpers import DELETE
from .resource_cases import checks_for

CASES = [
    ("keyvault-rbac-authorization", "kv", {"properties.enableRbacAuthorization": DELETE},
     "properties.enableRbacAuthorization is absent (Azure then uses false)", None),
    ("keyvault-soft-delete", "kv", {"properties.enableSoftDelete": False}, "properties.enableSoftDelete is false", None),
    ("keyvault-soft-delete", "kv", {"properties.softDeleteRetentionInDays": 30.0},
     "properties.softDeleteRetentionInDays is 30; want at least 90", {"minimumRetentionDays": 90}),
    ("keyvault-purge-protection", "kv", {"properties.enablePurgeProtection": False},
     "properties.enablePurgeProtection is false", None),
    ("keyvault-network-restricted", "kv", {"properties.publicNetworkAccess": "Enabled",
                                           "properties.networkAcls": DELETE},
     "properties.networkAcls.defaultAction is absent (absent means Allow) while properties.publicNetworkAccess "
     "is 'Enabled'", None),
    ("keyvault-secret-key-expiry", "secret", {"properties.attributes": DELETE},
     "properties.attributes.expires is absent", None),
    ("keyvault-key-auto-rotation", "key", {"properties.rotationPolicy": DELETE},
     "properties.rotationPolicy.lifetimeActions has action types [] (absent: none); want one of type rotate", None),
    ("keyvault-key-auto-rotation", "key", {"properties.rotationPolicy.lifetimeActions.0.action.type": "notify"},
     "properties.rotationPolicy.lifetimeActions has action types ['notify']", None),
    ("keyvault-secret-key-expiry", "key", {"properties.attributes.expires": DELETE},
     "properties.attributes.expires is absent", None),
]
test_known_good_resources_pass, test_flipped_property_is_reported, test_unknown_value_does_not_crash_or_report = \
    checks_for(CASES)
