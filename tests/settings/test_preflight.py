"""One test per preflight rule, each asserting the exact message a user would read."""
from __future__ import annotations

import copy

import pytest

from settings import ConfigError, parse
from settings.defaults import merge

BASE = {
    "environment": "dev",
    "namePrefix": "contoso",
    "cluster": {"authorizedIpRanges": ["203.0.113.0/24"]},
}
SYSTEM = {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "minCount": 1, "maxCount": 3}


def config(pools: list[dict] | None = None, **sections) -> dict:
    """The base stack with these pools (after the System pool) and section keys merged in."""
    raw = merge(copy.deepcopy(BASE), sections)
    raw["nodePools"] = [SYSTEM, *(pools or [])]
    return raw


def problems(raw: dict) -> list[str]:
    with pytest.raises(ConfigError) as err:
        parse(raw, "westeurope")
    return err.value.problems


def pool(name: str = "apps", **keys) -> dict:
    return {"name": name, "vmSize": "Standard_D4ds_v5", "minCount": 1, "maxCount": 3, **keys}


def settings_of(raw: dict):
    return parse(raw, "westeurope")


# --- Ephemeral OS disk ---------------------------------------------------------------------------------


def test_os_disk_too_big_names_pool_size_limit_and_a_size_that_fits():
    raw = config([pool(vmSize="Standard_D2ds_v5", osDiskSizeGb=128)])
    assert problems(raw) == [
        'aks-platform:nodePools[1] "apps": osDiskSizeGb 128 does not fit Standard_D2ds_v5 (temp disk 75 GiB); '
        "use osDiskSizeGb <= 75, osDiskType: Managed, or Standard_D4ds_v5 (150 GiB)"
    ]


def test_cache_disk_sets_the_limit_when_it_is_the_larger_disk():
    raw = config([pool(vmSize="Standard_D2s_v3", osDiskSizeGb=64)])
    assert problems(raw) == [
        'aks-platform:nodePools[1] "apps": osDiskSizeGb 64 does not fit Standard_D2s_v3 (cache 50 GiB); '
        "use osDiskSizeGb <= 50, osDiskType: Managed, or Standard_D4s_v3 (100 GiB)"
    ]


def test_size_without_local_disk_needs_managed_os_disk():
    raw = config([pool(vmSize="Standard_D4s_v5")])
    assert problems(raw) == [
        'aks-platform:nodePools[1] "apps": Standard_D4s_v5 cannot hold an ephemeral OS disk (it has no usable '
        "cache or temp disk); use osDiskType: Managed, or a VM size with a local temp disk"
    ]


def test_size_without_local_disk_is_fine_with_a_managed_os_disk():
    settings = settings_of(config([pool(vmSize="Standard_D4s_v5", osDiskType="Managed")]))
    assert settings.node_pools[1].os_disk_size_gb is None


def test_size_too_small_for_any_os_disk():
    raw = config([pool(vmSize="Standard_B2s")])
    assert problems(raw) == [
        'aks-platform:nodePools[1] "apps": the smallest OS disk (30 GiB) does not fit Standard_B2s (temp disk '
        "8 GiB); use osDiskType: Managed, or Standard_B4ms (32 GiB)"
    ]


@pytest.mark.parametrize(("vm_size", "filled_in"), [("Standard_D2ds_v5", 75), ("Standard_D4ds_v5", 128)])
def test_unset_os_disk_size_becomes_the_largest_that_fits_at_most_128(vm_size, filled_in):
    settings = settings_of(config([pool(vmSize=vm_size)]))
    assert settings.node_pools[1].os_disk_size_gb == filled_in
    assert settings.warnings == ()


def test_size_not_in_the_table_is_an_error_naming_the_nearest_sizes():
    assert problems(config([pool(vmSize="Standard_D4ds_v9")])) == [
        'aks-platform:nodePools[1] "apps": vmSize Standard_D4ds_v9 is not in the VM size table '
        "(settings/vm_sizes.json); did you mean Standard_D4ds_v6, Standard_D4ds_v5, or Standard_D4ds_v4? For a "
        "size newer than the table, set vmSizeUnlisted: true on the pool"
    ]


def test_a_size_declared_unlisted_is_a_warning_not_a_failure():
    settings = settings_of(config([pool(vmSize="Standard_X9future_v9", vmSizeUnlisted=True)]))
    assert settings.warnings == (
        'aks-platform:nodePools[1] "apps": Standard_X9future_v9 is not in the VM size table '
        "(settings/vm_sizes.json), so whether its ephemeral OS disk fits could not be checked; if the deploy "
        "fails with VMCacheSizeTooSmall, set osDiskSizeGb or osDiskType: Managed",
    )
    assert settings.node_pools[1].os_disk_size_gb is None


# --- CIDRs ---------------------------------------------------------------------------------------------


def test_subnet_outside_the_vnet():
    raw = config(network={"apiServerSubnetCidr": "10.241.0.0/28"})
    assert problems(raw) == ["aks-platform:network.apiServerSubnetCidr: 10.241.0.0/28 is not inside vnetCidr 10.240.0.0/16"]


def test_overlapping_subnets():
    raw = config(network={"privateEndpointSubnetCidr": "10.240.2.0/24"})
    assert problems(raw) == [
        "aks-platform:network.privateEndpointSubnetCidr: 10.240.2.0/24 overlaps nodeSubnetCidr 10.240.0.0/22"
    ]


def test_pod_cidr_inside_the_vnet():
    raw = config(network={"podCidr": "10.240.128.0/17"})
    assert problems(raw) == [
        "aks-platform:network.podCidr: 10.240.128.0/17 overlaps vnetCidr 10.240.0.0/16; pod and service CIDRs "
        "must be outside the VNet and apart from each other"
    ]


def test_service_cidr_overlapping_the_pod_cidr():
    raw = config(network={"serviceCidr": "192.168.0.0/24", "dnsServiceIp": "192.168.0.10"})
    assert problems(raw) == [
        "aks-platform:network.serviceCidr: 192.168.0.0/24 overlaps podCidr 192.168.0.0/16; pod and service "
        "CIDRs must be outside the VNet and apart from each other"
    ]


def test_service_cidr_larger_than_slash_12():
    raw = config(network={"serviceCidr": "172.0.0.0/11", "dnsServiceIp": "172.0.0.10"})
    assert problems(raw) == [
        "aks-platform:network.serviceCidr: 172.0.0.0/11 is larger than /12, the largest service CIDR AKS takes"
    ]


def test_dns_service_ip_outside_the_service_cidr():
    raw = config(network={"dnsServiceIp": "172.17.0.10"})
    assert problems(raw) == ["aks-platform:network.dnsServiceIp: 172.17.0.10 is not inside serviceCidr 172.16.0.0/16"]


def test_dns_service_ip_on_the_network_address():
    raw = config(network={"dnsServiceIp": "172.16.0.0"})
    assert problems(raw) == [
        "aks-platform:network.dnsServiceIp: 172.16.0.0 is the network address of serviceCidr 172.16.0.0/16; "
        "use 172.16.0.10"
    ]


def test_dns_service_ip_on_the_first_address():
    raw = config(network={"dnsServiceIp": "172.16.0.1"})
    assert problems(raw) == [
        "aks-platform:network.dnsServiceIp: 172.16.0.1 is the first address of serviceCidr 172.16.0.0/16, which "
        "the API server's service (kubernetes.default) takes; use 172.16.0.10"
    ]


def test_node_subnet_room_counts_surge_and_reserved_addresses():
    # 3+1 and 52+6 (10% of 52 rounded up) = 62 nodes; a /26 has 64 - 5 = 59 usable addresses.
    raw = config([pool(maxCount=52, maxSurge="10%")], network={"nodeSubnetCidr": "10.240.0.0/26"})
    assert problems(raw) == [
        "aks-platform:network.nodeSubnetCidr: 10.240.0.0/26 has 59 usable addresses (Azure reserves 5) but the "
        "pools need up to 62 nodes (maxCount plus upgrade surge: system 3+1, apps 52+6); use a /25 or larger"
    ]


def test_api_server_subnet_smaller_than_slash_28():
    raw = config(network={"apiServerSubnetCidr": "10.240.4.0/29"})
    assert problems(raw) == [
        "aks-platform:network.apiServerSubnetCidr: 10.240.4.0/29 is smaller than /28, the smallest subnet AKS "
        "takes for API server VNet integration"
    ]


# --- Names and shapes ----------------------------------------------------------------------------------


def test_pool_name_format():
    raw = config([pool(name="Apps-1")])
    assert problems(raw) == [
        'aks-platform:nodePools[1].name: a pool name is 1-12 lowercase letters and digits, starting with a '
        'letter (got "Apps-1")'
    ]


def test_windows_pool_name_at_most_six_characters():
    raw = config([pool(name="windows", osType="Windows")], network={"dataplane": "azure"})
    assert problems(raw) == ['aks-platform:nodePools[1] "windows": a Windows pool name is at most 6 characters (got 7)']


def test_pool_names_are_unique():
    raw = config([pool(name="system")])
    assert problems(raw) == ['aks-platform:nodePools: pool name "system" is used twice; names must be unique']


def test_needs_a_linux_system_pool():
    raw = config([pool()])
    raw["nodePools"] = raw["nodePools"][1:]
    assert problems(raw) == [
        "aks-platform:nodePools: needs at least one Linux pool with mode: System that is not spot (AKS runs its "
        "own add-ons there)"
    ]


def test_spot_pool_cannot_be_a_system_pool():
    raw = config([pool(name="spot", mode="System", spot=True)])
    assert problems(raw) == [
        'aks-platform:nodePools[1] "spot": a spot pool cannot be a System pool (Azure may evict its nodes at any '
        "time); use mode: User"
    ]


def test_windows_pool_cannot_be_a_system_pool():
    raw = config([pool(name="win", mode="System", osType="Windows")], network={"dataplane": "azure"})
    assert problems(raw) == [
        'aks-platform:nodePools[1] "win": a Windows pool cannot be a System pool (AKS runs its add-ons on '
        "Linux); use mode: User"
    ]


def test_min_count_not_above_max_count():
    raw = config([pool(minCount=4, maxCount=3)])
    assert problems(raw) == ["aks-platform:nodePools[1]: minCount 4 is greater than maxCount 3"]


def test_counts_within_aks_limits():
    raw = config([pool(maxCount=1001)])
    assert problems(raw) == [
        "aks-platform:nodePools[1].maxCount: Input should be less than or equal to 1000 (got 1001)"
    ]


def test_max_pods_within_limits():
    raw = config([pool(maxPods=251)])
    assert problems(raw) == ["aks-platform:nodePools[1].maxPods: Input should be less than or equal to 250 (got 251)"]


def test_zones_among_1_2_3():
    raw = config([pool(zones=["4"])])
    assert problems(raw) == ["aks-platform:nodePools[1].zones[0]: Input should be '1', '2' or '3' (got \"4\")"]


def test_kubernetes_version_format():
    raw = config(cluster={"kubernetesVersion": "v1.35"})
    assert problems(raw) == [
        'aks-platform:cluster.kubernetesVersion: must be a Kubernetes minor version such as "1.35" (AKS applies its '
        'latest patch) or a full version such as "1.35.2", quoted, that the AKS release calendar '
        '(settings/kubernetes_versions.json) supports today (got "v1.35")'
    ]


def test_windows_pools_need_the_azure_dataplane():
    raw = config([pool(name="win", osType="Windows")])
    assert problems(raw) == [
        'aks-platform:nodePools[1] "win": Windows pools need network.dataplane: azure (Azure CNI powered by '
        "Cilium, dataplane cilium, runs Linux nodes only)"
    ]


def test_os_sku_must_match_the_os_type():
    raw = config([pool(osSku="Windows2022")])
    assert problems(raw) == ["aks-platform:nodePools[1]: osSku Windows2022 is not a Linux SKU; use one of AzureLinux, Ubuntu"]


def test_windows2025_is_not_in_the_api_version_used():
    raw = config([pool(name="win", osType="Windows", osSku="Windows2025")], network={"dataplane": "azure"})
    assert problems(raw) == [
        "aks-platform:nodePools[1]: osSku Windows2025 is not supported: AKS API 2025-09-01, which this platform "
        "uses, does not offer Windows2025; use Windows2022"
    ]


def test_gpu_pool_needs_a_no_schedule_taint_unless_overridden():
    raw = config([pool(name="gpu", vmSize="Standard_NC4as_T4_v3", taints=["team=ml:PreferNoSchedule"])])
    assert problems(raw) == [
        'aks-platform:nodePools[1] "gpu": a GPU pool needs a NoSchedule taint to keep other pods off its GPU '
        'nodes (taints: ["team=ml:PreferNoSchedule"]); add "sku=gpu:NoSchedule", or set gpuTaint: false to let '
        "any pod run there"
    ]
    raw["nodePools"][1]["gpuTaint"] = False
    assert settings_of(raw).node_pools[1].taints == ("team=ml:PreferNoSchedule",)


def test_gpu_settings_only_on_gpu_sizes():
    raw = config([pool(gpuDriver="None", gpuTaint=False)])
    assert problems(raw) == [
        'aks-platform:nodePools[1] "apps": gpuDriver only applies to GPU VM sizes (NC, ND and NV series); '
        "Standard_D4ds_v5 has no GPU",
        'aks-platform:nodePools[1] "apps": gpuTaint only applies to GPU VM sizes (NC, ND and NV series); '
        "Standard_D4ds_v5 has no GPU",
    ]


def test_spot_pool_cannot_set_max_surge():
    raw = config([pool(name="spot", spot=True, maxSurge="1")])
    assert problems(raw) == [
        "aks-platform:nodePools[1]: a spot pool cannot set maxSurge (AKS replaces spot nodes in place, never "
        "surges them); remove maxSurge"
    ]


def test_spot_max_price_only_with_spot():
    raw = config([pool(spotMaxPrice=0.5)])
    assert problems(raw) == ["aks-platform:nodePools[1]: spotMaxPrice is only used with spot: true; remove it or set spot: true"]


def test_spot_max_price_is_minus_one_or_positive_with_five_decimals():
    raw = config([pool(name="spot", spot=True, spotMaxPrice=0.123456)])
    assert problems(raw) == [
        "aks-platform:nodePools[1].spotMaxPrice: must be -1 (up to the on-demand price) or a positive price in "
        "US dollars with at most 5 decimals (got 0.123456)"
    ]


# --- Virtual nodes and the flat pod network ------------------------------------------------------------

# What virtual nodes need: flat Azure CNI with room for every node's maxPods+1 addresses (pools system and apps
# as in dev: (3+1 + 5+1) x 111 = 1110, a /21), their own subnet, the Azure dataplane and a private API server.
VIRTUAL_NODES = {
    "network": {"podNetwork": "vnet", "dataplane": "azure", "nodeSubnetCidr": "10.240.8.0/21",
                "virtualNodeSubnetCidr": "10.240.16.0/22"},
    "cluster": {"virtualNodes": True, "private": True, "authorizedIpRanges": []},
}


def virtual_nodes(**sections) -> dict:
    """The base stack with virtual nodes as they work, these section keys merged over it."""
    return config([pool(maxCount=5)], **merge(copy.deepcopy(VIRTUAL_NODES), sections))


def test_virtual_nodes_with_a_flat_network_need_no_pod_cidr():
    network = settings_of(virtual_nodes()).network
    assert (network.pod_network, network.pod_cidr, str(network.virtual_node_subnet_cidr)) == ("vnet", None, "10.240.16.0/22")


def test_virtual_nodes_are_refused_under_the_overlay_network():
    assert problems(virtual_nodes(network={"podNetwork": "overlay"})) == [
        "aks-platform:cluster.virtualNodes: true needs aks-platform:network.podNetwork: vnet (virtual nodes put pods in "
        "the VNet, which flat Azure CNI does and Azure CNI overlay, podNetwork overlay, does not); set podNetwork: "
        "vnet and size nodeSubnetCidr for every node's maxPods+1 addresses"
    ]


def test_virtual_nodes_need_their_subnet():
    assert problems(virtual_nodes(network={"virtualNodeSubnetCidr": None})) == [
        "aks-platform:cluster.virtualNodes: true needs aks-platform:network.virtualNodeSubnetCidr, the subnet of the "
        "cluster's VNet that virtual-node pods take their addresses from (delegated to "
        "Microsoft.ContainerInstance/containerGroups); add one inside vnetCidr"
    ]


def test_a_virtual_node_subnet_without_virtual_nodes_is_refused():
    assert problems(virtual_nodes(cluster={"virtualNodes": False})) == [
        "aks-platform:network.virtualNodeSubnetCidr: 10.240.16.0/22 is set but aks-platform:cluster.virtualNodes is "
        "false (nothing would use the subnet); set cluster.virtualNodes: true or remove virtualNodeSubnetCidr"
    ]


def test_virtual_nodes_are_refused_with_the_cilium_dataplane():
    assert problems(virtual_nodes(network={"dataplane": "cilium"})) == [
        "aks-platform:cluster.virtualNodes: true with aks-platform:network.dataplane cilium: virtual nodes are "
        "documented with Azure CNI and Calico or no network policy only (Virtual Nodes v2 lists Cilium as "
        "unsupported); set dataplane: azure"
    ]


def test_virtual_nodes_are_refused_with_authorized_ip_ranges():
    assert problems(virtual_nodes(cluster={"private": False, "authorizedIpRanges": ["203.0.113.0/24"]})) == [
        'aks-platform:cluster.virtualNodes: true with aks-platform:cluster.authorizedIpRanges ["203.0.113.0/24"]: '
        "virtual nodes do not support API server authorized IP ranges, which a public API server here always has; "
        "set cluster.private: true and authorizedIpRanges: []"
    ]


def test_the_virtual_node_subnet_is_inside_the_vnet_and_apart_from_the_others():
    assert problems(virtual_nodes(network={"virtualNodeSubnetCidr": "10.240.12.0/22"})) == [
        "aks-platform:network.virtualNodeSubnetCidr: 10.240.12.0/22 overlaps nodeSubnetCidr 10.240.8.0/21"
    ]
    assert problems(virtual_nodes(network={"virtualNodeSubnetCidr": "10.241.0.0/22"})) == [
        "aks-platform:network.virtualNodeSubnetCidr: 10.241.0.0/22 is not inside vnetCidr 10.240.0.0/16"
    ]


def test_a_flat_network_refuses_a_pod_cidr():
    assert problems(virtual_nodes(network={"podCidr": "192.168.0.0/16"})) == [
        "aks-platform:network: podCidr (192.168.0.0/16) is only used with podNetwork overlay; with podNetwork vnet "
        "pods take their addresses from nodeSubnetCidr: remove podCidr"
    ]


def test_overlay_needs_a_pod_cidr():
    assert problems(config(network={"podCidr": None})) == [
        "aks-platform:network: podNetwork overlay needs podCidr, the private range pod IPs come from"
    ]


def test_a_flat_network_needs_max_pods_plus_one_addresses_per_node():
    assert problems(virtual_nodes(network={"nodeSubnetCidr": "10.240.8.0/22"})) == [
        "aks-platform:network.nodeSubnetCidr: 10.240.8.0/22 has 1019 usable addresses (Azure reserves 5) but with "
        "podNetwork vnet every node takes one address for itself and one per pod, (maxCount + upgrade surge) x "
        "(maxPods + 1) per pool: system (3+1) x (110+1) = 444, apps (5+1) x (110+1) = 666, 1110 in all; use a /21 "
        "or larger"
    ]


def test_fewer_pods_per_node_fit_a_flat_network_into_a_smaller_subnet():
    # 50 pods per node: (3+1 + 5+1) x 51 = 510 addresses, which a /23 (507 usable) misses and a /22 holds.
    raw = virtual_nodes(network={"nodeSubnetCidr": "10.240.8.0/23"})
    raw["nodePools"] = [{**SYSTEM, "maxPods": 50}, pool(maxCount=5, maxPods=50)]
    assert problems(raw)[0].endswith("510 in all; use a /22 or larger")
    raw["network"]["nodeSubnetCidr"] = "10.240.8.0/22"
    assert settings_of(raw).network.node_subnet_cidr.prefixlen == 22


# --- Typos in every key added here ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (config([pool(vmsize="Standard_D4ds_v5")]), ('aks-platform:nodePools[1]: unknown key "vmsize"; did you mean "vmSize"?')),
        (config([pool(spotMaxprice=1)]), 'aks-platform:nodePools[1]: unknown key "spotMaxprice"; did you mean "spotMaxPrice"?'),
        (config([pool(gpuDriverr="None")]), 'aks-platform:nodePools[1]: unknown key "gpuDriverr"; did you mean "gpuDriver"?'),
        (config([pool(drainTimeoutMinutes=5)]), 'aks-platform:nodePools[1]: unknown key "drainTimeoutMinutes"; did you mean "drainTimeoutInMinutes"?'),
        (config([pool(ostype="Windows")]), 'aks-platform:nodePools[1]: unknown key "ostype"; did you mean "osType"?'),
        (config(network={"dataPlane": "azure"}), 'aks-platform:network: unknown key "dataPlane"; did you mean "dataplane"?'),
        (config(cluster={"virtualNode": True}), 'aks-platform:cluster: unknown key "virtualNode"; did you mean "virtualNodes"?'),
        (config(cluster={"autoscaler": {"scanIntervall": "10s"}}),
         'aks-platform:cluster.autoscaler: unknown key "scanIntervall"; did you mean "scanInterval"?'),
    ],
)
def test_unknown_keys_name_the_closest_known_key(raw, expected):
    found = problems(raw)
    assert len(found) == 1 and found[0].startswith(expected + " (known keys: ")


# --- Everything at once --------------------------------------------------------------------------------


def test_every_problem_in_one_stack_file_is_reported_together():
    raw = config(
        [
            pool(vmSize="Standard_D2ds_v5", osDiskSizeGb=128),
            pool(name="windows", osType="Windows"),
            pool(name="gpu", vmSize="Standard_NC4as_T4_v3", taints=[]),
            pool(name="typo", vmsize="Standard_D4ds_v5"),
        ],
        network={"dnsServiceIp": "172.17.0.10"},
        cluster={"virtualNodes": True},
    )
    found = problems(raw)
    assert [line.split(":", 2)[1] for line in found] == [
        'nodePools[4]',
        'nodePools[1] "apps"',
        'nodePools[2] "windows"',
        'nodePools[3] "gpu"',
        *["cluster.virtualNodes"] * 4,  # overlay, no subnet of its own, Cilium, authorized IP ranges
        "network.dnsServiceIp",
        'nodePools[2] "windows"',
    ]


def test_api_server_vnet_integration_is_on_by_default_and_refused_where_azure_lacks_it():
    assert settings_of(config()).network.api_server_subnet_cidr is not None
    with pytest.raises(ConfigError) as err:
        parse(config(), "qatarcentral")
    assert err.value.problems == [
        "aks-platform:network.apiServerSubnetCidr: API server VNet integration is not available in qatarcentral "
        "(azure-native:location); set apiServerSubnetCidr: null there"]
    assert settings_of(config(network={"apiServerSubnetCidr": None})).network.api_server_subnet_cidr is None
