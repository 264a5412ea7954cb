"""Internals of the policy SDK (`pulumi_policy`) that policies/ needs; see the package docstring."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import sdk_internal

# The gRPC servicer `PolicyPack(...)` builds and then serves forever; built directly, the offline
# plan and the tests call Configure/Analyze/AnalyzeStack in-process. Constructor:
# (name, version, policies, enforcement_level, description=...).
PolicyAnalyzerServicer: type = sdk_internal("pulumi-policy", "pulumi_policy.policy", "_PolicyAnalyzerServicer")

# True for the sentinel strings that stand for values unknown during preview.
is_unknown_value: Callable[[Any], bool] = sdk_internal("pulumi-policy", "pulumi_policy.proxy", "_is_unknown")
