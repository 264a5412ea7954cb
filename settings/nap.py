"""Settings of node auto-provisioning (NAP): the Karpenter pools of a cluster with `nodeProvisioning: auto`.

Each entry of the stack's `napPools` list becomes one Karpenter `NodePool` (karpenter.sh/v1) and its own
`AKSNodeClass` (karpenter.azure.com/v1beta1) in the in-cluster layer (components/in_cluster/nap.py). Field
bounds are the CRDs' (Azure/karpenter-provider-azure pkg/apis/crds, commit 352646f5, shipped trimmed in
tests/components/in_cluster/schemas/); what each key means: Learn "Configure node pools for node
auto-provisioning" (articles/aks/node-auto-provisioning-node-pools.md), "Configure disruption policies ..."
(node-auto-provisioning-disruption.md) and "Configure AKSNodeClass resources ..." (node-auto-provisioning-aksnodeclass.md).
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import Field, StrictBool, field_validator, model_validator

from facts.azure import MAX_PODS_LIMITS, ZONES

from .model import DNS_LABEL, Section, check_taints
from .types import Quantity

# A Karpenter duration (NodePool CRD: consolidateAfter, expireAfter): e.g. 30s, 10m, 720h, or Never.
DURATION_OR_NEVER = r"^(([0-9]+(s|m|h))+|Never)$"
# The CRD's patterns for a budget's node count or percentage and its active duration (minutes and hours only).
BUDGET_NODES = r"^((100|[0-9]{1,2})%|[0-9]+)$"
BUDGET_DURATION = r"^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$"
# The VM families a GPU pool starts from when it names none: the N series are Azure's GPU sizes.
GPU_SKU_FAMILIES = ("N",)


class NapLimitsSettings(Section):
    """The most the pool's nodes may add up to: NAP creates no node past either (the cost guard that replaces
    an agent pool's maxCount)."""

    cpu: Quantity
    memory: Quantity


class NapBudgetSettings(Section):
    """How many of the pool's nodes Karpenter may disrupt at once (during `schedule` for `duration`, if set)."""

    nodes: str = Field(pattern=BUDGET_NODES, description="a number of nodes such as \"1\" or a percentage such as \"10%\"")
    schedule: Optional[str] = Field(default=None, description="a cron schedule such as \"0 9 * * 1-5\" or @daily")
    duration: Optional[str] = Field(default=None, pattern=BUDGET_DURATION,
                                    description="minutes and hours such as 30m or 8h")

    @model_validator(mode="after")
    def _schedule_with_duration(self) -> "NapBudgetSettings":
        # NodePool CRD (budgets): "'schedule' must be set with 'duration'" (and the other way round).
        if (self.schedule is None) != (self.duration is None):
            raise ValueError("schedule and duration go together: set both or neither")
        return self


class NapDisruptionSettings(Section):
    consolidation_policy: Literal["WhenEmptyOrUnderutilized", "WhenEmpty"]
    consolidate_after: str = Field(pattern=DURATION_OR_NEVER, description="a duration such as 0s, 5m or 1h, or Never")
    # Rendered on the node template (spec.template.spec.expireAfter), where karpenter.sh/v1 has it.
    expire_after: str = Field(pattern=DURATION_OR_NEVER,
                              description="the longest a node lives, such as 720h, or Never")
    budgets: tuple[NapBudgetSettings, ...]

    @model_validator(mode="after")
    def _some_budget(self) -> "NapDisruptionSettings":
        # No budget would let Karpenter disrupt every node of the pool at once.
        if not self.budgets:
            raise ValueError("budgets: list at least one budget, such as {nodes: \"10%\"}")
        return self


class NapPoolSettings(Section):
    """One Karpenter pool: which VM sizes NAP may pick, where, at what price class, and how much in total."""

    name: str = Field(description="a DNS label: the name of the NodePool and of its AKSNodeClass")
    sku_families: tuple[str, ...] = Field(
        default=(), description="VM family letters such as [D] or [D, E] (karpenter.azure.com/sku-family)"
    )
    sku_names: tuple[str, ...] = Field(
        default=(), description="exact VM sizes such as [Standard_D8ds_v5] (karpenter.azure.com/sku-name)"
    )
    architectures: tuple[Literal["amd64", "arm64"], ...] = Field(min_length=1)
    zones: tuple[Literal[ZONES], ...] = Field(min_length=1)
    # Spot nodes: capacity type spot, and the taint AKS puts on spot agent pool nodes, so that the same
    # tolerations place a pod on either.
    spot: StrictBool = Field(default=False, description="spot VMs (capacity type spot), tainted "
                             "kubernetes.azure.com/scalesetpriority=spot:NoSchedule like spot agent pools")
    # GPU nodes: only sizes with a GPU, and the GPU taint of agent pools (settings.preflight.GPU_TAINT).
    gpu: StrictBool = Field(default=False, description="GPU sizes only (N families unless skuFamilies or skuNames say "
                            "otherwise), tainted sku=gpu:NoSchedule like GPU agent pools")
    image_family: Literal["AzureLinux", "Ubuntu"]
    max_pods: int = Field(ge=MAX_PODS_LIMITS[0], le=MAX_PODS_LIMITS[1])
    labels: dict[str, str] = {}
    taints: tuple[str, ...] = Field(default=(), description="list of key=value:Effect, added to the spot and GPU taints")
    weight: Optional[int] = Field(default=None, ge=1, le=100)
    limits: NapLimitsSettings = Field(description="object: `cpu` and `memory`, e.g. {cpu: \"64\", memory: 256Gi}")
    disruption: NapDisruptionSettings = Field(
        description="object: `consolidationPolicy` (WhenEmptyOrUnderutilized \\| WhenEmpty), `consolidateAfter`, "
        "`expireAfter`, `budgets` (list of {nodes, schedule, duration})"
    )

    @model_validator(mode="before")
    @classmethod
    def _gpu_families(cls, data: object) -> object:
        """A GPU pool that names no sizes starts from the GPU families."""
        if isinstance(data, dict) and data.get("gpu") is True and not data.get("skuFamilies") and not data.get("skuNames"):
            data = {**data, "skuFamilies": list(GPU_SKU_FAMILIES)}
        return data

    @field_validator("name")
    @classmethod
    def _pool_name(cls, value: str) -> str:
        if not DNS_LABEL.match(value):
            raise ValueError("a NAP pool name is 1-63 lowercase letters, digits and hyphens, starting and ending with "
                             "a letter or digit (it names the NodePool and its AKSNodeClass)")
        return value

    @field_validator("sku_families")
    @classmethod
    def _families(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for family in value:
            if not (len(family) == 1 and family.isupper()):
                raise ValueError(f"{family!r} is not a VM family letter such as D, E, F or N")
        return value

    @field_validator("sku_names")
    @classmethod
    def _names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not name.startswith("Standard_"):
                raise ValueError(f"{name!r} is not an Azure VM size such as Standard_D8ds_v5")
        return value

    @field_validator("taints")
    @classmethod
    def _taint_format(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_taints(value)

    @model_validator(mode="after")
    def _selects_sizes(self) -> "NapPoolSettings":
        if not self.sku_families and not self.sku_names:
            raise ValueError("name the VM sizes NAP may pick: skuFamilies (such as [D]) or skuNames")
        return self
