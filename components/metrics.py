"""Azure Monitor managed service for Prometheus: where the cluster's metrics go, and the recording rules
that Azure's own onboarding installs with it."""
from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pulumi_azure_native import alertsmanagement, monitor

from facts.prometheus import (
    KUBERNETES_RECORDING_RULES, NODE_RECORDING_RULES, PROMETHEUS_STREAM, RULE_GROUP_INTERVAL, RecordingRule,
)

from .context import StackContext

# Names as Azure's onboarding template gives them (Azure/prometheus-collector
# AddonBicepTemplate/FullAzureMonitorMetricsProfile.bicep): MSProm-<region>-<cluster>, the endpoint's cut to 44
# characters and the rule's to 64 there, as here.
ENDPOINT_NAME_MAX = 44
RULE_NAME_MAX = 64
_DESTINATION = "MonitoringAccount1"
# Logical name -> Azure's group name prefix (the cluster's name follows), its description and rules.
RECORDING_RULE_GROUPS: dict[str, tuple[str, str, Sequence[RecordingRule]]] = {
    "node": ("NodeRecordingRulesRuleGroup", "Node Recording Rules RuleGroup", NODE_RECORDING_RULES),
    "kubernetes": ("KubernetesRecordingRulesRuleGroup", "Kubernetes Recording Rules RuleGroup",
                   KUBERNETES_RECORDING_RULES),
}


class ManagedPrometheus(pulumi.ComponentResource):
    """An Azure Monitor workspace that stores the cluster's Prometheus metrics, the data collection endpoint and
    rule (stream Microsoft-PrometheusMetrics) that route them there, the rule's association with the cluster,
    and Azure's node and Kubernetes recording rule groups, limited to this cluster.

    The cluster's metrics add-on (`azureMonitorProfile.metrics`, components/cluster.py) is what collects; it
    reads the associated rule. The endpoint keeps public network access (Azure's default): the add-on sends
    out of the cluster to `*.metrics.ingest.monitor.azure.com` over 443 (Learn "Azure Monitor network
    requirements for Kubernetes"); ingesting over a private link needs an Azure Monitor Private Link Scope
    (Learn "Use a private link for Managed Prometheus data ingestion"), which this platform does not build.
    """

    def __init__(
        self, name: str, context: StackContext, *, cluster_id: pulumi.Input[str], cluster_name: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("aks-platform:monitoring:ManagedPrometheus", name, None, opts)
        c = context
        self._name, self._context = name, context
        child = pulumi.ResourceOptions(parent=self)
        self.workspace = monitor.AzureMonitorWorkspace(
            f"{name}-workspace",
            azure_monitor_workspace_name=f"amw-{c.stem}",
            resource_group_name=c.resource_group_name,
            location=c.location,
            tags=dict(c.tags),
            # Metrics are kept 18 months: guarded like the other stores of the stack.
            opts=pulumi.ResourceOptions(parent=self, protect=c.protect),
        )
        # The workspace, the endpoint and the rule sit in the cluster's region: one name serves all three.
        base = pulumi.Output.concat("MSProm-", c.location, "-", cluster_name)
        self.endpoint = monitor.DataCollectionEndpoint(
            f"{name}-endpoint",
            data_collection_endpoint_name=base.apply(lambda n: n[:ENDPOINT_NAME_MAX]),
            resource_group_name=c.resource_group_name,
            location=c.location,
            kind="Linux",
            tags=dict(c.tags),
            opts=child,
        )
        self.rule = monitor.DataCollectionRule(
            f"{name}-rule",
            data_collection_rule_name=base.apply(lambda n: n[:RULE_NAME_MAX]),
            resource_group_name=c.resource_group_name,
            location=c.location,
            kind="Linux",
            description="Managed Prometheus: the cluster's metrics to the Azure Monitor workspace",
            data_collection_endpoint_id=self.endpoint.id,
            data_sources=monitor.DataCollectionRuleDataSourcesArgs(
                prometheus_forwarder=[monitor.PrometheusForwarderDataSourceArgs(
                    name="PrometheusDataSource", streams=[PROMETHEUS_STREAM])],
            ),
            destinations=monitor.DataCollectionRuleDestinationsArgs(
                monitoring_accounts=[monitor.MonitoringAccountDestinationArgs(
                    name=_DESTINATION, account_resource_id=self.workspace.id)],
            ),
            data_flows=[monitor.DataFlowArgs(streams=[PROMETHEUS_STREAM], destinations=[_DESTINATION])],
            tags=dict(c.tags),
            opts=child,
        )
        self.association = monitor.DataCollectionRuleAssociation(
            f"{name}-association",
            association_name=base,
            resource_uri=cluster_id,
            data_collection_rule_id=self.rule.id,
            opts=child,
        )
        self.recording_rule_groups = [
            self._rule_group(key, group, description, rules, cluster_id, cluster_name)
            for key, (group, description, rules) in RECORDING_RULE_GROUPS.items()
        ]
        self.workspace_id = self.workspace.id
        self.register_outputs({"workspace_id": self.workspace_id})

    def _rule_group(
        self, key: str, group: str, description: str, rules: Sequence[RecordingRule], cluster_id: pulumi.Input[str],
        cluster_name: pulumi.Input[str],
    ) -> alertsmanagement.PrometheusRuleGroup:
        """One of Azure's recording rule groups, scoped to the workspace and this cluster: "The scopes list must
        still include the Azure Monitor workspace resource ID" (Learn "Azure Monitor managed service for
        Prometheus rule groups", limit rules to a specific cluster)."""
        c = self._context
        return alertsmanagement.PrometheusRuleGroup(
            f"{self._name}-{key}-recording-rules",
            rule_group_name=pulumi.Output.concat(group, "-", cluster_name),
            resource_group_name=c.resource_group_name,
            location=c.location,
            description=description,
            scopes=[self.workspace.id, cluster_id],
            cluster_name=cluster_name,
            enabled=True,
            interval=RULE_GROUP_INTERVAL,
            rules=[
                alertsmanagement.PrometheusRuleArgs(record=r.record, expression=r.expression, labels=r.labels or None)
                for r in rules
            ],
            tags=dict(c.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
