"""Log Analytics for the platform, and diagnostic settings that send resources' logs to it."""
from __future__ import annotations

from collections.abc import Sequence

import pulumi
from pulumi_azure_native import monitor, operationalinsights

from facts.azure import LOG_RETENTION_DAYS_LIMITS
from settings import MonitoringSettings

from .context import StackContext

# The control-plane logs an incident or an audit needs. kube-audit-admin rather than kube-audit:
# it keeps every change but drops the get/list noise that makes kube-audit very expensive.
CLUSTER_LOG_CATEGORIES = (
    "kube-apiserver",
    "kube-audit-admin",
    "kube-controller-manager",
    "kube-scheduler",
    "cluster-autoscaler",
    "guard",
    "cloud-controller-manager",
    "csi-azuredisk-controller",
    "csi-azurefile-controller",
    "csi-snapshot-controller",
)
KEY_VAULT_LOG_CATEGORIES = ("AuditEvent",)
# Every log category a container registry has (Learn "Supported logs for Microsoft.ContainerRegistry/registries",
# https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-containerregistry-registries-logs):
# who logged in, and every push, pull, untag and delete.
REGISTRY_LOG_CATEGORIES = ("ContainerRegistryLoginEvents", "ContainerRegistryRepositoryEvents")
CONTAINER_INSIGHTS_STREAM = "Microsoft-ContainerInsights-Group-Default"
# A ceiling for the Defender sensor's workspace, which should store nothing (see `_defender_workspace`):
# our choice, not an Azure figure.
DEFENDER_DAILY_QUOTA_GB = 1


class Monitoring(pulumi.ComponentResource):
    """The Log Analytics workspace that Container Insights and every diagnostic setting use, and with
    `defender` a second one that only Defender for Containers' sensor uses.

    Local (shared-key) auth is off on the platform's workspace, so only Entra ID identities can write or
    query; the daily cap and retention come from settings. `collect_logs` sends another resource's logs here.
    """

    def __init__(
        self, name: str, context: StackContext, settings: MonitoringSettings, *, defender: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("aks-platform:monitoring:Monitoring", name, None, opts)
        s = settings
        self.workspace = operationalinsights.Workspace(
            f"{name}-workspace",
            workspace_name=f"log-{context.stem}",
            resource_group_name=context.resource_group_name,
            location=context.location,
            sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
            retention_in_days=s.retention_days,
            workspace_capping=operationalinsights.WorkspaceCappingArgs(daily_quota_gb=s.daily_quota_gb),
            features=operationalinsights.WorkspaceFeaturesArgs(
                disable_local_auth=True,
                enable_log_access_using_only_resource_permissions=True,
            ),
            tags=dict(context.tags),
            opts=pulumi.ResourceOptions(parent=self, protect=context.protect),
        )
        self.workspace_id = self.workspace.id
        self._name, self._context = name, context
        self.defender_workspace = self._defender_workspace() if defender else None
        self.defender_workspace_id = self.defender_workspace.id if self.defender_workspace else None
        self.register_outputs({"workspace_id": self.workspace_id, "defender_workspace_id": self.defender_workspace_id})

    def _defender_workspace(self) -> operationalinsights.Workspace:
        """The workspace Defender for Containers' sensor registers with, local auth on.

        The sensor "registers with a Log Analytics workspace and acts as a data pipeline. However, the audit
        log data isn't stored in the Log Analytics workspace" (Learn, Defender for Containers architecture,
        2026-02-16: https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-architecture).
        Its publisher pods authenticate with the workspace key and crash when the workspace has
        disableLocalAuth=true; Microsoft support: the sensor still uses the legacy agent, key auth only
        (https://github.com/Azure/Microsoft-Defender-for-Cloud/issues/1010, open). So it gets a workspace of
        its own and the platform's stays Entra ID only; the policy waivers are in facts/waivers.py. Revisit
        when that issue is closed. Not protected: it holds no logs.
        """
        c = self._context
        return operationalinsights.Workspace(
            f"{self._name}-defender-workspace",
            workspace_name=f"log-{c.stem}-defender",
            resource_group_name=c.resource_group_name,
            location=c.location,
            sku=operationalinsights.WorkspaceSkuArgs(name="PerGB2018"),
            retention_in_days=LOG_RETENTION_DAYS_LIMITS[0],
            workspace_capping=operationalinsights.WorkspaceCappingArgs(daily_quota_gb=DEFENDER_DAILY_QUOTA_GB),
            features=operationalinsights.WorkspaceFeaturesArgs(
                disable_local_auth=False,
                enable_log_access_using_only_resource_permissions=True,
            ),
            tags=dict(c.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )

    def collect_logs(
        self, name: str, resource_id: pulumi.Input[str], categories: Sequence[str], *, dedicated_tables: bool = False,
        metrics: bool = False,
    ) -> monitor.DiagnosticSetting:
        """Send the given log categories of a resource to the workspace, and with `metrics` its platform
        metrics too (the `AllMetrics` category).

        `dedicated_tables` writes to resource-specific tables (AKSAudit, AKSControlPlane, ...), which
        are cheaper to query and can use the Basic logs plan; AKS supports them, not every service does.
        """
        return monitor.DiagnosticSetting(
            f"{self._name}-{name}-diagnostics",
            name="to-log-analytics",
            resource_uri=resource_id,
            workspace_id=self.workspace_id,
            log_analytics_destination_type="Dedicated" if dedicated_tables else None,
            logs=[monitor.DiagnosticsLogSettingsArgs(category=c, enabled=True) for c in categories],
            metrics=[monitor.DiagnosticsMetricSettingsArgs(category="AllMetrics", enabled=True)] if metrics else None,
            opts=pulumi.ResourceOptions(parent=self),
        )

    def container_insights(self, name: str, cluster_id: pulumi.Input[str]) -> monitor.DataCollectionRuleAssociation:
        """The data collection rule that the Container Insights agent reads when it authenticates with
        Entra ID (`useAADAuth`). `az aks enable-addons` creates it implicitly; through the API nothing
        does, and without it the agent runs but sends nothing.
        """
        c = self._context
        rule = monitor.DataCollectionRule(
            f"{self._name}-{name}-container-insights",
            data_collection_rule_name=f"MSCI-{c.location}-{c.stem}",
            resource_group_name=c.resource_group_name,
            location=c.location,
            kind="Linux",
            data_sources=monitor.DataCollectionRuleDataSourcesArgs(
                extensions=[
                    monitor.ExtensionDataSourceArgs(
                        name="ContainerInsightsExtension",
                        extension_name="ContainerInsights",
                        streams=[CONTAINER_INSIGHTS_STREAM],
                        extension_settings={
                            "dataCollectionSettings": {
                                "interval": "1m",
                                "namespaceFilteringMode": "Off",
                                "enableContainerLogV2": True,
                            }
                        },
                    )
                ]
            ),
            destinations=monitor.DataCollectionRuleDestinationsArgs(
                log_analytics=[monitor.LogAnalyticsDestinationArgs(name="workspace", workspace_resource_id=self.workspace_id)]
            ),
            data_flows=[monitor.DataFlowArgs(streams=[CONTAINER_INSIGHTS_STREAM], destinations=["workspace"])],
            tags=dict(c.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        return monitor.DataCollectionRuleAssociation(
            f"{self._name}-{name}-container-insights-association",
            association_name="ContainerInsightsExtension",
            resource_uri=cluster_id,
            data_collection_rule_id=rule.id,
            opts=pulumi.ResourceOptions(parent=self),
        )
