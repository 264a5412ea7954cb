"""The pack's contents: every policy, and the analyzer servicer the Pulumi CLI would talk to."""
from __future__ import annotations

from pulumi_policy import EnforcementLevel

from sdk_shim.policy_sdk import PolicyAnalyzerServicer

from . import cluster, key_vault, monitoring_registry, network, node_pools, stack_wide

PACK_NAME = "aks-platform-security"
PACK_VERSION = "0.1.0"
DESCRIPTION = "Security defaults of the aks-platform AKS platform."

ALL_POLICIES = [
    *cluster.POLICIES,
    *node_pools.POLICIES,
    *network.POLICIES,
    *key_vault.POLICIES,
    *monitoring_registry.POLICIES,
    *stack_wide.POLICIES,
]


def new_servicer() -> PolicyAnalyzerServicer:
    """The same servicer `PolicyPack(...)` serves over gRPC, built without starting the server.

    `PolicyPack.__init__` builds exactly this object and then blocks serving it; building it directly
    lets the offline plan and the tests call Configure/Analyze/AnalyzeStack in-process.
    """
    return PolicyAnalyzerServicer(PACK_NAME, PACK_VERSION, ALL_POLICIES, EnforcementLevel.ADVISORY,
                                  description=DESCRIPTION)
