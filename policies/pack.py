"""The pack's contents: every policy, and the analyzer servicer the Pulumi CLI would talk to."""
from __future__ import annotations

from pathlib import Path

import yaml  # PyYAML, which the pulumi SDK itself requires
from pulumi_policy import EnforcementLevel

from sdk_shim.policy_sdk import PolicyAnalyzerServicer

from . import backup, cluster, gitops, key_vault, metrics, monitoring_registry, nap, network, node_pools, stack_wide

PACK_NAME = "aks-platform-security"
PROJECT_FILE = Path(__file__).resolve().parent / "PulumiPolicy.yaml"


def _version(project_file: Path) -> str:
    """The `version` of PulumiPolicy.yaml, the one the CLI reports for this pack."""
    version = (yaml.safe_load(project_file.read_text()) or {}).get("version")
    if not isinstance(version, str) or not version:
        raise ValueError(f"{project_file}: 'version' is {version!r}; want a quoted semantic version, e.g. \"1.2.0\"")
    return version


PACK_VERSION = _version(PROJECT_FILE)
DESCRIPTION = "Security defaults of the aks-platform AKS platform."

ALL_POLICIES = [
    *cluster.POLICIES,
    *node_pools.POLICIES,
    *network.POLICIES,
    *key_vault.POLICIES,
    *monitoring_registry.POLICIES,
    *stack_wide.POLICIES,
    *metrics.POLICIES,
    *nap.POLICIES,
    *backup.POLICIES,
    *gitops.POLICIES,
]


def new_servicer() -> PolicyAnalyzerServicer:
    """The same servicer `PolicyPack(...)` serves over gRPC, built without starting the server.

    `PolicyPack.__init__` builds exactly this object and then blocks serving it; building it directly
    lets the offline plan and the tests call Configure/Analyze/AnalyzeStack in-process.
    """
    return PolicyAnalyzerServicer(PACK_NAME, PACK_VERSION, ALL_POLICIES, EnforcementLevel.ADVISORY,
                                  description=DESCRIPTION)
