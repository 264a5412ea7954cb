"""The cluster's virtual network: subnets, their NSGs, the egress path and the CI runner's way in."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import pulumi
from pulumi_azure_native import network, privatedns

from facts.azure import CONTAINER_GROUPS, KEY_VAULT_SERVICE_ENDPOINT, MANAGED_CLUSTERS, api_server_private_dns_zone
from settings import NetworkSettings

from .context import StackContext
from .retry import retry_transient_conflicts

T = TypeVar("T")

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
# No SSH or RDP from a subnet to the rest of the VNet, so a compromised node, pod or endpoint cannot move
# laterally over management ports (PSRule for Azure, Azure.NSG.LateralTraversal: outbound 22 and 3389 to
# VirtualNetwork denied). AKS needs neither inside the VNet: its required traffic is 443, 9000 and 1194 to the
# API server, 123 and 53 (Learn "Outbound network and FQDN rules for AKS clusters",
# https://learn.microsoft.com/azure/aks/outbound-rules-control-egress), plus what the API server subnet admits.
DENY_LATERAL_MANAGEMENT = network.SecurityRuleArgs(
    name="deny-ssh-rdp-outbound-vnet",
    priority=DENY_INTERNET_PRIORITY,
    direction=network.SecurityRuleDirection.OUTBOUND,
    access="Deny",
    protocol="Tcp",
    source_address_prefix="*",
    source_port_range="*",
    destination_address_prefix="VirtualNetwork",
    destination_port_ranges=["22", "3389"],
)
NODE_SUBNET_ROLE = "nodes"


def _subnet_name(role: str) -> str:
    return f"snet-{role}"


class Network(pulumi.ComponentResource):
    """VNet, node subnet and optional API-server, private-endpoint and virtual-node subnets, each behind an NSG.

    Nothing on the internet reaches a subnet except HTTP/HTTPS from `allowedInboundCidrs` to the
    node subnet (for ingress); SSH and RDP are never open. Egress follows `outboundType`: the AKS
    load balancer, a NAT gateway with a static IP, or a route table to a firewall. With `runnerVnetId`, the
    runner's VNet is peered and resolves the private API server (docs/private-cluster.md).
    """

    def __init__(
        self, name: str, context: StackContext, settings: NetworkSettings, opts: pulumi.ResourceOptions | None = None,
        *, node_service_endpoints: Sequence[str] = (),
    ):
        """`node_service_endpoints`: services other components reach from the nodes through the service's
        firewall (the backup storage account), besides Key Vault."""
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
            service_endpoints=[KEY_VAULT_SERVICE_ENDPOINT, *node_service_endpoints],
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
        self.virtual_node_subnet = None
        if s.virtual_node_subnet_cidr is not None:
            # Virtual-node pods: ACI container groups in this VNet, reached by the cluster's pods and reaching the
            # API server over it (Learn "Use virtual nodes", Network requirements); nothing from the internet.
            self.virtual_node_subnet = self._subnet(
                name, "virtualnodes", s.virtual_node_subnet_cidr, [DENY_INTERNET],
                delegation=CONTAINER_GROUPS,
                after=self.private_endpoint_subnet or self.api_server_subnet or self.node_subnet,
            )

        # The network a CI runner deploys the in-cluster layer from, when the API server is private.
        self.api_server_dns_zone = None
        self.runner_path: list[pulumi.Resource] = []
        if s.runner_vnet_id is not None:
            self._connect_runner(name, s.runner_vnet_id)

        # What the cluster's control plane must be allowed to join or change. With its own DNS zone, AKS
        # links that zone to the cluster's VNet itself, which needs Network Contributor on the VNet, not only
        # on its subnets (Learn "Create a private AKS cluster", hub and spoke with custom DNS: "AKS still
        # creates a virtual network link for the spoke VNet that hosts the cluster ... Ensure the cluster
        # managed identity has Network Contributor on the spoke VNet"; Azure/AKS#2711).
        scopes = [self.node_subnet, self.api_server_subnet, self.route_table]
        if self.api_server_dns_zone is not None:
            scopes.append(self.vnet)
        self.cluster_scopes = [r.id for r in scopes if r is not None]
        self.api_server_dns_zone_id = self.api_server_dns_zone.id if self.api_server_dns_zone else None
        self.private_endpoint_subnet_id = self.private_endpoint_subnet.id if self.private_endpoint_subnet else None
        self.api_server_subnet_id = self.api_server_subnet.id if self.api_server_subnet else None
        self.virtual_node_subnet_id = self.virtual_node_subnet.id if self.virtual_node_subnet else None
        self.register_outputs({"vnet_id": self.vnet.id, "node_subnet_id": self.node_subnet.id})

    def _connect_runner(self, name: str, runner_vnet_id: str) -> None:
        """Peer the runner's VNet both ways and resolve the private API server there.

        The API server's name resolves through a private DNS zone. AKS's own zone sits in the node resource
        group, which is locked (restriction level ReadOnly), so nobody can link it to another VNet; this
        stack brings its own zone instead and links it to the runner's VNet (AKS links it to the cluster's).
        The peering on the runner's side lives in the runner VNet's resource group, so the deployer needs
        Network Contributor there (Learn "Create, change, or delete a virtual network peering", Permissions).
        """
        c, runner = self._context, self._settings.runner_vnet
        peering = dict(allow_virtual_network_access=True, allow_forwarded_traffic=False, use_remote_gateways=False)
        to_runner = network.VirtualNetworkPeering(
            f"{name}-to-runner",
            virtual_network_peering_name=f"peer-{runner.name}",
            resource_group_name=c.resource_group_name,
            virtual_network_name=self.vnet.name,
            remote_virtual_network=network.SubResourceArgs(id=runner_vnet_id),
            **peering,
            # A peering is a change to its VNet: it may meet a subnet's (AnotherOperationInProgress).
            opts=pulumi.ResourceOptions(parent=self, hooks=retry_transient_conflicts(f"{name}-to-runner")),
        )
        from_runner = network.VirtualNetworkPeering(
            f"{name}-from-runner",
            virtual_network_peering_name=f"peer-{self._vnet_name}",
            # Addressed in the deploying subscription (the provider's): a runner VNet elsewhere is not found.
            resource_group_name=runner.resource_group,
            virtual_network_name=runner.name,
            remote_virtual_network=network.SubResourceArgs(id=self.vnet.id),
            **peering,
            opts=pulumi.ResourceOptions(parent=self, hooks=retry_transient_conflicts(f"{name}-from-runner")),
        )
        self.api_server_dns_zone = privatedns.PrivateZone(
            f"{name}-apiserver-zone",
            private_zone_name=api_server_private_dns_zone(
                c.stem, c.location, vnet_integration=self._settings.api_server_subnet_cidr is not None
            ),
            resource_group_name=c.resource_group_name,
            location="global",
            tags=dict(c.tags),
            # The cluster cannot live without it: the zone cannot be changed or deleted once the cluster exists.
            opts=pulumi.ResourceOptions(parent=self, protect=c.protect),
        )
        runner_link = privatedns.VirtualNetworkLink(
            f"{name}-apiserver-zone-runner-link",
            virtual_network_link_name=f"link-{runner.name}",
            private_zone_name=self.api_server_dns_zone.name,
            resource_group_name=c.resource_group_name,
            location="global",
            virtual_network=privatedns.SubResourceArgs(id=runner_vnet_id),
            registration_enabled=False,
            tags=dict(c.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.runner_path = [to_runner, from_runner, runner_link]

    def once_runner_connected(self, value: pulumi.Input[T]) -> pulumi.Input[T]:
        """`value`, made to wait until the runner's VNet is peered both ways and resolves the API server:
        what the in-cluster layer's provider needs before its first call. Unchanged without a runner VNet."""
        if not self.runner_path:
            return value
        return pulumi.Output.all(value, *(r.id for r in self.runner_path)).apply(lambda values: values[0])
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
            security_rules=[*rules, DENY_LATERAL_MANAGEMENT],
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
