"""The cluster's virtual network: subnets, their NSGs and the egress path."""
from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pulumi_azure_native import network

from facts.azure import KEY_VAULT_SERVICE_ENDPOINT, MANAGED_CLUSTERS
from settings import NetworkSettings

from .context import StackContext
from .retry import retry_transient_conflicts

# Priorities: explicit allows first, then an explicit deny of the internet that the defaults would
# only imply (the default DenyAllInBound sits at 65500, after AllowVnetInBound and the load balancer).
ALLOW_PRIORITY = 100
DENY_INTERNET_PRIORITY = 4000


def _rule(name: str, priority: int, access: str, source: Sequence[str] | str, ports: Sequence[str] | str,
          protocol: str = "*") -> network.SecurityRuleArgs:
    """One inbound rule; lists go in the plural properties, single values in the singular ones."""
    many_sources, many_ports = not isinstance(source, str), not isinstance(ports, str)
    return network.SecurityRuleArgs(
        name=name,
        priority=priority,
        direction=network.SecurityRuleDirection.INBOUND,
        access=access,
        protocol=protocol,
        source_address_prefix=None if many_sources else source,
        source_address_prefixes=list(source) if many_sources else None,
        source_port_range="*",
        destination_address_prefix="*",
        destination_port_range=None if many_ports else ports,
        destination_port_ranges=list(ports) if many_ports else None,
    )


DENY_INTERNET = _rule("deny-internet-inbound", DENY_INTERNET_PRIORITY, "Deny", "Internet", "*")
NODE_SUBNET_ROLE = "nodes"


def _subnet_name(role: str) -> str:
    return f"snet-{role}"


class Network(pulumi.ComponentResource):
    """VNet, node subnet and optional API-server and private-endpoint subnets, each behind an NSG.

    Nothing on the internet reaches a subnet except HTTP/HTTPS from `allowedInboundCidrs` to the
    node subnet (for ingress); SSH and RDP are never open. Egress follows `outboundType`: the AKS
    load balancer, a NAT gateway with a static IP, or a route table to a firewall.
    """

    def __init__(
        self, name: str, context: StackContext, settings: NetworkSettings, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("aks-platform:network:Network", name, None, opts)
        self._context, self._settings = context, settings
        s = settings
        child = pulumi.ResourceOptions(parent=self)

        self._vnet_name = f"vnet-{context.stem}"
        self.vnet = network.VirtualNetwork(
            f"{name}-vnet",
            virtual_network_name=self._vnet_name,
            resource_group_name=context.resource_group_name,
            location=context.location,
            address_space=network.AddressSpaceArgs(address_prefixes=[str(s.vnet_cidr)]),
            tags=dict(context.tags),
            opts=child,
        )
        self.nat_gateway = self._nat_gateway(name) if s.outbound_type == "userAssignedNATGateway" else None
        self.route_table = self._route_table(name) if s.outbound_type == "userDefinedRouting" else None

        ingress = (
            [_rule("allow-http-https-inbound", ALLOW_PRIORITY, "Allow", s.allowed_inbound_cidrs, ["80", "443"], "Tcp")]
            if s.allowed_inbound_cidrs else []
        )
        self.node_subnet = self._subnet(
            name, NODE_SUBNET_ROLE, s.node_subnet_cidr, [*ingress, DENY_INTERNET],
            nat_gateway=self.nat_gateway, route_table=self.route_table,
            # The Secrets Store CSI driver on the nodes reads the vault; with the vault's firewall on
            # (public access enabled, default deny) its network rule admits this subnet.
            service_endpoints=[KEY_VAULT_SERVICE_ENDPOINT],
        )
        self.api_server_subnet = None
        if s.api_server_subnet_cidr is not None:
            # What the AKS docs require into the API server's subnet: nodes on TCP 443 and 4443, and the
            # Azure Load Balancer on TCP 9988. Source: https://learn.microsoft.com/azure/aks/api-server-vnet-integration,
            # "Network security group (NSG) security rules" (ms.date 2026-04-15). The source is the
            # VirtualNetwork tag rather than the node subnet: it also admits a peered network's runner (443).
            self.api_server_subnet = self._subnet(
                name, "apiserver", s.api_server_subnet_cidr,
                [
                    _rule("allow-nodes-to-apiserver", ALLOW_PRIORITY, "Allow", "VirtualNetwork", ["443", "4443"], "Tcp"),
                    _rule("allow-lb-probe", ALLOW_PRIORITY + 10, "Allow", "AzureLoadBalancer", "9988", "Tcp"),
                    DENY_INTERNET,
                ],
                delegation=MANAGED_CLUSTERS, after=self.node_subnet,
            )
        self.private_endpoint_subnet = None
        if s.private_endpoint_subnet_cidr is not None:
            self.private_endpoint_subnet = self._subnet(
                name, "endpoints", s.private_endpoint_subnet_cidr, [DENY_INTERNET],
                after=self.api_server_subnet or self.node_subnet,
            )

        # What the cluster's control plane must be allowed to join or change.
        self.cluster_scopes = [
            r.id for r in (self.node_subnet, self.api_server_subnet, self.route_table) if r is not None
        ]
        self.private_endpoint_subnet_id = self.private_endpoint_subnet.id if self.private_endpoint_subnet else None
        self.api_server_subnet_id = self.api_server_subnet.id if self.api_server_subnet else None
        self.register_outputs({"vnet_id": self.vnet.id, "node_subnet_id": self.node_subnet.id})

    def _subnet(
        self,
        name: str,
        role: str,
        cidr: object,
        rules: list[network.SecurityRuleArgs],
        *,
        delegation: str | None = None,
        nat_gateway: network.NatGateway | None = None,
        route_table: network.RouteTable | None = None,
        service_endpoints: list[str] | None = None,
        after: network.Subnet | None = None,
    ) -> network.Subnet:
        c = self._context
        nsg = network.NetworkSecurityGroup(
            f"{name}-{role}-nsg",
            network_security_group_name=f"nsg-{c.stem}-{role}",
            resource_group_name=c.resource_group_name,
            location=c.location,
            security_rules=rules,
            tags=dict(c.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return network.Subnet(
            f"{name}-{role}-subnet",
            subnet_name=_subnet_name(role),
            resource_group_name=c.resource_group_name,
            virtual_network_name=self.vnet.name,
            address_prefix=str(cidr),
            network_security_group=network.NetworkSecurityGroupArgs(id=nsg.id),
            delegations=[network.DelegationArgs(name=role, service_name=delegation)] if delegation else None,
            nat_gateway=network.SubResourceArgs(id=nat_gateway.id) if nat_gateway else None,
            route_table=network.RouteTableArgs(id=route_table.id) if route_table else None,
            service_endpoints=[network.ServiceEndpointPropertiesFormatArgs(service=e) for e in service_endpoints]
            if service_endpoints else None,
            # No implicit internet egress: every subnet leaves through the path outboundType chose.
            default_outbound_access=False,
            # Azure rejects concurrent changes to subnets of one VNet (AnotherOperationInProgress),
            # so subnets are created one after another; a conflict with another change to the VNet
            # (a private endpoint, a peering) is retried.
            opts=pulumi.ResourceOptions(
                parent=self,
                depends_on=[after] if after else None,
                hooks=retry_transient_conflicts(f"{name}-{role}-subnet"),
            ),
        )

    def _nat_gateway(self, name: str) -> network.NatGateway:
        c = self._context
        ip = network.PublicIPAddress(
            f"{name}-nat-ip",
            public_ip_address_name=f"pip-{c.stem}-nat",
            resource_group_name=c.resource_group_name,
            location=c.location,
            sku=network.PublicIPAddressSkuArgs(name="Standard"),
            public_ip_allocation_method="Static",
            tags=dict(c.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return network.NatGateway(
            f"{name}-nat",
            nat_gateway_name=f"ng-{c.stem}",
            resource_group_name=c.resource_group_name,
            location=c.location,
            sku=network.NatGatewaySkuArgs(name="Standard"),
            public_ip_addresses=[network.SubResourceArgs(id=ip.id)],
            idle_timeout_in_minutes=4,
            tags=dict(c.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _route_table(self, name: str) -> network.RouteTable:
        c = self._context
        return network.RouteTable(
            f"{name}-routes",
            route_table_name=f"rt-{c.stem}",
            resource_group_name=c.resource_group_name,
            location=c.location,
            # Routes learnt over BGP (a VPN or ExpressRoute default route) must not bypass the firewall.
            disable_bgp_route_propagation=True,
            routes=[
                network.RouteArgs(
                    name="default-to-firewall",
                    address_prefix="0.0.0.0/0",
                    next_hop_type="VirtualAppliance",
                    next_hop_ip_address=str(self._settings.egress_next_hop_ip),
                )
            ],
            tags=dict(c.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
