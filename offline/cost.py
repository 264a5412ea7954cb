"""Estimated monthly cost of a stack's desired state, from the price table shipped in `prices.json`.

Pure functions over the resources the offline engine records (`type`, `name`, `inputs`): `estimate`
prices each resource that has a list price (each node pool at its minimum and maximum node count, each
node auto-provisioning NodePool from nothing to its CPU and memory limits, the cluster tier, the registry, private
endpoints, Log Analytics ingestion at the daily cap, Defender per vCPU, NAT gateways, public IPs, Managed Grafana by
its plan; the Prometheus workspace is listed as billed by use), `diff` compares two estimates, `render` and `render_delta` turn them
into plan and diff lines. Nothing here guesses a price: a figure the table does not hold is shown as
"no list price" with the reason, and the totals say how many items they leave out.

Refreshing `prices.json`: each figure names its source and the date it was read. VM prices come from
the Azure Retail Prices API (https://prices.azure.com/api/retail/prices?api-version=2023-01-01-preview
with `$filter=serviceName eq 'Virtual Machines' and armRegionName eq '<region>' and priceType eq
'Consumption'`); take `retailPrice` of the row whose `meterName` is the size without `Standard_` and
with spaces for underscores ("D4ds v5"), `unitOfMeasure` "1 Hour", `productName` "Virtual Machines
<series> Series" for Linux and "... Series Windows" for Windows. The other entries name their Azure
pricing page; the same API holds them (`serviceName` 'Azure Kubernetes Service', 'Container Registry',
'Log Analytics', 'Virtual Network', 'Microsoft Defender for Cloud'). Replace a figure together with its
source and date; a `null` figure stays `null` until it can be sourced.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from settings import vm_sizes
from settings.types import quantity_value

_DATA = Path(__file__).with_name("prices.json")

# Hours in a month, as the Azure pricing calculator counts them; a day-priced item uses 730 / 24 days.
HOURS_PER_MONTH = 730
DAYS_PER_MONTH = HOURS_PER_MONTH / 24

CLUSTER = "azure-native:containerservice:ManagedCluster"
AGENT_POOL = "azure-native:containerservice:AgentPool"
RESOURCE_GROUP = "azure-native:resources:ResourceGroup"
REGISTRY = "azure-native:containerregistry:Registry"
PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint"
WORKSPACE = "azure-native:operationalinsights:Workspace"
NAT_GATEWAY = "azure-native:network:NatGateway"
PUBLIC_IP = "azure-native:network:PublicIPAddress"
KEY_VAULT = "azure-native:keyvault:Vault"
GRAFANA = "azure-native:dashboard:Grafana"
MONITOR_WORKSPACE = "azure-native:monitor:AzureMonitorWorkspace"
NAP_NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool"
GIB = 1024 ** 3
BACKUP_INSTANCE = "azure-native:dataprotection:BackupInstance"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"

# `spotMaxPrice` is in US dollars per hour; -1 means "up to the on-demand price" (ManagedCluster API:
# learn.microsoft.com/dotnet/api/microsoft.azure.management.containerservice.models.
# managedclusteragentpoolprofileproperties.spotmaxprice).
SPOT_UP_TO_ON_DEMAND = -1
# A cluster without `sku.tier` is on the Free tier (ManagedClusterSKU.Tier: "If not specified, the default is 'Free'").
DEFAULT_TIER = "Free"
# AKS egress through its own load balancer, with public IPs AKS creates.
OUTBOUND_LOAD_BALANCER = "loadBalancer"
# Log Analytics `dailyQuotaGb` of -1 means no daily cap (as settings.model.MonitoringSettings takes it).
NO_CAP = -1


@dataclass(frozen=True)
class LineItem:
    """One priced thing: its monthly cost in USD at the low and high end, or None with the reason."""

    key: str  # what two estimates are matched on: the pool name or the resource's logical name
    label: str  # what a reader sees, e.g. "pool apps (Standard_D8ds_v5 × 3–20)"
    min_usd: float | None
    max_usd: float | None
    note: str = ""  # the assumption behind the figure, or why there is none

    @property
    def priced(self) -> bool:
        return self.min_usd is not None


@dataclass(frozen=True)
class Estimate:
    region: str
    items: tuple[LineItem, ...]

    @property
    def unpriced(self) -> tuple[LineItem, ...]:
        return tuple(i for i in self.items if not i.priced)

    @property
    def min_usd(self) -> float:
        """Sum of the priced items' low ends; items without a price are left out (see `unpriced`)."""
        return sum(i.min_usd for i in self.items if i.min_usd is not None)

    @property
    def max_usd(self) -> float:
        return sum(i.max_usd for i in self.items if i.max_usd is not None)

    def to_json(self) -> dict[str, Any]:
        return {
            "region": self.region, "currency": "USD", "hours_per_month": HOURS_PER_MONTH,
            "items": [{"key": i.key, "label": i.label, "min_usd": i.min_usd, "max_usd": i.max_usd, "note": i.note}
                      for i in self.items],
            "total": {"min_usd": self.min_usd, "max_usd": self.max_usd, "items_without_price": len(self.unpriced)},
        }


@dataclass(frozen=True)
class ItemDelta:
    """How one item's monthly cost changes; None where either side has no price."""

    before: LineItem | None  # None: the item is new
    after: LineItem | None  # None: the item is gone
    min_usd: float | None
    max_usd: float | None


@dataclass(frozen=True)
class EstimateDelta:
    before: Estimate
    after: Estimate
    items: tuple[ItemDelta, ...]  # only the items that changed

    @property
    def min_usd(self) -> float:
        return self.after.min_usd - self.before.min_usd

    @property
    def max_usd(self) -> float:
        return self.after.max_usd - self.before.max_usd


# --- the price table -------------------------------------------------------------------------------


@cache
def _table() -> dict[str, Any]:
    return json.loads(_DATA.read_text(encoding="utf-8"))["regions"]


@dataclass(frozen=True)
class _Price:
    usd: float | None
    why_none: str = ""


class _Prices:
    """The table's entries for one region; a missing region or entry is a price with its reason."""

    def __init__(self, region: str):
        self.region = region
        self._entries = _table().get(region)
        vm = (self._entries or {}).get("vm_hourly", {})
        self._vm_sizes = {k.lower(): v for k, v in vm.items() if not k.startswith("_")}  # "_source" etc. are notes

    def entry(self, *path: str) -> _Price:
        if self._entries is None:
            return _Price(None, f"no list price: region {self.region} is not in offline/prices.json")
        node: Any = self._entries
        for part in path:
            node = node.get(part) if isinstance(node, Mapping) else None
        if node is None:
            return _Price(None, f"no list price: {' '.join(path)} is not in offline/prices.json for {self.region}")
        if node["usd"] is None and "usage_based" in node:
            return _Price(None, f"usage-based, not estimated: {node['usage_based']}")
        if node["usd"] is None:
            return _Price(None, f"no list price: {node['unsourced']}")
        return _Price(float(node["usd"]))

    def vm_hourly(self, size: str, os_type: str) -> _Price:
        if self._entries is None:
            return self.entry()
        found = self._vm_sizes.get(size.lower())
        if found is None:
            return _Price(None, f"no list price: {size} has no {self.region} price in offline/prices.json")
        return _Price(float(found["windows" if os_type == "Windows" else "linux"]))


# --- what the stack runs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pool:
    name: str
    vm_size: str
    os_type: str
    min_count: int
    max_count: int
    spot_max_price: float | None  # None: not a spot pool

    @classmethod
    def from_inputs(cls, name: str, p: Mapping[str, Any]) -> _Pool:
        autoscaled = bool(p.get("enableAutoScaling"))
        low = p.get("minCount") if autoscaled else p.get("count")
        high = p.get("maxCount") if autoscaled else p.get("count")
        max_price = p.get("spotMaxPrice")
        # Unset is -1 as well: "the default max price is -1 if it is not provided" (BillingProfile.maxPrice,
        # learn.microsoft.com/javascript/api/@azure/arm-compute-profile-2020-09-01-hybrid/billingprofile).
        spot_max = float(SPOT_UP_TO_ON_DEMAND if max_price is None else max_price)
        return cls(name, p["vmSize"], p.get("osType") or "Linux", int(low or 0), int(high or 0),
                   spot_max if p.get("scaleSetPriority") == "Spot" else None)


@dataclass(frozen=True)
class _NapPool:
    """A Karpenter NodePool: no node count, but a ceiling of CPUs and memory, and the VM sizes it may pick."""

    name: str
    cpu: float  # the `limits` as cores and GiB
    memory_gib: float
    spot: bool
    families: tuple[str, ...]
    sizes: tuple[str, ...]
    gpu_only: bool

    @classmethod
    def from_inputs(cls, p: Mapping[str, Any]) -> _NapPool:
        spec = p["spec"]
        wanted = {r["key"]: r.get("values") or [] for r in spec["template"]["spec"]["requirements"]}
        return cls(
            p["metadata"]["name"], float(quantity_value(str(spec["limits"]["cpu"]))),
            float(quantity_value(str(spec["limits"]["memory"])) / GIB),
            "spot" in wanted.get("karpenter.sh/capacity-type", []),
            tuple(wanted.get("karpenter.azure.com/sku-family", [])), tuple(wanted.get("karpenter.azure.com/sku-name", [])),
            "karpenter.azure.com/sku-gpu-count" in wanted,
        )

    def candidates(self) -> list[vm_sizes.VmSize]:
        """The sizes of settings/vm_sizes.json the pool may pick (a family is a size's series' first letter); sizes
        outside the table are not known here."""
        return [size for size in vm_sizes.all_sizes()
                if (not self.sizes or size.name in self.sizes) and (not self.families or size.series[0] in self.families)
                and (size.gpus > 0 or not self.gpu_only)]


def _of_type(resources: Sequence[Mapping[str, Any]], token: str) -> list[Mapping[str, Any]]:
    return [r for r in resources if r["type"] == token]


def _pools(resources: Sequence[Mapping[str, Any]]) -> list[_Pool]:
    """The cluster's inline pools (`agentPoolProfiles`) and its standalone `AgentPool`s."""
    inline = [_Pool.from_inputs(p["name"], p)
              for c in _of_type(resources, CLUSTER) for p in c["inputs"].get("agentPoolProfiles") or []]
    standalone = [_Pool.from_inputs(r["inputs"]["agentPoolName"], r["inputs"]) for r in _of_type(resources, AGENT_POOL)]
    return inline + standalone


def region_of(resources: Sequence[Mapping[str, Any]]) -> str:
    """The stack's region: the location of its resource group (the program puts everything there)."""
    groups = _of_type(resources, RESOURCE_GROUP)
    if not groups:
        raise LookupError("no resource group in the rendered resources: cannot tell the region")
    return groups[0]["inputs"]["location"]


# --- line items --------------------------------------------------------------------------------------


def _monthly(key: str, label: str, price: _Price, low_units: float, high_units: float, note: str = "") -> LineItem:
    """`price` per unit-month times the low and high number of units, or no price with the reason."""
    if price.usd is None:
        return LineItem(key, label, None, None, price.why_none)
    return LineItem(key, label, price.usd * low_units, price.usd * high_units, note)


def _counts(low: int, high: int) -> str:
    return f"{low}" if low == high else f"{low}–{high}"


def _pool_item(pool: _Pool, prices: _Prices) -> LineItem:
    kind = " Windows" if pool.os_type == "Windows" else ""
    kind += " spot" if pool.spot_max_price is not None else ""
    label = f"pool {pool.name} ({pool.vm_size}{kind} × {_counts(pool.min_count, pool.max_count)})"
    price, note = prices.vm_hourly(pool.vm_size, pool.os_type), ""
    if pool.spot_max_price == SPOT_UP_TO_ON_DEMAND:
        note = "spot at its max price: spotMaxPrice -1 pays up to the on-demand price"
    elif pool.spot_max_price is not None:
        price = _Price(pool.spot_max_price)
        note = f"spot at its max price: spotMaxPrice ${pool.spot_max_price}/h"
    hours = HOURS_PER_MONTH
    return _monthly(f"pool {pool.name}", label, price, pool.min_count * hours, pool.max_count * hours, note)


def _nap_pool_item(pool: _NapPool, prices: _Prices) -> LineItem:
    """From no node to the pool's limits: the limits' CPUs at the dearest price per vCPU-hour among the sizes the
    pool may pick, or its memory at the dearest per GiB-hour, whichever is less (the pool stops at either limit).
    Spot at the on-demand price: Karpenter for Azure bids spot VMs at max price -1, "up to the on-demand price"
    (Azure/karpenter-provider-azure pkg/providers/instance/vminstance.go, setVMPropertiesBillingProfile, commit 352646f5)."""
    kind = "spot, " if pool.spot else ""
    label = f"NAP pool {pool.name} ({kind}0 – {pool.cpu:g} vCPUs, {pool.memory_gib:g} GiB)"
    priced = [(size, price.usd) for size in pool.candidates()
              if (price := prices.vm_hourly(size.name, "Linux")).usd is not None]
    if not priced:
        return LineItem(f"nap {pool.name}", label, None, None,
                        "no list price: none of the sizes it may pick has a price in offline/prices.json")
    by_cpu = max(priced, key=lambda p: p[1] / p[0].vcpus)
    by_memory = max(priced, key=lambda p: p[1] / p[0].memory_gib)
    cpu_bound = pool.cpu * by_cpu[1] / by_cpu[0].vcpus
    memory_bound = pool.memory_gib * by_memory[1] / by_memory[0].memory_gib
    size, limit = (by_cpu[0], "cpu") if cpu_bound <= memory_bound else (by_memory[0], "memory")
    unpriced = len(pool.candidates()) - len(priced)
    note = f"at its {limit} limit in {size.name}'s price per {'vCPU' if limit == 'cpu' else 'GiB'}, the dearest " \
           f"of the {len(priced)} priced sizes it may pick"
    note += f" ({unpriced} without a price not counted)" if unpriced else ""
    note += "; spot at the on-demand price, the most Karpenter bids" if pool.spot else ""
    return LineItem(f"nap {pool.name}", label, 0.0, min(cpu_bound, memory_bound) * HOURS_PER_MONTH, note)


def _tier_item(cluster: Mapping[str, Any], prices: _Prices) -> LineItem:
    tier = (cluster["inputs"].get("sku") or {}).get("tier") or DEFAULT_TIER
    return _monthly("cluster tier", f"cluster tier {tier}", prices.entry("aks_tier_hourly", tier),
                    HOURS_PER_MONTH, HOURS_PER_MONTH)


def _outbound_ip_item(cluster: Mapping[str, Any], prices: _Prices) -> LineItem | None:
    """The Standard public IPs AKS creates for egress through its load balancer (outboundType loadBalancer):
    `managedOutboundIPs.count`, 1 unless set (ManagedClusterLoadBalancerProfileManagedOutboundIPs,
    learn.microsoft.com/javascript/api/@azure/arm-containerservice/managedclusterloadbalancerprofilemanagedoutboundips;
    Standard SKU public IPs: learn.microsoft.com/azure/aks/egress). None for other outbound types."""
    network = cluster["inputs"].get("networkProfile") or {}
    if network.get("outboundType") != OUTBOUND_LOAD_BALANCER:
        return None
    managed = (network.get("loadBalancerProfile") or {}).get("managedOutboundIPs") or {}
    count = managed.get("count", 1)
    return _monthly("outbound public IPs", f"outbound public IPs (AKS-managed, {count})",
                    prices.entry("public_ip_standard_static_hourly"), count * HOURS_PER_MONTH, count * HOURS_PER_MONTH,
                    "the AKS load balancer's own rules and data processed are not estimated")


def _defender_enabled(cluster: Mapping[str, Any]) -> bool:
    defender = (cluster["inputs"].get("securityProfile") or {}).get("defender") or {}
    return bool((defender.get("securityMonitoring") or {}).get("enabled"))


def _defender_item(pools: Sequence[_Pool], prices: _Prices, nap_cpus: float = 0) -> LineItem:
    """Defender for Containers, priced per vCore-hour (the unit of its entry in prices.json): the pools' vCPUs
    (settings/vm_sizes.json) at their min and max node counts, plus up to `nap_cpus` on NAP pools."""
    unknown = [p.vm_size for p in pools if vm_sizes.lookup(p.vm_size) is None]
    if unknown:
        return LineItem("defender", "Defender for Containers", None, None,
                        f"no list price: vCPUs of {', '.join(unknown)} are not in settings/vm_sizes.json")
    low = sum(vm_sizes.lookup(p.vm_size).vcpus * p.min_count for p in pools)
    high = sum(vm_sizes.lookup(p.vm_size).vcpus * p.max_count for p in pools) + round(nap_cpus)
    return _monthly("defender", f"Defender for Containers ({_counts(low, high)} vCPUs)",
                    prices.entry("defender_containers_vcore_hourly"), low * HOURS_PER_MONTH, high * HOURS_PER_MONTH)


def _registry_item(r: Mapping[str, Any], prices: _Prices) -> LineItem:
    sku = r["inputs"]["sku"]["name"]
    return _monthly(r["name"], f"registry {r['inputs'].get('registryName', r['name'])} ({sku})",
                    prices.entry("container_registry_daily", sku), DAYS_PER_MONTH, DAYS_PER_MONTH,
                    f"{DAYS_PER_MONTH:.1f} days; storage, transfer and builds not estimated")


def _private_endpoint_item(r: Mapping[str, Any], prices: _Prices) -> LineItem:
    name = r["inputs"].get("privateEndpointName", r["name"])
    return _monthly(r["name"], f"private endpoint {name}", prices.entry("private_endpoint_hourly"),
                    HOURS_PER_MONTH, HOURS_PER_MONTH, "data processed per GB not estimated")


def _workspace_item(r: Mapping[str, Any], prices: _Prices) -> LineItem:
    name = r["inputs"].get("workspaceName", r["name"])
    cap = (r["inputs"].get("workspaceCapping") or {}).get("dailyQuotaGb", NO_CAP)
    if cap == NO_CAP:  # an unset cap is not estimated either: nothing bounds the ingestion
        return LineItem(r["name"], f"log ingestion {name} (no daily cap)", None, None,
                        "no cap, not estimated: ingestion depends on what the cluster logs")
    gb = cap * DAYS_PER_MONTH
    return _monthly(r["name"], f"log ingestion {name} (cap {cap:g} GB/day)",
                    prices.entry("log_analytics_ingestion_per_gb"), gb, gb,
                    f"at the daily cap every day: {cap:g} GB × {DAYS_PER_MONTH:.1f} days, the most it can cost")


def _nat_gateway_item(r: Mapping[str, Any], prices: _Prices) -> LineItem:
    return _monthly(r["name"], f"NAT gateway {r['inputs'].get('natGatewayName', r['name'])}",
                    prices.entry("nat_gateway", "hourly"), HOURS_PER_MONTH, HOURS_PER_MONTH,
                    "data processed per GB not estimated")


def _public_ip_item(r: Mapping[str, Any], prices: _Prices) -> LineItem:
    name = f"public IP {r['inputs'].get('publicIpAddressName', r['name'])}"
    sku = (r["inputs"].get("sku") or {}).get("name")
    static = r["inputs"].get("publicIPAllocationMethod") == "Static"
    if sku != "Standard" or not static:
        return LineItem(r["name"], name, None, None, "no list price: only Standard static IPs are in the table")
    return _monthly(r["name"], name, prices.entry("public_ip_standard_static_hourly"), HOURS_PER_MONTH, HOURS_PER_MONTH)


def _key_vault_item(r: Mapping[str, Any], prices: _Prices) -> LineItem:
    """Billed per operation: shown with why it is not estimated, whatever the table's figure."""
    why = prices.entry("key_vault_operations").why_none or "usage-based, not estimated"
    return LineItem(r["name"], f"key vault {r['inputs'].get('vaultName', r['name'])}", None, None, why)


def _grafana_item(r: Mapping[str, Any], prices: _Prices) -> LineItem:
    sku = (r["inputs"].get("sku") or {}).get("name")
    return _monthly(r["name"], f"Managed Grafana {r['inputs'].get('workspaceName', r['name'])} ({sku})",
                    prices.entry("managed_grafana_hourly", sku), HOURS_PER_MONTH, HOURS_PER_MONTH,
                    "active users and zone redundancy not estimated")


def _monitor_workspace_item(r: Mapping[str, Any], prices: _Prices) -> LineItem:
    """Managed Prometheus is billed by use: shown with why it is not estimated."""
    why = prices.entry("azure_monitor_metrics").why_none or "usage-based, not estimated"
    return LineItem(r["name"], f"Prometheus metrics {r['inputs'].get('azureMonitorWorkspaceName', r['name'])}",
                    None, None, why)
def _backup_instance_item(r: Mapping[str, Any], prices: _Prices) -> LineItem:
    """Azure Backup for AKS bills each protected instance, plus the disk snapshots it keeps (prices.json says
    which figure is missing and why)."""
    name = r["inputs"].get("backupInstanceName", r["name"])
    price = prices.entry("aks_backup_protected_instance")
    return _monthly(r["name"], f"AKS backup instance {name}", price, 1, 1, "disk snapshots not estimated")


def _storage_account_item(r: Mapping[str, Any], prices: _Prices) -> LineItem:
    """Billed per GB and per operation: shown with why it is not estimated, whatever the table's figure."""
    why = prices.entry("storage_blob").why_none or "usage-based, not estimated"
    return LineItem(r["name"], f"storage account {r['inputs'].get('accountName', r['name'])}", None, None, why)


_PER_RESOURCE = {
    REGISTRY: _registry_item,
    PRIVATE_ENDPOINT: _private_endpoint_item,
    WORKSPACE: _workspace_item,
    NAT_GATEWAY: _nat_gateway_item,
    PUBLIC_IP: _public_ip_item,
    KEY_VAULT: _key_vault_item,
    GRAFANA: _grafana_item,
    MONITOR_WORKSPACE: _monitor_workspace_item,
    BACKUP_INSTANCE: _backup_instance_item,
    STORAGE_ACCOUNT: _storage_account_item,
}


def _items(resources: Sequence[Mapping[str, Any]], prices: _Prices) -> Iterator[LineItem]:
    pools = _pools(resources)
    nap_pools = [_NapPool.from_inputs(r["inputs"]) for r in _of_type(resources, NAP_NODE_POOL)]
    yield from (_pool_item(p, prices) for p in pools)
    yield from (_nap_pool_item(p, prices) for p in nap_pools)
    for cluster in _of_type(resources, CLUSTER):
        yield _tier_item(cluster, prices)
        outbound = _outbound_ip_item(cluster, prices)
        if outbound is not None:
            yield outbound
        if _defender_enabled(cluster):
            yield _defender_item(pools, prices, sum(p.cpu for p in nap_pools))
    for token, item in _PER_RESOURCE.items():
        # Sorted by logical name, so that the same desired state always gives the same lines.
        yield from (item(r, prices) for r in sorted(_of_type(resources, token), key=lambda r: r["name"]))


def estimate(resources: Sequence[Mapping[str, Any]], region: str | None = None) -> Estimate:
    """The monthly cost of `resources` (the offline engine's records) at `region`'s list prices.

    `region` defaults to the stack's region (its resource group's location).
    """
    region = region or region_of(resources)
    return Estimate(region, tuple(_items(resources, _Prices(region))))


# --- comparing two estimates -------------------------------------------------------------------------


def _change(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def diff(before: Estimate, after: Estimate) -> EstimateDelta:
    """Per item (matched on `key`) and in total, how the monthly cost moves from `before` to `after`."""
    old = {i.key: i for i in before.items}
    new = {i.key: i for i in after.items}
    changed = []
    for key in [*new, *(k for k in old if k not in new)]:
        b, a = old.get(key), new.get(key)
        if b == a:
            continue
        if b is None:
            changed.append(ItemDelta(None, a, a.min_usd, a.max_usd))
        elif a is None:
            changed.append(ItemDelta(b, None, _change(b.min_usd, 0.0), _change(b.max_usd, 0.0)))
        else:
            changed.append(ItemDelta(b, a, _change(b.min_usd, a.min_usd), _change(b.max_usd, a.max_usd)))
    return EstimateDelta(before, after, tuple(changed))


# --- text ------------------------------------------------------------------------------------------


def _usd(value: float) -> str:
    return f"${value:,.2f}"


def _signed(value: float) -> str:
    if round(value, 2) == 0:
        return _usd(0)
    return f"{'-' if value < 0 else '+'}{_usd(abs(value))}"


def _range(low: float, high: float, fmt=_usd) -> str:
    return fmt(low) if round(low, 2) == round(high, 2) else f"{fmt(low)} – {fmt(high)}"


def _item_line(item: LineItem) -> str:
    if not item.priced:
        return f"  {item.label}: {item.note}"
    note = f"  ({item.note})" if item.note else ""
    return f"  {item.label}: {_range(item.min_usd, item.max_usd)} /month{note}"


def _left_out(count: int) -> str:
    return f" (not counting {count} item{'s' if count != 1 else ''} without a price)" if count else ""


def render(est: Estimate) -> list[str]:
    """The estimate as plan lines: a heading, one line per item, the total."""
    return [
        f"Estimated monthly cost ({est.region}, USD list prices, {HOURS_PER_MONTH} h/month):",
        *(_item_line(i) for i in est.items),
        f"  total: {_range(est.min_usd, est.max_usd)} /month{_left_out(len(est.unpriced))}",
    ]


def _delta_line(d: ItemDelta) -> str:
    if d.before is None:
        mark, label = "+", d.after.label
    elif d.after is None:
        mark, label = "-", d.before.label
    else:
        same = d.before.label == d.after.label
        mark, label = "~", d.after.label if same else f"{d.before.label} → {d.after.label}"
    if d.min_usd is None or d.max_usd is None:
        return f"  {mark} {label}: no list price"
    return f"  {mark} {label}: {_range(d.min_usd, d.max_usd, _signed)} /month"


def render_delta(delta: EstimateDelta) -> list[str]:
    """The cost change as diff lines; one line saying so when nothing priced changes."""
    if not delta.items:
        return ["Estimated monthly cost: no change"]
    unpriced = len(delta.after.unpriced)
    return [
        "Estimated monthly cost change (USD list prices):",
        *(_delta_line(d) for d in delta.items),
        f"  total: {_range(delta.min_usd, delta.max_usd, _signed)} /month{_left_out(unpriced)}",
    ]
