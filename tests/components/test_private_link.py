"""A private endpoint alone: in the given subnet, connected to the service, resolved through its privatelink zone."""
import pytest

from components.private_link import PrivateLink, PrivateLinkArgs

from .helpers import CONTEXT, render_component

SUBNET_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet-endpoints"
VNET_ID = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet"


@pytest.mark.parametrize("group_id, zone", [
    ("vault", "privatelink.vaultcore.azure.net"),
    ("registry", "privatelink.azurecr.io"),
])
def test_endpoint_connects_the_service_in_the_subnet_and_its_zone_resolves_in_the_vnet(group_id, zone):
    rendered, _ = render_component(
        lambda: PrivateLink("link", CONTEXT, PrivateLinkArgs("service-id", group_id, SUBNET_ID, VNET_ID))
    )
    endpoint = rendered.one("azure-native:network:PrivateEndpoint")
    assert endpoint["inputs"]["subnet"]["id"] == SUBNET_ID
    assert endpoint["inputs"]["privateLinkServiceConnections"] == [
        {"name": f"pe-{group_id}", "privateLinkServiceId": "service-id", "groupIds": [group_id]}]
    private_zone = rendered.one("azure-native:privatedns:PrivateZone")
    assert private_zone["inputs"]["privateZoneName"] == zone
    link = rendered.one("azure-native:privatedns:VirtualNetworkLink")["inputs"]
    assert (link["virtualNetwork"], link["registrationEnabled"]) == ({"id": VNET_ID}, False)
    zone_group = rendered.one("azure-native:network:PrivateDnsZoneGroup")["inputs"]
    assert zone_group["privateEndpointName"] == endpoint["outputs"]["name"]
    assert [c["privateDnsZoneId"] for c in zone_group["privateDnsZoneConfigs"]] == [private_zone["outputs"]["id"]]
