"""The registry and Log Analytics policies (policies/monitoring_registry.py), rule by rule (the checks are in resource_cases.py)."""
from __future__ import annotations

from .helpers import DELETE
from .resource_cases import checks_for

CASES = [
    ("acr-admin-user-disabled", "acr", {"adminUserEnabled": True}, "adminUserEnabled is true", None),
    ("acr-anonymous-pull-disabled", "acr", {"anonymousPullEnabled": True}, "anonymousPullEnabled is true", None),
    ("acr-public-access-restricted", "acr", {"publicNetworkAccess": DELETE},
     "publicNetworkAccess is absent (absent means Enabled) and networkRuleSet.defaultAction is absent", None),
    ("acr-export-disabled", "acr", {"policies.exportPolicy.status": "enabled"},
     "policies.exportPolicy.status is 'enabled'; want disabled", None),
    ("acr-export-disabled", "acr", {"policies": DELETE},
     "policies.exportPolicy.status is absent (Azure then uses 'enabled')", None),
    ("log-analytics-retention", "log", {"retentionInDays": DELETE},
     "retentionInDays is absent (Azure then uses 30); want at least 90", {"minimumDays": 90}),
    ("log-analytics-local-auth-disabled", "log", {"features.disableLocalAuth": False},
     "features.disableLocalAuth is false", None),
]
test_known_good_resources_pass, test_flipped_property_is_reported, test_unknown_value_does_not_crash_or_report = \
    checks_for(CASES)
