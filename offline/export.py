"""`python -m offline.export STACK DIR`: a stack's desired state as the files outside scanners read.

Each Azure resource becomes an ARM template of its own (`DIR/azure/<logical name>.json`: one resource with
its ARM type, API version, name, envelope and `properties`), each Kubernetes object a manifest
(`DIR/kubernetes/<logical name>.yaml`). One file per resource, named by the Pulumi logical name, so that a
scanner's finding names the resource the way facts/waivers.py and the URN lists do. Secrets are written
as "[secret]", as the plan shows them.

The mock engine records what the program sends the Azure Native provider: the wire inputs, with the
REST body's `properties` flattened into the top level and the URL's path parameters (resourceGroupName,
registryName, ...) beside them. `arm_resource` undoes that with the table ARM_TYPES; a resource type
missing from it is listed in `Export.unmapped` instead of being written, so nothing goes unscanned
unnoticed.
"""
from __future__ import annotations

import argparse
import functools
import importlib
import json
import re
import sys
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .arm import ARM_TYPES
from .engine import render
from .plan import masked


# The top-level fields of an ARM resource besides type, apiVersion, name and properties.
ENVELOPE = ("location", "tags", "sku", "identity", "kind", "zones", "extendedLocation", "plan")
# A path parameter that is no part of the body: the resource group is the deployment's.
DROPPED_PARAMETERS = ("resourceGroupName",)


ARM_TEMPLATE_SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
KUBERNETES_PREFIX = "kubernetes:"


@functools.cache
def api_version(token: str) -> str:
    """The REST API version the pinned SDK sends for a type: its docstring says `Uses Azure REST API version X`."""
    _, module, name = token.split(":")
    cls = getattr(importlib.import_module(f"pulumi_azure_native.{module.replace('/', '.')}"), name)
    docs = " ".join(overload.__doc__ or "" for overload in typing.get_overloads(cls.__init__))
    found = re.search(r"Uses Azure REST API version (\S+?)\.?\s", docs)
    if not found:
        raise LookupError(f"the SDK's docstring of {token} names no REST API version")
    return found.group(1)


def arm_resource(resource: dict[str, Any]) -> dict[str, Any]:
    """One recorded Azure Native resource as an ARM template resource (its token must be in ARM_TYPES)."""
    arm = ARM_TYPES[resource["type"]]
    inputs = masked(resource["inputs"])
    name_parameters = {*arm.name_fields, *arm.scope_fields}
    body: dict[str, Any] = {
        "type": arm.type,
        "apiVersion": api_version(resource["type"]),
        "name": arm.name.format_map(inputs),
    }
    if arm.scope:
        body["scope"] = arm.scope.format_map(inputs)
    properties = dict(inputs.get("properties") or {})
    for key, value in inputs.items():
        if key in name_parameters or key in DROPPED_PARAMETERS or key == "properties":
            continue
        if key in arm.in_properties:
            properties[key] = value
        elif key == arm.scope_parameter:
            body["scope"] = value
        elif key in ENVELOPE:
            body[key] = value
        elif key in arm.subresources:
            properties[key] = [_subresource(item) for item in value]
        else:
            properties[key] = value
    identities = (body.get("identity") or {}).get("userAssignedIdentities")
    if isinstance(identities, list):  # the SDK takes a list of identity IDs; ARM a map of ID to {}
        body["identity"] = {**body["identity"], "userAssignedIdentities": {i: {} for i in identities}}
    for path, arm_name in sorted(arm.renamed, key=lambda rename: -rename[0].count(".")):  # inner keys first
        _rename(properties, path.split("."), arm_name)
    body["properties"] = properties
    return body


def _rename(value: Any, path: list[str], arm_name: str) -> None:
    """Rename the key at `path` (under `value`, through lists) to `arm_name`, in place, wherever it is present."""
    if isinstance(value, list):
        for item in value:
            _rename(item, path, arm_name)
    elif isinstance(value, dict) and path[0] in value:
        if len(path) == 1:
            value[arm_name] = value.pop(path[0])
        else:
            _rename(value[path[0]], path[1:], arm_name)


def _subresource(item: dict[str, Any]) -> dict[str, Any]:
    """A flattened sub-resource ({name, a, b}) as ARM has it ({name, properties: {a, b}})."""
    outer = {k: v for k, v in item.items() if k in ("id", "name")}
    return {**outer, "properties": {k: v for k, v in item.items() if k not in outer}}


def arm_template(resource: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": ARM_TEMPLATE_SCHEMA, "contentVersion": "1.0.0.0", "resources": [arm_resource(resource)]}


def kubernetes_manifest(resource: dict[str, Any]) -> dict[str, Any] | None:
    """A recorded Kubernetes object as its manifest; None for what is no object of its own (a Helm release)."""
    inputs = masked(resource["inputs"])
    return inputs if "apiVersion" in inputs and "kind" in inputs else None


@dataclass
class Export:
    """What `export` wrote, and the resources it could not (no ARM type known, or no manifest)."""

    files: dict[str, Path] = field(default_factory=dict)  # logical name -> file
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # (type token, logical name)


def export(resources: list[dict[str, Any]], directory: Path) -> Export:
    """Write each Azure resource and Kubernetes object of a rendered stack under `directory`."""
    done = Export()
    for resource in sorted(resources, key=lambda r: r["urn"]):
        token, name = resource["type"], resource["name"]
        if not resource["custom"] or not token.startswith(("azure-native:", KUBERNETES_PREFIX)):
            continue  # components, providers, and what creates nothing in Azure or the cluster
        if token.startswith(KUBERNETES_PREFIX):
            manifest = kubernetes_manifest(resource)
            path, text = directory / "kubernetes" / f"{name}.yaml", manifest and yaml.safe_dump(manifest, sort_keys=True)
        else:
            path = directory / "azure" / f"{name}.json"
            text = json.dumps(arm_template(resource), indent=2, sort_keys=True) + "\n" if token in ARM_TYPES else None
        if text is None:
            done.unmapped.append((token, name))
            continue
        if name in done.files:
            raise ValueError(f"two resources are named {name!r}: their export files would collide")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        done.files[name] = path
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m offline.export", description=__doc__.splitlines()[0])
    parser.add_argument("stack", help="stack name: reads Pulumi.<stack>.yaml")
    parser.add_argument("directory", type=Path, help="where to write azure/*.json and kubernetes/*.yaml")
    args = parser.parse_args(argv)
    done = export(render(args.stack).resources, args.directory)
    print(f"{len(done.files)} files written under {args.directory}")
    for token, name in done.unmapped:
        print(f"not exported: {name} ({token}): no ARM type in offline/arm.py ARM_TYPES, or no manifest",
              file=sys.stderr)
    return 1 if done.unmapped else 0


if __name__ == "__main__":
    sys.exit(main())
