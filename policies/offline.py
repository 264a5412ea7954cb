"""Evaluate the pack on recorded resources without the Pulumi CLI, through pulumi_policy's own servicer.

The offline plan records every resource the program registers on the mock engine. `evaluate` plays the
CLI's part: it reconciles the stack's policy config as the CLI does (pack_config.py), calls the pack's
real analyzer servicer (pulumi_policy's, through sdk_shim) with Configure, then Analyze once per
resource (inputs) and AnalyzeStack once (outputs over inputs, parents, dependencies), with protobuf
requests built like the engine's.
Enforcement levels, per-policy config, disabled policies and unknown-value handling are therefore the
SDK's, not a re-implementation.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime import proto

from . import pack, pack_config

_SEVERITIES = {proto.POLICY_SEVERITY_LOW: "low", proto.POLICY_SEVERITY_MEDIUM: "medium",
               proto.POLICY_SEVERITY_HIGH: "high", proto.POLICY_SEVERITY_CRITICAL: "critical"}


@dataclass(frozen=True)
class Finding:
    """One violation as the CLI would print it."""
    policy: str
    enforcement: str              # "mandatory" or "advisory" (the level after config)
    severity: str | None
    message: str                  # policy description, newline, what is wrong and how to fix it
    urn: str | None               # None for a finding about the whole stack
    name: str | None
    type: str | None

    @property
    def mandatory(self) -> bool:
        return self.enforcement == "mandatory"


def _struct(values: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(values)
    return message


def _options(resource: dict) -> proto.AnalyzerResourceOptions:
    return proto.AnalyzerResourceOptions(protect=bool(resource.get("protect")),
                                         ignoreChanges=list(resource.get("ignoreChanges") or []),
                                         parent=resource.get("parent") or "")


def _provider(reference: str) -> proto.AnalyzerProviderResource | None:
    """A provider reference 'urn::id' as the engine describes it (type and name from the URN)."""
    urn = reference.rsplit("::", 1)[0] if reference.count("::") >= 4 else reference
    if not urn.startswith("urn:pulumi:"):
        return None
    parts = urn.split("::")
    return proto.AnalyzerProviderResource(type=parts[-2].rsplit("$", 1)[-1], urn=urn, name=parts[-1])


def _common(resource: dict, properties: dict) -> dict:
    fields = dict(type=resource["type"], properties=_struct(properties), urn=resource["urn"],
                  name=resource["name"], options=_options(resource))
    provider = _provider(resource.get("provider") or "")
    if provider is not None:
        fields["provider"] = provider
    return fields


def _analyze_request(resource: dict) -> proto.AnalyzeRequest:
    # Resource policies see inputs, as in `pulumi preview`/`up` before the resource is touched.
    return proto.AnalyzeRequest(**_common(resource, resource.get("inputs") or {}))


def _stack_resource(resource: dict) -> proto.AnalyzerResource:
    # Stack policies see the state after the update: outputs, which the provider derives from inputs.
    properties = {**(resource.get("inputs") or {}), **(resource.get("outputs") or {})}
    deps = {prop: proto.AnalyzerPropertyDependencies(urns=list(urns))
            for prop, urns in (resource.get("propertyDependencies") or {}).items() if urns}
    return proto.AnalyzerResource(**_common(resource, properties), parent=resource.get("parent") or "",
                                  dependencies=list(resource.get("dependencies") or []),
                                  propertyDependencies=deps)


def check_config(policy_config: dict | str | os.PathLike) -> None:
    """Raise `pack_config.PolicyConfigError` when the config is invalid for this pack (as `evaluate` would)."""
    pack_config.reconcile(pack.new_servicer().GetAnalyzerInfo(None, None), policy_config)


def evaluate(resources: list[dict], policy_config: dict | str | os.PathLike) -> list[Finding]:
    """Run the pack on recorded resources with a stack's policy config; return every violation.

    `policy_config` is the content of `policies/config/<stack>.json` or its path. Raises
    `pack_config.PolicyConfigError` when the config is invalid, as the CLI would refuse to run.
    """
    servicer = pack.new_servicer()
    config = pack_config.reconcile(servicer.GetAnalyzerInfo(None, None), policy_config)
    servicer.Configure(pack_config.configure_request(config), None)

    by_urn = {r["urn"]: r for r in resources}
    diagnostics = []
    for resource in resources:
        response = servicer.Analyze(_analyze_request(resource), None)
        # The SDK leaves urn empty for resource policies; the engine attributes them to the resource.
        diagnostics += [(d, d.urn or resource["urn"]) for d in response.diagnostics]
    stack = [_stack_resource(r) for r in resources if not r["type"].startswith("pulumi:providers:")]
    response = servicer.AnalyzeStack(proto.AnalyzeStackRequest(resources=stack), None)
    diagnostics += [(d, d.urn or None) for d in response.diagnostics]

    findings = []
    for diagnostic, urn in diagnostics:
        subject = by_urn.get(urn or "", {})
        findings.append(Finding(
            policy=diagnostic.policyName,
            enforcement=pack_config.LEVEL_NAMES[diagnostic.enforcementLevel],
            severity=_SEVERITIES.get(diagnostic.severity),
            message=diagnostic.message,
            urn=urn, name=subject.get("name"), type=subject.get("type")))
    return findings
