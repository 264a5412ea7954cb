"""Value types shared by the settings models, each with a message that says what is allowed."""
from __future__ import annotations

import ipaddress
import re
from typing import Annotated

from pydantic import BeforeValidator, Field


def _cidr(value: object) -> ipaddress.IPv4Network:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a CIDR string (for example 10.240.0.0/16)")
    try:
        return ipaddress.IPv4Network(value, strict=True)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"{value!r} is not an IPv4 CIDR with its host bits zero (for example 10.240.0.0/16): {err}"
        ) from None


def _ip(value: object) -> ipaddress.IPv4Address:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not an IPv4 address string (for example 10.0.0.4)")
    try:
        return ipaddress.IPv4Address(value)
    except (ValueError, TypeError):
        raise ValueError(f"{value!r} is not an IPv4 address (for example 10.0.0.4)") from None


def _ip_or_cidr(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not an IPv4 address or CIDR string (for example 203.0.113.0/24)")
    try:
        return str(ipaddress.IPv4Network(value, strict=True))
    except (ValueError, TypeError):
        raise ValueError(
            f"{value!r} is not an IPv4 address or CIDR with its host bits zero (for example 203.0.113.0/24)"
        ) from None


_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def _guid(value: object) -> str:
    if not isinstance(value, str) or not _GUID.match(value):
        raise ValueError(f"{value!r} is not an object ID (a GUID like 00000000-0000-0000-0000-000000000000)")
    return value.lower()


# Validated before pydantic's own type check so that the message is ours, not a generic one.
Cidr = Annotated[ipaddress.IPv4Network, BeforeValidator(_cidr)]
IpAddress = Annotated[ipaddress.IPv4Address, BeforeValidator(_ip)]
IpOrCidr = Annotated[str, BeforeValidator(_ip_or_cidr)]
Guid = Annotated[str, BeforeValidator(_guid)]
# "2m", "30s", "1h": the format the Key Vault secrets provider add-on takes for its poll interval.
Duration = Annotated[str, Field(pattern=r"^[1-9][0-9]*[smh]$")]
