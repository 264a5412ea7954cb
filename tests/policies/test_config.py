"""policies/config/*.json: generated from the environment profiles, and the pack's own defaults are the
strictest profile's, so no threshold is written twice."""
from __future__ import annotations

import pytest

from facts.profiles import ENVIRONMENTS, PROFILES, STRICTEST
from policies.pack import new_servicer
from policies.pack_config import reconcile
from tools import policy_config


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_committed_config_is_what_the_profile_generates(env):
    assert policy_config.path_for(env).read_text() == policy_config.render(PROFILES[env]), \
        "run: python -m tools.policy_config --write"


def test_every_environment_has_a_config_and_no_other_file_is_there():
    assert sorted(p.stem for p in policy_config.CONFIG_DIR.glob("*.json")) == sorted(ENVIRONMENTS)


def test_without_a_config_file_the_pack_is_as_strict_as_the_strictest_profile():
    info = new_servicer().GetAnalyzerInfo(None, None)
    assert reconcile(info, {}) == reconcile(info, policy_config.config_for(STRICTEST))


def test_a_relaxed_requirement_is_advisory_and_a_required_one_mandatory():
    dev, prod = policy_config.config_for(PROFILES["dev"]), policy_config.config_for(PROFILES["prod"])
    assert (dev["aks-paid-tier"], prod["aks-paid-tier"]) == ("advisory", "mandatory")
    assert (dev["aks-pool-zones"]["enforcementLevel"], prod["aks-pool-zones"]["enforcementLevel"]) == \
        ("advisory", "mandatory")
    assert prod["keyvault-soft-delete"]["minimumRetentionDays"] == PROFILES["prod"].min_soft_delete_days
