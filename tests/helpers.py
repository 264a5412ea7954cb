"""Shared test helpers: settings for a given environment, and graph queries on a rendered state."""
from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

from offline.engine import Rendered
from facts.profiles import PROFILES
from settings import PlatformSettings, parse
from tools import policy_config


def settings_for(environment: str = "prod", **sections: Any) -> PlatformSettings:
    raw: dict[str, Any] = {"environment": environment, "namePrefix": "contoso", **sections}
    if environment != "prod" and "cluster" not in sections:
        raw["cluster"] = {"authorizedIpRanges": ["203.0.113.0/24"]}
    return parse(raw, "westeurope")


def upstream(rendered: Rendered, resource: dict[str, Any]) -> list[dict[str, Any]]:
    """Every resource `resource` waits for, directly or through others."""
    seen: dict[str, dict[str, Any]] = {}
    stack = list(resource["dependencies"])
    while stack:
        urn = stack.pop()
        if urn not in seen:
            seen[urn] = rendered.by_urn(urn)
            stack.extend(seen[urn]["dependencies"])
    return list(seen.values())


def role_id(role: str) -> str:
    return f"/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/{role}"


@functools.cache
def policy_config_outside_a_fleet(env: str) -> Path:
    """The policy config an environment's stack gets when its cluster joins no fleet, as the test fixtures and
    example stacks do not (the shipped stacks join one, which narrows their channel policies: tools.policy_config)."""
    path = Path(tempfile.mkdtemp()) / f"{env}.json"
    path.write_text(policy_config.render(PROFILES[env]))
    return path
