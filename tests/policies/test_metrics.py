"""The Managed Prometheus and Grafana policies (policies/metrics.py), rule by rule (the checks are in
resource_cases.py)."""
from __future__ import annotations

from .helpers import DELETE
from .resource_cases import checks_for

CASES = [
    ("aks-managed-prometheus", "aks", {"azureMonitorProfile.metrics.enabled": False},
     "azureMonitorProfile.metrics.enabled is false", None),
    ("aks-managed-prometheus", "aks", {"azureMonitorProfile": DELETE},
     "azureMonitorProfile.metrics.enabled is absent (Azure then uses false)", None),
    ("grafana-public-access-disabled", "grafana", {"properties.publicNetworkAccess": "Enabled"},
     "properties.publicNetworkAccess is 'Enabled'", None),
    ("grafana-public-access-disabled", "grafana", {"properties.publicNetworkAccess": DELETE},
     "properties.publicNetworkAccess is absent (Azure then uses 'Enabled')", None),
]
test_known_good_resources_pass, test_flipped_property_is_reported, test_unknown_value_does_not_crash_or_report = \
    checks_for(CASES)
