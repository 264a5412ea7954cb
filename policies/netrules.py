"""How Azure reads NSG rule sources and ports, so network policies match what Azure actually opens.

Azure treats `*`, `Internet`, `Any` and the all-addresses prefixes as "from anywhere", in any case.
Port fields hold a single port, `*`, a range `20-30`, and the plural fields hold lists of those.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .props import get, is_unknown, items

_INTERNET = {"*", "internet", "any", "0.0.0.0", "0.0.0.0/0", "::/0"}
_ALL_PORTS = (0, 65535)


def is_internet(source: Any) -> bool:
    """True for a source prefix that means "any address on the internet"."""
    return isinstance(source, str) and source.strip().lower() in _INTERNET


def port_span(spec: Any) -> tuple[int, int] | None:
    """'22' -> (22, 22); '20-30' -> (20, 30); '*' -> all ports; None for unknown or malformed specs."""
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        return int(spec), int(spec)
    if not isinstance(spec, str):
        return None
    text = spec.strip()
    if text == "*":
        return _ALL_PORTS
    low, _, high = text.partition("-")
    try:
        return int(low), int(high or low)
    except ValueError:
        return None


def span_contains(span: tuple[int, int], port: int) -> bool:
    return span[0] <= port <= span[1]


def ports_outside(span: tuple[int, int], allowed: set[int]) -> list[int]:
    """Up to three ports of `span` that are not in `allowed` (enough to name in a message)."""
    found = []
    port = span[0]
    while port <= span[1] and len(found) < 3:
        if port not in allowed:
            found.append(port)
        port += 1
    return found


@dataclass(frozen=True)
class Rule:
    """One security rule, inline in an NSG or standalone, with the path its properties live under."""
    path: str
    props: Any

    def field(self, name: str) -> str:
        return f"{self.path}{name}"

    def values(self, singular: str) -> list[tuple[str, Any]]:
        """(property path, value) for a field and its plural list form, e.g. sourceAddressPrefix(es)."""
        found = []
        single = get(self.props, singular)
        if single is not None:
            found.append((self.field(singular), single))
        for value in items(get(self.props, singular + ("es" if singular.endswith("x") else "s"))):
            found.append((self.field(singular + ("es" if singular.endswith("x") else "s")), value))
        return found

    def admits_internet(self) -> bool:
        """An inbound Allow rule whose source is the internet (unknown parts never count)."""
        direction, access = get(self.props, "direction"), get(self.props, "access")
        if not (isinstance(direction, str) and direction.lower() == "inbound"):
            return False
        if not (isinstance(access, str) and access.lower() == "allow"):
            return False
        protocol = get(self.props, "protocol")
        if isinstance(protocol, str) and protocol.lower() == "icmp":
            return False  # ICMP has no ports to open
        return any(is_internet(v) for _, v in self.values("sourceAddressPrefix"))

    def port_spans(self) -> Iterator[tuple[str, Any, tuple[int, int]]]:
        """(property path, raw spec, span) for every known, well-formed destination port spec."""
        for path, spec in self.values("destinationPortRange"):
            span = None if is_unknown(spec) else port_span(spec)
            if span is not None:
                yield path, spec, span


def each_rule(resource_type: str, props: Mapping) -> Iterator[Rule]:
    """Every rule of an NSG (inline `securityRules[]`) or a standalone SecurityRule."""
    if resource_type.endswith(":NetworkSecurityGroup"):
        for index, rule in enumerate(items(get(props, "securityRules"))):
            if not is_unknown(rule):
                name = get(rule, "name")
                yield Rule(f"securityRules[{index}]" + (f"('{name}')" if isinstance(name, str) else "") + ".", rule)
    else:
        yield Rule("", props)
