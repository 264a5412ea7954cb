"""tools/drift_summary.py: each drift.yml check's verdict, and a summary that says which kind of difference
it found (drift in Azure, or changes merged and waiting for a deploy) and names each resource."""

from __future__ import annotations

import json

import pytest

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


def test_drift_advice_undoes_it_with_a_refreshing_deploy(tmp_path):
    _, text = run(tmp_path, "drift", DRIFT, exit_code=255)

    assert "Undo it: run the Deploy workflow with `refresh` checked" in text


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
