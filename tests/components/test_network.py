"""The network component alone: NSG rules, subnet wiring and each egress path."""

from components.network import Network
from tests.helpers import settings_for

from .helpers import CONTEXT, render_component


def render_network(**network):
    settings = settings_for("prod", network=network)
    return render_component(lambda: Network("net", CONTEXT, settings.network))


def nsg_rules(rendered, role):
    return {r["name"]: r for r in rendered.one("azure-native:network:NetworkSecurityGroup", f"net-{role}-nsg")["inputs"]["securityRules"]}


def test_node_subnet_allows_only_http_https_from_the_allowed_ranges_and_denies_the_internet():
    rendered, _ = render_network(allowedInboundCidrs=["203.0.113.0/24", "198.51.100.7"])
    rules = nsg_rules(rendered, "nodes")
    assert rules["allow-http-https-inbound"]["sourceAddressPrefixes"] == ["203.0.113.0/24", "198.51.100.7/32"]
    assert rules["allow-http-https-inbound"]["destinationPortRanges"] == ["80", "443"]
    assert rules["allow-http-https-inbound"]["protocol"] == "Tcp"
    deny = rules["deny-internet-inbound"]
    assert (deny["access"], deny["direction"], deny["sourceAddressPrefix"], deny["destinationPortRange"]) == (
        "Deny", "Inbound", "Internet", "*")
    assert deny["priority"] > rules["allow-http-https-inbound"]["priority"]


def test_without_allowed_ranges_nothing_is_open_from_the_internet():
    rendered, _ = render_network(allowedInboundCidrs=[])
    inbound = [name for name, rule in nsg_rules(rendered, "nodes").items() if rule["direction"] == "Inbound"]
    assert inbound == ["deny-internet-inbound"]


def test_no_nsg_ever_allows_ssh_or_rdp():
    rendered, _ = render_network(allowedInboundCidrs=["0.0.0.0/0"])
    for nsg in rendered.of_type("azure-native:network:NetworkSecurityGroup"):
        for rule in nsg["inputs"]["securityRules"]:
            ports = rule.get("destinationPortRanges") or [rule["destinationPortRange"]]
            if rule["access"] == "Allow":
                assert "22" not in ports and "3389" not in ports and "*" not in ports, rule


def test_every_subnet_has_its_nsg_and_no_default_outbound_access():
    rendered, _ = render_network()
    subnets = rendered.of_type("azure-native:network:Subnet")
    assert {s["inputs"]["subnetName"] for s in subnets} == {"snet-nodes", "snet-apiserver", "snet-endpoints"}
    for subnet in subnets:
        role = subnet["name"].split("-")[1]
        nsg = rendered.one("azure-native:network:NetworkSecurityGroup", f"net-{role}-nsg")
        assert subnet["inputs"]["networkSecurityGroup"]["id"] == nsg["outputs"]["id"]
        assert subnet["inputs"]["defaultOutboundAccess"] is False


def test_api_server_subnet_is_delegated_to_aks_and_admits_nodes_and_the_probe():
    rendered, _ = render_network()
    subnet = rendered.one("azure-native:network:Subnet", "net-apiserver-subnet")
    assert subnet["inputs"]["delegations"] == [
        {"name": "apiserver", "serviceName": "Microsoft.ContainerService/managedClusters"}]
    assert subnet["inputs"]["addressPrefix"] == "10.240.4.0/28"
    rules = nsg_rules(rendered, "apiserver")
    nodes, probe = rules["allow-nodes-to-apiserver"], rules["allow-lb-probe"]
    # Learn "API Server VNet Integration", NSG table: nodes on TCP 443 and 4443, the load balancer on TCP 9988.
    assert (nodes["sourceAddressPrefix"], nodes["destinationPortRanges"], nodes["protocol"]) == (
        "VirtualNetwork", ["443", "4443"], "Tcp")
    assert "destinationPortRange" not in nodes
    assert (probe["sourceAddressPrefix"], probe["destinationPortRange"], probe["protocol"]) == ("AzureLoadBalancer", "9988", "Tcp")


def test_subnets_are_created_one_after_another():
    rendered, _ = render_network()
    nodes = rendered.one("azure-native:network:Subnet", "net-nodes-subnet")
    api = rendered.one("azure-native:network:Subnet", "net-apiserver-subnet")
    endpoints = rendered.one("azure-native:network:Subnet", "net-endpoints-subnet")
    assert nodes["urn"] in api["dependencies"]
    assert api["urn"] in endpoints["dependencies"]


def test_nat_gateway_egress_uses_a_static_standard_ip_on_the_node_subnet():
    rendered, _ = render_network(outboundType="userAssignedNATGateway")
    ip = rendered.one("azure-native:network:PublicIPAddress")
    assert (ip["inputs"]["sku"]["name"], ip["inputs"]["publicIPAllocationMethod"]) == ("Standard", "Static")
    nat = rendered.one("azure-native:network:NatGateway")
    assert nat["inputs"]["publicIpAddresses"] == [{"id": ip["outputs"]["id"]}]
    nodes = rendered.one("azure-native:network:Subnet", "net-nodes-subnet")
    assert nodes["inputs"]["natGateway"] == {"id": nat["outputs"]["id"]}
    assert rendered.of_type("azure-native:network:RouteTable") == []


def test_user_defined_routing_sends_the_default_route_to_the_firewall():
    rendered, network = render_network(outboundType="userDefinedRouting", egressNextHopIp="10.0.1.4")
    table = rendered.one("azure-native:network:RouteTable")
    assert table["inputs"]["routes"] == [{
        "name": "default-to-firewall", "addressPrefix": "0.0.0.0/0",
        "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.1.4",
    }]
    assert table["inputs"]["disableBgpRoutePropagation"] is True
    nodes = rendered.one("azure-native:network:Subnet", "net-nodes-subnet")
    assert nodes["inputs"]["routeTable"] == {"id": table["outputs"]["id"]}
    assert rendered.of_type("azure-native:network:NatGateway") == []
    # The control plane must be able to change the route table it routes through.
    assert len(network.cluster_scopes) == 3


def test_the_node_subnet_has_the_key_vault_service_endpoint_the_vault_rule_needs():
    rendered, _ = render_component(lambda: Network("net", CONTEXT, settings_for("prod").network))
    nodes = rendered.one("azure-native:network:Subnet", "net-nodes-subnet")
    assert nodes["inputs"]["serviceEndpoints"] == [{"service": "Microsoft.KeyVault"}]


RUNNER_VNET = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-runners/providers/"
               "Microsoft.Network/virtualNetworks/vnet-runners")
RUNNER_PATH_TYPES = ("azure-native:network:VirtualNetworkPeering", "azure-native:privatedns:PrivateZone",
                     "azure-native:privatedns:VirtualNetworkLink")


def test_the_runner_vnet_is_peered_both_ways():
    rendered, _ = render_network(runnerVnetId=RUNNER_VNET)
    vnet = rendered.one("azure-native:network:VirtualNetwork")
    to_runner = rendered.one("azure-native:network:VirtualNetworkPeering", "net-to-runner")["inputs"]
    assert (to_runner["resourceGroupName"], to_runner["virtualNetworkName"], to_runner["remoteVirtualNetwork"]) == (
        "rg-contoso-prod", "vnet-contoso-prod", {"id": RUNNER_VNET})
    # The runner's side lives in the runner VNet's own resource group.
    from_runner = rendered.one("azure-native:network:VirtualNetworkPeering", "net-from-runner")["inputs"]
    assert (from_runner["resourceGroupName"], from_runner["virtualNetworkName"], from_runner["remoteVirtualNetwork"]) == (
        "rg-runners", "vnet-runners", {"id": vnet["outputs"]["id"]})
    for peering in (to_runner, from_runner):
        assert (peering["allowVirtualNetworkAccess"], peering["allowForwardedTraffic"], peering["useRemoteGateways"]) == (
            True, False, False)


def test_the_api_server_resolves_in_the_runner_vnet_through_the_stacks_own_zone():
    rendered, network = render_network(runnerVnetId=RUNNER_VNET)
    zone = rendered.one("azure-native:privatedns:PrivateZone", "net-apiserver-zone")
    # API server VNet integration (prod has its subnet): <subzone>.private.<region>.azmk8s.io.
    assert zone["inputs"]["privateZoneName"] == "contoso-prod.private.westeurope.azmk8s.io"
    assert zone["protect"] is True  # CONTEXT.protect: the cluster cannot live without it
    link = rendered.one("azure-native:privatedns:VirtualNetworkLink")["inputs"]
    assert (link["privateZoneName"], link["virtualNetwork"], link["registrationEnabled"]) == (
        "contoso-prod.private.westeurope.azmk8s.io", {"id": RUNNER_VNET}, False)
    assert network.api_server_dns_zone_id is not None


def test_without_api_server_vnet_integration_the_zone_is_a_privatelink_one():
    # dev: prod's KMS needs API server VNet integration, so a prod stack cannot opt out of it.
    settings = settings_for("dev", cluster={"private": True},
                            network={"runnerVnetId": RUNNER_VNET, "apiServerSubnetCidr": None})
    rendered, _ = render_component(lambda: Network("net", CONTEXT, settings.network))
    zone = rendered.one("azure-native:privatedns:PrivateZone", "net-apiserver-zone")
    assert zone["inputs"]["privateZoneName"] == "contoso-prod.privatelink.westeurope.azmk8s.io"


def test_without_a_runner_vnet_there_is_no_peering_no_zone_and_no_vnet_wide_grant():
    rendered, network = render_network()
    for token in RUNNER_PATH_TYPES:
        assert rendered.of_type(token) == [], token
    assert network.api_server_dns_zone_id is None
    assert len(network.cluster_scopes) == 2  # the node and API server subnets only




def test_every_subnets_nsg_denies_ssh_and_rdp_into_the_rest_of_the_vnet():
    rendered, _ = render_component(lambda: Network("net", CONTEXT, settings_for("prod").network))
    nsgs = rendered.of_type("azure-native:network:NetworkSecurityGroup")
    assert len(nsgs) == 3  # nodes, API server, private endpoints
    for nsg in nsgs:
        outbound = [r for r in nsg["inputs"]["securityRules"] if r["direction"] == "Outbound"]
        assert outbound == [{
            "name": "deny-ssh-rdp-outbound-vnet", "priority": 4000, "direction": "Outbound", "access": "Deny",
            "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*",
            "destinationAddressPrefix": "VirtualNetwork", "destinationPortRanges": ["22", "3389"],
        }], nsg["name"]


def test_the_virtual_node_subnet_is_delegated_to_aci_behind_its_own_nsg_after_the_others():
    settings = settings_for("prod", network={"podNetwork": "vnet", "dataplane": "azure", "nodeSubnetCidr": "10.240.16.0/20",
                                             "virtualNodeSubnetCidr": "10.240.8.0/22"}, cluster={"virtualNodes": True})
    rendered, network = render_component(lambda: Network("net", CONTEXT, settings.network))
    subnet = rendered.one("azure-native:network:Subnet", "net-virtualnodes-subnet")
    nsg = rendered.one("azure-native:network:NetworkSecurityGroup", "net-virtualnodes-nsg")
    assert (subnet["inputs"]["subnetName"], subnet["inputs"]["addressPrefix"]) == ("snet-virtualnodes", "10.240.8.0/22")
    assert subnet["inputs"]["delegations"] == [
        {"name": "virtualnodes", "serviceName": "Microsoft.ContainerInstance/containerGroups"}]
    assert subnet["inputs"]["networkSecurityGroup"]["id"] == nsg["outputs"]["id"]
    assert subnet["inputs"]["defaultOutboundAccess"] is False
    assert set(nsg_rules(rendered, "virtualnodes")) == {"deny-internet-inbound", "deny-ssh-rdp-outbound-vnet"}
    assert rendered.one("azure-native:network:Subnet", "net-endpoints-subnet")["urn"] in subnet["dependencies"]
    # Its grant goes to the ACI connector's identity (components/cluster.py), not to the control plane.
    assert len(network.cluster_scopes) == 2
