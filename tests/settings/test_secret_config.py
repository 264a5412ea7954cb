"""Config set with `pulumi config set --secret` stays a secret: in the resource inputs the engine
receives, in the offline plan and diff, and in error messages."""
from __future__ import annotations

import json
from typing import Any

import pytest

from offline import diff, plan
from offline.engine import render, stack_config, stack_secret_keys
from sdk_shim.pulumi_sdk import is_secret_envelope
from settings import ConfigError

SECRET_TAG = "cc-4711-do-not-print"


def dev_config(**overrides: Any) -> dict[str, str]:
    config = stack_config("dev")
    config.update({f"aks-platform:{key}": json.dumps(value) for key, value in overrides.items()})
    return config


@pytest.fixture(scope="module")
def secret_tags():
    config = dev_config(tags={"owner": "platform-team", "cost-center": SECRET_TAG})
    return render("dev", config, secret_keys=["aks-platform:tags"])


def clear_text(value: Any) -> list[str]:
    """Every string in a value outside secret envelopes."""
    if is_secret_envelope(value):
        return []
    if isinstance(value, dict):
        return [s for v in value.values() for s in clear_text(v)]
    if isinstance(value, list):
        return [s for v in value for s in clear_text(v)]
    return [value] if isinstance(value, str) else []


def test_a_secret_tag_reaches_every_resource_as_a_secret(secret_tags):
    group = secret_tags.one("azure-native:resources:ResourceGroup")
    # The SDK marks secrets per top-level input: the whole tags map travels as a secret.
    tags = group["inputs"]["tags"]
    assert is_secret_envelope(tags) and tags["value"]["cost-center"] == SECRET_TAG
    assert len([r for r in secret_tags.resources if is_secret_envelope(r["inputs"].get("tags"))]) > 10
    for resource in secret_tags.resources:
        assert not [s for s in clear_text(resource["inputs"]) if SECRET_TAG in s], resource["name"]


def test_the_offline_plan_and_diff_never_print_a_secret(secret_tags):
    assert SECRET_TAG not in "\n".join(plan.tree(secret_tags))
    assert plan.masked({"a": [{diff.SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270", "value": "x"}]}) == {"a": ["[secret]"]}
    plain = render("dev", dev_config(tags={"owner": "platform-team", "cost-center": "1234"}))
    changes = diff.resource_lines(diff.diff_resources(plain.resources, secret_tags.resources))
    assert "    tags: {\"cost-center\":\"1234\",\"environment\":\"dev\",\"managed-by\":\"pulumi\",\"owner\":\"platform-team\"} → [secret]" in changes
    assert SECRET_TAG not in "\n".join(changes)


def test_only_settings_that_reach_resources_unchanged_may_be_secret():
    config = dev_config(namePrefix="secretname")
    with pytest.raises(ConfigError) as err:
        render("dev", config, secret_keys=["aks-platform:namePrefix"])
    assert err.value.problems == [
        "aks-platform:namePrefix: cannot be a secret: it shapes resource names, addresses or settings that "
        "Pulumi shows in plain text; set it without --secret (only tags, alertWebhooks, gitopsSecret may be secret)"
    ]
    assert "secretname" not in str(err.value)


def test_an_error_about_a_secret_value_does_not_quote_it():
    too_long = "s" * 300
    with pytest.raises(ConfigError) as err:
        render("dev", dev_config(tags={"owner": too_long}), secret_keys=["aks-platform:tags"])
    assert err.value.problems == [
        "aks-platform:tags.owner: must be a string of at most 256 characters (value not shown: it is a secret)"
    ]


def test_a_stack_file_secret_is_handed_over_as_ciphertext_and_marked_secret(tmp_path):
    (tmp_path / "Pulumi.s.yaml").write_text(
        "config:\n"
        "  aks-platform:tags:\n"
        "    owner: {secure: v1:abc}\n"
        "  aks-platform:namePrefix: contoso\n"
    )
    assert json.loads(stack_config("s", tmp_path)["aks-platform:tags"]) == {"owner": "v1:abc"}
    assert stack_secret_keys("s", tmp_path) == ["aks-platform:tags"]


def test_the_review_option_is_validated():
    config = {**stack_config("dev"), "offline:renderInCluster": "yes"}
    with pytest.raises(ConfigError) as err:
        render("dev", config, in_cluster_for_review=False)
    assert err.value.problems == ['offline:renderInCluster: true or false, set by the offline plan only (got "yes")']
