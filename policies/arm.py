"""Find which resource an ARM-id-valued property points at, in a stack policy.

A property such as a DiagnosticSetting's `resourceUri` refers to another resource. Three ways to tell,
strongest first: the value equals the target's `id` (in outputs after `up`, and in the offline plan);
the engine recorded that the property depends on the target (propertyDependencies, also known during
preview); the value is an ARM id naming the target's provider type and Azure name. The match is
returned as a sentence so findings say what was matched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from facts.azure import MANAGED_CLUSTERS

from .props import get

_ARM_ID = re.compile(r"^/subscriptions/[^/]+/resourceGroups/(?P<rg>[^/]+)/providers/(?P<ns>[^/]+)/(?P<type>[^/]+)/"
                     r"(?P<name>[^/]+)", re.IGNORECASE)


@dataclass(frozen=True)
class Kind:
    pulumi_type: str
    arm_type: str        # e.g. Microsoft.ContainerService/managedClusters
    name_input: str      # the input that carries the Azure name, e.g. resourceName


CLUSTER = Kind("azure-native:containerservice:ManagedCluster", MANAGED_CLUSTERS, "resourceName")
VAULT = Kind("azure-native:keyvault:Vault", "Microsoft.KeyVault/vaults", "vaultName")
REGISTRY = Kind("azure-native:containerregistry:Registry", "Microsoft.ContainerRegistry/registries",
                "registryName")
IDENTITY = Kind("azure-native:managedidentity:UserAssignedIdentity",
                "Microsoft.ManagedIdentity/userAssignedIdentities", "resourceName")


def text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def resource_id(resource: Any) -> str | None:
    """The ARM id of a resource when its outputs carry one."""
    return text(get(resource.props, "id"))


def azure_name(resource: Any, kind: Kind) -> str | None:
    return text(get(resource.props, kind.name_input)) or text(get(resource.props, "name"))


def same_id(a: Any, b: Any) -> bool:
    """ARM ids compare without case and trailing slash, as ARM does."""
    return bool(text(a) and text(b)) and a.rstrip("/").lower() == b.rstrip("/").lower()


def refers_to(holder: Any, prop: str, target: Any, kind: Kind) -> str | None:
    """How `holder.props[prop]` refers to `target`, as a sentence, or None when it does not."""
    value = text(get(holder.props, prop))
    target_id = resource_id(target)
    if value and target_id and same_id(value, target_id):
        return f"{prop} equals its id {target_id}"
    if any(dep.urn == target.urn for dep in holder.property_dependencies.get(prop, [])):
        return f"{prop} depends on it"
    parsed = _ARM_ID.match(value or "")
    name = azure_name(target, kind)
    if parsed and name and f"{parsed['ns']}/{parsed['type']}".lower() == kind.arm_type.lower() \
            and parsed["name"].lower() == name.lower():
        group = text(get(target.props, "resourceGroupName"))
        if group is None or group.lower() == parsed["rg"].lower():
            return f"{prop} names {kind.arm_type}/{name}"
    return None


def covers(scope: Any, target: Any, kind: Kind) -> bool:
    """True when an ARM scope is the target or an ancestor of it (resource group, subscription)."""
    scope_text, target_id = text(scope), resource_id(target)
    if scope_text and target_id:
        return target_id.lower().startswith(scope_text.rstrip("/").lower() + "/")
    return False
