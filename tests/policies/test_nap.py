"""The node auto-provisioning policies (policies/nap.py), rule by rule (the checks are in resource_cases.py)."""
from __future__ import annotations

from .helpers import DELETE
from .resource_cases import checks_for

CASES = [
    ("nap-nodepool-limits", "nap-pool", {"spec.limits.cpu": DELETE},
     "spec.limits.cpu is absent (NAP then creates nodes up to the subscription's VM quota); want a limit", None),
    ("nap-nodepool-limits", "nap-pool", {"spec.limits.memory": DELETE},
     "spec.limits.memory is absent", None),
]
test_known_good_resources_pass, test_flipped_property_is_reported, test_unknown_value_does_not_crash_or_report = \
    checks_for(CASES)
