"""policies/config/*.json: generated from the environment profiles, and the pack's own defaults are the
strictest profile's, so no threshold is written twice."""
from __future__ import annotations

import pytest

from facts.profiles import PROFILES, STRICTEST
from policies.pack import new_servicer
from policies.pack_config import reconcile
from tools import policy_config


STACKS = policy_config.stack_environments()


@pytest.mark.parametrize("stack", sorted(STACKS))
def test_each_stacks_committed_config_is_what_its_environments_profile_generates(stack):
    assert policy_config.path_for(stack).read_text() == policy_config.render(
        PROFILES[STACKS[stack]], policy_config.member_channels(stack)), \
        "run: python -m tools.policy_config --write"


def test_every_stack_has_a_config_and_no_other_file_is_there():
    assert sorted(p.stem for p in policy_config.CONFIG_DIR.glob("*.json")) == sorted(STACKS)


def test_a_new_stack_gets_its_environments_config(tmp_path):
    (tmp_path / "Pulumi.staging-eu2.yaml").write_text("config:\n  aks-platform:environment: staging\n")
    (tmp_path / "Pulumi.typo.yaml").write_text("config:\n  aks-platform:environment: stagin\n")
    (tmp_path / "Pulumi.broken.yaml").write_text("config: [1\n")
    assert policy_config.stack_environments(tmp_path) == {"broken": None, "staging-eu2": "staging", "typo": None}


def test_without_a_config_file_the_pack_is_as_strict_as_the_strictest_profile():
    info = new_servicer().GetAnalyzerInfo(None, None)
    assert reconcile(info, {}) == reconcile(info, policy_config.config_for(STRICTEST))


def test_a_relaxed_requirement_is_advisory_and_a_required_one_mandatory():
    dev, prod = policy_config.config_for(PROFILES["dev"]), policy_config.config_for(PROFILES["prod"])
    assert (dev["aks-paid-tier"], prod["aks-paid-tier"]) == ("advisory", "mandatory")
    assert (dev["aks-pool-zones"]["enforcementLevel"], prod["aks-pool-zones"]["enforcementLevel"]) == \
        ("advisory", "mandatory")
    assert prod["keyvault-soft-delete"]["minimumRetentionDays"] == PROFILES["prod"].min_soft_delete_days
