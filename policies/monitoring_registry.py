"""Container registry and Log Analytics workspace policies."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from facts.azure import LOG_RETENTION_DAYS_LIMITS
from facts.profiles import STRICTEST

from .compliance import azure_policy
from .framework import HIGH, MEDIUM, Problem, equals, require, resource_policy
from .props import get, is_unknown, show

REGISTRY = "azure-native:containerregistry:Registry"
WORKSPACE = "azure-native:operationalinsights:Workspace"
_is_true, _is_false = equals(True), equals(False)


def _registry_network(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    access = get(props, "publicNetworkAccess", "Enabled")
    action = get(props, "networkRuleSet.defaultAction", "Allow")
    if is_unknown(access) or is_unknown(action):
        return
    if access.lower() != "disabled" and action.lower() != "deny":
        yield ("publicNetworkAccess",
               f"is {show(get(props, 'publicNetworkAccess'))} (absent means Enabled) and "
               f"networkRuleSet.defaultAction is {show(get(props, 'networkRuleSet.defaultAction'))} (absent "
               "means Allow); want public access Disabled or default action Deny")


def _retention(props: Mapping, config: Mapping) -> Iterable[Problem]:
    minimum = config["minimumDays"]
    yield from require(props, "retentionInDays", lambda v: isinstance(v, (int, float)) and v >= minimum,
                       f"at least {minimum}", azure_default=30)


POLICIES = [
    resource_policy(
        name="acr-admin-user-disabled",
        framework=azure_policy("dc921057-6b28-4fbe-9b83-f7bec05db6c2"),
        checks={REGISTRY: lambda p, c: require(p, "adminUserEnabled", _is_false, "false", azure_default=False)},
        description="The registry admin user (one shared password with push rights) is off; pulls use the "
                    "kubelet identity. Absent means off.",
        severity=HIGH,
        remediation="remove adminUserEnabled from the registry component (not a stack setting)"),
    resource_policy(
        name="acr-anonymous-pull-disabled",
        framework=azure_policy("9f2dea28-e834-476c-99c5-3507b4728395"),
        checks={REGISTRY: lambda p, c: require(p, "anonymousPullEnabled", _is_false, "false", azure_default=False)},
        description="Anonymous pull is off, so images are not readable by anyone on the internet; absent "
                    "means off.",
        severity=HIGH,
        remediation="remove anonymousPullEnabled from the registry component (not a stack setting)"),
    resource_policy(
        name="acr-public-access-restricted",
        framework=azure_policy("d0793b48-0edc-4296-a390-4c75d1bdfd71"),
        checks={REGISTRY: _registry_network},
        description="The registry is reachable only privately (public access Disabled or default action "
                    "Deny); absent means public. Needs the Premium SKU, so advisory outside prod.",
        severity=MEDIUM,
        remediation="set aks-platform:registry.sku to Premium and aks-platform:registry.publicNetworkAccess to "
                    "Disabled"),
    resource_policy(
        name="acr-export-disabled",
        framework=azure_policy("524b0254-c285-4903-bee6-bb8126cde579"),
        checks={REGISTRY: lambda p, c: require(p, "policies.exportPolicy.status", equals("disabled"), "disabled",
                                                azure_default="enabled")},
        description="Images leave the registry only by a pull: no `acr import` or `acr transfer` out of it; absent "
                    "means exports are enabled. Azure allows it only with public access disabled, so advisory "
                    "where the registry is public (dev, staging).",
        severity=MEDIUM,
        remediation="set aks-platform:registry.publicNetworkAccess to Disabled (sku Premium): the registry "
                    "component then disables exports"),
    resource_policy(
        name="log-analytics-retention",
        checks={WORKSPACE: _retention},
        description="Logs are kept at least the configured number of days so incidents can be investigated "
                    "after the fact; absent means 30 days.",
        severity=MEDIUM,
        config={"minimumDays": {"type": "integer", "minimum": LOG_RETENTION_DAYS_LIMITS[0],
                                "maximum": LOG_RETENTION_DAYS_LIMITS[1], "default": STRICTEST.min_log_retention_days,
                                "description": "Fewest retention days."}},
        remediation="raise aks-platform:monitoring.retentionDays"),
    resource_policy(
        name="log-analytics-local-auth-disabled",
        framework=azure_policy("e15effd4-2278-4c65-a0da-4d6f6d1890e2"),
        checks={WORKSPACE: lambda p, c: require(p, "features.disableLocalAuth", _is_true, "true",
                                                  azure_default=False)},
        description="The workspace accepts only Entra ID authentication, not its shared keys; absent means "
                    "shared keys work.",
        severity=MEDIUM,
        remediation="the monitoring component sets features.disableLocalAuth (agents use useAADAuth); not a "
                    "stack setting"),
]
