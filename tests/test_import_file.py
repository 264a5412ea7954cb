"""The `pulumi import --file` file of each shipped stack: every planned Azure resource is in it or named as
left out, IDs are ARM IDs in the given subscription, and the parents rebuild the program's own URNs."""
import json
import re

import pytest

from offline.engine import stack_config
from offline.mocks import SUBSCRIPTION_ID as MOCK_SUBSCRIPTION
from tests.test_stacks import STACKS
from tools import import_file
from tools.import_file import import_spec, main, planned

SUBSCRIPTION = "12345678-90ab-cdef-1234-567890abcdef"
# /subscriptions/<guid>/resourceGroups/<name>, then provider segments (extension resources repeat them).
ARM_ID = re.compile(
    rf"^/subscriptions/{SUBSCRIPTION}/resourceGroups/[-\w.()]+"
    r"(?:/providers/[A-Za-z]+\.[A-Za-z.]+(?:/[A-Za-z]+/[^/\s]+)+)*$"
)
LEFT_OUT_TYPES = ("kubernetes:", "pulumi:providers:", "random:", "time:", "azure-native:authorization:RoleAssignment")


@pytest.fixture(scope="module")
def files():
    return {stack: files_of(stack) for stack in STACKS}


@pytest.mark.parametrize("stack", STACKS)
def test_every_planned_azure_resource_is_imported_or_named_as_left_out(files, stack):
    rendered, spec, left_out = files[stack]
    entries = [e for e in spec["resources"] if not e.get("component")]
    imported = [e["name"] for e in entries]
    assert len(imported) == len(set(imported))
    assert sorted(imported + [r["name"] for r, _ in left_out]) == sorted(r["name"] for r in rendered.resources if r["custom"])
    assert {r["type"] for r, _ in left_out} <= {r["type"] for r in rendered.resources if r["type"].startswith(LEFT_OUT_TYPES)}
    assert {e["type"] for e in entries} == {
        r["type"] for r in rendered.resources
        if r["type"].startswith("azure-native:") and r["type"] != "azure-native:authorization:RoleAssignment"
    }


@pytest.mark.parametrize("stack", STACKS)
def test_ids_are_arm_ids_in_the_given_subscription(files, stack):
    _, spec, _ = files[stack]
    ids = [e["id"] for e in spec["resources"] if not e.get("component")]
    assert [i for i in ids if not ARM_ID.match(i)] == []
    assert MOCK_SUBSCRIPTION not in json.dumps(spec)
    assert {e["version"] for e in spec["resources"] if not e.get("component")} == {import_file.AZURE_NATIVE_VERSION}


def test_ids_are_the_names_the_program_gives(files):
    _, spec, _ = files["prod"]
    by_name = {e["name"]: e for e in spec["resources"]}
    assert by_name["cluster-aks"]["id"] == (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-contoso-prod/providers/Microsoft.ContainerService/"
        "managedClusters/aks-contoso-prod")
    assert by_name["monitoring-cluster-diagnostics"]["id"] == (
        by_name["cluster-aks"]["id"] + "/providers/Microsoft.Insights/diagnosticSettings/to-log-analytics")


def test_global_names_follow_the_subscription(files):
    """The vault's name hashes the subscription ID: substituting the ID afterwards would name the wrong vault."""
    other = "abcdef12-3456-7890-abcd-ef1234567890"
    vault = [r for r in planned("prod", other).resources if r["type"] == "azure-native:keyvault:Vault"][0]
    ours = {e["name"]: e["id"] for e in files["prod"][1]["resources"] if not e.get("component")}
    assert vault["outputs"]["id"].rsplit("/", 1)[1] != ours["keyvault-vault"].rsplit("/", 1)[1]


@pytest.mark.parametrize("stack", STACKS)
def test_parents_rebuild_the_programs_urns(files, stack):
    """The URN `pulumi import` gives each entry (its parents' types, then its own, then its name) is the URN
    the program registers the resource under, so the next `pulumi up` finds it. Both are built by the
    engine's rule: the full chain of parent types, without the root stack's (pulumi/pulumi `NewURN`). The
    mock engine's own URNs use only the nearest parent's type, so they are not compared here."""
    rendered, spec, _ = files[stack]
    entries = {e["name"]: e for e in spec["resources"]}
    assert all(entries[e["parent"]].get("component") for e in entries.values() if "parent" in e)
    records = {r["urn"]: r for r in rendered.resources}

    def engine_urn(name, types):
        return f"urn:pulumi:{stack}::aks-platform::{'$'.join(types)}::{name}"

    def file_types(entry):
        parent = entries.get(entry.get("parent"))
        return [*(file_types(parent) if parent else []), entry["type"]]

    def program_types(record):
        parent = records.get(record["parent"])
        return [*(program_types(parent) if parent else []), record["type"]]

    from_file = {engine_urn(e["name"], file_types(e)) for e in entries.values()}
    from_program = {engine_urn(r["name"], program_types(r)) for r in rendered.resources if r["name"] in entries}
    assert from_file == from_program


def test_a_layer_that_is_off_is_not_imported():
    """`inCluster: false` leaves the layer out of `pulumi up`, so its Azure identities must not be adopted
    (the next `pulumi up` would delete them), although the offline plan still shows them."""
    config = {**stack_config("prod"), "aks-platform:inCluster": "false"}
    spec, left_out = import_spec(planned("prod", SUBSCRIPTION, config))
    assert [e["name"] for e in spec["resources"] if e["name"].startswith(("in-cluster", "ns-"))] == []
    assert [r for r, _ in left_out if r["type"].startswith("kubernetes:")] == []


def test_the_file_is_written_where_make_expects_it(tmp_path, capsys):
    out = tmp_path / "import-dev.json"
    assert main(["dev", "--subscription", SUBSCRIPTION.upper(), "--out", str(out)]) == 0
    assert json.loads(out.read_text())["resources"]
    printed = capsys.readouterr().out
    assert "pulumi import --stack dev --file" in printed and "RoleAssignmentExists" in printed


@pytest.mark.parametrize("subscription", [None, "", "not-a-guid"])
def test_a_missing_or_malformed_subscription_is_refused(subscription, monkeypatch, capsys, tmp_path):
    monkeypatch.delenv(import_file.SUBSCRIPTION_ENV, raising=False)
    args = ["dev", "--out", str(tmp_path / "x.json")] + ([] if subscription is None else ["--subscription", subscription])
    assert main(args) == 2
    assert "subscription ID" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def files_of(stack):
    rendered = planned(stack, SUBSCRIPTION)
    return (rendered, *import_spec(rendered))
