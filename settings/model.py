"""Typed, frozen settings for each section of the stack config (`aks-platform:<section>`).

Field names are snake_case in Python and camelCase in the stack file (`vnet_cidr` <-> `vnetCidr`).
Unknown keys are errors, so a misspelt setting can never be silently ignored. Bounds here are Azure's
own limits (`facts.azure`); what an environment requires beyond them is `settings.profile`'s, and the
defaults the stack file starts from are `settings.defaults`' (a field here has a default only when the
stack-file defaults leave it out).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator
from pydantic.alias_generators import to_camel

from facts.azure import (
    ACR_RETENTION_DAYS_LIMITS, ACR_SOFT_DELETE_DAYS_LIMITS, BACKUP_FREQUENCIES, BACKUP_NAMESPACES_PER_INSTANCE,
    BACKUP_RETENTION_DAYS_LIMITS, BACKUP_SKIPPED_NAMESPACES, FLEET_GROUP_NAME_MAX, FLEET_NAME_PATTERN, GRAFANA_SKUS,
    LOG_RETENTION_DAYS_LIMITS, MAX_PODS_LIMITS, SOFT_DELETE_DAYS_LIMITS, ZONES, takes_max_surge,
)
from facts.prometheus import ALERT_RULES, ALERT_SEVERITY_LIMITS
from facts.profiles import PROFILES

from .types import (
    Cidr,
    Duration,
    Guid,
    IpAddress,
    IpOrCidr,
    KeyVaultSecretName,
    Quantity,
    VnetId,
    VnetRef,
    quantity_value,
    vnet_ref,
)

OUTBOUND_TYPES = ("loadBalancer", "userAssignedNATGateway", "userDefinedRouting")
# Outbound types AKS has that this platform deliberately does not offer, and why.
REFUSED_OUTBOUND_TYPES = {
    "managedNATGateway": "AKS offers managedNATGateway only with a VNet it manages itself, and this "
    "platform brings its own VNet; use userAssignedNATGateway for a NAT gateway on the node subnet",
    "none": "nodes need an egress path to register with the control plane",
    "block": "nodes need an egress path to register with the control plane",
}


class Section(BaseModel):
    """Base for every settings model: camelCase keys, unknown keys rejected, immutable.

    Booleans are StrictBool: a quoted "yes" or "off" in a stack file is an error, not a guess.
    """

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)


class NetworkSettings(Section):
    vnet_cidr: Cidr
    node_subnet_cidr: Cidr
    api_server_subnet_cidr: Optional[Cidr] = None
    private_endpoint_subnet_cidr: Optional[Cidr] = None
    pod_network: Literal["overlay", "vnet"] = Field(
        description="`overlay` (Azure CNI overlay: pod IPs from podCidr, outside the VNet) \\| `vnet` (flat Azure CNI: "
        "each node reserves maxPods+1 addresses of the node subnet; what virtual nodes need)"
    )
    pod_cidr: Optional[Cidr] = Field(default=None, description="the pods' private range with podNetwork overlay; "
                                     "absent with podNetwork vnet, where pods take node-subnet addresses")
    service_cidr: Cidr
    dns_service_ip: IpAddress
    outbound_type: str = Field(
        description="`loadBalancer` \\| `userAssignedNATGateway` \\| `userDefinedRouting` (`managedNATGateway` is refused: "
        "AKS offers it only with a VNet it manages itself)"
    )
    egress_next_hop_ip: Optional[IpAddress] = None
    allowed_inbound_cidrs: tuple[IpOrCidr, ...]
    # cilium: Azure CNI powered by Cilium (eBPF dataplane and network policy), Linux nodes only.
    # azure: the Azure dataplane with Calico network policy, which Windows nodes need.
    dataplane: Literal["cilium", "azure"]
    virtual_node_subnet_cidr: Optional[Cidr] = Field(
        default=None,
        description="the subnet delegated to ACI container groups that virtual-node pods take their addresses from "
        "(with cluster.virtualNodes: true; docs/virtual-nodes.md)",
    )
    runner_vnet_id: Optional[VnetId] = Field(
        default=None,
        description="the resource ID of an existing virtual network in the deploying subscription where the CI runner "
        "that deploys the in-cluster layer runs; with `cluster.private: true` the stack peers it with the cluster's "
        "VNet and resolves the private API server there (docs/private-cluster.md)",
    )

    @property
    def runner_vnet(self) -> VnetRef | None:
        return vnet_ref(self.runner_vnet_id) if self.runner_vnet_id else None

    @field_validator("outbound_type")
    @classmethod
    def _known_outbound_type(cls, value: str) -> str:
        if value in REFUSED_OUTBOUND_TYPES:
            raise ValueError(f"{value} is not supported: {REFUSED_OUTBOUND_TYPES[value]}")
        if value not in OUTBOUND_TYPES:
            raise ValueError(f"must be one of {', '.join(OUTBOUND_TYPES)}")
        return value

    @model_validator(mode="after")
    def _pod_cidr_goes_with_overlay(self) -> "NetworkSettings":
        if self.pod_network == "overlay" and self.pod_cidr is None:
            raise ValueError("podNetwork overlay needs podCidr, the private range pod IPs come from")
        if self.pod_network == "vnet" and self.pod_cidr is not None:
            raise ValueError(
                f"podCidr ({self.pod_cidr}) is only used with podNetwork overlay; with podNetwork vnet pods take "
                "their addresses from nodeSubnetCidr: remove podCidr"
            )
        return self

    @model_validator(mode="after")
    def _next_hop_goes_with_udr(self) -> "NetworkSettings":
        if self.outbound_type == "userDefinedRouting" and self.egress_next_hop_ip is None:
            raise ValueError(
                "outboundType userDefinedRouting needs egressNextHopIp: the private IP of the firewall "
                "or appliance that the node subnet's default route points to"
            )
        if self.outbound_type != "userDefinedRouting" and self.egress_next_hop_ip is not None:
            raise ValueError(
                f"egressNextHopIp is only used with outboundType userDefinedRouting (outboundType is "
                f"{self.outbound_type}); remove it or change outboundType"
            )
        return self


class MaintenanceWindowSettings(Section):
    day_of_week: Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    start_hour: int = Field(ge=0, le=23)
    # AKS rejects planned-maintenance windows shorter than four hours.
    duration_hours: int = Field(ge=4, le=24)


class AutoscalerSettings(Section):
    """The cluster autoscaler's profile, shared by every autoscaled pool (AKS has one per cluster)."""

    expander: Literal["least-waste", "most-pods", "priority", "random"]
    scan_interval: str = Field(pattern=r"^[1-9][0-9]*s$", description="a number of seconds such as 10s")
    scale_down_delay_after_add: str = Field(pattern=r"^[0-9]+m$", description="a number of minutes such as 10m")
    scale_down_delay_after_delete: str = Field(pattern=r"^[0-9]+m$", description="a number of minutes such as 1m")
    scale_down_delay_after_failure: str = Field(pattern=r"^[0-9]+m$", description="a number of minutes such as 3m")
    scale_down_unneeded_time: str = Field(pattern=r"^[0-9]+m$", description="a number of minutes such as 10m")
    # Requested resources / capacity below which a node may be removed.
    scale_down_utilization_threshold: float = Field(gt=0, le=1)


class SafeguardsSettings(Section):
    """Deployment safeguards (Learn "Use deployment safeguards to enforce best practices in AKS",
    https://learn.microsoft.com/azure/aks/deployment-safeguards): Azure Policy checks of every workload
    against Kubernetes best practices. Warn lets a non-compliant request through with a warning; Enforce
    denies or mutates it; Off registers no safeguards resource."""

    level: Literal["Warn", "Enforce", "Off"]
    excluded_namespaces: tuple[str, ...] = Field(
        description="namespaces whose workloads the safeguards do not check, on top of the ones AKS always "
        "excludes (the API's read-only systemExcludedNamespaces)"
    )

    @field_validator("excluded_namespaces")
    @classmethod
    def _namespace_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            _dns_label(name, f"namespace name ({name!r})")
        if len(set(value)) != len(value):
            raise ValueError(f"lists a namespace twice: {list(value)}")
        return value


class ClusterSettings(Section):
    kubernetes_version: Optional[str] = Field(
        default=None,
        pattern=r"^1\.[0-9]{2}(\.[0-9]+)?$",
        description="a Kubernetes minor version such as \"1.35\" (AKS applies its latest patch) or a full version such "
        "as \"1.35.2\", quoted, that the AKS release calendar (settings/kubernetes_versions.json) supports today",
    )
    tier: Literal["Free", "Standard", "Premium"]
    private: StrictBool
    authorized_ip_ranges: tuple[IpOrCidr, ...]
    admin_group_object_ids: tuple[Guid, ...]
    upgrade_channel: Literal["none", "patch", "stable", "rapid", "node-image"]
    node_os_upgrade_channel: Literal["None", "Unmanaged", "NodeImage", "SecurityPatch"]
    maintenance_window: MaintenanceWindowSettings = Field(
        description="object: `dayOfWeek` (Monday-Sunday), `startHour` (0-23, UTC), `durationHours` (4-24); "
        "used for both Kubernetes patch and node OS upgrades"
    )
    defender: StrictBool
    azure_policy: StrictBool
    disable_run_command: StrictBool
    local_accounts: StrictBool
    autoscaler: AutoscalerSettings = Field(
        description="object: `expander`, `scanInterval`, `scaleDownDelayAfterAdd`, `scaleDownDelayAfterDelete`, "
        "`scaleDownDelayAfterFailure`, `scaleDownUnneededTime`, `scaleDownUtilizationThreshold`; the cluster "
        "autoscaler's profile for every autoscaled pool"
    )
    virtual_nodes: StrictBool = Field(
        description="virtual nodes on Azure Container Instances (the ACI connector add-on); needs network.podNetwork vnet "
        "and network.virtualNodeSubnetCidr (docs/virtual-nodes.md)"
    )
    # Workload autoscalers AKS runs as managed add-ons, on by default as in AKS Automatic (Learn "What is AKS
    # Automatic?"). KEDA "must be the only installed external metric adapter" (Learn "KEDA add-on",
    # limitations); VPA does not act on Windows containers and should not share CPU or memory metrics with
    # an HPA (Learn "Vertical Pod Autoscaler", limitations and considerations).
    keda: StrictBool = Field(description="the KEDA add-on (event-driven autoscaling); it must be the cluster's only "
                             "external metrics adapter")
    vpa: StrictBool = Field(description="the Vertical Pod Autoscaler add-on; it does not act on Windows containers, and "
                            "a workload should not scale with VPA and HPA on the same CPU or memory metric")
    # Namespace and deployment costs in the portal's Cost Analysis; "Your cluster must use the Standard or Premium
    # tier, not the Free tier" (Learn "AKS cost analysis", prerequisites; aka.ms/aks/docs/cost-analysis).
    # None: on wherever the tier allows it (see `cost_analysis_enabled`).
    cost_analysis: Optional[StrictBool] = Field(default=None, description="the cost analysis add-on (namespace and "
                                                "deployment costs in the portal's Cost Analysis); needs tier Standard or "
                                                "Premium; default: on unless the tier is Free")
    safeguards: SafeguardsSettings = Field(
        description="object: `level` (Warn \\| Enforce \\| Off) and `excludedNamespaces` (list): AKS deployment "
        "safeguards; they need azurePolicy: true"
    )
    # Node auto-provisioning (Learn "Overview of node auto-provisioning"): manual keeps the agent pools of
    # `nodePools` under the cluster autoscaler; auto sets nodeProvisioningProfile.mode Auto and the in-cluster
    # layer deploys the Karpenter pools of `napPools`. The default per environment is the profile's.
    node_provisioning: Literal["manual", "auto"] = Field(
        description="`manual` (agent pools under the cluster autoscaler) \\| `auto` (node auto-provisioning: "
        "Karpenter pools from `napPools`); see docs/node-auto-provisioning.md"
    )
    # nodeProvisioningProfile.defaultNodePools (ManagedCluster API 2025-09-01): Auto makes AKS create its own
    # NodePools `default` and `system-surge`, None creates none. None by default: AKS's `default` pool has no
    # limits (Learn "Configure node pools for NAP", default node pool configuration), so it would bypass the
    # CPU and memory ceiling every pool of `napPools` carries. Used with nodeProvisioning: auto only.
    default_node_pools: Literal["None", "Auto"] = Field(
        description="`None` (only the pools of `napPools`) \\| `Auto` (also AKS's own `default` and `system-surge` "
        "NodePools, which have no CPU or memory limits); with nodeProvisioning: auto"
    )
    kms: StrictBool = Field(description="KMS etcd encryption: Kubernetes secrets also encrypted with a key in the "
                            "platform Key Vault; needs keyVault.publicNetworkAccess Disabled, keyVault.purgeProtection "
                            "and network.apiServerSubnetCidr")

    @field_validator("kubernetes_version", mode="before")
    @classmethod
    def _version_is_text(cls, value: object) -> object:
        # YAML reads an unquoted 1.30 as the number 1.3: the trailing zero is gone before we see it.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise ValueError(f"written as a YAML number ({value}), which drops trailing zeros; quote it, "
                             'e.g. kubernetesVersion: "1.30"')
        return value

    @property
    def cost_analysis_enabled(self) -> bool:
        return self.cost_analysis if self.cost_analysis is not None else self.tier != "Free"

    @property
    def long_term_support(self) -> bool:
        """Premium is the tier that carries AKS long-term support; the others get the community window
        (Learn "Long term support for AKS")."""
        return self.tier == "Premium"

    @model_validator(mode="after")
    def _cost_analysis_needs_a_paid_tier(self) -> "ClusterSettings":
        if self.cost_analysis is True and self.tier == "Free":
            raise ValueError("costAnalysis: true needs tier Standard or Premium (AKS cost analysis is not "
                             "available on the Free tier); set tier: Standard, or costAnalysis: false")
        return self

    @model_validator(mode="after")
    def _api_server_exposure(self) -> "ClusterSettings":
        if self.private and self.authorized_ip_ranges:
            raise ValueError(
                "authorizedIpRanges cannot be combined with private: true (a private API server has no "
                "public endpoint to restrict); remove authorizedIpRanges or set private: false"
            )
        if not self.private and not self.authorized_ip_ranges:
            raise ValueError(
                "a public API server needs authorizedIpRanges (the CIDRs allowed to reach it); set "
                "private: true, or list the ranges; [\"0.0.0.0/0\"] opts out explicitly where the environment "
                "allows a public API server open to all"
            )
        return self

    @model_validator(mode="after")
    def _version_and_channel_agree(self) -> "ClusterSettings":
        # AKS moves the minor version itself on these channels; a pinned version would make every
        # later run try to downgrade the cluster.
        if self.upgrade_channel in ("stable", "rapid") and self.kubernetes_version:
            raise ValueError(
                f"kubernetesVersion {self.kubernetes_version} conflicts with upgradeChannel "
                f"{self.upgrade_channel}, which upgrades minor versions itself; remove kubernetesVersion "
                "or use upgradeChannel patch"
            )
        return self

    @model_validator(mode="after")
    def _safeguards_need_azure_policy(self) -> "ClusterSettings":
        # Learn "Use deployment safeguards ...", Prerequisites: the Azure Policy add-on must be installed.
        if self.safeguards.level != "Off" and not self.azure_policy:
            raise ValueError(
                f"safeguards.level {self.safeguards.level} needs the Azure Policy add-on, which azurePolicy: false "
                "turns off; set azurePolicy: true or safeguards.level: Off"
            )
        return self


POOL_NAME = re.compile(r"^[a-z][a-z0-9]{0,11}$")
TAINT = re.compile(r"^[A-Za-z0-9./_-]+=[A-Za-z0-9._-]*:(NoSchedule|PreferNoSchedule|NoExecute)$")


def check_taints(value: tuple[str, ...]) -> tuple[str, ...]:
    """Taints as `key=value:Effect`, the form of agent pools' nodeTaints (NAP pools take the same)."""
    for taint in value:
        if not TAINT.match(taint):
            raise ValueError(
                f"taint {taint!r} is not key=value:Effect with Effect NoSchedule, PreferNoSchedule or NoExecute"
            )
    return value


OS_SKUS = {"Linux": ("AzureLinux", "Ubuntu"), "Windows": ("Windows2022",)}
# OS SKUs AKS has that this platform does not offer, and why.
REFUSED_OS_SKUS = {
    "Windows2025": "AKS API 2025-09-01, which this platform uses, does not offer Windows2025; use Windows2022",
    "Windows2019": "Windows Server 2019 node images are retired on AKS; use Windows2022",
}
# The smallest OS disk a node image fits on.
MIN_OS_DISK_GIB = 30


class NodePoolSettings(Section):
    name: str
    mode: Literal["System", "User"] = "User"
    vm_size: str = Field(pattern=r"^Standard_[A-Za-z0-9_]+$", description="an Azure VM size such as Standard_D4ds_v5")
    # A size newer than settings/vm_sizes.json: accepted only when the pool says so, since a typo in a
    # size name otherwise fails minutes into a deploy. Its ephemeral OS disk then goes unchecked.
    vm_size_unlisted: StrictBool = False
    os_type: Literal["Linux", "Windows"] = "Linux"
    os_sku: str = Field(description="`AzureLinux` \\| `Ubuntu` for Linux, `Windows2022` for Windows")
    os_disk_type: Literal["Ephemeral", "Managed"] = "Ephemeral"
    # None: the preflight fills in the largest size the VM's cache or temp disk holds (at most 128).
    os_disk_size_gb: Optional[int] = Field(default=None, ge=MIN_OS_DISK_GIB, le=2048)
    count: Optional[int] = Field(default=None, ge=0, le=1000)
    min_count: Optional[int] = Field(default=None, ge=0, le=1000)
    max_count: Optional[int] = Field(default=None, ge=1, le=1000)
    zones: tuple[Literal[ZONES], ...]
    # Azure's limits here; each environment's minimum (its profile's) is checked in settings.profile.
    max_pods: int = Field(
        ge=MAX_PODS_LIMITS[0],
        le=MAX_PODS_LIMITS[1],
        description="integer, at least the environment's minimum ("
        + ", ".join(f"{p.name} {p.min_max_pods}" for p in PROFILES.values())
        + f") and at most {MAX_PODS_LIMITS[1]}",
    )
    labels: dict[str, str] = {}
    taints: tuple[str, ...] = ()
    spot: StrictBool = False
    # -1: pay up to the on-demand price, so nodes are evicted for capacity, never for price.
    spot_max_price: float = -1
    # Install: AKS installs the NVIDIA driver; None: bring your own (e.g. the NVIDIA GPU operator).
    # Filled in with Install for GPU sizes by the preflight; only GPU sizes take it.
    gpu_driver: Optional[Literal["Install", "None"]] = None
    # A GPU pool keeps other pods off its expensive nodes with a NoSchedule taint unless this is false.
    gpu_taint: StrictBool = True
    max_surge: Optional[str] = Field(
        default=None,
        pattern=r"^([1-9][0-9]*|[1-9][0-9]?%|100%)$",
        description="a number of extra nodes (such as 1) or a percentage of the pool (such as 33%)",
    )
    drain_timeout_in_minutes: int = Field(ge=1, le=1440)
    node_soak_duration_in_minutes: int = Field(ge=0, le=30)

    @model_validator(mode="before")
    @classmethod
    def _default_os_sku(cls, data: object) -> object:
        """The OS SKU defaults by OS type: AzureLinux for Linux, Windows2022 for Windows."""
        if isinstance(data, dict) and "osSku" not in data and "os_sku" not in data:
            os_type = data.get("osType", data.get("os_type", "Linux"))
            data = {**data, "osSku": OS_SKUS.get(os_type, OS_SKUS["Linux"])[0]}
        return data

    @field_validator("name")
    @classmethod
    def _pool_name(cls, value: str) -> str:
        if not POOL_NAME.match(value):
            raise ValueError(
                "a pool name is 1-12 lowercase letters and digits, starting with a letter"
            )
        return value

    @field_validator("taints")
    @classmethod
    def _taint_format(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_taints(value)

    @field_validator("spot_max_price")
    @classmethod
    def _spot_price(cls, value: float) -> float:
        # AKS takes -1 or a positive price with at most five decimal places.
        if value != -1 and (value <= 0 or round(value, 5) != value):
            raise ValueError("must be -1 (up to the on-demand price) or a positive price in US dollars with at most 5 decimals")
        return value

    @model_validator(mode="after")
    def _os_sku_matches_os_type(self) -> "NodePoolSettings":
        if self.os_sku in REFUSED_OS_SKUS:
            raise ValueError(f"osSku {self.os_sku} is not supported: {REFUSED_OS_SKUS[self.os_sku]}")
        if self.os_sku not in OS_SKUS[self.os_type]:
            raise ValueError(
                f"osSku {self.os_sku} is not a {self.os_type} SKU; use one of {', '.join(OS_SKUS[self.os_type])}"
            )
        return self

    @model_validator(mode="after")
    def _size_is_fixed_or_autoscaled(self) -> "NodePoolSettings":
        autoscaled = self.min_count is not None or self.max_count is not None
        if autoscaled and self.count is not None:
            raise ValueError("set either count (fixed size) or minCount and maxCount (autoscaling), not both")
        if autoscaled and (self.min_count is None or self.max_count is None):
            raise ValueError("autoscaling needs both minCount and maxCount")
        if not autoscaled and self.count is None:
            raise ValueError("set count (fixed size) or minCount and maxCount (autoscaling)")
        if autoscaled and self.min_count > self.max_count:
            raise ValueError(f"minCount {self.min_count} is greater than maxCount {self.max_count}")
        if self.mode == "System" and (self.min_count if autoscaled else self.count) < 1:
            raise ValueError("a System pool needs at least one node (minCount or count >= 1)")
        return self

    @model_validator(mode="after")
    def _spot_settings(self) -> "NodePoolSettings":
        if not takes_max_surge(self.spot) and self.max_surge is not None:
            raise ValueError(
                "a spot pool cannot set maxSurge (AKS replaces spot nodes in place, never surges them); remove maxSurge"
            )
        if takes_max_surge(self.spot) and self.max_surge is None:
            raise ValueError("maxSurge: required for a pool that is not spot (for example 1 or 33%)")
        if not self.spot and "spot_max_price" in self.model_fields_set:
            raise ValueError("spotMaxPrice is only used with spot: true; remove it or set spot: true")
        return self

    @property
    def autoscaled(self) -> bool:
        return self.max_count is not None

    @property
    def largest_size(self) -> int:
        """The most nodes this pool can have: what the node subnet must leave room for."""
        return self.max_count if self.autoscaled else self.count

    @property
    def surge_nodes(self) -> int:
        """Extra nodes an upgrade adds at most; AKS rounds a percentage up."""
        if self.max_surge is None:
            return 0
        if self.max_surge.endswith("%"):
            return -(-self.largest_size * int(self.max_surge[:-1]) // 100)
        return int(self.max_surge)


class KeyVaultSettings(Section):
    soft_delete_retention_days: int = Field(ge=SOFT_DELETE_DAYS_LIMITS[0], le=SOFT_DELETE_DAYS_LIMITS[1])
    purge_protection: StrictBool
    public_network_access: Literal["Enabled", "Disabled"]
    allowed_ip_ranges: tuple[IpOrCidr, ...]
    secret_rotation_interval: Duration = Field(description="a poll interval such as 2m, 30s or 1h")


class MonitoringSettings(Section):
    retention_days: int = Field(ge=LOG_RETENTION_DAYS_LIMITS[0], le=LOG_RETENTION_DAYS_LIMITS[1])
    # -1 means no cap: audit logs are never dropped because a quota ran out.
    daily_quota_gb: float

    @field_validator("daily_quota_gb")
    @classmethod
    def _quota(cls, value: float) -> float:
        if value != -1 and value < 0.023:
            raise ValueError("must be -1 (no cap) or at least 0.023 GB, the smallest quota Log Analytics takes")
        return value


class RegistrySettings(Section):
    enabled: StrictBool
    sku: Literal["Basic", "Standard", "Premium"]
    public_network_access: Literal["Enabled", "Disabled"]
    replica_locations: tuple[str, ...] = Field(
        description="regions (e.g. `northeurope`) the registry is geo-replicated to, each zone-redundant; Premium only")
    untagged_retention_days: int = Field(
        ge=ACR_RETENTION_DAYS_LIMITS[0], le=ACR_RETENTION_DAYS_LIMITS[1],
        description="days a Premium registry keeps untagged manifests before deleting them (its retention policy)")
    soft_delete_days: int = Field(
        ge=ACR_SOFT_DELETE_DAYS_LIMITS[0], le=ACR_SOFT_DELETE_DAYS_LIMITS[1],
        description="days a deleted artifact can be restored in a Basic or Standard registry (soft delete)")

    @field_validator("replica_locations")
    @classmethod
    def _distinct_regions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for region in value:
            if not re.fullmatch(r"[a-z][a-z0-9]+", region):
                raise ValueError(f"{region!r} is not an Azure region name (lowercase letters and digits, e.g. northeurope)")
        if len(set(value)) != len(value):
            raise ValueError(f"lists a region twice: {list(value)}")
        return value

    @model_validator(mode="after")
    def _private_needs_premium(self) -> "RegistrySettings":
        if self.enabled and self.public_network_access == "Disabled" and self.sku != "Premium":
            raise ValueError(
                f"publicNetworkAccess Disabled needs sku Premium (private endpoints are a Premium feature; "
                f"sku is {self.sku})"
            )
        # Geo-replication is a Premium feature: https://learn.microsoft.com/azure/container-registry/container-registry-geo-replication
        if self.enabled and self.replica_locations and self.sku != "Premium":
            raise ValueError(f"replicaLocations needs sku Premium (geo-replication is a Premium feature; sku is {self.sku})")
        return self


# The in-cluster layer (`namespaces`, `inCluster`, `demo`, `kubeloginMode`).
KUBELOGIN_MODES = ("azurecli", "workloadidentity", "spn")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
# The namespace and Key Vault secret the demo (`demo: true`) deploys; no team namespace may take its name.
DEMO_NAMESPACE = "kv-demo"
DEMO_SECRET = "demo-greeting"


def _dns_label(value: str, what: str) -> str:
    if not DNS_LABEL.match(value):
        raise ValueError(
            f"a {what} is 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit"
        )
    return value


class QuotaSettings(Section):
    """What all pods of a namespace together may use (a ResourceQuota)."""

    # Caps both the sum of requests and the sum of limits of the namespace's containers.
    cpu: Quantity
    memory: Quantity
    pods: int = Field(ge=1, le=10000)


class ContainerDefaultsSettings(Section):
    """Requests and limits a container gets when it states none (a LimitRange)."""

    cpu_request: Quantity
    memory_request: Quantity
    cpu_limit: Quantity
    memory_limit: Quantity

    @model_validator(mode="after")
    def _request_within_limit(self) -> "ContainerDefaultsSettings":
        # The API server refuses a LimitRange whose default request is above its default limit.
        for resource in ("cpu", "memory"):
            request, limit = getattr(self, f"{resource}_request"), getattr(self, f"{resource}_limit")
            if quantity_value(request) > quantity_value(limit):
                raise ValueError(f"{resource}Request {request} is above {resource}Limit {limit}")
        return self


class NamespaceGroupsSettings(Section):
    """Entra ID groups given an AKS Azure RBAC role on one namespace only, by object ID."""

    # Given Azure Kubernetes Service RBAC Reader, Writer and Admin respectively (components/in_cluster).
    reader: tuple[Guid, ...] = ()
    writer: tuple[Guid, ...] = ()
    admin: tuple[Guid, ...] = ()

    @field_validator("reader", "writer", "admin")
    @classmethod
    def _lower_case(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # Azure reads object IDs back in lower case: another case would show a change on every run.
        return tuple(group.lower() for group in value)


class NamespaceSettings(Section):
    """One team namespace: isolated by default, with a workload identity that reads its Key Vault secrets."""

    name: str
    pod_security: Literal["restricted", "baseline", "privileged"] = "restricted"
    key_vault_secrets: tuple[KeyVaultSecretName, ...] = Field(
        default=(), description="names of Key Vault secrets (1-127 of letters, digits, -) the namespace's pods may mount"
    )
    # The service account whose pods get the namespace's Azure identity.
    service_account: str = "workload"
    # Also copy the mounted secrets into a Kubernetes Secret (for env vars); off keeps them in files only.
    sync_secret: StrictBool = False
    quota: QuotaSettings = Field(description="object: `cpu`, `memory`, `pods`: the namespace's ResourceQuota")
    container_defaults: ContainerDefaultsSettings = Field(
        description="object: `cpuRequest`, `memoryRequest`, `cpuLimit`, `memoryLimit`: the LimitRange defaults"
    )
    groups: NamespaceGroupsSettings = Field(
        default=NamespaceGroupsSettings(),
        description="object: `reader`, `writer`, `admin`: Entra ID group object IDs given that AKS RBAC role on "
                    "this namespace only",
    )
    allow_from: tuple[str, ...] = Field(
        default=(), description="namespaces (of this stack's `namespaces`) whose pods may reach this namespace's pods"
    )
    egress: tuple[Cidr, ...] = Field(
        default=(),
        description="IPv4 CIDRs the namespace's pods may reach (`0.0.0.0/0`: the internet); DNS is always allowed",
    )

    @field_validator("name")
    @classmethod
    def _namespace_name(cls, value: str) -> str:
        _dns_label(value, "namespace name")
        if value == "default" or value.startswith("kube-"):
            raise ValueError("default and kube-* namespaces belong to Kubernetes; choose a team name")
        return value

    @field_validator("allow_from")
    @classmethod
    def _namespace_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            _dns_label(name, "namespace name")
        return value

    @field_validator("service_account")
    @classmethod
    def _service_account_name(cls, value: str) -> str:
        return _dns_label(value, "service account name")

    @field_validator("key_vault_secrets")
    @classmethod
    def _unique_secrets(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # Key Vault names are case-insensitive: "Db-Password" and "db-password" are one secret.
        seen = [name.lower() for name in value]
        twice = sorted({name for name in value if seen.count(name.lower()) > 1})
        if twice:
            raise ValueError(f"lists {', '.join(twice)} more than once")
        return value

    @model_validator(mode="after")
    def _defaults_fit_quota(self) -> "NamespaceSettings":
        if self.sync_secret and not self.key_vault_secrets:
            raise ValueError("syncSecret needs keyVaultSecrets to copy into the Kubernetes Secret")
        # A default limit above the quota would make every pod without its own limits unschedulable.
        for resource in ("cpu", "memory"):
            limit = getattr(self.container_defaults, f"{resource}_limit")
            quota = getattr(self.quota, resource)
            if quantity_value(limit) > quantity_value(quota):
                raise ValueError(
                    f"containerDefaults.{resource}Limit {limit} is above quota.{resource} {quota}: no pod "
                    "without its own limits could start"
                )
        return self


@dataclass(frozen=True)
class InClusterSettings:
    """The Kubernetes objects the platform deploys inside the cluster (components/in_cluster)."""

    # False: `pulumi up` leaves the layer out (e.g. no line of sight to a private API server); the
    # offline plan still renders it for review.
    enabled: bool
    # How kubelogin signs the deployer in: azurecli (people), workloadidentity (CI), spn.
    kubelogin_mode: str
    namespaces: tuple[NamespaceSettings, ...]
    # The demo's namespace (`demo: true`, never in prod), with the environment's quota and defaults.
    demo: NamespaceSettings | None
    # The Entra object ID granted cluster admin for `pulumi up` of the layer; None: whoever runs the
    # program. Set when previews and drift checks run as another (plan) identity, so that they plan no
    # change to the grant.
    deployer_object_id: str | None = None


# --- Metrics, dashboards and alerts (`metrics`, `alerts`, `alertWebhooks`) -----------------------------------
# An e-mail address as action groups take it: one @, no spaces, a dot in the domain. Deliberately loose (the
# full address grammar is not worth a dependency); Azure checks deliverability itself.
EMAIL_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


class GrafanaSettings(Section):
    """Azure Managed Grafana, linked to the stack's Azure Monitor workspace (components/grafana.py)."""

    # None: on wherever metrics are (MetricsSettings fills it in).
    enabled: Optional[StrictBool] = Field(default=None, description="true \\| false; default: on wherever metrics are")
    sku: Literal[GRAFANA_SKUS] = Field(description="`Standard` \\| `Essential` (a preview plan that Learn does not "
                                       "recommend for production)")
    public_network_access: Literal["Enabled", "Disabled"] = Field(
        description="`Enabled` \\| `Disabled`; Disabled puts Grafana behind a private endpoint in "
                    "network.privateEndpointSubnetCidr")


class MetricsSettings(Section):
    """Azure Monitor managed service for Prometheus: the cluster's metrics in an Azure Monitor workspace, with
    the recording rules Azure's onboarding installs, and optionally Managed Grafana on top."""

    enabled: StrictBool
    grafana: GrafanaSettings = Field(description="object: `enabled`, `sku`, `publicNetworkAccess`: Managed Grafana "
                                     "linked to the workspace")

    @model_validator(mode="before")
    @classmethod
    def _grafana_follows_metrics(cls, data: object) -> object:
        """Grafana is on wherever metrics are, unless it says otherwise."""
        if isinstance(data, dict) and isinstance(data.get("grafana"), dict) and "enabled" not in data["grafana"]:
            data = {**data, "grafana": {**data["grafana"], "enabled": data.get("enabled")}}
        return data

    @model_validator(mode="after")
    def _grafana_needs_metrics(self) -> "MetricsSettings":
        if self.grafana.enabled and not self.enabled:
            raise ValueError("grafana.enabled: true needs enabled: true (Grafana shows the metrics Managed Prometheus "
                             "writes to the Azure Monitor workspace); set enabled: true or grafana.enabled: false")
        return self


class AlertRuleSettings(Section):
    """Overrides of one recommended alert rule (facts/prometheus.py); what is left out keeps its default."""

    enabled: StrictBool = True
    severity: Optional[int] = Field(default=None, ge=ALERT_SEVERITY_LIMITS[0], le=ALERT_SEVERITY_LIMITS[1])
    threshold: Optional[float] = None


class AlertsSettings(Section):
    """The recommended Prometheus alert rules, sent to one action group whose e-mail receivers are listed
    here and whose webhooks are `alertWebhooks` (a key of its own, so that it can be a secret)."""

    # Filled in by the settings loader when left out: on wherever metrics are.
    enabled: StrictBool = Field(description="true \\| false; default: on wherever metrics are")
    emails: tuple[str, ...] = Field(description="e-mail addresses the action group notifies")
    rules: dict[str, AlertRuleSettings] = Field(
        description="object: alert name -> `{enabled, severity (0-4, 0 most severe), threshold}`; names and "
                    "default thresholds in docs/metrics.md")

    @field_validator("emails")
    @classmethod
    def _email_addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [address for address in value if not EMAIL_ADDRESS.match(address)]
        if bad:
            raise ValueError(f"{', '.join(repr(b) for b in bad)} is not an e-mail address (name@domain.tld)")
        if len({a.lower() for a in value}) != len(value):
            raise ValueError("lists an address twice")
        return value

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, value: dict[str, AlertRuleSettings]) -> dict[str, AlertRuleSettings]:
        for name, rule in value.items():
            known = ALERT_RULES.get(name)
            if known is None:
                raise ValueError(f"{name!r} is not a recommended alert rule; one of {', '.join(ALERT_RULES)}")
            if rule.threshold is None:
                continue
            limits = known.threshold
            if limits is None:
                raise ValueError(f"{name}.threshold: {name} has no threshold to set; remove it")
            if not limits.low <= rule.threshold <= limits.high:
                raise ValueError(f"{name}.threshold: {rule.threshold:g} is out of range; a {limits.unit} from "
                                 f"{limits.low:g} to {limits.high:g} (default {limits.default:g})")
        return value

    def rule(self, name: str) -> AlertRuleSettings:
        """The overrides of one rule (none: the defaults)."""
        return self.rules.get(name, AlertRuleSettings())


class BackupSettings(Section):
    """Azure Backup for AKS (docs/backup.md): a Backup vault, a storage account for the cluster's resources, the
    data protection extension, a backup policy and one backup instance for the cluster. Operational tier only:
    snapshots in the stack's snapshot resource group, Kubernetes objects in the blob container."""

    enabled: StrictBool
    redundancy: Literal["LocallyRedundant", "ZoneRedundant", "GeoRedundant"] = Field(
        description="`LocallyRedundant` \\| `ZoneRedundant` \\| `GeoRedundant`: the vault's storage redundancy; the "
        "backup storage account is geo-replicated in every case (GRS, GZRS, GRS)"
    )
    immutability: Literal["Disabled", "Unlocked", "Locked"] = Field(
        description="`Disabled` \\| `Unlocked` \\| `Locked`: the vault's immutability; `Locked` cannot be undone"
    )
    frequency: Literal[BACKUP_FREQUENCIES] = Field(
        description="how often a backup runs: " + " \\| ".join(f"`{f}`" for f in BACKUP_FREQUENCIES)
        + " (every 4, 6, 8 or 12 hours, or daily)"
    )
    start_time: str = Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
                            description="the first backup's time of day, UTC, as HH:MM such as \"02:00\"")
    retention_days: int = Field(
        ge=BACKUP_RETENTION_DAYS_LIMITS[0], le=BACKUP_RETENTION_DAYS_LIMITS[1],
        description=f"days each backup is kept in the operational tier ({BACKUP_RETENTION_DAYS_LIMITS[0]}-"
        f"{BACKUP_RETENTION_DAYS_LIMITS[1]})",
    )
    included_namespaces: tuple[str, ...] = Field(
        description="namespaces to back up; empty: every namespace except the excluded ones")
    excluded_namespaces: tuple[str, ...] = Field(description="namespaces never backed up")
    include_cluster_scoped_resources: StrictBool = Field(
        description="back up cluster-scoped objects too (CRDs, cluster roles, storage classes, ...)")
    snapshot_volumes: StrictBool = Field(description="snapshot the Azure Disk persistent volumes (CSI) as well")

    @field_validator("included_namespaces", "excluded_namespaces")
    @classmethod
    def _namespace_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            _dns_label(name, f"namespace name ({name!r})")
            if name in BACKUP_SKIPPED_NAMESPACES:
                raise ValueError(f"{name} is never backed up: Azure Backup skips "
                                 f"{', '.join(BACKUP_SKIPPED_NAMESPACES)} (AKS backup support matrix); remove it")
        if len(set(value)) != len(value):
            raise ValueError(f"lists a namespace twice: {list(value)}")
        # "Number of namespaces per backup instance: 800" (facts.azure.BACKUP_NAMESPACES_PER_INSTANCE).
        if len(value) > BACKUP_NAMESPACES_PER_INSTANCE:
            raise ValueError(f"lists {len(value)} namespaces; a backup instance takes at most "
                             f"{BACKUP_NAMESPACES_PER_INSTANCE}")
        return value

    @model_validator(mode="after")
    def _included_or_excluded(self) -> "BackupSettings":
        both = sorted(set(self.included_namespaces) & set(self.excluded_namespaces))
        if both:
            raise ValueError(f"{', '.join(both)} both in includedNamespaces and excludedNamespaces; a namespace is "
                             "either backed up or not: remove it from one list")
        return self

    @property
    def schedule(self) -> str:
        """The policy's ISO 8601 repeating interval. The date is fixed (any past date anchors the series), so the
        desired state never changes from one run to the next; `R` has no count: "the repeating interval prefix R
        is not supported, as backups are configured to run indefinitely" (facts.azure.AKS_BACKUP_CLI)."""
        return f"R/2024-01-01T{self.start_time}:00+00:00/{self.frequency}"

    @property
    def retention(self) -> str:
        return f"P{self.retention_days}D"


FLEET_ID = re.compile(
    r"^/subscriptions/(?P<subscription>[0-9a-fA-F-]{36})/resourceGroups/(?P<resource_group>[-\w.()]{1,90})"
    r"/providers/Microsoft\.ContainerService/fleets/(?P<name>[a-z0-9]([-a-z0-9]*[a-z0-9])?)$"
)
# What a fleet may upgrade on its members: Kubernetes (its Stable or Rapid auto-upgrade profile) and node
# images (its NodeImage profile). See docs/fleet.md.
FLEET_UPGRADES = ("kubernetes", "nodeImage")


class FleetSettings(Section):
    """This stack's cluster as a member of an Azure Kubernetes Fleet Manager hub (`fleet/`, docs/fleet.md):
    the fleet's update strategy then upgrades it in its update group's turn (dev, then staging, then prod)."""

    hub_id: Optional[str] = Field(
        default=None,
        description="the resource ID of the fleet to join, /subscriptions/<id>/resourceGroups/<group>/providers/"
        "Microsoft.ContainerService/fleets/<name>, in the deploying subscription (the fleet/ project prints it as "
        "`fleet_id`); null: the cluster joins no fleet",
    )
    update_group: str = Field(
        description="the fleet update group the cluster is upgraded with (default: the environment's name); "
        "the hub's update strategy runs its groups in order"
    )
    upgrades: tuple[Literal[FLEET_UPGRADES], ...] = Field(
        description="what the fleet's auto-upgrade profiles upgrade on this cluster: `kubernetes` (a Stable or "
        "Rapid profile), `nodeImage` (a NodeImage profile); the cluster's own channels must then leave it alone"
    )

    @field_validator("hub_id")
    @classmethod
    def _fleet_id(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not FLEET_ID.match(value):
            raise ValueError("must be a fleet's resource ID, /subscriptions/<subscription id>/resourceGroups/<group>"
                             "/providers/Microsoft.ContainerService/fleets/<name> (`az fleet show -g <group> -n "
                             "<name> --query id -o tsv`), or null")
        return value

    @field_validator("update_group")
    @classmethod
    def _group_name(cls, value: str) -> str:
        # Azure's rule for update group names (facts.azure).
        if not re.match(FLEET_NAME_PATTERN, value) or len(value) > FLEET_GROUP_NAME_MAX:
            raise ValueError(f"an update group name is 1-{FLEET_GROUP_NAME_MAX} lowercase letters, digits and "
                             "hyphens, starting and ending with a letter or digit")
        return value

    @field_validator("upgrades")
    @classmethod
    def _each_once(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError(f"lists an upgrade twice: {list(value)}")
        return value

    @property
    def joined(self) -> bool:
        return self.hub_id is not None

    @property
    def hub(self) -> dict[str, str]:
        """The fleet's subscription, resource group and name, from `hub_id` (only when joined)."""
        return FLEET_ID.match(self.hub_id).groupdict()

    def upgrades_kubernetes(self) -> bool:
        return self.joined and "kubernetes" in self.upgrades

    def upgrades_node_images(self) -> bool:
        return self.joined and "nodeImage" in self.upgrades
