"""Azure Managed Grafana on the stack's Azure Monitor workspace, reachable privately where settings say so."""
from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pulumi_azure_native import authorization, dashboard

from facts.azure import GRAFANA_ADMIN, GRAFANA_PRIVATE_LINK_GROUP, MONITORING_DATA_READER
from settings import GrafanaSettings

from .context import StackContext
from .private_link import PrivateLink, PrivateLinkArgs
from .roles import assign_role


class Grafana(pulumi.ComponentResource):
    """A Managed Grafana workspace with the Azure Monitor workspace as its Prometheus data source
    (grafanaIntegrations), its system identity granted Monitoring Data Reader on that workspace (what the data
    source signs in as), and the cluster's admin groups granted Grafana Admin on it.

    API keys are off (people sign in with Entra ID). With publicNetworkAccess Disabled it is reached through a
    private endpoint in the private-endpoint subnet, with the privatelink.grafana.azure.com zone linked to the
    VNet. The SDK's default API version for it is 2024-10-01 (GA).
    """

    def __init__(
        self, name: str, context: StackContext, settings: GrafanaSettings, *, workspace_id: pulumi.Input[str],
        admin_group_ids: Sequence[str], private_endpoint_subnet_id: pulumi.Input[str] | None,
        vnet_id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("aks-platform:monitoring:Grafana", name, None, opts)
        c = context
        private = settings.public_network_access == "Disabled"
        if private and private_endpoint_subnet_id is None:
            raise ValueError("Grafana's public network access is Disabled but no private-endpoint subnet was given")
        self.grafana = dashboard.Grafana(
            f"{name}-grafana",
            workspace_name=f"amg-{c.stem}",
            resource_group_name=c.resource_group_name,
            location=c.location,
            sku=dashboard.ResourceSkuArgs(name=settings.sku),
            identity=dashboard.ManagedServiceIdentityArgs(type="SystemAssigned"),
            properties=dashboard.ManagedGrafanaPropertiesArgs(
                public_network_access=settings.public_network_access,
                api_key="Disabled",
                grafana_integrations=dashboard.GrafanaIntegrationsArgs(
                    azure_monitor_workspace_integrations=[
                        dashboard.AzureMonitorWorkspaceIntegrationArgs(azure_monitor_workspace_resource_id=workspace_id)
                    ],
                ),
            ),
            tags=dict(c.tags),
            # Dashboards made in Grafana live only there: guarded like the other stores of the stack.
            opts=pulumi.ResourceOptions(parent=self, protect=c.protect),
        )
        principal_id = self.grafana.identity.apply(lambda i: i.principal_id)
        self.data_reader = assign_role(
            f"{name}-monitoring-data-reader", scope=workspace_id, role=MONITORING_DATA_READER,
            principal_id=principal_id, subscription_id=c.subscription_id, parent=self,
        )
        self.admin_grants = [
            assign_role(
                f"{name}-admin-{index}", scope=self.grafana.id, role=GRAFANA_ADMIN, principal_id=group,
                subscription_id=c.subscription_id, parent=self, principal_type=authorization.PrincipalType.GROUP,
            )
            for index, group in enumerate(admin_group_ids)
        ]
        self.private_link = PrivateLink(f"{name}-private-link", c, PrivateLinkArgs(
            service_id=self.grafana.id, group_id=GRAFANA_PRIVATE_LINK_GROUP, subnet_id=private_endpoint_subnet_id,
            vnet_id=vnet_id,
        ), opts=pulumi.ResourceOptions(parent=self)) if private else None
        self.endpoint = self.grafana.properties.apply(lambda p: p.endpoint if p else None)
        self.register_outputs({"endpoint": self.endpoint})
