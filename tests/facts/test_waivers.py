"""facts/waivers.py: every waiver says why, with a source, names a resource the shipped stacks create, and
is honoured by the pack's policies for that resource only."""
from __future__ import annotations

import re

import pytest

from facts.waivers import WAIVERS, waiver_for
from offline.engine import render
from tests.policies.fixtures import good
from tests.policies.helpers import POLICIES, set_path, validate


@pytest.mark.parametrize("waiver", WAIVERS, ids=lambda w: f"{w.resource}:{w.rules[0]}")
def test_every_waiver_names_its_rules_a_reason_and_a_source(waiver):
    assert waiver.rules and all(rule.strip() for rule in waiver.rules)
    assert len(waiver.reason) > 40
    assert waiver.sources and all(source.startswith("https://") for source in waiver.sources)


def test_every_waiver_covers_a_resource_of_a_shipped_stack():
    resources = [r for stack in ("dev", "staging", "prod") for r in render(stack).resources]
    for waiver in WAIVERS:
        assert any(waiver.covers(rule, r["type"], r["name"], r["inputs"]) for rule in waiver.rules for r in resources), waiver


def test_the_pack_skips_a_waived_resource_and_only_that_one():
    resource_type, props = good("log")
    set_path(props, "features.disableLocalAuth", False)
    assert validate("log-analytics-local-auth-disabled", resource_type, props, "monitoring-defender-workspace") == []
    assert len(validate("log-analytics-local-auth-disabled", resource_type, props, "monitoring-workspace")) == 1
    set_path(props, "retentionInDays", 30)
    assert validate("log-analytics-retention", resource_type, props, "monitoring-defender-workspace", {"minimumDays": 90}) == []
    assert len(validate("log-analytics-retention", resource_type, props, "monitoring-workspace", {"minimumDays": 90})) == 1


def test_a_waived_rule_named_like_a_pack_policy_is_one_so_the_pack_honours_it():
    for waiver in WAIVERS:
        for rule in waiver.rules:
            if re.fullmatch(r"[a-z0-9-]+", rule):
                assert rule in POLICIES, rule


def test_waiver_for_matches_rule_type_and_name():
    assert waiver_for("Azure.ACR.Quarantine", "azure-native:containerregistry:Registry", "registry-registry")
    assert waiver_for("Azure.ACR.Quarantine", "azure-native:containerregistry:Registry", "other") is None
    assert waiver_for("log-analytics-retention", "azure-native:containerregistry:Registry", "registry-registry") is None


def test_a_waiver_with_a_pattern_covers_the_names_it_matches_only():
    secret = "azure-native:keyvault:Secret"
    assert waiver_for("CKV_AZURE_41", secret, "ns-team-a-secret-db-password")
    assert waiver_for("CKV_AZURE_41", secret, "keyvault-secret") is None


def test_a_waiver_with_where_covers_only_resources_with_those_inputs():
    registry = "azure-native:containerregistry:Registry"
    assert waiver_for("CKV_AZURE_139", registry, "registry-registry", {"sku": {"name": "Standard"}})
    assert waiver_for("CKV_AZURE_139", registry, "registry-registry", {"sku": {"name": "Premium"}}) is None
    assert waiver_for("CKV_AZURE_139", registry, "registry-registry", {}) is None
    # Without the inputs (the policy pack's call), a narrowed waiver covers nothing.
    assert waiver_for("CKV_AZURE_139", registry, "registry-registry") is None


@pytest.mark.parametrize("waiver", WAIVERS, ids=lambda w: f"{w.resource}:{w.rules[0]}")
def test_every_waived_rule_is_a_pack_policy_a_psrule_rule_or_a_checkov_check(waiver):
    for rule in waiver.rules:
        assert re.fullmatch(r"[a-z0-9-]+|Azure(\.[A-Za-z0-9]+)+|CKV2?_(AZURE|K8S)_\d+", rule), rule
    for path, values in waiver.where:
        assert path and values, waiver
