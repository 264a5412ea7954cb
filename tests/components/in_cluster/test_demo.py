"""The Key Vault demo: a secret in the vault, read in an unprivileged pod through the CSI driver."""
from __future__ import annotations

import yaml

from .conftest import by_name


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
    for needed in (spc, secret, by_name(dev, "demo-namespace-secrets-user-demo-greeting"),
                   by_name(dev, "demo-namespace-federated-credential"), by_name(dev, "pools-apps")):
        assert needed["urn"] in pod["dependencies"], needed["name"]
    # The secret the pod reads is the one the demo namespace's class lists.
    objects = yaml.safe_load(spc["inputs"]["spec"]["parameters"]["objects"])["array"]
    assert [yaml.safe_load(o)["objectName"] for o in objects] == [secret["inputs"]["secretName"]]


def test_demo_pod_runs_a_pinned_image_and_is_ready_only_with_the_secret_mounted(dev):
    """What checkov's Kubernetes checks ask of a pod (CKV_K8S_8, 9, 15, 40, 43): `make scan` runs them."""
    spec = by_name(dev, "demo-pod")["inputs"]["spec"]
    secret_name = by_name(dev, "demo-secret")["inputs"]["secretName"]
    (container,) = spec["containers"]
    assert container["image"] == ("registry.k8s.io/e2e-test-images/busybox:1.29-4"
                                  "@sha256:2e0f836850e09b8b7cc937681d6194537a09fbd5f6b9e08f4d646a85128e8937")
    assert container["imagePullPolicy"] == "Always"
    probe = {"exec": {"command": ["/bin/sh", "-c", f"test -s /mnt/secrets-store/{secret_name}"]}}
    assert container["readinessProbe"] == container["livenessProbe"] == probe
    assert spec["securityContext"]["runAsUser"] >= 10000
