"""Preflight: the deploy failures Azure reports only minutes into `pulumi up`, caught in the settings step.

Every rule is a pure function over validated settings that returns problem lines (key path, then what is
wrong and how to fix it), so `settings.load` can report them all at once before any resource exists.
`complete` fills in what the rules derive (the OS disk size that fits, the GPU taint and driver), so
that the components deploy exactly what was checked.
"""
from __future__ import annotations

import math
import typing
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from ipaddress import IPv4Network

from facts.azure import CLUSTER_NODE_IMAGE_CHANNELS, FLEET_FAQ, NODE_OS_IMAGE_CHANNELS, flat_network_addresses_per_node

from . import kubernetes_versions, vm_sizes
from .errors import NAMESPACE, show
from .model import MIN_OS_DISK_GIB, BackupSettings, ClusterSettings, FleetSettings, NetworkSettings, NodePoolSettings

# The OS disk AKS gives a node when it may choose; a larger one only costs more cache or temp disk.
DEFAULT_OS_DISK_GIB = 128
GPU_TAINT = "sku=gpu:NoSchedule"
KEEP_OFF_EFFECTS = (":NoSchedule", ":NoExecute")
WINDOWS_NAME_MAX = 6
# Azure keeps the first four addresses and the last one of every subnet.
AZURE_RESERVED_ADDRESSES = 5
API_SERVER_SUBNET_MAX_PREFIX = 28
# AKS refuses a service CIDR larger than /12.
SERVICE_CIDR_MIN_PREFIX = 12

Pools = Mapping[int, NodePoolSettings]  # position in the stack file's nodePools list -> pool


def pool_path(index: int, pool: NodePoolSettings) -> str:
    return f'{NAMESPACE}:nodePools[{index}] "{pool.name}"'


def network_path(key: str) -> str:
    return f"{NAMESPACE}:network.{key}"


# --- Filling in ---------------------------------------------------------------------------------------


def complete(pool: NodePoolSettings) -> NodePoolSettings:
    """The pool as it will be deployed: OS disk size, GPU driver and GPU taint filled in where unset."""
    update: dict = {}
    if pool.os_disk_size_gb is None:
        update["os_disk_size_gb"] = fitting_os_disk_gib(pool)
    if vm_sizes.is_gpu(pool.vm_size):
        if pool.gpu_driver is None:
            update["gpu_driver"] = "Install"
        if pool.gpu_taint and "taints" not in pool.model_fields_set:
            update["taints"] = (GPU_TAINT,)
    return pool.model_copy(update=update)


def fitting_os_disk_gib(pool: NodePoolSettings) -> int | None:
    """The largest ephemeral OS disk the VM size holds, at most 128 GiB; None leaves the size to AKS
    (managed disks, sizes not in the table, and sizes too small, which `ephemeral_os_disk` reports)."""
    size = vm_sizes.lookup(pool.vm_size)
    if pool.os_disk_type != "Ephemeral" or size is None or size.ephemeral_os_limit_gib < MIN_OS_DISK_GIB:
        return None
    return min(size.ephemeral_os_limit_gib, DEFAULT_OS_DISK_GIB)


# --- Ephemeral OS disk (VMCacheSizeTooSmall) -----------------------------------------------------------


def ephemeral_os_disk(index: int, pool: NodePoolSettings) -> list[str]:
    """An ephemeral OS disk must fit the larger of the VM size's cache and temp disk."""
    size = vm_sizes.lookup(pool.vm_size)
    if pool.os_disk_type != "Ephemeral" or size is None:
        return []
    limit = size.ephemeral_os_limit_gib
    if limit == 0:
        return [
            f"{pool_path(index, pool)}: {size.name} cannot hold an ephemeral OS disk (it has no usable cache or "
            f"temp disk); use osDiskType: Managed{_bigger_sizes_hint(size.name, MIN_OS_DISK_GIB)}"
        ]
    wanted = pool.os_disk_size_gb or MIN_OS_DISK_GIB
    if wanted <= limit:
        return []
    what = f"osDiskSizeGb {wanted}" if pool.os_disk_size_gb else f"the smallest OS disk ({MIN_OS_DISK_GIB} GiB)"
    fixes = [f"osDiskSizeGb <= {limit}"] if limit >= MIN_OS_DISK_GIB else []
    fixes.append("osDiskType: Managed")
    fixes.extend(f"{s.name} ({s.ephemeral_os_limit_gib} GiB)" for s in vm_sizes.same_family_that_fit(size.name, wanted)[:1])
    return [
        f"{pool_path(index, pool)}: {what} does not fit {size.name} ({_limit_source(size)}); use {_either(fixes)}"
    ]


def _limit_source(size: vm_sizes.VmSize) -> str:
    """Which local disk sets the size's ephemeral OS limit, as the size pages name it."""
    if size.ephemeral_os_limit_gib < max(size.cache_disk_gib, size.temp_disk_gib):
        return f"ephemeral OS disks are at most {size.ephemeral_os_limit_gib} GiB"
    if size.temp_disk_gib >= size.cache_disk_gib:
        return f"temp disk {size.temp_disk_gib} GiB"
    return f"cache {size.cache_disk_gib} GiB"


def _bigger_sizes_hint(name: str, gib: int) -> str:
    fits = vm_sizes.same_family_that_fit(name, gib)
    return f", or {fits[0].name} ({fits[0].ephemeral_os_limit_gib} GiB)" if fits else ", or a VM size with a local temp disk"


def _either(options: list[str]) -> str:
    return options[0] if len(options) == 1 else f"{', '.join(options[:-1])}, or {options[-1]}"


def unknown_vm_size(index: int, pool: NodePoolSettings) -> list[str]:
    """A size missing from the table is an error (most often a typo), unless the pool declares it
    `vmSizeUnlisted: true` (a size newer than the table)."""
    if pool.vm_size_unlisted or vm_sizes.lookup(pool.vm_size) is not None:
        return []
    near = vm_sizes.nearest(pool.vm_size)
    hint = f"did you mean {_either(near)}? " if near else ""
    return [
        f"{pool_path(index, pool)}: vmSize {pool.vm_size} is not in the VM size table (settings/vm_sizes.json); "
        f"{hint}For a size newer than the table, set vmSizeUnlisted: true on the pool"
    ]


def unlisted_vm_size(index: int, pool: NodePoolSettings) -> list[str]:
    """A warning: a declared unlisted size may be perfectly valid, but its disk could not be checked."""
    if not pool.vm_size_unlisted or pool.os_disk_type != "Ephemeral" or vm_sizes.lookup(pool.vm_size) is not None:
        return []
    return [
        f"{pool_path(index, pool)}: {pool.vm_size} is not in the VM size table (settings/vm_sizes.json), so "
        "whether its ephemeral OS disk fits could not be checked; if the deploy fails with VMCacheSizeTooSmall, "
        "set osDiskSizeGb or osDiskType: Managed"
    ]


# --- Pool names and shapes -----------------------------------------------------------------------------


def pool_names(pools: Pools) -> list[str]:
    problems = [
        f"{pool_path(i, p)}: a Windows pool name is at most {WINDOWS_NAME_MAX} characters (got {len(p.name)})"
        for i, p in pools.items()
        if p.os_type == "Windows" and len(p.name) > WINDOWS_NAME_MAX
    ]
    seen: set[str] = set()
    for pool in pools.values():
        if pool.name in seen:
            problems.append(f"{NAMESPACE}:nodePools: pool name {show(pool.name)} is used twice; names must be unique")
        seen.add(pool.name)
    return problems


def system_pools(pools: Pools) -> list[str]:
    """AKS runs its own add-ons on System pools: Linux nodes that are never evicted."""
    problems = []
    for index, pool in pools.items():
        if pool.mode != "System":
            continue
        if pool.spot:
            problems.append(
                f"{pool_path(index, pool)}: a spot pool cannot be a System pool (Azure may evict its nodes at any "
                "time); use mode: User"
            )
        if pool.os_type == "Windows":
            problems.append(
                f"{pool_path(index, pool)}: a Windows pool cannot be a System pool (AKS runs its add-ons on "
                "Linux); use mode: User"
            )
    return problems


def has_linux_system_pool(pools: Pools) -> list[str]:
    if any(p.mode == "System" and p.os_type == "Linux" and not p.spot for p in pools.values()):
        return []
    return [
        f"{NAMESPACE}:nodePools: needs at least one Linux pool with mode: System that is not spot (AKS runs its "
        "own add-ons there)"
    ]


def windows_pools(pools: Pools, network: NetworkSettings) -> list[str]:
    """Azure CNI powered by Cilium runs Linux nodes only; Windows nodes need the Azure dataplane."""
    return [
        f"{pool_path(i, p)}: Windows pools need network.dataplane: azure (Azure CNI powered by Cilium, "
        f"dataplane {network.dataplane}, runs Linux nodes only)"
        for i, p in pools.items()
        if p.os_type == "Windows" and network.dataplane != "azure"
    ]


def gpu_pools(pools: Pools) -> list[str]:
    problems = []
    for index, pool in pools.items():
        path = pool_path(index, pool)
        if not vm_sizes.is_gpu(pool.vm_size):
            for key, attribute in (("gpuDriver", "gpu_driver"), ("gpuTaint", "gpu_taint")):
                if attribute in pool.model_fields_set:
                    problems.append(
                        f"{path}: {key} only applies to GPU VM sizes (NC, ND and NV series); {pool.vm_size} has no GPU"
                    )
        elif pool.gpu_taint and not any(t.endswith(KEEP_OFF_EFFECTS) for t in pool.taints):
            problems.append(
                f"{path}: a GPU pool needs a NoSchedule taint to keep other pods off its GPU nodes (taints: "
                f"{show(list(pool.taints))}); add {show(GPU_TAINT)}, or set gpuTaint: false to let any pod run there"
            )
    return problems


# Virtual nodes run through the ACI connector add-on (components/cluster.py says why not Virtual Nodes v2).
# Learn "Use virtual nodes" (https://learn.microsoft.com/azure/aks/virtual-nodes, azure-aks-docs
# articles/aks/virtual-nodes.md, Limitations) and "Plan pod networking"/"Azure CNI Overlay" (articles/aks/
# concepts-network-azure-cni-overlay.md: overlay when "You don't need advanced AKS features, such as virtual
# nodes", flat networking when "You need AKS advanced features, such as virtual nodes").
# Not checked here, and why:
# - Windows-only clusters: virtual nodes run Linux pods only ("Virtual nodes are only supported with Linux pods
#   and nodes"), and no stack here is Windows-only: `has_linux_system_pool` requires a Linux System pool.
# - Regions: "All regions, where ACI supports VNET SKUs, are supported"; that list lives on ACI's region page
#   (https://learn.microsoft.com/azure/container-instances/container-instances-region-availability) and changes,
#   and no copy of it is kept here.
# - Network policies do not apply to virtual-node pods (the ACI VNet limitations), which is no refusal but a
#   limit: docs/virtual-nodes.md.


def virtual_nodes(network: NetworkSettings, cluster: ClusterSettings) -> list[str]:
    """What virtual nodes need, and the combinations Azure refuses or documents no support for, each naming
    both keys."""
    subnet = network_path("virtualNodeSubnetCidr")
    if not cluster.virtual_nodes:
        if network.virtual_node_subnet_cidr is None:
            return []
        return [f"{subnet}: {network.virtual_node_subnet_cidr} is set but {NAMESPACE}:cluster.virtualNodes is false "
                "(nothing would use the subnet); set cluster.virtualNodes: true or remove virtualNodeSubnetCidr"]
    key = f"{NAMESPACE}:cluster.virtualNodes"
    problems = []
    if network.pod_network != "vnet":
        # "Virtual nodes require AKS clusters with Azure CNI networking" (Limitations); overlay is not that.
        problems.append(
            f"{key}: true needs {network_path('podNetwork')}: vnet (virtual nodes put pods in the VNet, which flat "
            f"Azure CNI does and Azure CNI overlay, podNetwork {network.pod_network}, does not); set podNetwork: vnet "
            "and size nodeSubnetCidr for every node's maxPods+1 addresses"
        )
    if network.virtual_node_subnet_cidr is None:
        # The add-on's SubnetName: "an extra subnet for the virtual nodes" (Learn "virtual nodes using Azure CLI").
        problems.append(
            f"{key}: true needs {subnet}, the subnet of the cluster's VNet that virtual-node pods take their "
            "addresses from (delegated to Microsoft.ContainerInstance/containerGroups); add one inside vnetCidr"
        )
    if network.dataplane == "cilium":
        # The add-on's page names Azure CNI only; Virtual Nodes v2 lists "Cilium or NPM as the network policy" as
        # unsupported and needs "Calico or none" (https://learn.microsoft.com/azure/aks/virtual-nodes-v2). No page
        # documents virtual nodes with Cilium, so it is refused rather than left to fail after a deploy.
        problems.append(
            f"{key}: true with {network_path('dataplane')} cilium: virtual nodes are documented with Azure CNI and "
            "Calico or no network policy only (Virtual Nodes v2 lists Cilium as unsupported); set dataplane: azure"
        )
    if not cluster.private:
        # Limitations: "Using API server authorized ip ranges for AKS"; a public API server here always has them.
        problems.append(
            f"{key}: true with {NAMESPACE}:cluster.authorizedIpRanges {show(list(cluster.authorized_ip_ranges))}: "
            "virtual nodes do not support API server authorized IP ranges, which a public API server here always "
            "has; set cluster.private: true and authorizedIpRanges: []"
        )
    return problems


# --- Node auto-provisioning -----------------------------------------------------------------------------
# What Azure refuses with cluster.nodeProvisioning: auto. Sources (MicrosoftDocs/azure-aks-docs at commit
# fb060abe): Learn "Overview of node auto-provisioning (NAP) in AKS", limitations and unsupported features
# (https://learn.microsoft.com/azure/aks/node-auto-provisioning, ms.date 2026-02-15); Learn "Overview of
# networking configurations for node auto-provisioning" (https://learn.microsoft.com/azure/aks/node-auto-provisioning-networking);
# the ManagedCluster API's NodeProvisioningMode (2025-09-01, the pinned SDK's enum docstring).
# The other limitations cannot arise here: the platform's network is IPv4 only (settings.types), the control
# plane runs as a user-assigned managed identity (never a service principal), the load balancer is always
# Standard, overlay has no dynamic IP allocation, and the platform never stops a cluster (docs/node-auto-provisioning.md
# tells operators not to). Changing the outbound type after creation is flagged by the offline diff
# (offline/change_rules.py).
NAP = f"{NAMESPACE}:cluster.nodeProvisioning: auto"
NAP_OVERVIEW = "Learn 'Overview of node auto-provisioning', limitations"


def node_auto_provisioning(network: NetworkSettings | None, cluster: ClusterSettings | None, pools: Pools) -> list[str]:
    """Each refusal names the key that conflicts and cluster.nodeProvisioning."""
    if cluster is None or cluster.node_provisioning != "auto":
        return []
    problems = []
    for index, pool in pools.items():
        if pool.os_type == "Windows":
            problems.append(
                f"{pool_path(index, pool)}: osType Windows is refused with {NAP}: node auto-provisioning does not "
                f"support Windows node pools ({NAP_OVERVIEW}); remove the pool or set nodeProvisioning: manual"
            )
        if pool.autoscaled:
            problems.append(
                f"{pool_path(index, pool)}: minCount/maxCount (the cluster autoscaler) is refused with {NAP}: "
                "with node provisioning mode Auto \"fixed size Node Pools can still be created, but autoscaling Node "
                "Pools cannot be\" (ManagedCluster API, NodeProvisioningMode); give the pool a fixed count, and let "
                "napPools scale the workloads"
            )
    if network is not None and network.dataplane == "azure":
        problems.append(
            f"{network_path('dataplane')}: azure (the Azure dataplane with Calico network policy) is refused with "
            f"{NAP}: node auto-provisioning does not support Calico network policy (Learn 'Overview of networking "
            "configurations for node auto-provisioning', unsupported configurations); use dataplane: cilium"
        )
    return problems


# --- CIDRs ---------------------------------------------------------------------------------------------


def _subnets(network: NetworkSettings) -> dict[str, IPv4Network]:
    keys = ("nodeSubnetCidr", "apiServerSubnetCidr", "privateEndpointSubnetCidr", "virtualNodeSubnetCidr")
    values = (network.node_subnet_cidr, network.api_server_subnet_cidr, network.private_endpoint_subnet_cidr,
              network.virtual_node_subnet_cidr)
    return {k: v for k, v in zip(keys, values) if v is not None}


def subnets_in_vnet(network: NetworkSettings) -> list[str]:
    return [
        f"{network_path(key)}: {cidr} is not inside vnetCidr {network.vnet_cidr}"
        for key, cidr in _subnets(network).items()
        if not cidr.subnet_of(network.vnet_cidr)
    ]


def subnets_disjoint(network: NetworkSettings) -> list[str]:
    return _overlaps(list(_subnets(network).items()), "")


def cluster_ranges_disjoint(network: NetworkSettings) -> list[str]:
    """Pod and service CIDRs are routed inside the cluster, so neither may overlap the VNet or each other."""
    ranges = [("vnetCidr", network.vnet_cidr), ("podCidr", network.pod_cidr), ("serviceCidr", network.service_cidr)]
    problems = _overlaps(
        [(key, cidr) for key, cidr in ranges if cidr is not None],
        "; pod and service CIDRs must be outside the VNet and apart from each other",
    )
    if network.service_cidr.prefixlen < SERVICE_CIDR_MIN_PREFIX:
        problems.append(
            f"{network_path('serviceCidr')}: {network.service_cidr} is larger than /{SERVICE_CIDR_MIN_PREFIX}, the "
            "largest service CIDR AKS takes"
        )
    return problems


def _overlaps(ranges: list[tuple[str, IPv4Network]], why: str) -> list[str]:
    """One line per overlapping pair, on the later key (the earlier one is the reference)."""
    return [
        f"{network_path(later)}: {b} overlaps {earlier} {a}{why}"
        for n, (later, b) in enumerate(ranges)
        for earlier, a in ranges[:n]
        if a.overlaps(b)
    ]


def dns_service_ip(network: NetworkSettings) -> list[str]:
    ip, service = network.dns_service_ip, network.service_cidr
    path = network_path("dnsServiceIp")
    if ip not in service:
        return [f"{path}: {ip} is not inside serviceCidr {service}"]
    if ip == service.network_address:
        return [f"{path}: {ip} is the network address of serviceCidr {service}; use {service.network_address + 10}"]
    if ip == service.network_address + 1:
        return [
            f"{path}: {ip} is the first address of serviceCidr {service}, which the API server's service "
            f"(kubernetes.default) takes; use {service.network_address + 10}"
        ]
    return []


def node_subnet_room(network: NetworkSettings, pools: Pools) -> list[str]:
    """Room for every node at maxCount plus its upgrade surge, per pool: one address per node with overlay,
    one per node and one per pod it may run with podNetwork vnet (`flat_network_addresses_per_node`)."""
    flat = network.pod_network == "vnet"

    def addresses(pool: NodePoolSettings) -> int:
        per_node = flat_network_addresses_per_node(pool.max_pods) if flat else 1
        return (pool.largest_size + pool.surge_nodes) * per_node

    needed = sum(addresses(p) for p in pools.values())
    subnet = network.node_subnet_cidr
    usable = subnet.num_addresses - AZURE_RESERVED_ADDRESSES
    if needed <= usable:
        return []
    prefix = 32 - math.ceil(math.log2(needed + AZURE_RESERVED_ADDRESSES))
    if flat:
        parts = ", ".join(f"{p.name} ({p.largest_size}+{p.surge_nodes}) x ({p.max_pods}+1) = {addresses(p)}"
                          for p in pools.values())
        need = (f"with podNetwork vnet every node takes one address for itself and one per pod, (maxCount + upgrade "
                f"surge) x (maxPods + 1) per pool: {parts}, {needed} in all")
    else:
        parts = ", ".join(f"{p.name} {p.largest_size}+{p.surge_nodes}" for p in pools.values())
        need = f"the pools need up to {needed} nodes (maxCount plus upgrade surge: {parts})"
    return [
        f"{network_path('nodeSubnetCidr')}: {subnet} has {max(usable, 0)} usable addresses (Azure reserves "
        f"{AZURE_RESERVED_ADDRESSES}) but {need}; use a /{prefix} or larger"
    ]


def api_server_subnet_size(network: NetworkSettings) -> list[str]:
    subnet = network.api_server_subnet_cidr
    if subnet is None or subnet.prefixlen <= API_SERVER_SUBNET_MAX_PREFIX:
        return []
    return [
        f"{network_path('apiServerSubnetCidr')}: {subnet} is smaller than /{API_SERVER_SUBNET_MAX_PREFIX}, the "
        "smallest subnet AKS takes for API server VNet integration"
    ]


# Learn "API Server VNet Integration" (azure-aks-docs articles/aks/api-server-vnet-integration.md, ms.date
# 2026-04-15): "API Server VNet Integration isn't available in qatarcentral."
API_SERVER_VNET_INTEGRATION_UNAVAILABLE = ("qatarcentral",)


def api_server_vnet_integration_region(network: NetworkSettings, location: str | None) -> list[str]:
    if network.api_server_subnet_cidr is None or location not in API_SERVER_VNET_INTEGRATION_UNAVAILABLE:
        return []
    return [
        f"{network_path('apiServerSubnetCidr')}: API server VNet integration is not available in {location} "
        f"(azure-native:location); set apiServerSubnetCidr: null there"
    ]


# --- The deploying runner's line of sight ---------------------------------------------------------------

RUNNER_DOC = "docs/private-cluster.md"


def runner_network(network: NetworkSettings, cluster: ClusterSettings) -> list[str]:
    """A runner network is peered for a private API server only: a public one is reached over the internet
    through `authorizedIpRanges`, and AKS takes its own private DNS zone only for a private cluster
    (https://learn.microsoft.com/azure/aks/private-clusters#configuration-options-for-private-dns).

    Not checkable here: the runner VNet's address space must not overlap the cluster's VNet, or Azure
    refuses the peering ("The virtual networks you peer must have non-overlapping IP address spaces",
    https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering#requirements-and-constraints).
    """
    if network.runner_vnet_id is None or cluster.private:
        return []
    return [
        f"{network_path('runnerVnetId')}: peers a runner network with a private API server, but cluster.private is "
        "false (a public API server is reached through cluster.authorizedIpRanges); remove runnerVnetId or set "
        "cluster.private: true"
    ]


def unreachable_api_server(network: NetworkSettings, cluster: ClusterSettings, in_cluster: bool) -> list[str]:
    """A warning: `pulumi up` deploys the in-cluster layer through the private API server, which a runner
    outside the cluster's network cannot reach (GitHub-hosted runners are outside it)."""
    if not (cluster.private and in_cluster) or network.runner_vnet_id is not None:
        return []
    return [
        f"{network_path('runnerVnetId')}: not set, but the API server is private (cluster.private: true) and "
        "inCluster is true, so `pulumi up` can deploy the in-cluster layer only from a machine inside the cluster's "
        f"VNet; set runnerVnetId to the VNet of the CI runner before the cluster is first created (its DNS zone "
        f"cannot change later), see {RUNNER_DOC}"
    ]


# --- Everything at once --------------------------------------------------------------------------------


def kubernetes_version(cluster: ClusterSettings, today: date) -> list[str]:
    """AKS creates and upgrades only to versions its release calendar supports on the day
    (settings/kubernetes_versions.json, from Learn "Supported Kubernetes versions in AKS")."""
    if not cluster.kubernetes_version:
        return []
    problem = kubernetes_versions.problem(cluster.kubernetes_version, today, lts=cluster.long_term_support)
    return [f"{NAMESPACE}:cluster.kubernetesVersion: {problem}"] if problem else []


def problems(
    network: NetworkSettings | None, cluster: ClusterSettings | None, pools: Pools, every_pool_valid: bool,
) -> list[str]:
    """Every rule whose inputs are valid; a rule over all pools runs only when every pool is, so that a pool
    with a typo does not also show up as, say, a missing System pool."""
    found: list[str] = []
    for index, pool in pools.items():
        found += unknown_vm_size(index, pool) + ephemeral_os_disk(index, pool)
    found += pool_names(pools) + system_pools(pools) + gpu_pools(pools)
    if every_pool_valid and pools:
        found += has_linux_system_pool(pools)
    if cluster is not None:
        found += kubernetes_version(cluster, kubernetes_versions.today())
        found += patch_pinned_under_patch_channel(cluster) + node_image_channels(cluster)
    if cluster is not None and network is not None:
        found += runner_network(network, cluster) + virtual_nodes(network, cluster)
    if network is not None:
        rules: Iterable[Callable[[NetworkSettings], list[str]]] = (
            subnets_in_vnet, subnets_disjoint, cluster_ranges_disjoint, dns_service_ip, api_server_subnet_size,
        )
        for rule in rules:
            found += rule(network)
        found += windows_pools(pools, network)
        if every_pool_valid:
            found += node_subnet_room(network, pools)
    return found


def warnings(pools: Pools, network: NetworkSettings, cluster: ClusterSettings, in_cluster: bool) -> list[str]:
    """What does not stop a deploy but that the user should see; the settings are valid by now."""
    return [
        *(w for index, pool in pools.items() for w in unlisted_vm_size(index, pool)),
        *unreachable_api_server(network, cluster, in_cluster),
    ]


def backup_extension_nodes(backup: BackupSettings, pools: Pools) -> list[str]:
    """The backup extension runs on Linux nodes only: "You can only install the Backup Extension on agent nodes
    with Ubuntu and Azure Linux as Operating System. AKS Clusters with Windows based agent nodes don't allow Backup
    Extension installation" (facts.azure.AKS_BACKUP_MATRIX, Limitations)."""
    if not backup.enabled:
        return []
    return [
        f"{pool_path(index, pool)}: a Windows pool, and AKS clusters with Windows nodes don't allow the Azure Backup "
        f"extension (AKS backup support matrix); set {NAMESPACE}:backup.enabled: false, or remove the Windows pool"
        for index, pool in pools.items() if pool.os_type == "Windows"
    ]


# --- Who moves the version: the cluster's channels, or a fleet -------------------------------------------


def _choices(model: type, field: str) -> tuple[str, ...]:
    return typing.get_args(model.model_fields[field].annotation)


def fleet_member_channels(fleet: FleetSettings) -> dict[str, tuple[str, ...]]:
    """The cluster channels a fleet member may keep, per `cluster` key, for what the fleet upgrades on it:
    none of its own Kubernetes auto-upgrade when the fleet upgrades Kubernetes, no AKS-driven node image
    channel when the fleet upgrades node images (they race the fleet, FLEET_FAQ). Empty when not joined."""
    allowed: dict[str, tuple[str, ...]] = {}
    if fleet.upgrades_kubernetes():
        allowed["upgradeChannel"] = ("none",)
    # The cluster's node-image channel goes with node OS channel NodeImage only (`node_image_channels`),
    # so this refuses it too.
    if fleet.upgrades_node_images():
        allowed["nodeOsUpgradeChannel"] = tuple(c for c in _choices(ClusterSettings, "node_os_upgrade_channel")
                                                if c not in NODE_OS_IMAGE_CHANNELS)
    return allowed


def fleet_member(fleet: FleetSettings, cluster: ClusterSettings) -> list[str]:
    """A member's own channels leave to the fleet what the fleet upgrades (Learn, FLEET_FAQ: "either Fleet
    Manager or AKS cluster auto-upgrade performs the update, depending on which one runs first")."""
    values = {"upgradeChannel": cluster.upgrade_channel, "nodeOsUpgradeChannel": cluster.node_os_upgrade_channel}
    return [
        f"{NAMESPACE}:cluster.{key}: {values[key]} races the fleet this cluster joins (fleet.upgrades: "
        f"{', '.join(fleet.upgrades)}), which would upgrade it out of its update group's turn; set {key} to "
        f"{' or '.join(allowed)} (Learn, {FLEET_FAQ}), or drop the upgrade from fleet.upgrades"
        for key, allowed in fleet_member_channels(fleet).items() if values[key] not in allowed
    ]


def node_image_channels(cluster: ClusterSettings) -> list[str]:
    """"When you set the cluster autoupgrade channel to `node-image`, it also automatically sets the node OS
    autoupgrade channel to `NodeImage`. You can't change the node OS autoupgrade channel value if your cluster
    autoupgrade channel is `node-image`" (Learn "Autoupgrade node OS images",
    https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image)."""
    if cluster.upgrade_channel not in CLUSTER_NODE_IMAGE_CHANNELS or cluster.node_os_upgrade_channel == "NodeImage":
        return []
    return [f"{NAMESPACE}:cluster.nodeOsUpgradeChannel: {cluster.node_os_upgrade_channel} cannot go with upgradeChannel "
            "node-image, which sets it to NodeImage (Learn, https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-"
            "image); set nodeOsUpgradeChannel: NodeImage, or another upgradeChannel (node-image is legacy)"]


def patch_pinned_under_patch_channel(cluster: ClusterSettings) -> list[str]:
    """With upgradeChannel patch, AKS moves the patch: a version written with its patch ("1.35.2") becomes
    older than the cluster's after the first auto-upgrade, and the next run would ask AKS for a downgrade.
    A minor ("1.35") stays true: sending it again "will not trigger an upgrade" (REST spec,
    ManagedCluster.kubernetesVersion)."""
    version = cluster.kubernetes_version
    if cluster.upgrade_channel != "patch" or not version or version.count(".") != 2:
        return []
    minor = version.rsplit(".", 1)[0]
    return [f'{NAMESPACE}:cluster.kubernetesVersion: "{version}" pins a patch that upgradeChannel patch moves on; '
            f'write the minor only, "{minor}", or set upgradeChannel: none to pin the patch']
