"""Every rendered Kubernetes manifest of every shipped stack (and of the node auto-provisioning example) is valid
for the stack's Kubernetes version, and every custom resource for its CRD: SecretProviderClass (Secrets Store CSI
driver), NodePool and AKSNodeClass (Karpenter for Azure)."""
from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml

from offline.engine import ROOT

from .conftest import NAP_DIR, STACKS, by_name, kubernetes_objects, rendered, rendered_nap

SCHEMAS = Path(__file__).parent / "schemas"


def forbid_unknown_fields(schema: dict) -> dict:
    """The schema with `additionalProperties: false` wherever an object lists its properties: the API
    server prunes unknown fields of a custom resource silently, so a misspelt one must fail here."""
    schema = copy.deepcopy(schema)
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node.setdefault("additionalProperties", False)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return schema


def crd_validator(file: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(forbid_unknown_fields(json.loads((SCHEMAS / file).read_text())))


# Custom resources by kind: the schema of the CRD version the platform sends (see schemas/README.md).
CRD_VALIDATORS = {
    "SecretProviderClass": crd_validator("secretproviderclass-v1.json"),
    "NodePool": crd_validator("karpenter-nodepool-v1.json"),
    "AKSNodeClass": crd_validator("aksnodeclass-v1beta1.json"),
}


@pytest.fixture(autouse=True, scope="module")
def _schemas_read_once():
    """kubernetes-validate reads its multi-megabyte definitions file for every manifest; read each once."""
    original = kubernetes_validate.utils.schema_contents
    kubernetes_validate.utils.schema_contents = functools.cache(original)
    yield
    kubernetes_validate.utils.schema_contents = original


def kubernetes_version(stack: str, root: Path = Path(ROOT)) -> str:
    document = yaml.safe_load((root / f"Pulumi.{stack}.yaml").read_text())
    return document["config"]["aks-platform:cluster"]["kubernetesVersion"]


def validate(manifest: dict, version: str) -> str:
    """Validate one manifest; the Kubernetes version whose schema was used, or "crd"."""
    if manifest["kind"] in CRD_VALIDATORS:
        CRD_VALIDATORS[manifest["kind"]].validate(manifest)
        return "crd"
    # strict: unknown fields are errors, as they are for kubectl's server-side field validation.
    return kubernetes_validate.validate(manifest, version, strict=True)


@pytest.mark.parametrize("stack", STACKS)
def test_every_manifest_is_valid_for_the_stacks_kubernetes_version(stack):
    version = kubernetes_version(stack)
    manifests = [x["inputs"] for x in kubernetes_objects(rendered(stack))]
    assert {m["kind"] for m in manifests} >= {
        "Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "ServiceAccount", "SecretProviderClass",
    }
    used = {validate(manifest, version) for manifest in manifests}
    # The stack's own version, not the nearest older one the package happens to have.
    assert used == {version, "crd"}


def test_the_karpenter_objects_of_the_nap_example_are_valid_for_their_crds():
    manifests = [x["inputs"] for x in kubernetes_objects(rendered_nap())]
    karpenter = [m for m in manifests if m["kind"] in ("NodePool", "AKSNodeClass")]
    assert len(karpenter) == 6  # general, spot and gpu: a NodePool and an AKSNodeClass each
    for manifest in manifests:
        validate(manifest, kubernetes_version("nap", NAP_DIR))


def test_the_crd_schemas_catch_a_broken_karpenter_object():
    """A misspelt field, a value outside an enum and a malformed limit are caught."""
    objects = {x["inputs"]["kind"]: x["inputs"] for x in kubernetes_objects(rendered_nap())}
    pool = copy.deepcopy(objects["NodePool"])
    pool["spec"]["limit"] = pool["spec"].pop("limits")
    with pytest.raises(jsonschema.ValidationError):
        validate(pool, "1.35")
    pool = copy.deepcopy(objects["NodePool"])
    pool["spec"]["disruption"]["consolidationPolicy"] = "WhenUnderutilized"  # the v1beta1 name, gone in v1
    with pytest.raises(jsonschema.ValidationError):
        validate(pool, "1.35")
    pool = copy.deepcopy(objects["NodePool"])
    pool["spec"]["limits"]["cpu"] = "lots"
    with pytest.raises(jsonschema.ValidationError):
        validate(pool, "1.35")
    node_class = copy.deepcopy(objects["AKSNodeClass"])
    node_class["spec"]["imageFamily"] = "Windows2022"
    with pytest.raises(jsonschema.ValidationError):
        validate(node_class, "1.35")


def test_the_validators_catch_a_broken_manifest(dev):
    """The checks above can fail: a misspelt field, a wrong type, and a misspelt CRD field are caught."""
    policy = copy.deepcopy(next(x["inputs"] for x in kubernetes_objects(dev) if x["inputs"]["kind"] == "NetworkPolicy"))
    policy["spec"]["podSelectors"] = policy["spec"].pop("podSelector")
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(policy, "1.35")

    quota = copy.deepcopy(next(x["inputs"] for x in kubernetes_objects(dev) if x["inputs"]["kind"] == "ResourceQuota"))
    quota["spec"]["hard"] = ["pods"]
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(quota, "1.35")

    spc = copy.deepcopy(by_name(dev, "ns-team-a-secret-provider-class")["inputs"])  # the one with syncSecret
    spc["spec"]["secretObject"] = spc["spec"].pop("secretObjects")
    with pytest.raises(jsonschema.ValidationError):
        validate(spc, "1.35")
    spc["spec"]["parameters"]["usePodIdentity"] = False  # parameters are strings only
    with pytest.raises(jsonschema.ValidationError):
        validate(spc, "1.35")
