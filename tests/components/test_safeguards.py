"""Deployment safeguards alone: one `deploymentSafeguards/default` on the cluster at the stack's level, with
its excluded namespaces; none at Off; and the settings that refuse what AKS would not run."""
import pytest

from components.safeguards import DeploymentSafeguards, SafeguardsArgs
from settings import ConfigError
from tests.helpers import settings_for

from .helpers import render_component, stand_in_cluster

SAFEGUARD = "azure-native:containerservice:DeploymentSafeguard"
PUBLIC = {"authorizedIpRanges": ["203.0.113.0/24"]}


def render(environment: str, **cluster):
    settings = settings_for(environment, cluster={**PUBLIC, **cluster})
    rendered, _ = render_component(lambda: DeploymentSafeguards(
        "safeguards", SafeguardsArgs(settings.cluster.safeguards, stand_in_cluster()),
    ))
    return rendered


@pytest.mark.parametrize(("environment", "level"), [("dev", "Warn"), ("staging", "Enforce"), ("prod", "Enforce")])
def test_the_default_level_follows_the_environment(environment, level):
    cluster = {} if environment != "prod" else {"private": True, "authorizedIpRanges": []}
    settings = settings_for(environment, cluster={**PUBLIC, **cluster})
    assert settings.cluster.safeguards.level == level


def test_one_safeguard_on_the_cluster_with_the_stack_s_namespaces():
    rendered = render("dev", safeguards={"level": "Enforce", "excludedNamespaces": ["legacy", "batch"]})
    [safeguard] = rendered.of_type(SAFEGUARD)
    scope = safeguard["inputs"]["resourceUri"]
    assert scope.endswith("/providers/Microsoft.ContainerService/managedClusters/aks-contoso-prod")
    assert safeguard["inputs"]["level"] == "Enforce"
    assert safeguard["inputs"]["excludedNamespaces"] == ["legacy", "batch"]
    # An extension resource: Azure names the cluster's one safeguards resource `default`.
    assert safeguard["outputs"]["id"] == f"{scope}/providers/Microsoft.ContainerService/deploymentSafeguards/default"


def test_off_registers_no_safeguard():
    assert render("dev", safeguards={"level": "Off"}).of_type(SAFEGUARD) == []


@pytest.mark.parametrize(("safeguards", "azure_policy", "message"), [
    ({"level": "Warn"}, False, "safeguards.level Warn needs the Azure Policy add-on, which azurePolicy: false turns off"),
    ({"excludedNamespaces": ["Legacy"]}, True, "namespace name ('Legacy') is 1-63 lowercase letters"),
    ({"excludedNamespaces": ["a", "a"]}, True, "lists a namespace twice"),
    ({"level": "Audit"}, True, "cluster.safeguards.level"),
])
def test_bad_safeguards_settings_are_refused_with_the_key(safeguards, azure_policy, message):
    with pytest.raises(ConfigError) as caught:
        settings_for("dev", cluster={**PUBLIC, "azurePolicy": azure_policy, "safeguards": safeguards})
    assert message in str(caught.value)


def test_off_without_azure_policy_is_accepted():
    settings = settings_for("dev", cluster={**PUBLIC, "azurePolicy": False, "safeguards": {"level": "Off"}})
    assert settings.cluster.safeguards.level == "Off"
