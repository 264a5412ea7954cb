"""offline/cost.py: the monthly cost estimate of a desired state, its change, and its text."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from offline import cost
from offline.engine import render, stack_config

PRICES = json.loads((Path(cost.__file__).with_name("prices.json")).read_text(encoding="utf-8"))
WESTEUROPE = PRICES["regions"]["westeurope"]
GROUP = {"type": cost.RESOURCE_GROUP, "name": "platform-rg", "inputs": {"location": "westeurope"}}  # the stack's region


@pytest.fixture(scope="module")
def dev():
    return render("dev")


def resource(token: str, name: str, **inputs) -> dict:
    return {"type": token, "name": name, "inputs": inputs}


def pool(name: str, vm_size: str = "Standard_D4ds_v5", low: int = 1, high: int = 3, **inputs) -> dict:
    return {"type": cost.AGENT_POOL, "name": f"pools-{name}", "inputs": {
        "agentPoolName": name, "vmSize": vm_size, "osType": "Linux", "enableAutoScaling": True,
        "minCount": low, "maxCount": high, "count": low, **inputs}}


def item(estimate: cost.Estimate, key: str) -> cost.LineItem:
    return next(i for i in estimate.items if i.key == key)


@pytest.mark.parametrize(("size", "linux", "windows"), [
    # As read from the Retail Prices API snapshot named in prices.json (westeurope, pay-as-you-go, USD/hour).
    ("Standard_D4ds_v5", 0.272, 0.456),
    ("Standard_D8ds_v5", 0.544, 0.912),
    ("Standard_NC4as_T4_v3", 0.658, 0.842),
])
def test_the_table_holds_the_sourced_hourly_prices_of_the_shipped_sizes(size, linux, windows):
    assert WESTEUROPE["vm_hourly"][size] == {"linux": linux, "windows": windows}


def test_every_figure_in_the_table_has_a_source_or_says_why_not():
    def entries(node):
        if isinstance(node, dict) and "usd" in node:
            yield node
        elif isinstance(node, dict):
            for key, child in node.items():
                if key != "vm_hourly":
                    yield from entries(child)
    found = list(entries(WESTEUROPE))
    assert found
    for entry in found:
        assert entry.get("source") if entry["usd"] is not None else (entry.get("unsourced") or entry.get("usage_based"))
    assert "prices.azure.com" in WESTEUROPE["vm_hourly"]["_source"] and "commit" in WESTEUROPE["vm_hourly"]["_source"]


def test_a_pool_costs_its_hourly_price_times_730_hours_at_its_min_and_max_node_count(dev):
    system = item(cost.estimate(dev.resources), "pool system")  # dev: Standard_D4ds_v5, 1 to 3 nodes
    assert system.min_usd == pytest.approx(0.272 * 730 * 1)
    assert system.max_usd == pytest.approx(0.272 * 730 * 3)
    assert system.label == "pool system (Standard_D4ds_v5 × 1–3)"


def test_the_whole_dev_estimate(dev):
    est = cost.estimate(dev.resources)
    assert est.region == "westeurope"
    assert [i.key for i in est.items if i.priced] == ["pool system", "pool apps", "cluster tier"]
    assert item(est, "cluster tier").min_usd == 0  # Free tier
    assert est.min_usd == pytest.approx(0.272 * 730 * (1 + 1))
    assert est.max_usd == pytest.approx(0.272 * 730 * (3 + 5))
    # Outbound IP, registry SKU and log ingestion have no sourced price, the vault is usage-based: said, not guessed.
    assert [i.label.split()[0] for i in est.unpriced] == ["outbound", "registry", "log", "key"]
    assert all(i.min_usd is None and i.max_usd is None for i in est.unpriced)


def test_an_unsourced_size_has_no_list_price_and_the_total_says_it_left_it_out():
    # Standard_D2_v3 is a real size (settings/vm_sizes.json) without a price in the table.
    est = cost.estimate([GROUP, pool("old", "Standard_D2_v3"), pool("apps")])
    old = item(est, "pool old")
    assert (old.min_usd, old.max_usd) == (None, None)
    assert old.note.startswith("no list price: Standard_D2_v3 has no westeurope price")
    assert est.min_usd == pytest.approx(0.272 * 730)
    assert cost.render(est)[-1].endswith("(not counting 1 item without a price)")


def test_a_spot_pool_at_max_price_minus_one_is_priced_at_the_on_demand_price():
    est = cost.estimate([GROUP, pool("spot", "Standard_D8ds_v5", 0, 10, scaleSetPriority="Spot", spotMaxPrice=-1)])
    spot = item(est, "pool spot")
    assert (spot.min_usd, spot.max_usd) == (0, pytest.approx(0.544 * 730 * 10))
    assert "up to the on-demand price" in spot.note
    assert "spot × 0–10" in spot.label


def test_a_spot_pool_with_a_max_price_is_priced_at_that_price():
    est = cost.estimate([GROUP, pool("spot", "Standard_D8ds_v5", 0, 10, scaleSetPriority="Spot", spotMaxPrice=0.2)])
    assert item(est, "pool spot").max_usd == pytest.approx(0.2 * 730 * 10)


def test_a_windows_pool_is_priced_at_the_windows_price():
    est = cost.estimate([GROUP, pool("win", osType="Windows")])
    assert item(est, "pool win").max_usd == pytest.approx(0.456 * 730 * 3)


def test_a_pool_without_autoscaling_costs_its_fixed_count():
    est = cost.estimate([GROUP, pool("fixed", enableAutoScaling=False, count=2)])
    fixed = item(est, "pool fixed")
    assert fixed.min_usd == fixed.max_usd == pytest.approx(0.272 * 730 * 2)
    assert fixed.label == "pool fixed (Standard_D4ds_v5 × 2)"


def test_defender_counts_the_vcpus_of_every_pool_at_min_and_max(dev):
    cluster = copy.deepcopy(dev.one(cost.CLUSTER))
    cluster["inputs"]["securityProfile"]["defender"] = {"securityMonitoring": {"enabled": True}}
    resources = [r for r in dev.resources if r["type"] != cost.CLUSTER] + [cluster]
    defender = item(cost.estimate(resources), "defender")
    # system 1–3 and apps 1–5 nodes of Standard_D4ds_v5 (4 vCPUs): 8 to 32 vCPUs.
    assert defender.label == "Defender for Containers (8–32 vCPUs)"
    assert defender.note.startswith("no list price")
    assert "defender" not in [i.key for i in cost.estimate(dev.resources).items]


def test_private_endpoints_and_log_ingestion():
    endpoint = resource(cost.PRIVATE_ENDPOINT, "pe", privateEndpointName="pe-vault")
    capped = resource(cost.WORKSPACE, "ws", workspaceName="log", workspaceCapping={"dailyQuotaGb": 2})
    uncapped = resource(cost.WORKSPACE, "ws2", workspaceName="log2", workspaceCapping={"dailyQuotaGb": -1})
    est = cost.estimate([GROUP, endpoint, capped, uncapped])
    assert item(est, "pe").max_usd == pytest.approx(0.01 * 730)
    assert item(est, "ws").label == "log ingestion log (cap 2 GB/day)"
    assert item(est, "ws").note.startswith("no list price")  # the per-GB price is not sourced yet
    assert item(est, "ws2").note.startswith("no cap, not estimated")


def test_a_region_without_prices_prices_nothing(dev):
    est = cost.estimate(dev.resources, region="southafricanorth")
    assert not [i for i in est.items if i.priced]
    assert "region southafricanorth is not in offline/prices.json" in est.items[0].note


def test_the_delta_of_a_pool_whose_max_count_changes(dev):
    before = cost.estimate(dev.resources)
    grown = copy.deepcopy(dev.resources)
    next(r for r in grown if r["type"] == cost.AGENT_POOL)["inputs"]["maxCount"] = 8  # apps: 5 -> 8
    delta = cost.diff(before, cost.estimate(grown))
    [apps] = delta.items
    assert (apps.min_usd, apps.max_usd) == (0, pytest.approx(0.272 * 730 * 3))
    assert (delta.min_usd, delta.max_usd) == (0, pytest.approx(0.272 * 730 * 3))
    assert cost.render_delta(delta) == [
        "Estimated monthly cost change (USD list prices):",
        "  ~ pool apps (Standard_D4ds_v5 × 1–5) → pool apps (Standard_D4ds_v5 × 1–8): $0.00 – +$595.68 /month",
        "  total: $0.00 – +$595.68 /month (not counting 4 items without a price)",
    ]


def test_added_and_removed_pools_count_in_full():
    base = cost.estimate([GROUP, pool("apps")])
    more = cost.estimate([GROUP, pool("apps"), pool("gpu", "Standard_NC4as_T4_v3", 0, 2)])
    added = cost.diff(base, more)
    [gpu] = added.items
    assert (gpu.before, gpu.after.key, gpu.max_usd) == (None, "pool gpu", pytest.approx(0.658 * 730 * 2))
    removed = cost.diff(more, base)
    assert removed.max_usd == pytest.approx(-0.658 * 730 * 2)
    assert cost.render_delta(removed)[1] == "  - pool gpu (Standard_NC4as_T4_v3 × 0–2): $0.00 – -$960.68 /month"


def test_no_change_says_so(dev):
    est = cost.estimate(dev.resources)
    assert cost.render_delta(cost.diff(est, est)) == ["Estimated monthly cost: no change"]


def test_the_rendered_estimate(dev):
    lines = cost.render(cost.estimate(dev.resources))
    assert lines[0] == "Estimated monthly cost (westeurope, USD list prices, 730 h/month):"
    assert "  pool system (Standard_D4ds_v5 × 1–3): $198.56 – $595.68 /month" in lines
    assert "  cluster tier Free: $0.00 /month" in lines
    assert lines[-1] == "  total: $397.12 – $1,588.48 /month (not counting 4 items without a price)"


def cluster(**network) -> dict:
    return resource(cost.CLUSTER, "cluster-aks", sku={"tier": "Free"}, networkProfile=network)


def test_the_outbound_ips_aks_creates_are_counted_only_for_load_balancer_egress():
    default = cost.estimate([GROUP, cluster(outboundType="loadBalancer")])
    assert item(default, "outbound public IPs").label == "outbound public IPs (AKS-managed, 1)"
    three_ips = {"managedOutboundIPs": {"count": 3}}
    three = cost.estimate([GROUP, cluster(outboundType="loadBalancer", loadBalancerProfile=three_ips)])
    assert item(three, "outbound public IPs").label == "outbound public IPs (AKS-managed, 3)"
    nat = cost.estimate([GROUP, cluster(outboundType="userAssignedNATGateway")])
    assert "outbound public IPs" not in [i.key for i in nat.items]


def test_nat_gateway_public_ip_and_key_vault_lines():
    resources = [GROUP,
                 resource(cost.NAT_GATEWAY, "network-nat", natGatewayName="ng-dev"),
                 resource(cost.PUBLIC_IP, "network-nat-ip", publicIpAddressName="pip-dev-nat", sku={"name": "Standard"},
                          publicIPAllocationMethod="Static"),
                 resource(cost.KEY_VAULT, "keyvault-vault", vaultName="kv-dev")]
    est = cost.estimate(resources)
    assert item(est, "network-nat").label == "NAT gateway ng-dev"
    assert item(est, "network-nat").note.startswith("no list price")
    assert item(est, "network-nat-ip").note.startswith("no list price: no stored copy of")
    assert item(est, "keyvault-vault").note.startswith("usage-based, not estimated")


# --- node auto-provisioning pools --------------------------------------------------------------------


def nap_pool(name: str, cpu: str, memory: str, *requirements: tuple[str, list[str]]) -> dict:
    return resource(cost.NAP_NODE_POOL, f"nap-{name}-node-pool", metadata={"name": name}, spec={
        "limits": {"cpu": cpu, "memory": memory},
        "template": {"spec": {"requirements": [{"key": k, "operator": "In", "values": v} for k, v in requirements]}},
    })


SKU_NAME = "karpenter.azure.com/sku-name"


def test_a_nap_pool_costs_nothing_to_its_memory_limit_when_that_binds_first():
    # D4ds_v5 and D8ds_v5 both cost $0.068 per vCPU-hour and $0.017 per GiB-hour: 32 GiB binds before 16 vCPUs.
    sizes = (SKU_NAME, ["Standard_D4ds_v5", "Standard_D8ds_v5"])
    found = item(cost.estimate([GROUP, nap_pool("general", "16", "32Gi", sizes)]), "nap general")
    assert found.label == "NAP pool general (0 – 16 vCPUs, 32 GiB)"
    assert (found.min_usd, found.max_usd) == (0.0, pytest.approx(32 * 0.017 * 730))
    assert found.note.startswith("at its memory limit in Standard_D")


def test_a_gpu_nap_pool_at_its_cpu_limit():
    pool = nap_pool("gpu", "8", "1000Gi", (SKU_NAME, ["Standard_NC4as_T4_v3"]),
                    ("karpenter.azure.com/sku-gpu-count", ["0"]))
    found = item(cost.estimate([GROUP, pool]), "nap gpu")
    assert found.max_usd == pytest.approx(8 * 0.658 / 4 * 730)
    assert found.note == "at its cpu limit in Standard_NC4as_T4_v3's price per vCPU, the dearest of the 1 priced " \
                         "sizes it may pick"


def test_a_spot_nap_pool_is_counted_at_the_on_demand_price():
    pool = nap_pool("spot", "16", "32Gi", (SKU_NAME, ["Standard_D4ds_v5"]), ("karpenter.sh/capacity-type", ["spot"]))
    found = item(cost.estimate([GROUP, pool]), "nap spot")
    assert found.label == "NAP pool spot (spot, 0 – 16 vCPUs, 32 GiB)"
    assert found.max_usd == pytest.approx(32 * 0.017 * 730)
    assert found.note.endswith("; spot at the on-demand price, the most Karpenter bids")


def test_a_nap_pool_of_sizes_without_a_price_says_so():
    found = item(cost.estimate([GROUP, nap_pool("old", "16", "64Gi", (SKU_NAME, ["Standard_D4_v3"]))]), "nap old")
    assert (found.min_usd, found.max_usd) == (None, None)
    assert found.note == "no list price: none of the sizes it may pick has a price in offline/prices.json"


def test_the_nap_example_counts_each_pool_from_zero_to_its_limits():
    nap_dir = Path(__file__).parents[1] / "nap"
    estimate = cost.estimate(render("nap", config=stack_config("nap", root=nap_dir)).resources)
    napped = {i.key: i for i in estimate.items if i.key.startswith("nap ")}
    assert set(napped) == {"nap general", "nap spot", "nap gpu"}
    assert all(i.min_usd == 0.0 and i.max_usd > 0 for i in napped.values())
    # Defender counts up to the NAP pools' CPU limits too: 3 system vCPU x 4 + 80 + 64 + 16.
    assert item(estimate, "defender").label == "Defender for Containers (12–172 vCPUs)"
