"""The deployer's Kubernetes rights: Azure Kubernetes Service RBAC Cluster Admin on the cluster, a wait for it
to propagate, and nothing in the cluster before both."""
from __future__ import annotations

from offline.mocks import DEPLOYER_OBJECT_ID
from tests.helpers import role_id

from .conftest import by_name, kubernetes_objects, rendered

AKS_RBAC_CLUSTER_ADMIN = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"  # Learn, built-in roles: Containers


def test_the_deployer_is_cluster_admin_on_this_cluster_only(prod):
    grant = by_name(prod, "in-cluster-deployer-cluster-admin")
    cluster = prod.one("azure-native:containerservice:ManagedCluster")
    assert grant["inputs"]["scope"] == cluster["outputs"]["id"]
    assert grant["inputs"]["roleDefinitionId"] == role_id(AKS_RBAC_CLUSTER_ADMIN)
    assert grant["inputs"]["principalId"] == DEPLOYER_OBJECT_ID
    # A person (azurecli) or a service principal (CI): Azure looks the type up.
    assert "principalType" not in grant["inputs"]


def test_the_wait_follows_the_assignment_for_the_documented_five_minutes(prod):
    grant = by_name(prod, "in-cluster-deployer-cluster-admin")
    wait = by_name(prod, "in-cluster-rbac-propagation")
    assert wait["type"] == "time:index/sleep:Sleep"
    assert wait["inputs"] == {"createDuration": "5m", "triggers": {"roleAssignmentId": grant["outputs"]["id"]}}
    assert grant["urn"] in wait["dependencies"]


def test_the_provider_and_so_every_kubernetes_object_wait_for_the_rights(prod):
    wait = by_name(prod, "in-cluster-rbac-propagation")
    provider = by_name(prod, "in-cluster-kubernetes")
    assert wait["urn"] in provider["dependencies"]
    # An object waits for its provider before it is created.
    assert kubernetes_objects(prod)
    assert {obj["provider"].rsplit("::", 1)[0] for obj in kubernetes_objects(prod)} == {provider["urn"]}


def test_a_named_deployer_is_granted_instead_of_whoever_runs_the_program():
    # A preview by a separate plan identity then plans no change to the grant.
    deployer = "33333333-3333-3333-3333-333333333333"
    grant = by_name(rendered("dev", deployerObjectId=deployer), "in-cluster-deployer-cluster-admin")
    assert grant["inputs"]["principalId"] == deployer != DEPLOYER_OBJECT_ID
