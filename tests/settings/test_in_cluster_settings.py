"""Bad in-cluster config fails in the settings step, with one clear line per problem."""
from __future__ import annotations

import pytest

from settings import ConfigError, parse

BASE = {
    "environment": "dev",
    "namePrefix": "contoso",
    "network": {},
    "cluster": {"authorizedIpRanges": ["203.0.113.0/24"]},
}


def problems(**raw) -> list[str]:
    with pytest.raises(ConfigError) as err:
        parse({**BASE, **raw}, "westeurope")
    return err.value.problems


def test_defaults_apply_to_each_namespace():
    settings = parse({**BASE, "namespaces": [{"name": "team-a", "quota": {"pods": 5}}]}, "westeurope").in_cluster
    assert (settings.enabled, settings.kubelogin_mode, settings.demo) == (True, "azurecli", None)
    (namespace,) = settings.namespaces
    assert namespace.pod_security == "restricted" and namespace.service_account == "workload"
    assert (namespace.quota.cpu, namespace.quota.memory, namespace.quota.pods) == ("4", "8Gi", 5)
    assert namespace.container_defaults.memory_limit == "512Mi"


@pytest.mark.parametrize("name, message", [
    ("Team-A", "a namespace name is 1-63 lowercase letters, digits and hyphens"),
    ("team_a", "a namespace name is 1-63 lowercase letters, digits and hyphens"),
    ("a" * 64, "a namespace name is 1-63 lowercase letters, digits and hyphens"),
    ("kube-team", "default and kube-* namespaces belong to Kubernetes"),
    ("default", "default and kube-* namespaces belong to Kubernetes"),
])
def test_invalid_namespace_names(name, message):
    (problem,) = problems(namespaces=[{"name": name}])
    assert problem.startswith(f"aks-platform:namespaces[0].name: {message}")
    assert problem.endswith(f'(got "{name}")')


def test_unknown_pod_security_level():
    assert problems(namespaces=[{"name": "team-a", "podSecurity": "strict"}]) == [
        "aks-platform:namespaces[0].podSecurity: Input should be 'restricted', 'baseline' or 'privileged' (got \"strict\")"
    ]


@pytest.mark.parametrize("secret", ["db_password", "db.password", "", "x" * 128])
def test_secret_names_not_valid_for_key_vault(secret):
    (problem,) = problems(namespaces=[{"name": "team-a", "keyVaultSecrets": ["ok-1", secret]}])
    assert problem.startswith(
        "aks-platform:namespaces[0].keyVaultSecrets[1]: must be a Key Vault secret name: 1-127 letters, digits and hyphens"
    )


def test_secret_listed_twice_ignoring_case():
    (problem,) = problems(namespaces=[{"name": "team-a", "keyVaultSecrets": ["Db-Pass", "db-pass"]}])
    assert problem.startswith("aks-platform:namespaces[0].keyVaultSecrets: lists Db-Pass, db-pass more than once")


@pytest.mark.parametrize("value", ["2 cores", "1e3", "-1", "0", "4GB", True])
def test_quota_quantities_in_kubernetes_format(value):
    (problem,) = problems(namespaces=[{"name": "team-a", "quota": {"cpu": value}}])
    assert problem.startswith("aks-platform:namespaces[0].quota.cpu: must be a positive Kubernetes quantity")


def test_defaults_must_fit_request_under_limit_and_limit_under_quota():
    request_over_limit, limit_over_quota = problems(namespaces=[
        {"name": "team-a", "containerDefaults": {"memoryRequest": "1Gi", "memoryLimit": "512Mi"}},
        {"name": "team-b", "quota": {"cpu": "250m"}},
    ])
    assert request_over_limit.startswith(
        "aks-platform:namespaces[0].containerDefaults: memoryRequest 1Gi is above memoryLimit 512Mi"
    )
    assert limit_over_quota == (
        "aks-platform:namespaces[1]: containerDefaults.cpuLimit 500m is above quota.cpu 250m: no pod without its "
        "own limits could start"
    )


def test_names_unique_and_not_the_demos():
    assert problems(demo=True, namespaces=[{"name": "team-a"}, {"name": "team-a"}, {"name": "kv-demo"}]) == [
        'aks-platform:namespaces: namespace "team-a" is listed twice; names must be unique',
        'aks-platform:namespaces: "kv-demo" is the demo\'s namespace (demo: true); choose another name',
    ]


def test_demo_refused_in_prod():
    prod = {**BASE, "environment": "prod", "cluster": {}, "demo": True}
    with pytest.raises(ConfigError) as err:
        parse(prod, "westeurope")
    assert err.value.problems == [
        "aks-platform:demo: refused in prod: the demo deploys a sample pod and a sample secret; remove it"
    ]


def test_switches_and_login_mode():
    assert problems(inCluster="no", demo="yes", kubeloginMode="devicecode") == [
        'aks-platform:inCluster: true or false (got "no")',
        'aks-platform:demo: true or false (got "yes")',
        "aks-platform:kubeloginMode: one of azurecli, workloadidentity, spn (azurecli for people, workloadidentity "
        'for CI, spn for a service principal) (got "devicecode")',
    ]


def test_unknown_namespace_key_names_the_known_ones():
    (problem,) = problems(namespaces=[{"name": "team-a", "keyvaultSecrets": ["x"]}])
    assert problem.startswith('aks-platform:namespaces[0]: unknown key "keyvaultSecrets"; did you mean "keyVaultSecrets"?')


def test_the_deployer_object_id_defaults_to_whoever_runs_the_program_and_is_validated():
    from tests.helpers import settings_for
    from settings import ConfigError

    assert settings_for("dev").in_cluster.deployer_object_id is None
    given = "ABCDEF01-2345-6789-ABCD-EF0123456789"
    assert settings_for("dev", deployerObjectId=given).in_cluster.deployer_object_id == given.lower()
    with pytest.raises(ConfigError) as err:
        settings_for("dev", deployerObjectId="ci-deployer")
    assert err.value.problems == [
        'aks-platform:deployerObjectId: the Entra object ID (a GUID) of the identity that runs `pulumi up` '
        '(got "ci-deployer")']


def test_tenancy_keys_are_read():
    group = "0000000a-0000-0000-0000-00000000000a"
    settings = parse({**BASE, "namespaces": [
        {"name": "web", "egress": ["0.0.0.0/0"]},
        {"name": "api", "allowFrom": ["web"], "groups": {"writer": [group.upper()]}},
    ]}, "westeurope").in_cluster
    web, api = settings.namespaces
    assert [str(c) for c in web.egress] == ["0.0.0.0/0"] and web.allow_from == () and web.groups.writer == ()
    # Lower-cased as Azure reads object IDs back, so a re-run shows no change.
    assert api.allow_from == ("web",) and api.groups.writer == (group,) and api.groups.admin == ()


def test_group_ids_must_be_guids():
    (problem,) = problems(namespaces=[{"name": "team-a", "groups": {"admin": ["team-a-admins"]}}])
    assert problem.startswith("aks-platform:namespaces[0].groups.admin[0]: 'team-a-admins' is not an object ID (a GUID")


def test_unknown_group_role_names_the_known_ones():
    (problem,) = problems(namespaces=[{"name": "team-a", "groups": {"owner": []}}])
    assert problem.startswith('aks-platform:namespaces[0].groups: unknown key "owner"')


def test_allow_from_names_a_namespace_of_the_stack():
    assert problems(namespaces=[{"name": "web"}, {"name": "api", "allowFrom": ["web", "wbe"]}]) == [
        'aks-platform:namespaces[1].allowFrom: "wbe" is not a namespace of this stack (allowed: web, api)'
    ]


def test_egress_takes_ipv4_cidrs():
    (problem,) = problems(namespaces=[{"name": "team-a", "egress": ["internet"]}])
    assert problem.startswith("aks-platform:namespaces[0].egress[0]: 'internet' is not an IPv4 CIDR")
