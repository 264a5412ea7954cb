"""GitOps with Flux, rendered from the shipped stacks: the extension on the stack's cluster, the configuration
after it with the repository and kustomizations of the stack file, and a private repository's credential
that reaches Azure only as a secret (and never as plain text in a stack file)."""
from __future__ import annotations

import base64
import json

import pytest

from offline import plan
from offline.engine import render, stack_config
from sdk_shim.pulumi_sdk import is_secret_envelope
from settings import ConfigError
from tests.settings.test_secret_config import clear_text

EXTENSION = "azure-native:kubernetesconfiguration:Extension"
FLUX = "azure-native:kubernetesconfiguration:FluxConfiguration"
CLUSTER = "azure-native:containerservice:ManagedCluster"
TOKEN = "ghp-do-not-print-4711"
REPO = "https://github.com/Azure/gitops-flux2-kustomize-helm-mt"


@pytest.fixture(scope="module")
def dev():
    return render("dev")


def with_gitops(stack: str, **gitops) -> dict[str, str]:
    config = stack_config(stack)
    section = {**json.loads(config["aks-platform:gitops"]), **gitops}
    return {**config, "aks-platform:gitops": json.dumps(section), "aks-platform:gitopsSecret": TOKEN}


def test_the_flux_extension_is_installed_on_the_stack_s_managed_cluster(dev):
    extension = dev.one(EXTENSION)["inputs"]
    cluster = dev.one(CLUSTER)["inputs"]
    assert extension["extensionType"] == "microsoft.flux"
    assert (extension["clusterRp"], extension["clusterResourceName"]) == ("Microsoft.ContainerService", "managedClusters")
    assert (extension["clusterName"], extension["resourceGroupName"]) == (cluster["resourceName"], cluster["resourceGroupName"])


def test_the_configuration_syncs_the_stack_file_s_repository_after_the_extension(dev):
    flux = dev.one(FLUX)
    inputs = flux["inputs"]
    assert inputs["clusterName"] == dev.one(CLUSTER)["inputs"]["resourceName"]
    assert inputs["gitRepository"]["url"] == REPO
    assert inputs["gitRepository"]["repositoryRef"] == {"branch": "main"}
    assert inputs["gitRepository"]["syncIntervalInSeconds"] == 300  # syncInterval: 5m
    kustomizations = {name: (k["path"], k["prune"], k["syncIntervalInSeconds"], k["dependsOn"])
                      for name, k in inputs["kustomizations"].items()}
    assert kustomizations == {"infra": ("./infrastructure", True, 600, []),
                              "apps": ("./apps/staging", True, 600, ["infra"])}
    assert "configurationProtectedSettings" not in inputs  # a public repository: no credential
    assert flux["outputs"]["id"].endswith("/providers/Microsoft.ContainerService/managedClusters/aks-contoso-dev"
                                          "/providers/Microsoft.KubernetesConfiguration/fluxConfigurations/platform")
    # Azure refuses a configuration on a cluster without the extension; no output carries that order.
    assert dev.one(EXTENSION)["urn"] in flux["dependencies"]


def test_prod_syncs_the_production_overlay_and_staging_has_no_flux():
    assert render("prod").one(FLUX)["inputs"]["kustomizations"]["apps"]["path"] == "./apps/production"
    staging = render("staging")
    assert staging.of_type(FLUX) == []
    # Staging's only cluster extension is Azure Backup's.
    assert [e["inputs"]["extensionType"] for e in staging.of_type(EXTENSION)] == ["microsoft.dataprotection.kubernetes"]


@pytest.mark.parametrize(("gitops", "secret", "protected_key"), [
    ({"httpsUser": "git"}, TOKEN, "httpsKey"),
    ({"httpsUser": "git"}, "12345678", "httpsKey"),  # a numeric token stays text, not a number
    ({"url": "ssh://git@github.com/Azure/gitops-flux2-kustomize-helm-mt"},
     "-----BEGIN OPENSSH PRIVATE KEY-----\n" + TOKEN + "\n-----END OPENSSH PRIVATE KEY-----\n", "sshPrivateKey"),
])
def test_a_private_repository_s_credential_reaches_azure_only_as_a_secret(gitops, secret, protected_key):
    config = {**with_gitops("dev", **gitops), "aks-platform:gitopsSecret": secret}
    rendered = render("dev", config, secret_keys=["aks-platform:gitopsSecret"])
    protected = rendered.one(FLUX)["inputs"]["configurationProtectedSettings"]
    assert is_secret_envelope(protected)
    # Base64, as the Azure CLI sends it (azure-cli-extensions k8s-configuration get_protected_settings).
    assert protected["value"] == {protected_key: base64.b64encode(secret.encode()).decode()}
    for resource in rendered.resources:
        assert not [s for s in clear_text(resource["inputs"]) if TOKEN in s], resource["name"]
    assert TOKEN not in "\n".join(plan.tree(rendered))


def test_a_credential_in_plain_text_in_the_stack_file_is_refused_without_quoting_it():
    with pytest.raises(ConfigError) as caught:
        render("dev", with_gitops("dev", httpsUser="git"))
    assert caught.value.problems == [
        "aks-platform:gitopsSecret: a credential must not be plain text in the stack file; set it with "
        "`pulumi config set --secret aks-platform:gitopsSecret <value>` (value not shown)"]
    assert TOKEN not in str(caught.value)
