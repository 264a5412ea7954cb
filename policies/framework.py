"""One way to declare a policy, so every policy carries the same metadata and reports the same way.

Each policy is a plain check function plus metadata (why, severity, remediation naming the stack-config
key, threshold schema, default enforcement). The factories turn that into real pulumi_policy objects;
a check only returns problem sentences, each naming the property it judged, and the factory prefixes
the resource so that every message names resource and property. `framework` is the compliance control
a policy implements (policies/compliance.py).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from facts.waivers import waiver_for

from .props import get, is_unknown, show

from pulumi_policy import (
    EnforcementLevel,
    PolicyComplianceFramework,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

MANDATORY = EnforcementLevel.MANDATORY
ADVISORY = EnforcementLevel.ADVISORY
LOW, MEDIUM, HIGH, CRITICAL = Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL

Problem = tuple[str, str]
"""(property path, complaint), e.g. ("disableLocalAccounts", "is false; want true")."""

ResourceCheck = Callable[[Mapping[str, Any], Mapping[str, Any]], Iterable[Problem]]
"""(props, config) -> problems; the property path is mandatory so every message names it."""

StackCheck = Callable[[Sequence[Any], Mapping[str, Any]], Iterable[tuple[str, str | None]]]
"""(resources, config) -> (message naming resource and property, urn or None for the stack)."""


def kind(resource_type: str) -> str:
    """'azure-native:containerservice:ManagedCluster' -> 'ManagedCluster'."""
    return resource_type.rsplit(":", 1)[-1]


def _schema(config: Mapping[str, dict] | None) -> PolicyConfigSchema | None:
    return PolicyConfigSchema(properties=dict(config)) if config else None


def with_defaults(policy: Any, given: Mapping[str, Any] | None) -> dict[str, Any]:
    """Config as the CLI would pass it: schema defaults, overlaid by the given config.

    The CLI fills defaults in before calling the analyzer; direct `validate` calls (tests) do not, so
    checks always read their thresholds through this.
    """
    schema = policy.config_schema.properties if policy.config_schema else {}
    merged = {key: spec["default"] for key, spec in schema.items() if "default" in spec}
    merged.update(given or {})
    # Config crosses the engine as protobuf Struct, where every number is a float: 3 arrives as 3.0
    # and would read "at least 3.0 zones" in a message.
    return {key: int(v) if isinstance(v, float) and v.is_integer() else v for key, v in merged.items()}


def resource_policy(*, name: str, checks: Mapping[str, ResourceCheck], description: str, severity: Severity,
                    remediation: str, enforcement: EnforcementLevel = MANDATORY,
                    config: Mapping[str, dict] | None = None,
                    framework: PolicyComplianceFramework | None = None) -> ResourceValidationPolicy:
    """A resource policy; `checks` maps each resource type it judges to the check for that type.

    A resource with a waiver of this policy in facts/waivers.py (by logical name, with its reason) is
    not judged.
    """

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        check = checks.get(args.resource_type)
        if check is None or waiver_for(name, args.resource_type, args.name):
            return
        settings = with_defaults(policy, args.get_config())
        for prop, complaint in check(args.props, settings):
            report(f"{kind(args.resource_type)} '{args.name}': {prop} {complaint}. Fix: {remediation}", None)

    policy = ResourceValidationPolicy(
        name=name, description=description, validate=validate, enforcement_level=enforcement,
        config_schema=_schema(config), severity=severity, remediation_steps=remediation, framework=framework)
    policy.resource_types = tuple(sorted(checks))  # for the catalog
    return policy


def stack_policy(*, name: str, description: str, severity: Severity, remediation: str, check: StackCheck,
                 enforcement: EnforcementLevel = MANDATORY,
                 config: Mapping[str, dict] | None = None,
                 framework: PolicyComplianceFramework | None = None) -> StackValidationPolicy:
    """A stack policy: `check` sees every resource (outputs, parent, dependencies) at once."""

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        settings = with_defaults(policy, args.get_config())
        for message, urn in check(args.resources, settings):
            report(f"{message}. Fix: {remediation}", urn)

    policy = StackValidationPolicy(
        name=name, description=description, validate=validate, enforcement_level=enforcement,
        config_schema=_schema(config), severity=severity, remediation_steps=remediation, framework=framework)
    policy.resource_types = ("(stack)",)
    return policy


def equals(*wanted: Any) -> Callable[[Any], bool]:
    """Predicate: value is one of `wanted` (strings compared without case, as Azure compares enums)."""
    norm = {w.lower() if isinstance(w, str) else w for w in wanted}
    return lambda v: (v.lower() if isinstance(v, str) else v) in norm


def require(props: Any, path: str, ok: Callable[[Any], bool], want: str,
            azure_default: Any = None) -> Iterable[Problem]:
    """Yield a problem unless `ok` holds for the property at `path`.

    An absent property is judged as `azure_default`, the value Azure uses when it is not sent, and the
    message says so. An unknown value (preview) is skipped: it is judged again on `pulumi up`.
    """
    value = get(props, path)
    if is_unknown(value):
        return
    if ok(azure_default if value is None else value):
        return
    said = f"is absent (Azure then uses {show(azure_default)})" if value is None else f"is {show(value)}"
    yield path, f"{said}; want {want}"
