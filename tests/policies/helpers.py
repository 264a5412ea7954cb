"""Call a policy's real `validate` with args shaped like the engine's (proxied props, unknowns)."""
from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from policies.pack import ALL_POLICIES

from .fixtures import urn

POLICIES = {policy.name: policy for policy in ALL_POLICIES}
DELETE = object()   # flip value meaning "remove the property"
UNKNOWN = UNKNOWN_STRING_VALUE  # what the engine sends for a value not known during preview


def set_path(props: dict, path: str, value: Any) -> None:
    """Set (or with DELETE remove) a dotted path; digits index lists."""
    *parents, last = path.split(".")
    node: Any = props
    for part in parents:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    key: Any = int(last) if last.isdigit() else last
    if value is DELETE:
        node.pop(key, None)
    else:
        node[key] = value


def validate(policy_name: str, resource_type: str, props: dict, name: str = "res",
             config: dict | None = None) -> list[str]:
    """Messages the policy reports for one resource, via its real validate and the engine's proxy."""
    options = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])
    args = ResourceValidationArgs(resource_type, unknown_checking_proxy(props), urn(resource_type, name), name,
                                  options, None, config)
    messages: list[str] = []
    POLICIES[policy_name].validate(args, lambda message, _urn=None: messages.append(message))
    return messages
