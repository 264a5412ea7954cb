"""The network policies (policies/network.py), on inline NSG rules and standalone SecurityRules, rule by rule (the checks are in resource_cases.py)."""
from __future__ import annotations

from .fixtures import good
from .helpers import DELETE, validate
from .resource_cases import checks_for

CASES = [
    ("nsg-no-internet-management-ports", "nsg", {"securityRules.0.destinationPortRange": "20-30"},
     "securityRules[0]('allow-https').destinationPortRange is '20-30', which opens port 22", None),
    ("nsg-no-internet-management-ports", "nsg", {"securityRules.1.sourceAddressPrefixes": ["10.0.0.0/8", "any"]},
     "securityRules[1]('allow-ssh-corp').destinationPortRanges is '22', which opens port 22", None),
    ("nsg-no-internet-management-ports", "http", {"destinationPortRange": "3389"},
     "destinationPortRange is '3389', which opens port 3389", None),
    ("nsg-internet-inbound-allowed-ports", "nsg", {"securityRules.0.destinationPortRange": "8080"},
     "securityRules[0]('allow-https').destinationPortRange is '8080', which opens port(s) 8080", None),
    ("nsg-internet-inbound-allowed-ports", "http", {"sourceAddressPrefix": "::/0", "destinationPortRange": "81"},
     "destinationPortRange is '81', which opens port(s) 81", None),
    ("subnet-has-nsg", "nodes", {"networkSecurityGroup": DELETE}, "networkSecurityGroup.id is absent", None),
    ("subnet-has-nsg", "vnet", {"subnets.0.networkSecurityGroup": DELETE},
     "subnets[0]('inline').networkSecurityGroup.id is absent", None),
    # Delegated to ACI container groups (virtual nodes), which an NSG filters: it still needs one.
    ("subnet-has-nsg", "aci", {"networkSecurityGroup": DELETE}, "networkSecurityGroup.id is absent", None),
]
test_known_good_resources_pass, test_flipped_property_is_reported, test_unknown_value_does_not_crash_or_report = \
    checks_for(CASES)



def test_a_subnet_delegated_to_another_service_needs_no_nsg():
    resource_type, props = good("apiserver")  # delegated to AKS (API server VNet integration)
    assert "networkSecurityGroup" not in props
    assert validate("subnet-has-nsg", resource_type, props, "apiserver") == []
