"""Node auto-provisioning settings: the defaults, the pools with their defaults, and each refusal with its message."""
from __future__ import annotations

import copy

import pytest

from settings import ConfigError, parse
from settings.defaults import defaults_for

SYSTEM = {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "count": 1}
BASE = {
    "environment": "dev",
    "namePrefix": "contoso",
    "cluster": {"authorizedIpRanges": ["203.0.113.0/24"], "nodeProvisioning": "auto"},
    "nodePools": [SYSTEM],
}
NAP = "is refused with aks-platform:cluster.nodeProvisioning: auto"


def auto(**keys) -> dict:
    raw = copy.deepcopy(BASE)
    raw.update(keys)
    return raw


def problems(raw: dict) -> list[str]:
    with pytest.raises(ConfigError) as err:
        parse(raw, "westeurope")
    return err.value.problems


@pytest.mark.parametrize("environment", ["dev", "staging", "prod"])
def test_every_environment_defaults_to_agent_pools_and_no_aks_default_nodepools(environment):
    cluster = defaults_for(environment)["cluster"]
    assert (cluster["nodeProvisioning"], cluster["defaultNodePools"]) == ("manual", "None")


@pytest.mark.parametrize(("environment", "cpu", "memory"), [
    # The default user pool at maxCount: dev 5 x D4ds_v5 (4 vCPUs, 16 GiB), staging 10 and prod 20 x D8ds_v5.
    ("dev", "20", "80Gi"), ("staging", "80", "320Gi"), ("prod", "160", "640Gi"),
])
def test_default_nap_pool_is_capped_where_the_default_user_pool_is(environment, cpu, memory):
    assert defaults_for(environment)["napPools"] == [
        {"name": "general", "skuFamilies": ["D"], "limits": {"cpu": cpu, "memory": memory}},
    ]


def test_manual_mode_deploys_no_nap_pools():
    raw = auto()
    raw["cluster"] = {**raw["cluster"], "nodeProvisioning": "manual"}
    assert parse(raw, "westeurope").nap_pools == ()


def test_auto_mode_gets_the_default_general_pool_with_its_defaults():
    (general,) = parse(auto(), "westeurope").nap_pools
    assert (general.name, general.sku_families, general.spot, general.gpu) == ("general", ("D",), False, False)
    assert (general.limits.cpu, general.limits.memory) == ("20", "80Gi")
    assert (general.image_family, general.max_pods, general.zones, general.architectures) == (
        "AzureLinux", 110, ("1",), ("amd64",),
    )
    d = general.disruption
    assert (d.consolidation_policy, d.consolidate_after, d.expire_after) == ("WhenEmptyOrUnderutilized", "0s", "Never")
    assert [b.nodes for b in d.budgets] == ["10%"]


def test_a_gpu_pool_without_sizes_picks_from_the_gpu_families():
    (gpu,) = parse(auto(napPools=[{"name": "gpu", "gpu": True, "limits": {"cpu": "8", "memory": "56Gi"}}]),
                   "westeurope").nap_pools
    assert gpu.sku_families == ("N",)


def test_a_pool_merges_its_disruption_over_the_defaults():
    pool = {"name": "spot", "spot": True, "skuFamilies": ["D"], "limits": {"cpu": "8", "memory": "32Gi"},
            "disruption": {"budgets": [{"nodes": "0", "schedule": "@daily", "duration": "10m"}]}}
    (spot,) = parse(auto(napPools=[pool]), "westeurope").nap_pools
    assert spot.disruption.consolidation_policy == "WhenEmptyOrUnderutilized"
    assert [(b.nodes, b.schedule, b.duration) for b in spot.disruption.budgets] == [("0", "@daily", "10m")]


# --- Refusals ------------------------------------------------------------------------------------------


def test_windows_pool_is_refused_naming_both_keys():
    raw = auto(nodePools=[SYSTEM, {"name": "win", "osType": "Windows", "vmSize": "Standard_D4ds_v5", "count": 1}],
               network={"dataplane": "cilium"})
    assert (
        f'aks-platform:nodePools[1] "win": osType Windows {NAP}: node auto-provisioning does not support Windows node '
        "pools (Learn 'Overview of node auto-provisioning', limitations); remove the pool or set nodeProvisioning: manual"
    ) in problems(raw)


def test_autoscaled_agent_pool_is_refused_naming_both_keys():
    raw = auto(nodePools=[{**SYSTEM, "count": None, "minCount": 1, "maxCount": 3}])
    raw["nodePools"][0].pop("count")
    assert problems(raw) == [
        f'aks-platform:nodePools[0] "system": minCount/maxCount (the cluster autoscaler) {NAP}: with node '
        'provisioning mode Auto "fixed size Node Pools can still be created, but autoscaling Node Pools cannot be" '
        "(ManagedCluster API, NodeProvisioningMode); give the pool a fixed count, and let napPools scale the workloads"
    ]


def test_calico_path_is_refused_naming_both_keys():
    assert problems(auto(network={"dataplane": "azure"})) == [
        f"aks-platform:network.dataplane: azure (the Azure dataplane with Calico network policy) {NAP}: node "
        "auto-provisioning does not support Calico network policy (Learn 'Overview of networking configurations "
        "for node auto-provisioning', unsupported configurations); use dataplane: cilium"
    ]


def test_nap_pools_without_auto_are_refused():
    raw = auto(napPools=[{"name": "general", "skuFamilies": ["D"], "limits": {"cpu": "8", "memory": "32Gi"}}])
    raw["cluster"] = {**raw["cluster"], "nodeProvisioning": "manual"}
    assert problems(raw) == [
        "aks-platform:napPools: only used with cluster.nodeProvisioning: auto (it is manual); remove napPools or "
        "set nodeProvisioning: auto"
    ]


def test_a_nap_pool_needs_limits():
    assert problems(auto(napPools=[{"name": "general", "skuFamilies": ["D"]}])) == [
        "aks-platform:napPools[0].limits: required"
    ]


def test_a_nap_pool_needs_sizes_to_pick_from():
    assert problems(auto(napPools=[{"name": "any", "limits": {"cpu": "8", "memory": "32Gi"}}])) == [
        "aks-platform:napPools[0]: name the VM sizes NAP may pick: skuFamilies (such as [D]) or skuNames"
    ]


def test_an_empty_nap_pool_list_is_refused():
    assert problems(auto(napPools=[])) == [
        "aks-platform:napPools: must be a non-empty list of NAP pools with nodeProvisioning: auto (got [])"
    ]


def test_a_budget_schedule_needs_a_duration():
    pool = {"name": "general", "skuFamilies": ["D"], "limits": {"cpu": "8", "memory": "32Gi"},
            "disruption": {"budgets": [{"nodes": "0", "schedule": "@daily"}]}}
    assert problems(auto(napPools=[pool])) == [
        "aks-platform:napPools[0].disruption.budgets[0]: schedule and duration go together: set both or neither "
        '(got {"nodes": "0", "schedule": "@daily"})'
    ]


def test_staging_requires_zone_redundant_nap_pools():
    raw = auto(environment="staging", napPools=[
        {"name": "general", "skuFamilies": ["D"], "zones": ["1"], "limits": {"cpu": "8", "memory": "32Gi"}},
    ])
    raw["nodePools"] = [{**SYSTEM, "zones": ["1", "2", "3"]}]
    assert 'aks-platform:napPools[0].zones: ["1"] is refused in staging, which requires zone-redundant pools ' \
           '(zones: ["1", "2", "3"])' in problems(raw)


def test_nap_pool_names_are_unique():
    pool = {"name": "general", "skuFamilies": ["D"], "limits": {"cpu": "8", "memory": "32Gi"}}
    assert problems(auto(napPools=[pool, pool])) == [
        'aks-platform:napPools: pool name "general" is used twice; names must be unique'
    ]
