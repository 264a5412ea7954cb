"""A private endpoint with the private DNS zone that makes the service's name resolve to it."""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import network, privatedns

from facts.azure import GRAFANA_PRIVATE_DNS_ZONE, GRAFANA_PRIVATE_LINK_GROUP

from .context import StackContext


# The sub-resource a private endpoint connects to, and the zone Azure resolves it in.
DNS_ZONES = {
    "vault": "privatelink.vaultcore.azure.net",
    "registry": "privatelink.azurecr.io",
    GRAFANA_PRIVATE_LINK_GROUP: GRAFANA_PRIVATE_DNS_ZONE,
}


@dataclass(frozen=True)
class PrivateLinkArgs:
    service_id: pulumi.Input[str]
    group_id: str  # a key of DNS_ZONES
    subnet_id: pulumi.Input[str]
    vnet_id: pulumi.Input[str]

    @property
    def dns_zone(self) -> str:
        return DNS_ZONES[self.group_id]

    @property
    def endpoint_name(self) -> str:
        return f"pe-{self.group_id}"


class PrivateLink(pulumi.ComponentResource):
    """Private endpoint in the private-endpoint subnet, plus the privatelink DNS zone linked to the VNet.

    The zone group keeps the zone's A record in step with the endpoint's IP, so clients in the VNet
    resolve the service's public name to its private address and never leave the network.
    """

    def __init__(
        self, name: str, context: StackContext, args: PrivateLinkArgs, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("aks-platform:network:PrivateLink", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.endpoint = network.PrivateEndpoint(
            f"{name}-endpoint",
            private_endpoint_name=args.endpoint_name,
            resource_group_name=context.resource_group_name,
            location=context.location,
            subnet=network.SubnetArgs(id=args.subnet_id),
            private_link_service_connections=[
                network.PrivateLinkServiceConnectionArgs(
                    name=args.endpoint_name, private_link_service_id=args.service_id, group_ids=[args.group_id]
                )
            ],
            tags=dict(context.tags),
            opts=child,
        )
        self.zone = privatedns.PrivateZone(
            f"{name}-zone",
            private_zone_name=args.dns_zone,
            resource_group_name=context.resource_group_name,
            location="global",
            tags=dict(context.tags),
            opts=child,
        )
        self.vnet_link = privatedns.VirtualNetworkLink(
            f"{name}-zone-link",
            virtual_network_link_name=f"link-{args.endpoint_name}",
            private_zone_name=self.zone.name,
            resource_group_name=context.resource_group_name,
            location="global",
            virtual_network=privatedns.SubResourceArgs(id=args.vnet_id),
            registration_enabled=False,
            tags=dict(context.tags),
            opts=child,
        )
        self.zone_group = network.PrivateDnsZoneGroup(
            f"{name}-zone-group",
            private_dns_zone_group_name="default",
            private_endpoint_name=self.endpoint.name,
            resource_group_name=context.resource_group_name,
            private_dns_zone_configs=[
                network.PrivateDnsZoneConfigArgs(name=args.dns_zone.replace(".", "-"), private_dns_zone_id=self.zone.id)
            ],
            opts=child,
        )
        self.register_outputs({"endpoint_id": self.endpoint.id})
