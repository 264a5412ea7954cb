"""Policy-pack config the way the Pulumi CLI prepares it before calling the analyzer's Configure.

A port of the CLI's `LoadPolicyPackConfigFromFile` and `ReconcilePolicyPackConfig` (pulumi/pulumi,
pkg/resource/analyzer/config.go): parse `--policy-pack-config`, start from each policy's default
enforcement level and schema defaults, apply the `all` key then per-policy entries, and validate each
policy's properties against its JSON schema (draft 7 here; the CLI uses gojsonschema). The result is
what the CLI sends in ConfigureAnalyzerRequest, so enforcement levels and thresholds behave the same.
"""
from __future__ import annotations

import difflib
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
from google.protobuf import json_format
from pulumi.runtime import proto

LEVELS = {"advisory": proto.ADVISORY, "mandatory": proto.MANDATORY, "remediate": proto.REMEDIATE,
          "disabled": proto.DISABLED}
LEVEL_NAMES = {value: name for name, value in LEVELS.items()}


class PolicyConfigError(ValueError):
    """The policy config is malformed or violates a policy's config schema (the CLI refuses it too)."""


def _level(policy: str, value: Any) -> str:
    if not isinstance(value, str) or value not in LEVELS:
        raise PolicyConfigError(f"parsing enforcement level for {policy!r}: {value!r} is not a valid enforcement level")
    return value


def parse(config: dict | str | os.PathLike) -> dict[str, tuple[str | None, dict]]:
    """policy name -> (enforcement level or None, properties), from a dict or a JSON file path."""
    if isinstance(config, (str, os.PathLike)):
        path = Path(config)
        if not path.exists():
            raise PolicyConfigError("the file does not exist")
        try:
            raw = json.loads(path.read_text() or "{}")
        except json.JSONDecodeError as err:
            raise PolicyConfigError(f"not valid JSON: {err.msg} (line {err.lineno}, column {err.colno})") from None
    else:
        raw = config
    if not isinstance(raw, dict):
        raise PolicyConfigError(f"the config must be a JSON object of policy names (got {type(raw).__name__})")
    result = {}
    for name, value in raw.items():
        if isinstance(value, str):
            result[name] = (_level(name, value), {})
        elif isinstance(value, dict):
            props = dict(value)
            level = _level(name, props.pop("enforcementLevel")) if "enforcementLevel" in props else None
            result[name] = (level, props)
        else:
            raise PolicyConfigError(f"parsing {name!r}: {value!r} is not a valid value; must be a string or object")
    return result


def reconcile(info: proto.AnalyzerInfo, config: dict | str | os.PathLike) -> dict[str, tuple[str, dict]]:
    """The full per-policy config (level, properties) the CLI would send, or PolicyConfigError."""
    result: dict[str, tuple[str, dict]] = {}
    for policy in info.policies:
        schema = json_format.MessageToDict(policy.configSchema.properties) if policy.HasField("configSchema") else {}
        defaults = {key: spec["default"] for key, spec in schema.items() if "default" in spec}
        result[policy.name] = (LEVEL_NAMES[policy.enforcementLevel], defaults)
    given = parse(config)
    # The CLI passes an unknown policy name through and the pack ignores it, so a misspelt name
    # silently drops a setting; the offline plan refuses it instead.
    known = [policy.name for policy in info.policies]
    unknown = [
        f"{name!r} is not a policy of this pack"
        + (f"; did you mean {hint[0]!r}?" if (hint := difflib.get_close_matches(name, known, n=1)) else "")
        for name in given if name != "all" and name not in known
    ]
    if unknown:
        raise PolicyConfigError("; ".join(unknown))
    if "all" in given and given["all"][0]:
        result = {name: (given["all"][0], props) for name, (_, props) in result.items()}
    for name, (level, props) in given.items():
        old_level, old_props = result.get(name, (None, {}))
        result[name] = (level or old_level, {**old_props, **props})
    errors = []
    for policy in info.policies:
        if not policy.HasField("configSchema"):
            continue
        schema = {"type": "object", **json_format.MessageToDict(policy.configSchema)}
        for error in jsonschema.Draft7Validator(schema).iter_errors(result[policy.name][1]):
            errors.append(f"{policy.name}: {error.message}")
    if errors:
        raise PolicyConfigError("invalid policy pack config: " + "; ".join(errors))
    return result


def configure_request(config: dict[str, tuple[str, dict]]) -> proto.ConfigureAnalyzerRequest:
    request = proto.ConfigureAnalyzerRequest()
    for name, (level, props) in config.items():
        entry = request.policyConfig[name]
        if level:  # only unset for a name the pack does not define; the servicer then ignores it
            entry.enforcementLevel = LEVELS[level]
        entry.properties.update(props)
    return request
