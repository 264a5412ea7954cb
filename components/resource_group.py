"""The resource group of one stack."""
from __future__ import annotations

from collections.abc import Mapping

import pulumi
from pulumi_azure_native import resources


class ResourceGroup(pulumi.ComponentResource):
    """The resource group that holds every Azure resource of the stack, tagged for cost and ownership.

    Protected in prod: deleting it would delete the cluster, the vault and the logs with it.
    """

    def __init__(
        self,
        name: str,
        *,
        resource_group_name: str,
        location: str,
        tags: Mapping[str, str],
        protect: bool,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("aks-platform:resources:ResourceGroup", name, None, opts)
        self.resource_group = resources.ResourceGroup(
            f"{name}-rg",
            resource_group_name=resource_group_name,
            location=location,
            tags=dict(tags),
            opts=pulumi.ResourceOptions(parent=self, protect=protect),
        )
        self.name = self.resource_group.name
        self.register_outputs({"name": self.name, "id": self.resource_group.id})
