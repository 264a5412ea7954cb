"""offline/diff.py: the pure diff of two desired states, and `make diff` end to end on a throwaway clone."""

from __future__ import annotations

import subprocess

import pytest

from offline import diff
from offline.engine import ROOT

RG = "urn:pulumi:dev::aks-platform::azure-native:resources:ResourceGroup::platform-rg"
POOL = "urn:pulumi:dev::aks-platform::azure-native:containerservice:AgentPool::pools-apps"
VAULT = "urn:pulumi:dev::aks-platform::azure-native:keyvault:Vault::keyvault-vault"


def resource(urn: str, **inputs) -> dict:
    qualified_type, name = urn.split("::")[-2:]
    return {"urn": urn, "type": qualified_type.rsplit("$", 1)[-1], "name": name, "inputs": inputs, "protect": False, "ignoreChanges": []}


def lines(base: list[dict], head: list[dict]) -> list[str]:
    return diff.resource_lines(diff.diff_resources(base, head))


def test_added_and_removed_resources():
    result = diff.diff_resources([resource(RG), resource(VAULT)], [resource(RG), resource(POOL)])
    assert diff.resource_lines(result) == [
        "+ azure-native:containerservice:AgentPool pools-apps",
        "- azure-native:keyvault:Vault keyvault-vault",
    ]
    assert diff.summary_line(result) == "1 to add, 0 to change, 1 to remove (1 unchanged)"


def test_changed_nested_value_and_key_that_is_not_an_identifier():
    base = [resource(RG, tags={"owner": "platform", "kubernetes.io/role": "a"}, location="westeurope")]
    head = [resource(RG, tags={"owner": "sre", "kubernetes.io/role": "b", "new": 1}, location="westeurope")]
    assert lines(base, head) == [
        "~ azure-native:resources:ResourceGroup platform-rg",
        '    tags["kubernetes.io/role"]: "a" → "b"',
        "    tags.new: (none) → 1",
        '    tags.owner: "platform" → "sre"',
    ]


def test_list_element_change_by_index_and_by_name():
    base = [resource(POOL, availabilityZones=["1", "2"], profiles=[{"name": "system", "maxCount": 3}, {"name": "apps"}])]
    head = [resource(POOL, availabilityZones=["1", "3", "2"], profiles=[{"name": "apps"}, {"name": "system", "maxCount": 5}])]
    assert lines(base, head) == [
        "~ azure-native:containerservice:AgentPool pools-apps",
        '    availabilityZones[1]: "2" → "3"',
        '    availabilityZones[2]: (none) → "2"',
        "    profiles[system].maxCount: 3 → 5",  # matched by name: the reorder alone is no change
    ]


def test_options_secrets_and_type_changes():
    old, new = resource(VAULT, password="[secret]", count=1), resource(VAULT, password="[secret]", count=True)
    new.update(protect=True, ignoreChanges=["tags"])
    assert lines([old], [new]) == [
        "~ azure-native:keyvault:Vault keyvault-vault",
        "    count: 1 → true",
        "    protect: false → true",
        '    ignoreChanges: [] → ["tags"]',
    ]
    assert diff.compact({diff.SECRET_SIG: "1b47061264138c4ac30d75fd1eb44270", "value": "hunter2"}) == "[secret]"


def test_policy_lines_new_resolved_and_level_change():
    def finding(policy, enforcement, name="pools-apps"):
        return {"policy": policy, "enforcement": enforcement, "urn": POOL, "name": name, "message": "why\nfix it"}

    base = [finding("a", "advisory"), finding("b", "mandatory"), finding("c", "advisory")]
    head = [finding("a", "mandatory"), finding("c", "advisory"), finding("d", "advisory")]
    assert diff.policy_lines(base, head) == [
        "- new VIOLATION a on pools-apps: fix it",
        "- new advisory d on pools-apps: fix it",
        "- resolved VIOLATION b on pools-apps: fix it",
        "- resolved advisory a on pools-apps: fix it",
        "- unchanged: 0 violation(s), 1 advisory finding(s)",
    ]


@pytest.fixture
def clone_with_change(tmp_path, monkeypatch):
    """A clone of the committed repo with one more commit: the apps pool's maxCount 5 → 7 and the owner
    tag changed in Pulumi.dev.yaml. The diff module's ROOT points at the clone, so the code under test
    is this work tree's while both renders use the clone's commits."""
    clone = tmp_path / "repo"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    stack_file = clone / "Pulumi.dev.yaml"
    text = stack_file.read_text()
    assert "      maxCount: 5\n" in text and "owner: platform-team" in text
    stack_file.write_text(text.replace("      maxCount: 5\n", "      maxCount: 7\n").replace(
        "owner: platform-team", "owner: sre-team"))
    git = ["git", "-C", str(clone), "-c", "user.name=test", "-c", "user.email=test@invalid"]
    subprocess.run([*git, "commit", "--quiet", "-am", "apps pool up to 7 nodes; SRE owns dev"], check=True)
    monkeypatch.setattr(diff, "ROOT", clone)
    return clone


def test_make_diff_end_to_end(clone_with_change, capsys):
    assert diff.main(["dev", "--base", "HEAD~1"]) == 0
    out = capsys.readouterr().out
    pool = out.split("~ azure-native:containerservice:AgentPool pools-apps\n", 1)[1].split("\n~ ", 1)[0]
    assert "    maxCount: 5 → 7" in pool.splitlines()
    assert '    tags.owner: "platform-team" → "sre-team"' in pool.splitlines()
    assert "~ azure-native:resources:ResourceGroup platform-rg\n    tags.owner:" in out
    assert "0 to add," in out and "0 to remove" in out
    assert "#### Policy pack" in out
    # The base checkout is a temporary worktree and is gone afterwards.
    worktrees = subprocess.run(["git", "-C", str(clone_with_change), "worktree", "list"],
                               capture_output=True, text=True, check=True).stdout
    assert len(worktrees.splitlines()) == 1


def test_unknown_base_ref_fails(clone_with_change, capsys):
    assert diff.main(["dev", "--base", "no-such-ref"]) == 1
    assert "no-such-ref" in capsys.readouterr().err


MOVED_POOL = "urn:pulumi:dev::aks-platform::aks-platform:containerservice:Pools$azure-native:containerservice:AgentPool::pools-apps"


def aliased(urn: str, *aliases: str, **inputs) -> dict:
    return {**resource(urn, **inputs), "aliases": list(aliases)}


def test_a_resource_that_moves_without_an_alias_is_flagged_as_replaced_on_its_line():
    result = diff.diff_resources([resource(RG), resource(POOL)], [resource(RG), resource(MOVED_POOL)])
    assert diff.resource_lines(result) == [
        "! azure-native:containerservice:AgentPool pools-apps: would be replaced: add an alias",
        f"    {POOL} → {MOVED_POOL}",
    ]
    assert diff.summary_line(result) == "0 to add, 0 to change, 1 to replace, 0 to remove (1 unchanged)"


def test_a_resource_that_moves_with_an_alias_is_a_rename_and_its_changes_are_compared():
    result = diff.diff_resources([resource(POOL, maxCount=5)], [aliased(MOVED_POOL, POOL, maxCount=6)])
    assert diff.resource_lines(result) == [
        "~ azure-native:containerservice:AgentPool pools-apps",
        f"    renamed with an alias (no replacement): {POOL} → {MOVED_POOL}",
        "    maxCount: 5 → 6",
    ]
    assert (result.added, result.removed, result.replaced) == ([], [], [])


def test_a_removed_resource_of_another_name_is_a_plain_removal_not_a_replacement():
    other = "urn:pulumi:dev::aks-platform::aks-platform:containerservice:Pools$azure-native:containerservice:AgentPool::pools-batch"
    result = diff.diff_resources([resource(POOL)], [resource(other)])
    assert diff.resource_lines(result) == [
        "+ azure-native:containerservice:AgentPool pools-batch",
        "- azure-native:containerservice:AgentPool pools-apps",
    ]


def test_the_report_shows_the_cost_change_of_a_pool_whose_maximum_grows():
    group = resource(RG, resourceGroupName="rg-contoso-dev", location="westeurope")
    pool = dict(agentPoolName="apps", vmSize="Standard_D4ds_v5", minCount=1, maxCount=5, enableAutoScaling=True)
    base = diff.State([group, resource(POOL, **pool)], [])
    head = diff.State([group, resource(POOL, **{**pool, "maxCount": 8})], [])
    report = diff.report("dev", "main", base, head)
    # 3 more nodes at most: 3 × $0.272/h × 730 h.
    assert "  ~ pool apps (Standard_D4ds_v5 × 1–5) → pool apps (Standard_D4ds_v5 × 1–8): $0.00 – +$595.68 /month" in report
    assert "  total: $0.00 – +$595.68 /month" in report


def test_no_cost_section_without_a_region():
    assert "#### Cost" not in diff.report("dev", "main", diff.State([resource(POOL)], []), diff.State([], []))
