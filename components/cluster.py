"""The AKS managed cluster, its control-plane identity and the System node pool."""
from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_random as random
from pulumi_azure_native import containerservice as aks
from pulumi_azure_native import authorization, managedidentity

from facts.azure import (
    ACI_CONNECTOR_ADDON,
    AZURE_POLICY_ADDON,
    CONTAINER_INSIGHTS_ADDON,
    KEY_VAULT_CONTRIBUTOR,
    KEY_VAULT_CRYPTO_USER,
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
class KmsKey:
    """The Key Vault key etcd's KMS encryption uses, in a vault whose public access is disabled."""

    key_id: pulumi.Input[str]  # the key's URI with its version: AKS uses that version until keyId changes
    key_resource_id: pulumi.Input[str]
    vault_id: pulumi.Input[str]


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
    # The subnet virtual-node pods take their addresses from; required when settings.virtual_nodes is on.
    virtual_node_subnet_id: pulumi.Input[str] | None = None
    # The Managed Prometheus add-on (azureMonitorProfile.metrics); its workspace and rules: components/metrics.py.
    managed_prometheus: bool = False
    # KMS etcd encryption (settings.kms); required when it is on.
    kms: KmsKey | None = None
    # A channel (the cluster's stable or rapid, or a fleet) moves the minor version: the versions given
    # only seed a new cluster (PlatformSettings.channel_moves_minor, docs/upgrades.md).
    channel_moves_minor: bool = False


class Cluster(pulumi.ComponentResource):
    """AKS with Entra ID and Azure RBAC only (local accounts off), workload identity, Azure CNI
    (overlay, or flat for virtual nodes) with Cilium or Calico network policy, managed upgrades, and the
    System pool inline; with virtual nodes, the ACI connector add-on and its grant on its subnet.

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
        if s.virtual_nodes and args.virtual_node_subnet_id is None:
            raise ValueError("cluster.virtualNodes is on but no virtual node subnet was given (network.virtualNodeSubnetCidr)")
        if s.kms and args.kms is None:
            raise ValueError("cluster.kms is on but no key was given (KeyVaultArgs(etcd_key=True))")
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
        kms_grants = self._kms_grants(name, c, args.kms) if s.kms else []

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
            # Sent as false too when off, so that turning it off in settings turns the add-on off in Azure.
            azure_monitor_profile=aks.ManagedClusterAzureMonitorProfileArgs(
                metrics=aks.ManagedClusterAzureMonitorProfileMetricsArgs(enabled=args.managed_prometheus),
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
                azure_key_vault_kms=aks.AzureKeyVaultKmsArgs(
                    enabled=True,
                    key_id=args.kms.key_id,
                    key_vault_network_access=aks.KeyVaultNetworkAccessTypes.PRIVATE,
                    key_vault_resource_id=args.kms.vault_id,
                ) if s.kms else None,
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
            addon_profiles=self._addons(s, args.workspace_id, args.secret_rotation_interval, args.virtual_node_subnet_id),
            storage_profile=aks.ManagedClusterStorageProfileArgs(
                disk_csi_driver=aks.ManagedClusterStorageProfileDiskCSIDriverArgs(enabled=True),
                file_csi_driver=aks.ManagedClusterStorageProfileFileCSIDriverArgs(enabled=True),
                snapshot_controller=aks.ManagedClusterStorageProfileSnapshotControllerArgs(enabled=True),
            ),
            agent_pool_profiles=[system_pool],
            # With node auto-provisioning no agent pool is autoscaled (the preflight refuses one), so the
            # cluster autoscaler has nothing to act on.
            auto_scaler_profile=self._autoscaler(s.autoscaler) if s.node_provisioning == "manual" else None,
            node_provisioning_profile=self._node_provisioning(s),
            windows_profile=self._windows_profile(name) if args.windows_nodes else None,
            tags=dict(c.tags),
            opts=pulumi.ResourceOptions(
                parent=self,
                protect=c.protect,
                # The role grants are not inputs of the cluster, but AKS checks them when it creates it.
                depends_on=[*network_grants, *dns_grants, *kms_grants],
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
        self.virtual_node_grant = (
            self._grant_aci_connector(name, c, args.virtual_node_subnet_id) if s.virtual_nodes else None
        )
        self.register_outputs({"name": self.name, "id": self.id, "oidc_issuer_url": self.oidc_issuer_url})

    def _grant_aci_connector(
        self, name: str, c: StackContext, subnet_id: pulumi.Input[str]
    ) -> authorization.RoleAssignment:
        """Network Contributor on the virtual node subnet for the add-on's own identity, which AKS creates as
        `aciconnectorlinux-<cluster>` in the node resource group ("Grant the Network Contributor role on the
        subnet used by virtual nodes to the managed identity for the virtual node add-on", Learn "Create virtual
        nodes using Azure CLI", https://learn.microsoft.com/azure/aks/virtual-nodes-cli). The CLI grants
        Contributor on the whole VNet instead (azure-cli acs: add_virtual_node_role_assignment); the subnet
        is what the documented grant covers. Its principal exists only once the cluster does: read from the
        cluster's addonProfiles."""
        return assign_role(
            f"{name}-aci-connector-network-contributor",
            scope=subnet_id,
            role=NETWORK_CONTRIBUTOR,
            principal_id=self.cluster.addon_profiles.apply(_aci_connector_object_id),
            subscription_id=c.subscription_id,
            parent=self,
        )

    def _kms_grants(self, name: str, c: StackContext, kms: KmsKey) -> list[pulumi.Resource]:
        """What AKS's KMS needs of the control-plane identity with a private vault (facts.azure): Crypto User on
        the key alone, which Key Vault RBAC can scope to one key, and Key Vault Contributor on the vault for the
        private link AKS creates to it. Both exist before the cluster: AKS cannot check them with a private vault."""
        return [
            assign_role(f"{name}-kms-crypto-user", scope=kms.key_resource_id, role=KEY_VAULT_CRYPTO_USER,
                        principal_id=self.identity.principal_id, subscription_id=c.subscription_id, parent=self),
            assign_role(f"{name}-kms-vault-contributor", scope=kms.vault_id, role=KEY_VAULT_CONTRIBUTOR,
                        principal_id=self.identity.principal_id, subscription_id=c.subscription_id, parent=self),
        ]

    @staticmethod
    def _network_profile(n: NetworkSettings) -> aks.ContainerServiceNetworkProfileArgs:
        overlay = n.pod_network == "overlay"
        return aks.ContainerServiceNetworkProfileArgs(
            network_plugin="azure",
            # Overlay: pods get IPs from podCidr, so the VNet only needs room for nodes. Flat ("Azure CNI Node
            # Subnet", podNetwork vnet): no plugin mode and no pod CIDR, pods take node-subnet addresses.
            network_plugin_mode="overlay" if overlay else None,
            network_dataplane=n.dataplane,
            network_policy=NETWORK_POLICY[n.dataplane],
            # The pinned SDK fills in 10.244.0.0/16 for a None pod_cidr (the REST spec's kubenet default), and a pod
            # CIDR is only for kubenet or overlay (REST spec ContainerServiceNetworkProfile.podCidr; the CLI refuses
            # --pod-cidr with Azure CNI without overlay, Azure/azure-cli#26237): an Output of None leaves it out.
            pod_cidr=str(n.pod_cidr) if overlay else pulumi.Output.from_input(None),
            service_cidr=str(n.service_cidr),
            dns_service_ip=str(n.dns_service_ip),
            outbound_type=n.outbound_type,
            load_balancer_sku="standard",
        )

    @staticmethod
    def _node_provisioning(s: ClusterSettings) -> aks.ManagedClusterNodeProvisioningProfileArgs | None:
        """Node auto-provisioning (Learn "Enable or disable node auto-provisioning"): mode Auto, and whether AKS
        adds its own NodePools. None in manual mode: AKS's default (Manual), and no change for existing stacks."""
        if s.node_provisioning == "manual":
            return None
        return aks.ManagedClusterNodeProvisioningProfileArgs(mode="Auto", default_node_pools=s.default_node_pools)

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
        s: ClusterSettings, workspace_id: pulumi.Input[str], rotation_interval: str,
        virtual_node_subnet_id: pulumi.Input[str] | None,
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
        if s.virtual_nodes:
            # Virtual nodes through the ACI connector add-on, not Virtual Nodes v2: v2 is a preview AKS extension
            # ("these features aren't meant for production use") that does not support "Bring your own (BYO)
            # virtual network", and this platform brings its own VNet (Learn "Use Virtual Nodes v2 in AKS
            # (preview)", https://learn.microsoft.com/azure/aks/virtual-nodes-v2, Limitations). The add-on is the
            # GA way for a cluster on flat Azure CNI (https://learn.microsoft.com/azure/aks/virtual-nodes-cli).
            # SubnetName is a name, looked up in the node subnet's VNet: "Virtual nodes use another subnet in the
            # same virtual network as the AKS cluster" (https://learn.microsoft.com/azure/aks/concepts-scale).
            addons[ACI_CONNECTOR_ADDON] = aks.ManagedClusterAddonProfileArgs(
                enabled=True,
                config={"SubnetName": pulumi.Output.from_input(virtual_node_subnet_id).apply(_last_segment)},
            )
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


def _last_segment(resource_id: str) -> str:
    """A child resource's name from its ARM ID (`.../subnets/snet-virtualnodes` -> `snet-virtualnodes`)."""
    return resource_id.rsplit("/", 1)[-1]


def _aci_connector_object_id(addon_profiles: dict | None) -> str:
    """The object ID of the ACI connector add-on's identity, from the cluster's addonProfiles as Azure returns
    them (`addonProfiles.aciConnectorLinux.identity.objectId`; add-on keys compare without case)."""
    by_key = {key.lower(): profile for key, profile in (addon_profiles or {}).items()}
    profile = by_key.get(ACI_CONNECTOR_ADDON.lower())
    if profile is None or profile.identity is None:
        raise ValueError(f"the cluster reports no identity for its {ACI_CONNECTOR_ADDON} add-on")
    return profile.identity.object_id
