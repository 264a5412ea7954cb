"""Network policies: what NSG rules admit from the internet, and that subnets are behind an NSG."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from facts.azure import CONTAINER_GROUPS

from .compliance import azure_policy
from .framework import CRITICAL, HIGH, MEDIUM, Problem, resource_policy
from .netrules import Rule, each_rule, ports_outside, span_contains
from .props import get, is_unknown, items, show

NSG = "azure-native:network:NetworkSecurityGroup"
SECURITY_RULE = "azure-native:network:SecurityRule"
SUBNET = "azure-native:network:Subnet"
VNET = "azure-native:network:VirtualNetwork"

# Subnets Azure reserves for its own services; several refuse an NSG.
RESERVED_SUBNETS = {"gatewaysubnet", "azurefirewallsubnet", "azurefirewallmanagementsubnet", "routeserversubnet"}
# Delegated subnets that still take an NSG, so still need one: ACI container groups (virtual-node pods) are
# filtered by the subnet's NSG ("Use NSG rules to control container access to subnets or other network resources",
# https://learn.microsoft.com/azure/container-instances/container-instances-virtual-network-concepts).
NSG_FILTERED_DELEGATIONS = {CONTAINER_GROUPS.lower()}


def rule_policy(*, check: Callable[[Rule, Mapping], Iterable[Problem]], **kwargs: Any):
    """A policy over every inline NSG rule and every standalone SecurityRule."""
    def for_type(resource_type: str):
        def check_all(props: Mapping, config: Mapping) -> Iterable[Problem]:
            for rule in each_rule(resource_type, props):
                if rule.admits_internet():
                    yield from check(rule, config)
        return check_all
    return resource_policy(checks={NSG: for_type(NSG), SECURITY_RULE: for_type(SECURITY_RULE)}, **kwargs)


def _management_ports(rule: Rule, config: Mapping) -> Iterable[Problem]:
    for path, spec, span in rule.port_spans():
        for port in config["ports"]:
            if span_contains(span, port):
                yield path, f"is {show(spec)}, which opens port {port} to the internet (inbound Allow from " \
                            f"{_sources(rule)})"


def _allowed_ports(rule: Rule, config: Mapping) -> Iterable[Problem]:
    allowed = set(config["allowedPorts"])
    for path, spec, span in rule.port_spans():
        outside = ports_outside(span, allowed)
        if outside:
            yield path, f"is {show(spec)}, which opens port(s) {', '.join(map(str, outside))}" \
                        f"{' and more' if span[1] - span[0] + 1 - len(allowed) > len(outside) else ''} to the " \
                        f"internet (inbound Allow from {_sources(rule)}); only {sorted(allowed)} may be"


def _sources(rule: Rule) -> str:
    return ", ".join(f"{path} {show(value)}" for path, value in rule.values("sourceAddressPrefix"))


def _subnet(name: Any, path: str, subnet: Any) -> Iterable[Problem]:
    if is_unknown(subnet):
        return
    if isinstance(name, str) and name.lower() in RESERVED_SUBNETS:
        return
    delegations = get(subnet, "delegations")
    if is_unknown(delegations):
        return
    services = [get(d, "serviceName") for d in items(delegations)]
    if any(is_unknown(service) for service in services):
        return
    if services and not all(str(service).lower() in NSG_FILTERED_DELEGATIONS for service in services):
        return  # delegated subnets belong to the service they are delegated to, unless it is filtered by an NSG
    nsg = get(subnet, "networkSecurityGroup.id")
    if nsg is None:
        yield f"{path}networkSecurityGroup.id", "is absent (Azure then filters nothing); want the platform NSG"


def _standalone_subnet(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    yield from _subnet(get(props, "subnetName"), "", props)


def _inline_subnets(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    for index, subnet in enumerate(items(get(props, "subnets"))):
        name = get(subnet, "name")
        yield from _subnet(name, f"subnets[{index}]" + (f"('{name}')" if isinstance(name, str) else "") + ".",
                           subnet)


POLICIES = [
    rule_policy(
        name="nsg-no-internet-management-ports",
        description="No NSG rule admits SSH or RDP from the internet (sources *, Internet, Any, 0.0.0.0/0, ::/0; "
                    "ports matched inside ranges and lists): these are the most scanned ports there are.",
        severity=CRITICAL, check=_management_ports,
        config={"ports": {"type": "array", "items": {"type": "integer"}, "default": [22, 3389],
                          "description": "Ports that must never be open to the internet."}},
        remediation="allow management access only from the CIDRs in aks-platform:network.allowedInboundCidrs"),
    rule_policy(
        name="nsg-internet-inbound-allowed-ports",
        description="NSG rules admit the internet only to the allowed ports (by default 80 and 443 for "
                    "ingress); anything else from the internet is an accident waiting to be scanned.",
        severity=HIGH, check=_allowed_ports,
        config={"allowedPorts": {"type": "array", "items": {"type": "integer"}, "default": [80, 443],
                                 "description": "Ports the internet may reach."}},
        remediation="restrict the rule's source to aks-platform:network.allowedInboundCidrs or drop the port"),
    resource_policy(
        name="subnet-has-nsg",
        framework=azure_policy("e71308d3-144b-4262-b144-efdc3cc90517"),
        checks={SUBNET: _standalone_subnet, VNET: _inline_subnets},
        description="Every subnet has an NSG, except Azure-reserved ones (GatewaySubnet, AzureFirewallSubnet, ...) "
                    "and subnets delegated to a service other than ACI container groups (virtual-node pods, which "
                    "an NSG filters); absent means traffic is not filtered at all.",
        severity=MEDIUM,
        remediation="the network component attaches the node NSG to every subnet (not a stack setting)"),
]
