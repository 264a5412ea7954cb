"""The pack says what it is: its version has one home (PulumiPolicy.yaml), and every policy carries the
compliance control it implements, as the CLI receives it, or is listed with the reason it has none."""
from __future__ import annotations

import re

import pytest
import yaml

from policies import compliance
from tools import policy_catalog as catalog
from policies.pack import ALL_POLICIES, PACK_VERSION, PROJECT_FILE, _version, new_servicer

_DEFINITION_ID = re.compile(
    r"^/providers/Microsoft\.Authorization/policyDefinitions/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _sent() -> dict:
    """policy name -> PolicyInfo, as the analyzer answers the CLI's GetAnalyzerInfo."""
    return {p.name: p for p in new_servicer().GetAnalyzerInfo(None, None).policies}


def test_the_pack_version_is_the_one_in_pulumipolicy_yaml():
    version = yaml.safe_load(PROJECT_FILE.read_text())["version"]

    assert PACK_VERSION == version
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert new_servicer().GetAnalyzerInfo(None, None).version == version


@pytest.mark.parametrize("line", ["version: 1.0", "description: no version", ""])
def test_a_missing_or_unquoted_version_is_refused_naming_file_and_key(tmp_path, line):
    project = tmp_path / "PulumiPolicy.yaml"
    project.write_text(line + "\n")

    with pytest.raises(ValueError, match=rf"{re.escape(str(project))}: 'version' is (1\.0|None); want a quoted"):
        _version(project)


def test_every_policy_declares_its_framework_or_is_listed_with_the_reason_it_has_none():
    names = {p.name for p in ALL_POLICIES}
    without = {p.name for p in ALL_POLICIES if p.framework is None}

    assert without == set(compliance.WITHOUT_FRAMEWORK)
    assert set(compliance.WITHOUT_FRAMEWORK) <= names
    assert all(len(reason) > 20 for reason in compliance.WITHOUT_FRAMEWORK.values())
    assert len(names) - len(without) == 39


def test_every_mapping_names_a_recorded_cis_control_or_well_formed_built_in_definition_ids():
    for policy in ALL_POLICIES:
        framework = policy.framework
        if framework is None:
            continue
        if framework.name == compliance.CIS_AKS:
            assert framework.version == "1.8.0", policy.name
            assert framework.specification == compliance.CIS_AKS_CONTROLS[framework.reference], policy.name
        else:
            assert framework.name == compliance.AZURE_POLICY, policy.name
            references = framework.reference.split(", ")
            assert all(_DEFINITION_ID.match(ref) for ref in references), policy.name
            assert framework.specification == "; ".join(
                compliance.AZURE_BUILT_INS[ref.rsplit("/", 1)[-1]] for ref in references), policy.name


def test_the_analyzer_sends_each_mapping_to_the_cli():
    sent = _sent()

    local_accounts = sent["aks-local-accounts-disabled"].framework
    assert local_accounts.name == "Azure Policy built-in definitions"
    assert local_accounts.reference == \
        "/providers/Microsoft.Authorization/policyDefinitions/993c2fcd-2b29-49d2-9eb0-df2c3a730c32"
    assert local_accounts.specification == \
        "Azure Kubernetes Service Clusters should have local authentication methods disabled"

    api_server = sent["aks-api-server-restricted"].framework
    assert (api_server.name, api_server.version, api_server.reference, api_server.specification) == (
        "CIS Azure Kubernetes Service (AKS) Benchmark", "1.8.0", "5.4.1",
        "Restrict Access to the Control Plane Endpoint")

    assert sent["keyvault-secret-key-expiry"].framework.reference == (
        "/providers/Microsoft.Authorization/policyDefinitions/98728c90-32c7-4049-8429-847dc0f4fe37, "
        "/providers/Microsoft.Authorization/policyDefinitions/152b15f7-8e1f-4c1f-ab71-8c010ba5dbc0")
    assert not sent["aks-paid-tier"].HasField("framework")


def test_an_unrecorded_control_or_definition_is_refused_saying_where_to_record_it():
    with pytest.raises(ValueError, match=r"'9\.9\.9' is not in policies/compliance.py CIS_AKS_CONTROLS"):
        compliance.cis_aks("9.9.9")
    with pytest.raises(ValueError, match=r"\['00000000-0000-0000-0000-000000000000'\] are not in .*AZURE_BUILT_INS"):
        compliance.azure_policy("0a15ec92-a229-4763-bb14-0ea34a568f8d", "00000000-0000-0000-0000-000000000000")


def test_the_catalog_shows_each_policys_mapping():
    rows = {line.split(" | ")[0].strip("| `"): line for line in catalog.render().splitlines()
            if line.startswith("| `")}

    assert "| Why | Fix | Maps to |" in catalog.render()
    assert rows["aks-local-accounts-disabled"].endswith(
        "| Azure Policy `993c2fcd-2b29-49d2-9eb0-df2c3a730c32`: "
        "Azure Kubernetes Service Clusters should have local authentication methods disabled |")
    assert rows["kubelet-acr-pull-only"].endswith(
        "| CIS AKS 1.8.0 5.1.3 Minimize cluster access to read-only for Azure Container Registry (ACR) |")
    assert rows["aks-paid-tier"].endswith(f"| none: {compliance.WITHOUT_FRAMEWORK['aks-paid-tier']} |")
