"""The example stack with a pool for every kind of workload renders with the right properties for each."""
from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest
from pulumi.runtime import rpc

from offline.engine import render, stack_config
from settings import ConfigError

HERE = Path(__file__).parent
STACK_FILE = HERE / "Pulumi.workloads.yaml"
CONFIG = stack_config("workloads", root=HERE)
CLUSTER = "azure-native:containerservice:ManagedCluster"
AGENT_POOL = "azure-native:containerservice:AgentPool"


@pytest.fixture(scope="module")
def rendered():
    return render("workloads", config=CONFIG)


def pool(rendered, name: str) -> dict:
    return rendered.one(AGENT_POOL, f"pools-{name}")["inputs"]


def cluster(rendered) -> dict:
    return rendered.one(CLUSTER)["inputs"]


def test_linux_user_pool(rendered):
    apps = pool(rendered, "apps")
    assert (apps["osType"], apps["osSKU"], apps["mode"]) == ("Linux", "Ubuntu", "User")
    assert apps["nodeLabels"] == {"workload": "web"}
    # Not in the stack file: the largest ephemeral OS disk the D4ds_v5 temp disk (150 GiB) holds, capped at 128.
    assert (apps["osDiskType"], apps["osDiskSizeGB"]) == ("Ephemeral", 128)
    assert apps["upgradeSettings"] == {"maxSurge": "1", "drainTimeoutInMinutes": 15, "nodeSoakDurationInMinutes": 0}
    assert "scaleSetPriority" not in apps and "gpuProfile" not in apps


def test_windows_pool(rendered):
    win = pool(rendered, "win")
    assert (win["osType"], win["osSKU"], win["agentPoolName"]) == ("Windows", "Windows2022", "win")
    assert win["nodeTaints"] == ["os=windows:NoSchedule"]
    assert "securityProfile" not in win  # SSH access is a Linux node setting


def test_windows_nodes_need_azure_dataplane_with_calico_policy(rendered):
    network = cluster(rendered)["networkProfile"]
    assert (network["networkPluginMode"], network["networkDataplane"], network["networkPolicy"]) == (
        "overlay", "azure", "calico",
    )


def test_windows_profile_password_is_generated_and_secret(rendered):
    profile = cluster(rendered)["windowsProfile"]
    assert rpc.is_rpc_secret(profile), "the Windows profile carries the admin password, so it must be secret"
    value = rpc.unwrap_rpc_secret(profile)
    assert value["adminUsername"] == "azureuser"
    password = rendered.one("random:index/randomPassword:RandomPassword")
    assert value["adminPassword"] == password["outputs"]["result"]
    assert password["inputs"]["length"] == 32
    assert value["adminPassword"] not in STACK_FILE.read_text() and "adminPassword" not in STACK_FILE.read_text()


def test_spot_pool_scales_from_zero(rendered):
    spot = pool(rendered, "spot")
    assert (spot["scaleSetPriority"], spot["scaleSetEvictionPolicy"], spot["spotMaxPrice"]) == ("Spot", "Delete", -1)
    assert (spot["enableAutoScaling"], spot["minCount"], spot["maxCount"], spot["count"]) == (True, 0, 10, 0)
    # AKS taints spot nodes itself and refuses a surge on spot pools.
    assert "nodeTaints" not in spot and "upgradeSettings" not in spot
    assert rendered.one(AGENT_POOL, "pools-spot")["ignoreChanges"] == ["count"]


def test_gpu_pool_gets_taint_and_driver_by_default(rendered):
    gpu = pool(rendered, "gpu")
    assert gpu["vmSize"] == "Standard_NC4as_T4_v3"
    assert gpu["nodeTaints"] == ["sku=gpu:NoSchedule"]
    assert gpu["gpuProfile"] == {"driver": "Install"}
    assert gpu["minCount"] == 0


def test_autoscaler_profile(rendered):
    assert cluster(rendered)["autoScalerProfile"] == {
        "expander": "least-waste",
        "scanInterval": "10s",
        "scaleDownDelayAfterAdd": "10m",
        "scaleDownDelayAfterDelete": "10m",
        "scaleDownDelayAfterFailure": "3m",
        "scaleDownUnneededTime": "5m",
        "scaleDownUtilizationThreshold": "0.5",
    }


def test_system_pool_keeps_its_taint_and_gets_the_fitting_os_disk(rendered):
    system = cluster(rendered)["agentPoolProfiles"][0]
    assert (system["name"], system["osSKU"], system["osDiskSizeGB"]) == ("system", "AzureLinux", 128)
    assert system["nodeTaints"] == ["CriticalAddonsOnly=true:NoSchedule"]


def test_broken_config_registers_no_resource():
    broken = dict(CONFIG)
    pools = json.loads(broken["aks-platform:nodePools"])
    pools[1]["osDiskSizeGb"] = 200
    broken["aks-platform:nodePools"] = json.dumps(pools)
    records = []
    with pytest.raises(ConfigError) as err:
        records = render("workloads", config=broken).resources
    assert err.value.problems == [
        'aks-platform:nodePools[1] "apps": osDiskSizeGb 200 does not fit Standard_D4ds_v5 (temp disk 150 GiB); '
        "use osDiskSizeGb <= 150, osDiskType: Managed, or Standard_D8ds_v5 (300 GiB)"
    ]
    assert records == []


@pytest.fixture(scope="module")
def linux_only():
    """The example without its Windows pool and with a VM size the table does not know (declared
    `vmSizeUnlisted`), rendered once;
    returns the render and every message the program logged with pulumi.log.warn."""
    logged: list[str] = []
    patch = pytest.MonkeyPatch()
    patch.setattr(pulumi.log, "warn", lambda message, *args, **kwargs: logged.append(message))
    config = dict(CONFIG)
    pools = [p for p in json.loads(config["aks-platform:nodePools"]) if p.get("osType") != "Windows"]
    pools[1]["vmSize"], pools[1]["vmSizeUnlisted"] = "Standard_D4future_v9", True
    config["aks-platform:nodePools"] = json.dumps(pools)
    try:
        yield render("workloads", config=config), logged
    finally:
        patch.undo()


def test_no_windows_profile_without_windows_pools(linux_only):
    rendered, _ = linux_only
    assert "windowsProfile" not in cluster(rendered)
    assert rendered.of_type("random:index/randomPassword:RandomPassword") == []


def test_warnings_reach_the_user(linux_only):
    rendered, logged = linux_only
    assert logged == [
        'aks-platform:nodePools[1] "apps": Standard_D4future_v9 is not in the VM size table (settings/vm_sizes.json), '
        "so whether its ephemeral OS disk fits could not be checked; if the deploy fails with VMCacheSizeTooSmall, "
        "set osDiskSizeGb or osDiskType: Managed"
    ]
    # The size is left to AKS rather than guessed.
    assert "osDiskSizeGB" not in pool(rendered, "apps")
