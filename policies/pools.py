"""Walk every node pool: the inline `agentPoolProfiles[]` of a ManagedCluster and standalone AgentPools.

Pool policies are written once against one pool's properties; this module finds all of them (not just
the first) and names each in messages.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Callable

from .framework import Problem, resource_policy
from .props import get, is_unknown, items

CLUSTER = "azure-native:containerservice:ManagedCluster"
AGENT_POOL = "azure-native:containerservice:AgentPool"


@dataclass(frozen=True)
class Pool:
    label: str       # "pool 'system' " or "" for a standalone AgentPool (the resource is the pool)
    path: str        # prefix of property paths: "agentPoolProfiles[0]." or ""
    props: Any
    is_system: bool


def _is_system(pool: Any) -> bool:
    mode = get(pool, "mode")
    return isinstance(mode, str) and mode.lower() == "system"


def each_pool(resource_type: str, props: Mapping) -> Iterator[Pool]:
    if resource_type == AGENT_POOL:
        # A standalone AgentPool without mode is a User pool (Azure's default).
        yield Pool("", "", props, _is_system(props))
        return
    pools = [p for p in items(get(props, "agentPoolProfiles")) if not is_unknown(p)]
    # When no inline pool says System, Azure makes the first one the System pool.
    first_is_system = not any(_is_system(p) for p in pools)
    for index, pool in enumerate(pools):
        name = get(pool, "name")
        label = f"pool {name!r} " if isinstance(name, str) else f"pool #{index} "
        yield Pool(label, f"agentPoolProfiles[{index}].", pool,
                   _is_system(pool) or (first_is_system and index == 0))


PoolCheck = Callable[[Pool, Mapping[str, Any]], Iterable[Problem]]


def pool_policy(*, check: PoolCheck, **kwargs: Any):
    """A policy applied to every inline pool of a ManagedCluster and to every standalone AgentPool."""
    def for_type(resource_type: str):
        def check_all(props: Mapping, config: Mapping) -> Iterable[Problem]:
            for pool in each_pool(resource_type, props):
                for prop, complaint in check(pool, config):
                    yield f"{pool.label}{pool.path}{prop}", complaint
        return check_all
    return resource_policy(checks={CLUSTER: for_type(CLUSTER), AGENT_POOL: for_type(AGENT_POOL)}, **kwargs)
