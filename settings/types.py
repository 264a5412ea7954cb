"""Value types shared by the settings models, each with a message that says what is allowed."""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from decimal import Decimal
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


def is_guid(value: object) -> bool:
    return isinstance(value, str) and bool(_GUID.match(value))


def _guid(value: object) -> str:
    if not is_guid(value):
        raise ValueError(f"{value!r} is not an object ID (a GUID like 00000000-0000-0000-0000-000000000000)")
    return value.lower()


# A virtual network's ARM ID. Names as Azure allows them (Learn "Naming rules and restrictions for Azure
# resources", https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules):
# a resource group is 1-90 letters, digits, _ ( ) - . and does not end in a period; a virtual network is
# 2-64 letters, digits, _ . -, starting with a letter or digit and ending with a letter, digit or _.
# ARM IDs compare without case.
_VNET_ID = re.compile(
    r"^/subscriptions/[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}"
    r"/resourceGroups/(?P<resource_group>[-\w.()]{0,89}[-\w()])"
    r"/providers/Microsoft\.Network/virtualNetworks/(?P<name>[a-z0-9][-\w.]{0,62}\w)$",
    re.IGNORECASE,
)
VNET_ID_FORMAT = "/subscriptions/<subscription GUID>/resourceGroups/<group>/providers/Microsoft.Network/virtualNetworks/<name>"


@dataclass(frozen=True)
class VnetRef:
    """Where a virtual network is, within its subscription."""

    resource_group: str
    name: str


def vnet_ref(vnet_id: str) -> VnetRef:
    """The parts of an ID that `VnetId` accepted."""
    return VnetRef(**_VNET_ID.match(vnet_id).groupdict())


def _vnet_id(value: object) -> str:
    if not isinstance(value, str) or not _VNET_ID.match(value):
        raise ValueError(
            f"must be a virtual network's resource ID, {VNET_ID_FORMAT} (as `az network vnet show -g <group> "
            "-n <name> --query id -o tsv` prints it)"
        )
    return value


# Validated before pydantic's own type check so that the message is ours, not a generic one.
Cidr = Annotated[ipaddress.IPv4Network, BeforeValidator(_cidr)]
IpAddress = Annotated[ipaddress.IPv4Address, BeforeValidator(_ip)]
IpOrCidr = Annotated[str, BeforeValidator(_ip_or_cidr)]
Guid = Annotated[str, BeforeValidator(_guid)]
VnetId = Annotated[str, BeforeValidator(_vnet_id)]
# "2m", "30s", "1h": the format the Key Vault secrets provider add-on takes for its poll interval.
Duration = Annotated[str, Field(pattern=r"^[1-9][0-9]*[smh]$")]


# Kubernetes resource quantities as this platform takes them: a plain or decimal number with an
# optional SI (m, k, M, G, T, P, E) or binary (Ki ... Ei) suffix. Exponent forms such as 1e3 are
# valid Kubernetes but unreadable in a stack file, so they are refused.
_QUANTITY = re.compile(r"^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$")
_QUANTITY_FACTORS = {
    None: 1, "m": Decimal("0.001"), "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18,
    "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
}


def quantity_value(quantity: str) -> Decimal:
    """The number a quantity stands for (cores or bytes): `quantity_value("512Mi") == 536870912`."""
    number, suffix = _QUANTITY.match(quantity).groups()
    return Decimal(number) * _QUANTITY_FACTORS[suffix]


def _quantity(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _QUANTITY.match(value) or quantity_value(value) == 0:
        raise ValueError("must be a positive Kubernetes quantity such as 500m or 2 (CPU), 512Mi or 4Gi (memory)")
    return value


_SECRET_NAME = re.compile(r"^[0-9a-zA-Z-]{1,127}$")


def _key_vault_secret_name(value: object) -> str:
    if not isinstance(value, str) or not _SECRET_NAME.match(value):
        raise ValueError("must be a Key Vault secret name: 1-127 letters, digits and hyphens")
    return value


Quantity = Annotated[str, BeforeValidator(_quantity)]
KeyVaultSecretName = Annotated[str, BeforeValidator(_key_vault_secret_name)]
