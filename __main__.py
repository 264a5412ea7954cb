"""aks-platform: one production-grade AKS platform per stack.

Reads and validates the stack's settings (nothing is registered if they are wrong), wires the
components together and exports what operators and the in-cluster layer need.
"""
import pulumi
from pulumi_azure_native import authorization

from components.alerts import Alerts
from components.backup import BackupArgs, ClusterBackup
from components.cluster import Cluster, ClusterArgs, KmsKey
from components.context import StackContext
from components.gitops import GitOps, GitOpsArgs
from components.fleet_member import FleetMembership, FleetMembershipArgs
from components.in_cluster import InCluster, InClusterArgs
from components.grafana import Grafana
from components.key_vault import KeyVault, KeyVaultArgs
from components.maintenance import MaintenanceArgs, PlannedMaintenance
from components.metrics import ManagedPrometheus
from components.monitoring import (
    CLUSTER_LOG_CATEGORIES, KEY_VAULT_LOG_CATEGORIES, REGISTRY_LOG_CATEGORIES, Monitoring,
)
from components.naming import global_name
from components.network import Network
from components.node_pools import NodePools, NodePoolsArgs
from components.registry import ContainerRegistry, RegistryArgs
from components.resource_group import ResourceGroup
from components.safeguards import DeploymentSafeguards, SafeguardsArgs
from facts.azure import STORAGE_SERVICE_ENDPOINT
from settings import from_pulumi_config

config = from_pulumi_config()
for warning in config.warnings:
    pulumi.log.warn(warning)
client = authorization.get_client_config_output()

group = ResourceGroup("platform", resource_group_name=f"rg-{config.stem}", location=config.location,
                      tags=config.tags, protect=config.protect)
stack = StackContext.of(config, group.name, tenant_id=client.tenant_id, subscription_id=client.subscription_id)
# The nodes reach the backup storage account through its firewall (components/backup.py).
network = Network("network", stack, config.network,
                  node_service_endpoints=[STORAGE_SERVICE_ENDPOINT] if config.backup.enabled else [])
monitoring = Monitoring("monitoring", stack, config.monitoring, defender=config.cluster.defender)
vault = KeyVault("keyvault", stack, KeyVaultArgs(
    config.key_vault, global_name("kv", config.name_prefix, config.environment, client.subscription_id),
    allowed_subnet_ids=[network.node_subnet.id],
    private_endpoint_subnet_id=network.private_endpoint_subnet_id, vnet_id=network.vnet.id,
    etcd_key=config.cluster.kms,
))
cluster = Cluster("cluster", stack, ClusterArgs(
    config.cluster, config.network, config.system_pool,
    node_subnet_id=network.node_subnet.id, api_server_subnet_id=network.api_server_subnet_id,
    network_scopes=network.cluster_scopes, workspace_id=monitoring.workspace_id,
    defender_workspace_id=monitoring.defender_workspace_id,
    secret_rotation_interval=config.key_vault.secret_rotation_interval,
    windows_nodes=any(p.os_type == "Windows" for p in config.node_pools),
    private_dns_zone_id=network.api_server_dns_zone_id,
    virtual_node_subnet_id=network.virtual_node_subnet_id,
    managed_prometheus=config.metrics.enabled,
    kms=KmsKey(vault.etcd_key.key_uri_with_version, vault.etcd_key.id, vault.vault.id) if vault.etcd_key else None,
    channel_moves_minor=config.channel_moves_minor,
))
pools = NodePools("pools", stack, NodePoolsArgs(
    config.agent_pools, cluster.cluster, network.node_subnet.id, config.cluster.kubernetes_version,
    channel_moves_minor=config.channel_moves_minor,
))
if config.fleet.joined:
    FleetMembership("fleet", stack, FleetMembershipArgs(config.fleet, cluster.cluster))
PlannedMaintenance("maintenance", stack, MaintenanceArgs(config.cluster.maintenance_window, cluster.cluster))
DeploymentSafeguards("safeguards", SafeguardsArgs(config.cluster.safeguards, cluster.cluster))
if config.gitops:
    GitOps("gitops", GitOpsArgs(config.gitops, cluster.cluster, group.name, secret=config.gitops_secret))
monitoring.collect_logs("cluster", cluster.id, CLUSTER_LOG_CATEGORIES, dedicated_tables=True, metrics=True)
monitoring.collect_logs("keyvault", vault.vault.id, KEY_VAULT_LOG_CATEGORIES)
monitoring.container_insights("cluster", cluster.id)
if config.metrics.enabled:
    prometheus = ManagedPrometheus("prometheus", stack, cluster_id=cluster.id, cluster_name=cluster.name)
    if config.alerts.enabled:
        Alerts("alerts", stack, config.alerts, webhooks=config.alert_webhooks, workspace_id=prometheus.workspace_id,
               cluster_id=cluster.id, cluster_name=cluster.name)
    if config.metrics.grafana.enabled:
        grafana = Grafana("grafana", stack, config.metrics.grafana, workspace_id=prometheus.workspace_id,
                          admin_group_ids=config.cluster.admin_group_object_ids,
                          private_endpoint_subnet_id=network.private_endpoint_subnet_id, vnet_id=network.vnet.id)
        pulumi.export("grafana_endpoint", grafana.endpoint)
if config.registry.enabled:
    registry = ContainerRegistry("registry", stack, RegistryArgs(
        config.registry, global_name("cr", config.name_prefix, config.environment, client.subscription_id),
        private_endpoint_subnet_id=network.private_endpoint_subnet_id, vnet_id=network.vnet.id,
    ))
    registry.grant_pull("kubelet", cluster.kubelet_object_id)
    monitoring.collect_logs("registry", registry.registry.id, REGISTRY_LOG_CATEGORIES, metrics=True)
    pulumi.export("registry_login_server", registry.registry.login_server)
if config.backup.enabled:
    backup = ClusterBackup("backup", stack, BackupArgs(
        config.backup, cluster.cluster, cluster_principal_id=cluster.identity.principal_id,
        storage_account_name=global_name("st", config.name_prefix, config.environment, client.subscription_id),
        node_subnet_id=network.node_subnet.id,
    ))
    pulumi.export("backup_vault_id", backup.vault.id)

kubeconfig = cluster.user_kubeconfig()
# inCluster: false leaves the layer out of `pulumi up`; the offline plan asks to see it for review.
if config.in_cluster.enabled or config.render_in_cluster_for_review:
    InCluster("in-cluster", stack, InClusterArgs(
        config.in_cluster, cluster_id=cluster.id, user_kubeconfig=network.once_runner_connected(kubeconfig),
        oidc_issuer_url=cluster.oidc_issuer_url, secrets_store_addon=cluster.cluster,
        vault_name=vault.vault.name, client_object_id=client.object_id,
        workload_nodes=[pools], nap_pools=config.nap_pools,
    ))
pulumi.export("in_cluster", "deployed" if config.in_cluster.enabled else "off (inCluster: false): in the offline plan only")

pulumi.export("resource_group", group.name)
pulumi.export("cluster_name", cluster.name)
pulumi.export("oidc_issuer_url", cluster.oidc_issuer_url)
pulumi.export("key_vault_uri", vault.uri)
pulumi.export("workspace_id", monitoring.workspace_id)
pulumi.export("kubeconfig", kubeconfig)
