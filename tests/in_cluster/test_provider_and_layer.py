"""The Kubernetes provider (kubelogin, user credentials), inCluster: false, and the demo."""
from __future__ import annotations

import pytest
import yaml

from components.in_cluster.provider import AKS_SERVER_APP_ID, kubelogin_kubeconfig
from offline.engine import render, stack_config
from offline.mocks import TENANT_ID

from .conftest import by_name, kubernetes_objects, rendered

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


def test_in_cluster_false_still_renders_the_layer_offline_and_says_it_is_off():
    on, off = rendered("dev"), rendered("dev", inCluster="false")
    assert on.outputs["in_cluster"] == "deployed"
    assert off.outputs["in_cluster"].startswith("off (inCluster: false)")
    assert sorted(x["urn"] for x in off.resources) == sorted(x["urn"] for x in on.resources)


def test_without_the_review_option_in_cluster_false_leaves_the_layer_out():
    # What `pulumi up` deploys: the program's own config, without the offline plan's review option.
    config = {**stack_config("dev"), "aks-platform:inCluster": "false"}
    deployed = render("dev", config, in_cluster_for_review=False)
    assert [x["name"] for x in deployed.resources if "aks-platform:kubernetes:InCluster" in x["urn"]] == []
    assert deployed.outputs["in_cluster"].startswith("off (inCluster: false)")
    # Same config, same program: only the explicit option brings the layer back.
    assert len(deployed.resources) < len(rendered("dev", inCluster="false").resources)


def test_demo_only_where_configured(dev, prod):
    assert dev.one("aks-platform:kubernetes:KeyVaultDemo")
    assert prod.of_type("aks-platform:kubernetes:KeyVaultDemo") == []
    assert prod.of_type("kubernetes:core/v1:Pod") == []


def test_demo_pod_mounts_the_secret_unprivileged(dev):
    pod = by_name(dev, "demo-pod")
    spec = pod["inputs"]["spec"]
    spc = by_name(dev, "demo-namespace-secret-provider-class")
    secret = by_name(dev, "demo-secret")
    service_account = by_name(dev, "demo-namespace-service-account")

    assert pod["inputs"]["metadata"]["namespace"] == "kv-demo"
    assert pod["inputs"]["metadata"]["labels"]["azure.workload.identity/use"] == "true"
    assert spec["serviceAccountName"] == service_account["inputs"]["metadata"]["name"]
    (volume,) = spec["volumes"]
    assert volume["csi"] == {
        "driver": "secrets-store.csi.k8s.io", "readOnly": True,
        "volumeAttributes": {"secretProviderClass": spc["inputs"]["metadata"]["name"]},
    }
    (container,) = spec["containers"]
    assert f"/mnt/secrets-store/{secret['inputs']['secretName']}" in container["command"][-1]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"] == {
        "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]},
    }
    # The pod starts only once it can mount: the secret, the grant, the trust and a User pool exist.
    for needed in (spc, secret, by_name(dev, "demo-namespace-secrets-user"),
                   by_name(dev, "demo-namespace-federated-credential"), by_name(dev, "pools-apps")):
        assert needed["urn"] in pod["dependencies"], needed["name"]
    # The secret the pod reads is the one the demo namespace's class lists.
    objects = yaml.safe_load(spc["inputs"]["spec"]["parameters"]["objects"])["array"]
    assert [yaml.safe_load(o)["objectName"] for o in objects] == [secret["inputs"]["secretName"]]
