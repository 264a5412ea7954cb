"""Value types shared by the settings models, each with a message that says what is allowed."""
from __future__ import annotations

import ipaddress
import re
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


# Validated before pydantic's own type check so that the message is ours, not a generic one.
Cidr = Annotated[ipaddress.IPv4Network, BeforeValidator(_cidr)]
IpAddress = Annotated[ipaddress.IPv4Address, BeforeValidator(_ip)]
IpOrCidr = Annotated[str, BeforeValidator(_ip_or_cidr)]
Guid = Annotated[str, BeforeValidator(_guid)]
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
