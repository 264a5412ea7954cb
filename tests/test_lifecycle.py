"""Destroy and retry, per shipped stack on the mock engine: what dies with the cluster says so, and which
resources retry Azure's transient conflicts."""
import pytest

from offline.engine import RecordingMonitor, render
from offline.mocks import AzureMocks
from tests.test_stacks import AKS, STACKS

# What Azure deletes with the cluster (ARM child resources) and everything inside the cluster.
DIES_WITH_CLUSTER = ("azure-native:containerservice:AgentPool", "azure-native:containerservice:MaintenanceConfiguration")
RETRIED = (
    "azure-native:network:Subnet", "azure-native:network:VirtualNetworkPeering", AKS,
    "azure-native:containerservice:AgentPool", "azure-native:containerservice:MaintenanceConfiguration",
)


def in_cluster(resource):
    return resource["type"].startswith("kubernetes:") or resource["type"] == "pulumi:providers:kubernetes"


class HookRecordingMonitor(RecordingMonitor):
    """Also keeps the names of the error hooks each registration binds."""

    def __init__(self, mocks):
        super().__init__(mocks)
        self.on_error: dict[str, list[str]] = {}

    def RegisterResource(self, request):  # noqa: N802 (the gRPC method name)
        response = super().RegisterResource(request)
        self.on_error[response.urn] = list(request.hooks.on_error)
        return response


@pytest.fixture(scope="module")
def rendered():
    monitors = {stack: HookRecordingMonitor(AzureMocks()) for stack in STACKS}
    return {stack: (render(stack, monitor=monitors[stack]), monitors[stack].on_error) for stack in STACKS}


@pytest.mark.parametrize("stack", STACKS)
def test_what_dies_with_the_cluster_is_deleted_with_it(rendered, stack):
    state, _ = rendered[stack]
    cluster = state.one(AKS)["urn"]
    dying = [r for r in state.resources if in_cluster(r) or r["type"] in DIES_WITH_CLUSTER]
    assert {r["type"] for r in dying} >= {"pulumi:providers:kubernetes", "kubernetes:core/v1:Namespace", *DIES_WITH_CLUSTER}
    assert {r["name"]: r["deletedWith"] for r in dying} == {r["name"]: cluster for r in dying}


@pytest.mark.parametrize("stack", STACKS)
def test_what_outlives_the_cluster_is_deleted_on_its_own(rendered, stack):
    """Identities, role assignments and secrets of the in-cluster layer outlive the cluster; a diagnostic
    setting can outlive its resource (Azure Monitor docs), and nothing documents that a DCR association
    goes with the cluster: each keeps its own delete call, which goes to ARM, not the API server."""
    state, _ = rendered[stack]
    kept = {r["name"]: r["deletedWith"] for r in state.resources if not in_cluster(r) and r["type"] not in DIES_WITH_CLUSTER}
    assert "monitoring-cluster-diagnostics" in kept and "monitoring-cluster-container-insights-association" in kept
    assert kept == {name: None for name in kept}


def test_a_protected_prod_still_blocks_a_destroy(rendered):
    state, _ = rendered["prod"]
    protected = {r["type"] for r in state.resources if r["protect"]}
    assert {AKS, "azure-native:resources:ResourceGroup", "azure-native:keyvault:Vault"} <= protected


@pytest.mark.parametrize("stack", STACKS)
def test_resources_that_azure_serialises_retry_its_transient_conflicts(rendered, stack):
    state, on_error = rendered[stack]
    hooked = {r["urn"] for r in state.resources if on_error[r["urn"]]}
    assert hooked == {r["urn"] for r in state.resources if r["type"] in RETRIED}
    names = [hook for urn in hooked for hook in on_error[urn]]
    assert len(names) == len(set(names)) == len(hooked)  # one hook each; hook names are unique in a program
    assert all(name.endswith("-retry-transient-conflicts") for name in names)
