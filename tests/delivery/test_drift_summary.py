"""tools/drift_summary.py: each drift.yml check's verdict, and a summary that says which kind of difference
it found (drift in Azure, or changes merged and waiting for a deploy) and names each resource."""

from __future__ import annotations

import json

import pytest

from settings import parse
from tools import drift_summary

URN = "urn:pulumi:prod::aks-platform::aks-platform:cluster:Cluster$azure-native:containerservice:ManagedCluster::prod-aks"
RG = "urn:pulumi:prod::aks-platform::azure-native:resources:ResourceGroup::rg"
NO_CHANGES = {
    "steps": [{"op": "same", "urn": URN}, {"op": "refresh", "urn": RG}],
    "changeSummary": {"same": 12},
}
# `pulumi preview --json`: the program on main would update the cluster and create a subnet.
PENDING = {
    "steps": [
        {"op": "same", "urn": RG},
        {
            "op": "update",
            "urn": URN,
            "diffReasons": ["tags"],
            "detailedDiff": {"agentPoolProfiles[0].count": {"kind": "update"}, "tags.owner": {"kind": "delete"}},
        },
        {"op": "create", "urn": "urn:pulumi:prod::aks-platform::azure-native:network:Subnet::api|server"},
    ],
    "changeSummary": {"same": 10, "update": 1, "create": 1},
}
# `pulumi refresh --preview-only --json`: every resource is a `refresh` step; the cluster's carries the diff
# of what someone changed in Azure.
DRIFT = {
    "steps": [
        {"op": "refresh", "urn": RG},
        {"op": "refresh", "urn": URN, "detailedDiff": {"tags.costCenter": {"kind": "add"}}},
    ],
    "changeSummary": {"same": 11, "update": 1},
}


def run(tmp_path, check, result, exit_code=0, stderr=""):
    (tmp_path / "out.json").write_text(json.dumps(result) if isinstance(result, dict) else result)
    (tmp_path / "out.err").write_text(stderr)
    summary = tmp_path / "summary.md"
    status = drift_summary.main(
        [
            "--check", check,
            "--stack", "prod",
            "--json", str(tmp_path / "out.json"),
            "--exit-code", str(exit_code),
            "--stderr", str(tmp_path / "out.err"),
            "--summary", str(summary),
        ]
    )
    return status, summary.read_text()


@pytest.mark.parametrize(
    ("check", "heading"),
    [("drift", "## :white_check_mark: No drift in `prod`"), ("pending", "## :white_check_mark: Nothing pending in `prod`")],
)
def test_no_changes_passes_and_says_which_check_found_nothing(tmp_path, check, heading):
    status, text = run(tmp_path, check, NO_CHANGES)

    assert status == 0
    assert text.startswith(heading)


def test_drift_fails_says_it_is_drift_and_names_resource_and_properties(tmp_path):
    # --expect-no-changes makes the CLI exit non-zero on drift, after it printed its JSON.
    status, text = run(tmp_path, "drift", DRIFT, exit_code=255)

    assert status == 1
    assert text.startswith("## :warning: Drift in `prod`")
    assert "`pulumi refresh --preview-only --expect-no-changes` of stack `prod` found 1 change(s)." in text
    assert "changed outside Pulumi" in text
    assert "| refresh | `azure-native:containerservice:ManagedCluster` | `prod-aks` | `tags.costCenter` |" in text
    assert "ResourceGroup" not in text
    assert "pending" not in text.lower()


def test_pending_changes_are_reported_as_waiting_for_a_deploy_without_failing(tmp_path):
    status, text = run(tmp_path, "pending", PENDING)

    assert status == 0
    assert text.startswith("## :hourglass: Changes pending in `prod`")
    assert "`pulumi preview` of stack `prod` found 2 change(s)." in text
    assert "waiting for the Deploy workflow" in text
    assert (
        "| update | `azure-native:containerservice:ManagedCluster` | `prod-aks` "
        "| `agentPoolProfiles[0].count`, `tags.owner` |"
    ) in text
    assert "| create | `azure-native:network:Subnet` | `api\\|server` | - |" in text
    assert "drift" not in text.lower()


def test_change_summary_alone_counts_and_points_at_the_log(tmp_path):
    status, text = run(tmp_path, "drift", {"steps": [], "changeSummary": {"same": 3, "delete": 1}}, exit_code=255)

    assert status == 1
    assert "found 1 change(s)" in text
    assert "| ? | ? | the JSON names no resource; the job log shows the command's output | - |" in text


def test_drift_advice_undoes_it_with_a_deploy_which_always_refreshes(tmp_path):
    _, text = run(tmp_path, "drift", DRIFT, exit_code=255)

    assert "Undo it: re-run the Deploy workflow; every deploy refreshes first" in text


def test_failed_command_is_an_error_with_the_cli_output(tmp_path):
    status, text = run(tmp_path, "drift", "", exit_code=255, stderr="error: failed to decrypt: 403 Forbidden\n")

    assert status == 2
    assert "## :x: `pulumi refresh --preview-only --expect-no-changes` failed for `prod`" in text
    assert "exited with 255" in text
    assert "error: failed to decrypt: 403 Forbidden" in text


def test_non_zero_exit_without_changes_is_an_error_not_a_pass(tmp_path):
    status, text = run(tmp_path, "drift", NO_CHANGES, exit_code=255, stderr="error: provider crashed\n")

    assert status == 2
    assert "error: provider crashed" in text


def test_a_pending_preview_that_failed_is_an_error_even_with_changes_in_its_json(tmp_path):
    # Without --expect-no-changes, a non-zero exit is always the preview failing.
    status, text = run(tmp_path, "pending", PENDING, exit_code=255, stderr="error: program failed\n")

    assert status == 2
    assert "## :x: `pulumi preview` failed for `prod`" in text


def test_unreadable_json_is_an_error_not_a_pass(tmp_path):
    status, text = run(tmp_path, "pending", "Warning: not json")

    assert status == 2
    assert "cannot read" in text


@pytest.mark.parametrize(
    ("urn", "expected"),
    [
        (RG, ("azure-native:resources:ResourceGroup", "rg")),
        ("not-a-urn", ("?", "not-a-urn")),
    ],
)
def test_resource_type_and_name_come_from_the_urn(urn, expected):
    assert drift_summary._resource(urn) == expected


# --- Upgrades by the stack's own channels -------------------------------------------------------------------

POOL = ("urn:pulumi:prod::aks-platform::aks-platform:cluster:Cluster$aks-platform:nodepools:NodePools"
        "$azure-native:containerservice:AgentPool::prod-apps")
# `pulumi refresh --preview-only --json` of prod (a fleet member, Pulumi.prod.yaml) the morning after the fleet
# moved it from 1.35 to 1.36 with a new node image: the cluster, its inline system pool and the apps pool.
FLEET_UPGRADE = {
    "steps": [
        {"op": "refresh", "urn": RG},
        {"op": "refresh", "urn": URN, "detailedDiff": {
            "kubernetesVersion": {"kind": "update"},
            "currentKubernetesVersion": {"kind": "update"},
            "agentPoolProfiles[0].orchestratorVersion": {"kind": "update"},
            "agentPoolProfiles[0].currentOrchestratorVersion": {"kind": "update"},
            "agentPoolProfiles[0].nodeImageVersion": {"kind": "update"},
        }},
        {"op": "refresh", "urn": POOL, "detailedDiff": {
            "orchestratorVersion": {"kind": "update"},
            "currentOrchestratorVersion": {"kind": "update"},
            "nodeImageVersion": {"kind": "update"},
        }},
    ],
    "changeSummary": {"same": 10, "update": 2},
}
FLEET = "the fleet's Kubernetes upgrades"


def with_cluster_change(result, path):
    """The same refresh, with one more property of the cluster changed in Azure."""
    changed = json.loads(json.dumps(result))
    changed["steps"][1]["detailedDiff"][path] = {"kind": "add"}
    return changed


def test_a_fleet_upgrade_of_a_stack_the_fleet_upgrades_is_listed_as_expected_not_drift(tmp_path):
    status, text = run(tmp_path, "drift", FLEET_UPGRADE, exit_code=255)

    assert status == 0
    assert text.startswith("## :white_check_mark: No drift in `prod`")
    assert "found no difference but its channels' upgrades." in text
    assert "### Moved by its channels or the autoscaler (expected, not drift)" in text
    assert (
        "| `azure-native:containerservice:ManagedCluster` | `prod-aks` | "
        "`agentPoolProfiles[0].currentOrchestratorVersion`, "
        "`agentPoolProfiles[0].nodeImageVersion`, `agentPoolProfiles[0].orchestratorVersion`, "
        f"`currentKubernetesVersion`, `kubernetesVersion` | {FLEET}, the fleet's node image upgrades |"
    ) in text
    assert (
        "| `azure-native:containerservice:AgentPool` | `prod-apps` | `currentOrchestratorVersion`, "
        f"`nodeImageVersion`, `orchestratorVersion` | {FLEET}, the fleet's node image upgrades |"
    ) in text
    assert "Drift in" not in text


def test_any_other_change_next_to_an_upgrade_is_still_drift_and_fails(tmp_path):
    status, text = run(tmp_path, "drift", with_cluster_change(FLEET_UPGRADE, "tags.costCenter"), exit_code=255)

    assert status == 1
    assert text.startswith("## :warning: Drift in `prod`")
    assert "found 1 change(s)." in text
    # The cluster's drift row names only the tag; its versions are under the upgrades.
    assert "| refresh | `azure-native:containerservice:ManagedCluster` | `prod-aks` | `tags.costCenter` |" in text
    assert "### Moved by its channels or the autoscaler (expected, not drift)" in text
    assert "| `azure-native:containerservice:AgentPool` | `prod-apps` |" in text


@pytest.mark.parametrize("path", [
    "agentPoolProfiles[0].count",                   # not a version
    "agentPoolProfiles[0].tags.nodeImageVersion",   # a version's name, deeper in the resource
    "addonProfiles.azurepolicy.config.version",     # a version, but not one a channel moves
])
def test_a_change_that_only_looks_like_an_upgrade_is_drift(tmp_path, path):
    status, text = run(tmp_path, "drift", with_cluster_change(FLEET_UPGRADE, path), exit_code=255)

    assert status == 1
    assert f"| refresh | `azure-native:containerservice:ManagedCluster` | `prod-aks` | `{path}` |" in text


def test_version_properties_of_other_types_are_drift():
    moves = {"nodeImageVersion": FLEET}

    assert drift_summary.moved_by("azure-native:containerservice:AgentPool", "nodeImageVersion", moves) == FLEET
    assert drift_summary.moved_by("azure-native:kubernetesconfiguration:Extension", "nodeImageVersion", moves) is None


def test_a_pending_preview_reports_version_changes_as_pending(tmp_path):
    # Program against state: a version change there was merged, not made by a channel.
    status, text = run(tmp_path, "pending", FLEET_UPGRADE)

    assert status == 0 and text.startswith("## :hourglass: Changes pending in `prod`")
    assert "Moved by its channels" not in text


def test_a_stack_whose_settings_cannot_be_read_reports_every_change_as_drift(tmp_path, monkeypatch):
    monkeypatch.setattr(drift_summary, "stack_config", lambda stack: {"aks-platform:environment": "qa"})

    status, text = run(tmp_path, "drift", FLEET_UPGRADE, exit_code=255)

    assert status == 1
    assert "| refresh | `azure-native:containerservice:AgentPool` | `prod-apps` |" in text
    assert "The settings of `prod` could not be read" in text and "aks-platform:environment" in text


def cluster(**channels):
    settings = {"authorizedIpRanges": ["203.0.113.0/24"], **channels}
    return parse({"environment": "staging", "namePrefix": "contoso", "cluster": settings}, "westeurope")


HUB = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fleet"
       "/providers/Microsoft.ContainerService/fleets/hub")


@pytest.mark.parametrize(("settings", "expected"), [
    # The stack file alone: nothing moves, every version difference is drift.
    (dict(upgradeChannel="none", nodeOsUpgradeChannel="None"), {}),
    (dict(upgradeChannel="none", nodeOsUpgradeChannel="Unmanaged"), {}),
    # patch keeps the minor the stack file says: only the running patch and the node image move.
    (dict(upgradeChannel="patch", nodeOsUpgradeChannel="None"), {
        "currentKubernetesVersion": "upgradeChannel: patch", "currentOrchestratorVersion": "upgradeChannel: patch",
        "nodeImageVersion": "upgradeChannel: patch"}),
    (dict(upgradeChannel="stable", nodeOsUpgradeChannel="SecurityPatch"), {
        "kubernetesVersion": "upgradeChannel: stable", "orchestratorVersion": "upgradeChannel: stable",
        "currentKubernetesVersion": "upgradeChannel: stable", "currentOrchestratorVersion": "upgradeChannel: stable",
        "nodeImageVersion": "nodeOsUpgradeChannel: SecurityPatch"}),
    (dict(upgradeChannel="none", nodeOsUpgradeChannel="NodeImage"),
     {"nodeImageVersion": "nodeOsUpgradeChannel: NodeImage"}),
])
def test_which_versions_a_stack_s_channels_move(settings, expected):
    assert drift_summary.channel_moves(cluster(**settings)) == expected


def test_a_fleet_that_upgrades_only_node_images_leaves_kubernetes_versions_to_the_stack_file():
    settings = parse({"environment": "staging", "namePrefix": "contoso",
                      "cluster": {"authorizedIpRanges": ["203.0.113.0/24"], "upgradeChannel": "none",
                                  "nodeOsUpgradeChannel": "None"},
                      "fleet": {"hubId": HUB, "upgrades": ["nodeImage"]}}, "westeurope")

    assert drift_summary.channel_moves(settings) == {"nodeImageVersion": "the fleet's node image upgrades"}


# The shipped prod stack's own URNs (offline/urns/prod.txt): its System pool (inline in the cluster) and its
# apps pool are autoscaled, so the autoscaler moves their counts every day.
PROD_CLUSTER = ("urn:pulumi:prod::aks-platform::aks-platform:containerservice:Cluster$"
                "azure-native:containerservice:ManagedCluster::cluster-aks")
PROD_APPS = ("urn:pulumi:prod::aks-platform::aks-platform:containerservice:NodePools$"
             "azure-native:containerservice:AgentPool::pools-apps")


def test_autoscaled_node_counts_are_the_autoscaler_s_and_any_other_count_is_drift(tmp_path):
    scaled = {
        "steps": [
            {"op": "refresh", "urn": PROD_CLUSTER, "detailedDiff": {"agentPoolProfiles[0].count": {"kind": "update"}}},
            {"op": "refresh", "urn": PROD_APPS, "detailedDiff": {"count": {"kind": "update"}}},
        ],
        "changeSummary": {"same": 10, "update": 2},
    }
    status, text = run(tmp_path, "drift", scaled, exit_code=255)
    assert status == 0
    assert ("| `azure-native:containerservice:ManagedCluster` | `cluster-aks` | `agentPoolProfiles[0].count` | "
            "the cluster autoscaler |") in text
    assert "| `azure-native:containerservice:AgentPool` | `pools-apps` | `count` | the cluster autoscaler |" in text
    # A second inline pool's count is no autoscaled pool's: drift.
    scaled["steps"][0]["detailedDiff"]["agentPoolProfiles[1].count"] = {"kind": "update"}
    (tmp_path / "again").mkdir()
    status, text = run(tmp_path / "again", "drift", scaled, exit_code=255)
    assert status == 1 and text.startswith("## ")
    drift_table = text.split("### Moved by")[0]
    assert "`agentPoolProfiles[1].count`" in drift_table and "`agentPoolProfiles[0].count`" not in drift_table


def test_only_autoscaled_pools_counts_are_left_to_the_autoscaler():
    settings = parse({"environment": "staging", "namePrefix": "contoso",
                      "cluster": {"authorizedIpRanges": ["203.0.113.0/24"]},
                      "nodePools": [{"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "count": 3},
                                    {"name": "apps", "vmSize": "Standard_D4ds_v5", "minCount": 1, "maxCount": 5},
                                    {"name": "batch", "vmSize": "Standard_D4ds_v5", "count": 2}]}, "westeurope")
    assert drift_summary.autoscaler_moves(settings) == {"pools-apps:count": drift_summary.AUTOSCALER}
