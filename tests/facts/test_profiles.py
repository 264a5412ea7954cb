"""The boundary walk: in every environment, what the settings accept its mandatory policies accept too,
and what the settings refuse its mandatory policies refuse too (or Azure itself does).

Every bounded setting's boundary comes from the environment's profile: the loosest value the settings
accept, and the next value past it. One render per environment puts every setting at its loosest; a second
render puts every setting past its bound, with the settings' profile check switched off, to show the pack
would have refused each one.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from facts.azure import ZONES
from facts.profiles import ENVIRONMENTS, PROFILES, Profile
from offline.engine import render
from policies.offline import Finding, evaluate
from settings import ConfigError, kubernetes_versions, parse
from settings import profile as settings_profile
from settings.profile import minor_version

ROOT = Path(__file__).resolve().parents[2]
NARROW, INTERNET = ["203.0.113.0/24"], ["0.0.0.0/0"]


@pytest.fixture(scope="module", autouse=True)
def a_day_the_profiles_oldest_kubernetes_version_is_supported():
    """The walk is about profiles and policies, not the calendar (tested in tests/settings): pin the day the
    AKS release calendar is read against to the last day the oldest profile minimum is supported."""
    oldest = min((p.min_kubernetes_version for p in PROFILES.values()), key=minor_version)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(kubernetes_versions, "today", lambda: kubernetes_versions.releases()[oldest].end_of_life)
        yield


@dataclass(frozen=True)
class Bound:
    """One bounded setting in one environment: its loosest accepted value and the value past it.

    Values are stack-file edits (`nodePools[].key` edits every pool); `past` is None where the
    environment refuses nothing looser (the matching policy is advisory there).
    """

    policy: str
    loosest: dict[str, Any]
    past: dict[str, Any] | None = None
    key: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", next(iter(self.past or self.loosest)))


def _flag(policy: str, key: str, required: bool, good: Any, bad: Any) -> Bound:
    return Bound(policy, {key: good if required else bad}, {key: bad} if required else None)


def bounds(p: Profile) -> list[Bound]:
    major, minor = minor_version(p.min_kubernetes_version)
    if p.require_private_api_server:
        api_server = Bound("aks-api-server-restricted", {"cluster.private": True, "cluster.authorizedIpRanges": []},
                           {"cluster.private": False, "cluster.authorizedIpRanges": NARROW})
    else:
        restricted = p.require_restricted_api_server
        api_server = Bound("aks-api-server-restricted",
                           {"cluster.authorizedIpRanges": NARROW if restricted else INTERNET, "cluster.private": False},
                           {"cluster.authorizedIpRanges": INTERNET} if restricted else None)
    return [
        Bound("aks-pool-min-max-pods", {"nodePools[].maxPods": p.min_max_pods}, {"nodePools[].maxPods": p.min_max_pods - 1}),
        _flag("aks-pool-zones", "nodePools[].zones", p.require_zones, list(ZONES), list(ZONES[:-1])),
        Bound("aks-supported-kubernetes-version", {"cluster.kubernetesVersion": p.min_kubernetes_version},
              {"cluster.kubernetesVersion": f"{major}.{minor - 1}"}),
        Bound("keyvault-soft-delete", {"keyVault.softDeleteRetentionDays": p.min_soft_delete_days},
              {"keyVault.softDeleteRetentionDays": p.min_soft_delete_days - 1}),
        Bound("log-analytics-retention", {"monitoring.retentionDays": p.min_log_retention_days},
              {"monitoring.retentionDays": p.min_log_retention_days - 1}),
        _flag("keyvault-purge-protection", "keyVault.purgeProtection", p.require_purge_protection, True, False),
        _flag("aks-paid-tier", "cluster.tier", p.require_paid_tier, "Standard", "Free"),
        _flag("aks-defender-enabled", "cluster.defender", p.require_defender, True, False),
        _flag("aks-run-command-disabled", "cluster.disableRunCommand", p.require_run_command_disabled, True, False),
        _flag("acr-public-access-restricted", "registry.publicNetworkAccess", p.require_private_registry,
              "Disabled", "Enabled"),
        api_server,
    ]


def stack_file(env: str, *edits: dict[str, Any]) -> dict[str, Any]:
    """The shipped stack file's config with `edits` applied."""
    config = yaml.safe_load((ROOT / f"Pulumi.{env}.yaml").read_text())["config"]
    for edit in edits:
        for key, value in edit.items():
            section, leaf = key.split(".")
            if section == "nodePools[]":
                for pool in config["aks-platform:nodePools"]:
                    pool[leaf] = value
            else:
                config.setdefault(f"aks-platform:{section}", {})[leaf] = value
    return config


def settings_of(config: dict[str, Any]):
    raw = {key.split(":", 1)[1]: value for key, value in config.items() if key.startswith("aks-platform:")}
    return parse(raw, config["azure-native:location"])


def engine_config(config: dict[str, Any]) -> dict[str, str]:
    return {key: value if isinstance(value, str) else json.dumps(value) for key, value in config.items()}


def mandatory(findings: list[Finding]) -> list[str]:
    return [f"{f.policy}: {f.message}" for f in findings if f.mandatory]


def cases() -> Iterator[tuple[str, Bound]]:
    for env in ENVIRONMENTS:
        for bound in bounds(PROFILES[env]):
            yield pytest.param(env, bound, id=f"{env}-{bound.policy}")


def within_azure_limits(env: str, bound: Bound) -> bool:
    """True when only the profile refuses the past value: with its check off, the settings take it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(settings_profile, "problems", lambda *_: [])
        try:
            settings_of(stack_file(env, bound.past))
        except ConfigError:
            return False
    return True


@pytest.fixture(scope="module")
def loosest_findings() -> dict[str, list[Finding]]:
    """Per environment: the pack's findings on the stack with every bounded setting at its loosest."""
    found = {}
    for env in ENVIRONMENTS:
        config = stack_file(env, *(b.loosest for b in bounds(PROFILES[env])))
        settings_of(config)  # accepted, or the test fails here with the settings' own message
        found[env] = evaluate(render(env, config=engine_config(config)).resources, ROOT / "policies" / "config" / f"{env}.json")
    return found


@pytest.fixture(scope="module")
def past_findings() -> dict[str, list[Finding]]:
    """Per environment: the findings with every setting past its bound (within Azure's limits), had the
    settings let it through."""
    found = {}
    for env in ENVIRONMENTS:
        past = [b.past for b in bounds(PROFILES[env]) if b.past is not None and within_azure_limits(env, b)]
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings_profile, "problems", lambda *_: [])
            rendered = render(env, config=engine_config(stack_file(env, *past)))
        found[env] = evaluate(rendered.resources, ROOT / "policies" / "config" / f"{env}.json")
    return found


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_what_the_settings_accept_at_their_bounds_passes_every_mandatory_policy(env, loosest_findings):
    assert mandatory(loosest_findings[env]) == []


@pytest.mark.parametrize(("env", "bound"), list(cases()))
def test_past_the_bound_the_settings_refuse_and_so_would_the_mandatory_policy(env, bound, loosest_findings,
                                                                              past_findings):
    if bound.past is None:
        # Nothing looser is refused: at the loosest value the matching policy only advises.
        assert {f.enforcement for f in loosest_findings[env] if f.policy == bound.policy} == {"advisory"}
        return
    with pytest.raises(ConfigError) as refused:
        settings_of(stack_file(env, bound.past))
    key = "aks-platform:" + bound.key.replace("nodePools[]", "nodePools[0]")
    assert any(line.startswith(key) for line in refused.value.problems), refused.value.problems
    if within_azure_limits(env, bound):
        assert bound.policy in {f.policy for f in past_findings[env] if f.mandatory}, past_findings[env]
    else:
        # Azure's own limit (the settings model's bound) refuses it before any policy could.
        assert not any("the least the" in line for line in refused.value.problems)
