"""Node auto-provisioning policies: the Karpenter NodePools the in-cluster layer deploys with `nodeProvisioning: auto`."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from .framework import HIGH, Problem, resource_policy
from .props import get, is_unknown

NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool"


def _limits(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    # "By default, NAP attempts to schedule your workloads within the Azure quota you have available"
    # (Learn "Configure node pools for node auto-provisioning", node pool limits): without limits, the ceiling
    # is the subscription's quota.
    for resource in ("cpu", "memory"):
        path = f"spec.limits.{resource}"
        value = get(props, path)
        if value is None:
            yield path, "is absent (NAP then creates nodes up to the subscription's VM quota); want a limit"
        elif not is_unknown(value) and not isinstance(value, (str, int, float)):
            yield path, f"is {value!r}; want a Kubernetes quantity such as \"64\" or 256Gi"


POLICIES = [
    resource_policy(
        name="nap-nodepool-limits",
        checks={NODE_POOL: _limits},
        description="Every node auto-provisioning NodePool caps the CPU and memory of its nodes (spec.limits), the "
                    "cost guard that replaces an agent pool's maxCount; absent means nodes up to the VM quota.",
        severity=HIGH,
        remediation="set limits.cpu and limits.memory on the pool in aks-platform:napPools[]"),
]
