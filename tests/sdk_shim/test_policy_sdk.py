"""Each policy SDK internal in sdk_shim.policy_sdk still behaves as the project relies on.

A failure here after an SDK upgrade names the installed version: adapt sdk_shim/policy_sdk.py to it.
"""
from __future__ import annotations

from importlib.metadata import version

from pulumi_policy import EnforcementLevel, ResourceValidationPolicy
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from sdk_shim.policy_sdk import PolicyAnalyzerServicer, is_unknown_value

CHANGED = f"pulumi-policy {version('pulumi-policy')} changed an internal sdk_shim/policy_sdk.py relies on"


def test_the_servicer_is_built_from_a_pack_and_describes_it():
    policy = ResourceValidationPolicy("no-op", "Does nothing, for the shim test.", lambda args, report: None)
    servicer = PolicyAnalyzerServicer("pack", "1.2.3", [policy], EnforcementLevel.MANDATORY, description="A pack.")
    info = servicer.GetAnalyzerInfo(None, None)
    assert (info.name, info.version, info.description) == ("pack", "1.2.3", "A pack."), \
        CHANGED + ": _PolicyAnalyzerServicer(name, version, policies, enforcement_level, description=...)"
    assert [p.name for p in info.policies] == ["no-op"], CHANGED + ": _PolicyAnalyzerServicer.GetAnalyzerInfo"
    for method in ("Configure", "Analyze", "AnalyzeStack"):  # what policies.offline calls
        assert callable(getattr(servicer, method, None)), CHANGED + f": _PolicyAnalyzerServicer.{method}"


def test_is_unknown_value_tells_the_preview_sentinel_from_a_real_value():
    assert is_unknown_value(UNKNOWN_STRING_VALUE), CHANGED + ": pulumi_policy.proxy._is_unknown"
    assert not is_unknown_value("Standard") and not is_unknown_value(None), CHANGED + ": pulumi_policy.proxy._is_unknown"
