"""tools/drift_summary.py: the drift job's verdict and the summary that names the drifted resources."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

_SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "drift_summary.py"
_spec = importlib.util.spec_from_file_location("drift_summary", _SCRIPT)
drift_summary = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(drift_summary)

URN = "urn:pulumi:prod::aks-platform::aks-platform:cluster:Cluster$azure-native:containerservice:ManagedCluster::prod-aks"
NO_DRIFT = {
    "steps": [{"op": "same", "urn": URN}, {"op": "refresh", "urn": URN}],
    "changeSummary": {"same": 12},
}
DRIFT = {
    "steps": [
        {"op": "same", "urn": "urn:pulumi:prod::aks-platform::azure-native:resources:ResourceGroup::rg"},
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


def run(tmp_path, preview, exit_code=0, stderr=""):
    (tmp_path / "preview.json").write_text(json.dumps(preview) if isinstance(preview, dict) else preview)
    (tmp_path / "preview.err").write_text(stderr)
    summary = tmp_path / "summary.md"
    status = drift_summary.main(
        [
            "--stack", "prod",
            "--preview-json", str(tmp_path / "preview.json"),
            "--preview-exit-code", str(exit_code),
            "--stderr", str(tmp_path / "preview.err"),
            "--summary", str(summary),
        ]
    )
    return status, summary.read_text()


def test_no_changes_passes_and_says_so(tmp_path):
    status, text = run(tmp_path, NO_DRIFT)

    assert status == 0
    assert text.startswith("## :white_check_mark: No drift in `prod`")


def test_drift_fails_and_names_stack_resources_and_properties(tmp_path):
    status, text = run(tmp_path, DRIFT)

    assert status == 1
    assert "## :warning: Drift in `prod`" in text
    assert "would make 2 change(s)" in text
    assert (
        "| update | `azure-native:containerservice:ManagedCluster` | `prod-aks` "
        "| `agentPoolProfiles[0].count`, `tags.owner` |"
    ) in text
    assert "| create | `azure-native:network:Subnet` | `api\\|server` | - |" in text
    assert "ResourceGroup" not in text


def test_change_summary_alone_counts_as_drift(tmp_path):
    status, text = run(tmp_path, {"steps": [], "changeSummary": {"same": 3, "delete": 1}})

    assert status == 1
    assert "would make 1 change(s)" in text


def test_failed_preview_is_an_error_with_the_cli_output(tmp_path):
    status, text = run(tmp_path, "", exit_code=255, stderr="error: failed to decrypt: 403 Forbidden\n")

    assert status == 2
    assert "## :x: Drift check failed for `prod`" in text
    assert "exited with 255" in text
    assert "error: failed to decrypt: 403 Forbidden" in text


def test_unreadable_json_is_an_error_not_a_pass(tmp_path):
    status, text = run(tmp_path, "Warning: not json")

    assert status == 2
    assert "cannot read" in text


@pytest.mark.parametrize(
    ("urn", "expected"),
    [
        ("urn:pulumi:dev::aks-platform::azure-native:resources:ResourceGroup::rg", ("azure-native:resources:ResourceGroup", "rg")),
        ("not-a-urn", ("?", "not-a-urn")),
    ],
)
def test_resource_type_and_name_come_from_the_urn(urn, expected):
    assert drift_summary._resource(urn) == expected
