"""What the component tests share: one stack's context, and a single component run on the mock engine."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pulumi_azure_native import containerservice

from components.context import StackContext
from offline.engine import Rendered, run
from offline.mocks import SUBSCRIPTION_ID, TENANT_ID

CONTEXT = StackContext(
    resource_group_name="rg-contoso-prod",
    location="westeurope",
    stem="contoso-prod",
    tags={"environment": "prod", "managed-by": "pulumi"},
    protect=True,
    tenant_id=TENANT_ID,
    subscription_id=SUBSCRIPTION_ID,
)

C = TypeVar("C")


def render_component(build: Callable[[], C]) -> tuple[Rendered, C]:
    """Run `build` alone on fresh mocks: what it registered, and what it returned (the component)."""
    built = []
    rendered = run(lambda: built.append(build()))
    return rendered, built[0]


def stand_in_cluster(name: str = "aks-contoso-prod") -> containerservice.ManagedCluster:
    """A bare ManagedCluster for components that attach to one (pools, maintenance); call inside `build`."""
    return containerservice.ManagedCluster("aks", resource_group_name=CONTEXT.resource_group_name, resource_name_=name)
