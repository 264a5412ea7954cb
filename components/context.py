"""What every component of one stack shares, whatever it builds."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi

from settings import PlatformSettings


@dataclass(frozen=True)
class StackContext:
    """Where the stack's resources go and how they are named, tagged and guarded.

    Built once in `__main__.py`; every component takes it beside its own settings section, so no
    component's arguments repeat these facts.
    """

    # The group's output name, so that whatever is created in it waits for the group.
    resource_group_name: pulumi.Input[str]
    location: str
    # `<prefix>-<environment>`: the middle of every resource name.
    stem: str
    # On every Azure resource that takes tags.
    tags: Mapping[str, str]
    # Guards the stateful resources (cluster, vault, workspace, registry) against deletion.
    protect: bool
    # The Entra ID tenant and the subscription the stack deploys to (the deployer's).
    tenant_id: pulumi.Input[str]
    subscription_id: pulumi.Input[str]

    @classmethod
    def of(
        cls,
        settings: PlatformSettings,
        resource_group_name: pulumi.Input[str],
        *,
        tenant_id: pulumi.Input[str],
        subscription_id: pulumi.Input[str],
    ) -> StackContext:
        return cls(
            resource_group_name=resource_group_name,
            location=settings.location,
            stem=settings.stem,
            tags=settings.tags,
            protect=settings.protect,
            tenant_id=tenant_id,
            subscription_id=subscription_id,
        )
