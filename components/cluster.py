"""The AKS managed cluster, its control-plane identity and the System node pool."""
from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_random as random
from pulumi_azure_native import containerservice as aks
from pulumi_azure_native import managedidentity

from facts.azure import (
    AZURE_POLICY_ADDON,
    CONTAINER_INSIGHTS_ADDON,
    NETWORK_CONTRIBUTOR,
    PRIVATE_DNS_ZONE_CONTRIBUTOR,
    SECRETS_PROVIDER_ADDON,
)
from settings import AutoscalerSettings, ClusterSettings, NetworkSettings, NodePoolSettings

from .context import StackContext
from .node_pools import owned_elsewhere, pool_properties
from .retry import retry_transient_conflicts
from .roles import assign_role

SYSTEM_POOL_TAINT = "CriticalAddonsOnly=true:NoSchedule"
# The admin name AKS itself gives a Windows profile it creates; the name cannot change later, so using
# the same one keeps a cluster that got its profile from AKS deployable.
WINDOWS_ADMIN_USERNAME = "azureuser"
# Network policy engine per dataplane: Cilium enforces its own; with the Azure dataplane Calico does,
# which also covers Windows nodes.
NETWORK_POLICY = {"cilium": "cilium", "azure": "calico"}


@dataclass(frozen=True)
class ClusterArgs:
    settings: ClusterSettings
    network: NetworkSettings
    system_pool: NodePoolSettings
    node_subnet_id: pulumi.Input[str]
    api_server_subnet_id: pulumi.Input[str] | None
    # Everything in the VNet the control plane must be able to join or change (subnets, route table).
    network_scopes: Sequence[pulumi.Input[str]]
    workspace_id: pulumi.Input[str]
    secret_rotation_interval: str
    # The workspace Defender for Containers' sensor registers with; required when settings.defender is on.
    defender_workspace_id: pulumi.Input[str] | None = None
    # Windows pools need the cluster's Windows profile (an admin account on every Windows node).
    windows_nodes: bool = False
    # The private API server's own DNS zone (a runner network is connected); None: AKS makes its own.
    private_dns_zone_id: pulumi.Input[str] | None = None
    # A channel (the cluster's stable or rapid, or a fleet) moves the minor version: the versions given
    # only seed a new cluster (PlatformSettings.channel_moves_minor, docs/upgrades.md).
    channel_moves_minor: bool = False


class Cluster(pulumi.ComponentResource):
    """AKS with Entra ID and Azure RBAC only (local accounts off), workload identity, Azure CNI
    overlay with Cilium network policy, managed upgrades, and the System pool inline.

    The control plane runs as a user-assigned identity that is granted Network Contributor on the
    subnets before the cluster is created, so the first deployment never races role propagation.
    """

    def __init__(
        self, name: str, context: StackContext, args: ClusterArgs, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("aks-platform:containerservice:Cluster", name, None, opts)
        s, c = args.settings, context
        if s.defender and args.defender_workspace_id is None:
            raise ValueError("cluster.defender is on but no workspace for its sensor was given (Monitoring(defender=True))")
        self.identity = managedidentity.UserAssignedIdentity(
            f"{name}-identity",
            resource_name_=f"id-{c.stem}-control-plane",
            resource_group_name=c.resource_group_name,
            location=c.location,
            tags=dict(c.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        network_grants = [
            assign_role(
                f"{name}-network-contributor-{index}",
                scope=scope,
                role=NETWORK_CONTRIBUTOR,
                principal_id=self.identity.principal_id,
                subscription_id=c.subscription_id,
                parent=self,
            )
            for index, scope in enumerate(args.network_scopes)
        ]
        # AKS writes the API server's record into a zone it is given: Private DNS Zone Contributor on it
        # (https://learn.microsoft.com/azure/aks/private-clusters#configuration-options-for-private-dns).
        dns_grants = [
            assign_role(
                f"{name}-private-dns-zone-contributor",
                scope=args.private_dns_zone_id,
                role=PRIVATE_DNS_ZONE_CONTRIBUTOR,
                principal_id=self.identity.principal_id,
                subscription_id=c.subscription_id,
                parent=self,
            )
        ] if args.private_dns_zone_id is not None else []

        system = args.system_pool
        system_pool = aks.ManagedClusterAgentPoolProfileArgs(
            name=system.name,
            **pool_properties(
                system.model_copy(update={"taints": (SYSTEM_POOL_TAINT, *system.taints)}),
                subnet_id=args.node_subnet_id,
                kubernetes_version=s.kubernetes_version,
                tags=c.tags,
            ),
        )

        self.cluster = aks.ManagedCluster(
            f"{name}-aks",
            resource_name_=f"aks-{c.stem}",
            resource_group_name=c.resource_group_name,
            location=c.location,
            dns_prefix=c.stem,
            kubernetes_version=s.kubernetes_version,
            sku=aks.ManagedClusterSKUArgs(name="Base", tier=s.tier),
            support_plan="AKSLongTermSupport" if s.long_term_support else "KubernetesOfficial",
            node_resource_group=f"rg-{c.stem}-nodes",
            # Nobody changes the node resource group by hand: AKS would undo it or break on it.
            node_resource_group_profile=aks.ManagedClusterNodeResourceGroupProfileArgs(restriction_level="ReadOnly"),
            identity=aks.ManagedClusterIdentityArgs(type="UserAssigned", user_assigned_identities=[self.identity.id]),
            aad_profile=aks.ManagedClusterAADProfileArgs(
                managed=True,
                enable_azure_rbac=True,
                tenant_id=c.tenant_id,
                admin_group_object_ids=list(s.admin_group_object_ids) or None,
            ),
            enable_rbac=True,
            disable_local_accounts=not s.local_accounts,
            oidc_issuer_profile=aks.ManagedClusterOIDCIssuerProfileArgs(enabled=True),
            metrics_profile=aks.ManagedClusterMetricsProfileArgs(
                cost_analysis=aks.ManagedClusterCostAnalysisArgs(enabled=s.cost_analysis_enabled),
            ),
            workload_auto_scaler_profile=aks.ManagedClusterWorkloadAutoScalerProfileArgs(
                keda=aks.ManagedClusterWorkloadAutoScalerProfileKedaArgs(enabled=s.keda),
                vertical_pod_autoscaler=aks.ManagedClusterWorkloadAutoScalerProfileVerticalPodAutoscalerArgs(enabled=s.vpa),
            ),
            security_profile=aks.ManagedClusterSecurityProfileArgs(
                workload_identity=aks.ManagedClusterSecurityProfileWorkloadIdentityArgs(enabled=True),
                image_cleaner=aks.ManagedClusterSecurityProfileImageCleanerArgs(enabled=True, interval_hours=168),
                defender=aks.ManagedClusterSecurityProfileDefenderArgs(
                    log_analytics_workspace_resource_id=args.defender_workspace_id,
                    security_monitoring=aks.ManagedClusterSecurityProfileDefenderSecurityMonitoringArgs(enabled=True),
                ) if s.defender else None,
            ),
            network_profile=self._network_profile(args.network),
            api_server_access_profile=aks.ManagedClusterAPIServerAccessProfileArgs(
                enable_private_cluster=s.private,
                authorized_ip_ranges=None if s.private else list(s.authorized_ip_ranges),
                enable_vnet_integration=True if args.api_server_subnet_id is not None else None,
                subnet_id=args.api_server_subnet_id,
                disable_run_command=s.disable_run_command,
                private_dns_zone=args.private_dns_zone_id,
            ),
            auto_upgrade_profile=aks.ManagedClusterAutoUpgradeProfileArgs(
                upgrade_channel=s.upgrade_channel,
                node_os_upgrade_channel=s.node_os_upgrade_channel,
            ),
            addon_profiles=self._addons(s, args.workspace_id, args.secret_rotation_interval),
            storage_profile=aks.ManagedClusterStorageProfileArgs(
                disk_csi_driver=aks.ManagedClusterStorageProfileDiskCSIDriverArgs(enabled=True),
                file_csi_driver=aks.ManagedClusterStorageProfileFileCSIDriverArgs(enabled=True),
                snapshot_controller=aks.ManagedClusterStorageProfileSnapshotControllerArgs(enabled=True),
            ),
            agent_pool_profiles=[system_pool],
            auto_scaler_profile=self._autoscaler(s.autoscaler),
            windows_profile=self._windows_profile(name) if args.windows_nodes else None,
            tags=dict(c.tags),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=c.protect,
                # The role grants are not inputs of the cluster, but AKS checks them when it creates it.
                depends_on=[*network_grants, *dns_grants],
                # The autoscaler owns the System pool's node count, a channel that moves the minor the versions.
                ignore_changes=owned_elsewhere(system.autoscaled, args.channel_moves_minor, "agentPoolProfiles[0].")
                + (["kubernetesVersion"] if args.channel_moves_minor else []) or None,
                # An update refused while an agent pool operation or an auto-upgrade runs is retried.
                hooks=retry_transient_conflicts(f"{name}-aks"),
            ),
        )
        self._resource_group_name = c.resource_group_name
        self.name = self.cluster.name
        self.id = self.cluster.id
        self.oidc_issuer_url = self.cluster.oidc_issuer_profile.apply(lambda p: p.issuer_url if p else None)
        self.kubelet_object_id = self.cluster.identity_profile.apply(lambda p: p["kubeletidentity"].object_id)
        self.register_outputs({"name": self.name, "id": self.id, "oidc_issuer_url": self.oidc_issuer_url})

    @staticmethod
    def _network_profile(n: NetworkSettings) -> aks.ContainerServiceNetworkProfileArgs:
        return aks.ContainerServiceNetworkProfileArgs(
            network_plugin="azure",
            # Overlay: pods get IPs from podCidr, so the VNet only needs room for nodes.
            network_plugin_mode="overlay",
            network_dataplane=n.dataplane,
            network_policy=NETWORK_POLICY[n.dataplane],
            pod_cidr=str(n.pod_cidr),
            service_cidr=str(n.service_cidr),
            dns_service_ip=str(n.dns_service_ip),
            outbound_type=n.outbound_type,
            load_balancer_sku="standard",
        )

    @staticmethod
    def _autoscaler(a: AutoscalerSettings) -> aks.ManagedClusterPropertiesAutoScalerProfileArgs:
        # The autoscaler profile takes numbers as strings, like add-on config.
        return aks.ManagedClusterPropertiesAutoScalerProfileArgs(
            expander=a.expander,
            scan_interval=a.scan_interval,
            scale_down_delay_after_add=a.scale_down_delay_after_add,
            scale_down_delay_after_delete=a.scale_down_delay_after_delete,
            scale_down_delay_after_failure=a.scale_down_delay_after_failure,
            scale_down_unneeded_time=a.scale_down_unneeded_time,
            scale_down_utilization_threshold=str(a.scale_down_utilization_threshold),
        )

    def _windows_profile(self, name: str) -> aks.ManagedClusterWindowsProfileArgs:
        """An admin account AKS puts on every Windows node. Its password is generated and kept only in
        the (encrypted) stack state; nobody needs it, since nodes are reached through Kubernetes."""
        password = random.RandomPassword(
            f"{name}-windows-admin",
            length=32,
            # Azure's complexity rule wants three of lower, upper, digit and special; all four are asked.
            min_lower=1,
            min_upper=1,
            min_numeric=1,
            min_special=1,
            override_special="!#%*-_=+",
            opts=pulumi.ResourceOptions(parent=self),
        )
        return aks.ManagedClusterWindowsProfileArgs(
            admin_username=WINDOWS_ADMIN_USERNAME,
            # pulumi-random already marks `result` secret; saying it here keeps it secret whatever engine runs.
            admin_password=pulumi.Output.secret(password.result),
            enable_csi_proxy=True,
        )

    @staticmethod
    def _addons(
        s: ClusterSettings, workspace_id: pulumi.Input[str], rotation_interval: str
    ) -> dict[str, aks.ManagedClusterAddonProfileArgs]:
        # Add-on config values are strings in the AKS API, booleans included.
        addons = {
            SECRETS_PROVIDER_ADDON: aks.ManagedClusterAddonProfileArgs(
                enabled=True,
                config={"enableSecretRotation": "true", "rotationPollInterval": rotation_interval},
            ),
            CONTAINER_INSIGHTS_ADDON: aks.ManagedClusterAddonProfileArgs(
                enabled=True,
                config={"logAnalyticsWorkspaceResourceID": workspace_id, "useAADAuth": "true"},
            ),
        }
        if s.azure_policy:
            addons[AZURE_POLICY_ADDON] = aks.ManagedClusterAddonProfileArgs(enabled=True)
        return addons

    def user_kubeconfig(self) -> pulumi.Output[str]:
        """The Entra ID (user) kubeconfig in exec format for kubelogin: with local accounts disabled
        there are no admin credentials to fetch. Secret, because it names the cluster's endpoints."""
        credentials = aks.list_managed_cluster_user_credentials_output(
            resource_group_name=self._resource_group_name, resource_name=self.cluster.name, format="exec"
        )
        return pulumi.Output.secret(
            credentials.kubeconfigs.apply(lambda k: base64.b64decode(k[0].value).decode())
        )
