"""Node pool policies, applied to every inline pool and every standalone AgentPool (see pools.py)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from facts.azure import MAX_PODS_LIMITS, ZONES
from facts.profiles import STRICTEST

from .compliance import azure_policy, cis_aks
from .framework import HIGH, MEDIUM, Problem, equals, require
from .pools import Pool, pool_policy
from .props import get, is_unknown, items, show

_is_true, _is_false = equals(True), equals(False)


def _max_pods(pool: Pool, config: Mapping) -> Iterable[Problem]:
    minimum = config["minimum"]
    # Absent: 30 with Azure CNI on the node subnet (250 with overlay); judged as the lower default.
    yield from require(pool.props, "maxPods", lambda v: isinstance(v, (int, float)) and v >= minimum,
                       f"at least {minimum}", azure_default=30)


def _zones(pool: Pool, config: Mapping) -> Iterable[Problem]:
    zones = get(pool.props, "availabilityZones")
    if is_unknown(zones) or any(is_unknown(z) for z in items(zones)):
        return
    if len(items(zones)) < config["minimum"]:
        said = "is absent (Azure then places nodes in no zone)" if zones is None else f"is {show(zones)}"
        yield "availabilityZones", f"{said}; want at least {config['minimum']} zones"


def _critical_addons_taint(pool: Pool, _config: Mapping) -> Iterable[Problem]:
    if not pool.is_system:
        return
    taints = items(get(pool.props, "nodeTaints"))
    if any(is_unknown(t) for t in taints):
        return
    # CriticalAddonsOnly=true:NoSchedule keeps application pods off the System pool.
    if not any(isinstance(t, str) and t.split("=")[0].split(":")[0] == "CriticalAddonsOnly"
               and t.rsplit(":", 1)[-1] in ("NoSchedule", "NoExecute") for t in taints):
        yield "nodeTaints", f"is {show(get(pool.props, 'nodeTaints'))} on a System pool; want CriticalAddonsOnly=true:NoSchedule"


POLICIES = [
    pool_policy(
        name="aks-pool-ephemeral-os-disk",
        description="Every pool uses ephemeral OS disks: faster reimage and no OS disk left to manage or leak. "
                    "Absent means Azure picks Managed whenever the VM size's cache or temp disk is too small.",
        severity=MEDIUM,
        check=lambda pool, c: require(pool.props, "osDiskType", equals("Ephemeral"), "Ephemeral",
                                      azure_default="Managed (when the OS disk does not fit the VM cache)"),
        remediation="set aks-platform:nodePools[].osDiskType to Ephemeral with a VM size whose cache or temp "
                    "disk fits the OS disk"),
    pool_policy(
        name="aks-pool-encryption-at-host",
        framework=azure_policy("41425d9f-d1a5-499a-9932-f8ed8453932c"),
        description="Every pool encrypts temp disks and caches at the host, which platform encryption does "
                    "not cover; absent means off.",
        severity=HIGH,
        check=lambda pool, c: require(pool.props, "enableEncryptionAtHost", _is_true, "true", azure_default=False),
        remediation="the node pool builder sets enableEncryptionAtHost (register the EncryptionAtHost feature on "
                    "the subscription); it is not a stack setting"),
    pool_policy(
        name="aks-pool-no-public-ip",
        framework=cis_aks("5.4.3"),
        description="No pool gives nodes public IPs, so nodes are reachable only through the VNet; absent "
                    "means no public IP.",
        severity=HIGH,
        check=lambda pool, c: require(pool.props, "enableNodePublicIP", _is_false, "false", azure_default=False),
        remediation="remove enableNodePublicIP from the node pool builder (not a stack setting)"),
    pool_policy(
        name="aks-pool-ssh-disabled",
        framework=azure_policy("28257686-e9db-403e-b9e2-a5eecbe03da9"),
        description="SSH to nodes is disabled on every pool; node access goes through kubectl debug with "
                    "Entra ID. Absent means LocalUser (SSH with a key).",
        severity=HIGH,
        check=lambda pool, c: require(pool.props, "securityProfile.sshAccess", equals("Disabled"), "Disabled",
                                      azure_default="LocalUser"),
        remediation="the node pool builder sets securityProfile.sshAccess Disabled; it is not a stack setting"),
    pool_policy(
        name="aks-pool-min-max-pods",
        description="Every pool allows at least the configured number of pods per node, so nodes are not "
                    "wasted on a low pod cap; absent is judged as 30, the Azure CNI default.",
        severity=MEDIUM, check=_max_pods,
        config={"minimum": {"type": "integer", "minimum": MAX_PODS_LIMITS[0], "maximum": MAX_PODS_LIMITS[1],
                            "default": STRICTEST.min_max_pods,
                            "description": "Lowest accepted maxPods."}},
        remediation="raise aks-platform:nodePools[].maxPods"),
    pool_policy(
        name="aks-pool-vm-scale-sets",
        description="Every pool runs on VM scale sets, needed for autoscaling, zones and multiple pools; "
                    "absent means VirtualMachineScaleSets.",
        severity=MEDIUM,
        check=lambda pool, c: require(pool.props, "type", equals("VirtualMachineScaleSets"),
                                      "VirtualMachineScaleSets", azure_default="VirtualMachineScaleSets"),
        remediation="remove the pool type override from the node pool builder (not a stack setting)"),
    pool_policy(
        name="aks-pool-zones",
        framework=azure_policy("2dec5f47-bc40-40d1-8c7d-a39d9d6808d1"),
        description="Every pool spreads nodes over availability zones so a zone outage keeps the cluster up; "
                    "absent means no zones. Costs cross-zone traffic, so advisory in dev.",
        severity=MEDIUM, check=_zones,
        config={"minimum": {"type": "integer", "minimum": 1, "maximum": len(ZONES), "default": len(ZONES),
                            "description": "Fewest availability zones per pool."}},
        remediation="list zones in aks-platform:nodePools[].zones (e.g. [\"1\", \"2\", \"3\"])"),
    pool_policy(
        name="aks-system-pool-tainted",
        description="The System pool is tainted CriticalAddonsOnly so application pods cannot starve CoreDNS "
                    "and other system pods; absent taints mean anything schedules there.",
        severity=MEDIUM, check=_critical_addons_taint,
        remediation="the node pool builder taints mode=System pools CriticalAddonsOnly=true:NoSchedule; run "
                    "applications in a User pool in aks-platform:nodePools[]"),
]
