"""The Kubernetes provider of the in-cluster layer: Entra ID user credentials, signed in by kubelogin."""
from __future__ import annotations

import pytest
import yaml

from components.in_cluster.provider import AKS_SERVER_APP_ID, kubelogin_kubeconfig
from offline.mocks import TENANT_ID

from .conftest import kubernetes_objects, rendered

# The shape AKS returns from listClusterUserCredentials?format=exec for an Entra ID cluster.
AKS_USER_KUBECONFIG = f"""apiVersion: v1
kind: Config
clusters:
- cluster: {{certificate-authority-data: bW9jaw==, server: "https://aks.hcp.westeurope.azmk8s.io:443"}}
  name: aks
contexts:
- context: {{cluster: aks, user: clusterUser_rg_aks}}
  name: aks
current-context: aks
users:
- name: clusterUser_rg_aks
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --environment, AzurePublicCloud, --server-id, {AKS_SERVER_APP_ID},
             --client-id, 80faf920-1908-4b52-b5ef-a8e7bedfc67a, --tenant-id, {TENANT_ID}, --login, devicecode]
      provideClusterInfo: false
"""


def exec_args(kubeconfig: str) -> list[str]:
    (user,) = yaml.safe_load(kubeconfig)["users"]
    return user["user"]["exec"]["args"]


@pytest.mark.parametrize("mode, expected", [
    ("azurecli", ["get-token", "--login", "azurecli", "--server-id", AKS_SERVER_APP_ID]),
    ("workloadidentity", ["get-token", "--login", "workloadidentity", "--server-id", AKS_SERVER_APP_ID]),
    ("spn", ["get-token", "--login", "spn", "--server-id", AKS_SERVER_APP_ID,
             "--tenant-id", TENANT_ID, "--environment", "AzurePublicCloud"]),
])
def test_the_exec_block_is_rewritten_for_the_login_mode(mode, expected):
    converted = kubelogin_kubeconfig(AKS_USER_KUBECONFIG, mode, TENANT_ID)
    assert exec_args(converted) == expected
    # Nothing else changes: same server, same user, same command.
    before, after = yaml.safe_load(AKS_USER_KUBECONFIG), yaml.safe_load(converted)
    for document in (before, after):
        document["users"][0]["user"]["exec"].pop("args")
    assert before == after


def test_a_kubeconfig_without_kubelogin_is_refused():
    config = AKS_USER_KUBECONFIG.replace("command: kubelogin", "command: az")
    with pytest.raises(ValueError, match="no kubelogin exec user"):
        kubelogin_kubeconfig(config, "azurecli", TENANT_ID)


def test_the_provider_signs_in_with_the_configured_mode_and_waits_for_the_cluster():
    r = rendered("dev", kubeloginMode='"workloadidentity"')
    provider = r.one("pulumi:providers:kubernetes")
    cluster = r.one("azure-native:containerservice:ManagedCluster")
    kubeconfig = provider["inputs"]["kubeconfig"]
    assert isinstance(kubeconfig, dict) and "value" in kubeconfig  # recorded as a secret
    assert exec_args(kubeconfig["value"])[:3] == ["get-token", "--login", "workloadidentity"]
    assert cluster["urn"] in provider["propertyDependencies"]["kubeconfig"]
    assert provider["inputs"]["clusterIdentifier"] == cluster["outputs"]["id"]
    assert provider["inputs"]["enableServerSideApply"] == "true"  # provider config travels as strings
    assert {x["provider"].rsplit("::", 1)[0] for x in kubernetes_objects(r)} == {provider["urn"]}  # "urn::id"
