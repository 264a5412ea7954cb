"""What each team namespace deploys, checked by value against the stack file and the other resources."""
from __future__ import annotations

import yaml

from components.in_cluster.team_namespace import PLACEHOLDER_VALUE, TOKEN_EXCHANGE_AUDIENCE
from facts.azure import AKS_RBAC_ADMIN, AKS_RBAC_READER, AKS_RBAC_WRITER, KEY_VAULT_SECRETS_USER

from .conftest import by_name, kubernetes_objects, rendered

TEAM_A_SECRETS = ["team-a-db-password"]  # Pulumi.dev.yaml


def namespaced(r, namespace_component: str) -> list[dict]:
    """The Kubernetes objects of one TeamNamespace component, the Namespace itself left out."""
    parent = by_name(r, namespace_component)["urn"]
    return [x for x in kubernetes_objects(r) if x["parent"] == parent and x["inputs"]["kind"] != "Namespace"]


def test_pod_security_labels_match_the_config(dev):
    expected = {"team-a": "restricted", "team-b": "baseline", "kv-demo": "restricted"}
    for name, level in expected.items():
        (namespace,) = [x for x in kubernetes_objects(dev) if x["inputs"]["kind"] == "Namespace"
                        and x["inputs"]["metadata"]["name"] == name]
        assert namespace["inputs"]["metadata"]["labels"] == {
            "pod-security.kubernetes.io/enforce": level,
            "pod-security.kubernetes.io/audit": level,
            "pod-security.kubernetes.io/warn": level,
        }


def test_default_deny_selects_every_pod_and_allows_nothing(dev):
    policy = by_name(dev, "ns-team-a-default-deny")["inputs"]
    assert policy["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def test_dns_to_kube_system_is_the_only_egress_allowed(dev):
    spec = by_name(dev, "ns-team-a-allow-dns")["inputs"]["spec"]
    assert spec["podSelector"] == {} and spec["policyTypes"] == ["Egress"] and "ingress" not in spec
    (rule,) = spec["egress"]
    assert rule["to"] == [{
        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
    }]
    assert sorted((p["protocol"], p["port"]) for p in rule["ports"]) == [("TCP", 53), ("UDP", 53)]


def test_quota_and_limit_range_come_from_config_and_environment_defaults(dev):
    # team-b sets its quota; both take dev's container defaults.
    assert by_name(dev, "ns-team-b-quota")["inputs"]["spec"]["hard"] == {
        "requests.cpu": "2", "limits.cpu": "2", "requests.memory": "4Gi", "limits.memory": "4Gi", "pods": "10",
    }
    assert by_name(dev, "ns-team-a-quota")["inputs"]["spec"]["hard"]["pods"] == "20"
    (item,) = by_name(dev, "ns-team-a-limits")["inputs"]["spec"]["limits"]
    assert item == {
        "type": "Container",
        "defaultRequest": {"cpu": "100m", "memory": "128Mi"},
        "default": {"cpu": "500m", "memory": "512Mi"},
    }


def test_federated_credential_trusts_the_namespaces_service_account_on_the_clusters_issuer(dev):
    credential = by_name(dev, "ns-team-a-federated-credential")["inputs"]
    service_account = by_name(dev, "ns-team-a-service-account")["inputs"]["metadata"]
    cluster = dev.one("azure-native:containerservice:ManagedCluster")
    identity = by_name(dev, "ns-team-a-identity")

    assert credential["subject"] == f"system:serviceaccount:{service_account['namespace']}:{service_account['name']}"
    assert credential["subject"] == "system:serviceaccount:team-a:workload"
    assert credential["issuer"] == cluster["outputs"]["oidcIssuerProfile"]["issuerURL"]
    assert credential["audiences"] == [TOKEN_EXCHANGE_AUDIENCE] == ["api://AzureADTokenExchange"]
    assert credential["resourceName"] == identity["outputs"]["name"]
    assert service_account["annotations"] == {"azure.workload.identity/client-id": identity["outputs"]["clientId"]}


def test_secrets_user_role_is_scoped_to_each_secret_never_the_vault(dev):
    vault = dev.one("azure-native:keyvault:Vault")
    secrets = {"ns-team-a": ("ns-team-a-secret-team-a-db-password", "team-a-db-password"),
               "ns-team-b": ("ns-team-b-secret-team-b-api-key", "team-b-api-key"),
               "demo-namespace": ("demo-secret", "demo-greeting")}
    for namespace, (secret_resource, secret_name) in secrets.items():
        grant = by_name(dev, f"{namespace}-secrets-user-{secret_name}")
        secret = by_name(dev, secret_resource)
        assert grant["inputs"]["scope"] == secret["outputs"]["id"] == f"{vault['outputs']['id']}/secrets/{secret_name}"
        assert secret["urn"] in grant["propertyDependencies"]["scope"]  # created after the secret it is scoped to
        assert grant["inputs"]["roleDefinitionId"].endswith(f"/roleDefinitions/{KEY_VAULT_SECRETS_USER}")
        assert grant["inputs"]["principalId"] == by_name(dev, f"{namespace}-identity")["outputs"]["principalId"]
        assert grant["inputs"]["principalType"] == "ServicePrincipal"
    vault_wide = [x["name"] for x in dev.of_type("azure-native:authorization:RoleAssignment")
                  if x["inputs"]["scope"] == vault["outputs"]["id"]]
    assert vault_wide == []


def test_each_listed_secret_is_created_with_a_placeholder_the_team_overwrites(dev):
    secret = by_name(dev, "ns-team-a-secret-team-a-db-password")
    assert secret["inputs"]["secretName"] == "team-a-db-password"
    assert secret["inputs"]["vaultName"] == dev.one("azure-native:keyvault:Vault")["outputs"]["name"]
    assert secret["inputs"]["properties"]["value"] == PLACEHOLDER_VALUE
    # A re-run never writes the placeholder over the team's value.
    assert sorted(secret["ignoreChanges"]) == ["properties", "tags"]
    assert secret["protect"] is False  # dev: protect false


def test_team_secrets_are_protected_where_the_stack_is(prod):
    secrets = prod.of_type("azure-native:keyvault:Secret")
    assert {x["inputs"]["secretName"] for x in secrets} == {"team-a-db-password", "team-b-api-key", "team-b-tls-key"}
    assert all(x["protect"] for x in secrets)


def test_groups_get_their_aks_rbac_role_on_their_namespace_only(dev):
    cluster = dev.one("azure-native:containerservice:ManagedCluster")["outputs"]["id"]
    expected = {  # Pulumi.dev.yaml
        "ns-team-a-writer-00000000-0000-0000-0000-00000000000a": ("team-a", AKS_RBAC_WRITER),
        "ns-team-b-reader-00000000-0000-0000-0000-00000000000b": ("team-b", AKS_RBAC_READER),
        "ns-team-b-admin-00000000-0000-0000-0000-0000000000b0": ("team-b", AKS_RBAC_ADMIN),
    }
    groups = {x["name"]: x["inputs"] for x in dev.of_type("azure-native:authorization:RoleAssignment")
              if x["inputs"].get("principalType") == "Group"}
    assert set(groups) == set(expected)
    for name, (namespace, role) in expected.items():
        grant = groups[name]
        assert grant["scope"] == f"{cluster}/namespaces/{namespace}"
        assert grant["roleDefinitionId"].endswith(f"/roleDefinitions/{role}")
        assert grant["principalId"] == name.split("-", 4)[-1]


def test_egress_cidrs_are_opened_by_their_own_policy(dev):
    spec = by_name(dev, "ns-team-a-allow-egress")["inputs"]["spec"]
    assert spec == {"podSelector": {}, "policyTypes": ["Egress"],
                    "egress": [{"to": [{"ipBlock": {"cidr": "203.0.113.0/24"}}]}]}
    assert not [x for x in dev.resources if x["name"] == "ns-team-b-allow-egress"]


def test_allow_from_admits_the_named_namespace_in_and_lets_it_send():
    r = rendered("dev", namespaces='[{"name": "web"}, {"name": "api", "allowFrom": ["web"]}]', demo="false")
    ingress = by_name(r, "ns-api-allow-from")["inputs"]
    assert ingress["metadata"] == {"name": "allow-from-namespaces", "namespace": "api"}
    assert ingress["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": [
        {"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "web"}}}]}]}
    egress = by_name(r, "ns-web-allow-to")["inputs"]
    assert egress["spec"] == {"podSelector": {}, "policyTypes": ["Egress"], "egress": [
        {"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "api"}}}]}]}
    names = {x["name"] for x in r.resources}
    assert "ns-web-allow-from" not in names and "ns-api-allow-to" not in names


def test_secret_provider_class_reads_the_namespaces_secrets_with_its_identity(dev):
    spc = by_name(dev, "ns-team-a-secret-provider-class")["inputs"]
    vault = dev.one("azure-native:keyvault:Vault")
    identity = by_name(dev, "ns-team-a-identity")

    assert spc["apiVersion"] == "secrets-store.csi.x-k8s.io/v1"
    assert spc["metadata"]["namespace"] == "team-a"
    assert spc["spec"]["provider"] == "azure"
    parameters = spc["spec"]["parameters"]
    assert {k: v for k, v in parameters.items() if k != "objects"} == {
        "usePodIdentity": "false",
        "clientID": identity["outputs"]["clientId"],
        "keyvaultName": vault["outputs"]["name"],
        "tenantId": dev.one("azure-native:keyvault:Vault")["inputs"]["properties"]["tenantId"],
    }
    objects = [yaml.safe_load(item) for item in yaml.safe_load(parameters["objects"])["array"]]
    assert objects == [{"objectName": name, "objectType": "secret"} for name in TEAM_A_SECRETS]
    # syncSecret: true in Pulumi.dev.yaml
    assert spc["spec"]["secretObjects"] == [{
        "secretName": "key-vault-secrets", "type": "Opaque",
        "data": [{"objectName": name, "key": name} for name in TEAM_A_SECRETS],
    }]
    assert "secretObjects" not in by_name(dev, "ns-team-b-secret-provider-class")["inputs"]["spec"]


def test_namespaced_objects_take_their_namespace_from_the_namespace_resource(dev):
    namespace = by_name(dev, "ns-team-a-namespace")["urn"]
    objects = namespaced(dev, "ns-team-a")
    assert {x["inputs"]["kind"] for x in objects} == {
        "ResourceQuota", "LimitRange", "NetworkPolicy", "ServiceAccount", "SecretProviderClass",
    }
    for x in objects:
        assert namespace in x["propertyDependencies"]["metadata"], x["name"]


def test_secret_provider_class_waits_for_the_add_on_and_azure_objects_for_no_kubernetes_object(dev):
    cluster = dev.one("azure-native:containerservice:ManagedCluster")["urn"]
    assert cluster in by_name(dev, "ns-team-a-secret-provider-class")["dependencies"]
    for name in ("ns-team-a-identity", "ns-team-a-federated-credential", "ns-team-a-secrets-user-team-a-db-password",
                 "ns-team-a-secret-team-a-db-password"):
        assert not [d for d in by_name(dev, name)["dependencies"] if "$kubernetes:" in d], name


def test_namespaces_do_not_wait_for_each_other(dev):
    team_b = {x["urn"] for x in dev.resources if "ns-team-b" in x["urn"]}
    for x in dev.resources:
        if "ns-team-a" in x["urn"]:
            assert not team_b & set(x["dependencies"]), x["name"]


def test_a_namespace_without_secrets_gets_no_role_or_secret_provider_class():
    r = rendered("dev", namespaces='[{"name": "team-c"}]', demo="false")
    names = {x["name"] for x in r.resources if "ns-team-c" in x["urn"]}
    assert "ns-team-c-identity" in names and "ns-team-c-federated-credential" in names
    assert not [n for n in names if "secret" in n], names
