"""The recommended Prometheus alert rules of a cluster, and the action group they notify."""
from __future__ import annotations

from collections.abc import Mapping

import pulumi
from pulumi_azure_native import alertsmanagement, monitor

from facts.azure import ACTION_GROUP_LOCATION
from facts.prometheus import ALERT_GROUPS, RULE_GROUP_INTERVAL, TIME_TO_RESOLVE, AlertRule
from settings import AlertsSettings

from .context import StackContext

# What SMS and e-mail subjects show for the group; fixed and short (the stem can be long).
ACTION_GROUP_SHORT_NAME = "aks-alerts"


class Alerts(pulumi.ComponentResource):
    """An action group with the e-mail and webhook receivers of the settings, and Azure's recommended alert rules
    (facts/prometheus.py, cluster, node and pod level) as Prometheus rule groups on the Azure Monitor workspace,
    limited to this cluster, each rule's severity, threshold and on/off from the settings.

    The action group uses the SDK's default API version, 2024-10-01-preview, the only one pulumi-azure-native
    3.29.0 ships for it; the properties set here (e-mail and webhook receivers, the common alert schema) are
    in the GA versions as well.
    """

    def __init__(
        self, name: str, context: StackContext, settings: AlertsSettings, *,
        webhooks: Mapping[str, pulumi.Input[str]], workspace_id: pulumi.Input[str], cluster_id: pulumi.Input[str],
        cluster_name: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None,
    ):
        super().__init__("aks-platform:monitoring:Alerts", name, None, opts)
        c = context
        self.action_group = monitor.ActionGroup(
            f"{name}-action-group",
            action_group_name=f"ag-{c.stem}-alerts",
            resource_group_name=c.resource_group_name,
            location=ACTION_GROUP_LOCATION,
            group_short_name=ACTION_GROUP_SHORT_NAME,
            enabled=True,
            email_receivers=[
                monitor.MicrosoftCommonEmailReceiverArgs(name=f"email-{index}", email_address=address,
                                                         use_common_alert_schema=True)
                for index, address in enumerate(settings.emails)
            ],
            # The URL may be a secret Output (alertWebhooks set with --secret): it stays one in the state.
            webhook_receivers=[
                monitor.WebhookReceiverArgs(name=receiver, service_uri=url, use_common_alert_schema=True)
                for receiver, url in webhooks.items()
            ],
            tags=dict(c.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.rule_groups = [
            alertsmanagement.PrometheusRuleGroup(
                f"{name}-{level.lower()}",
                # Azure's own names for its recommended groups (recommendedMetricAlerts.bicep).
                rule_group_name=pulumi.Output.concat("RecommendedMetricAlerts-", level, "-", cluster_name),
                resource_group_name=c.resource_group_name,
                location=c.location,
                description=f"Recommended {level.lower()} alerts of the cluster (aks-platform)",
                scopes=[workspace_id, cluster_id],
                cluster_name=cluster_name,
                enabled=True,
                interval=RULE_GROUP_INTERVAL,
                rules=[self._rule(rule, settings) for rule in rules],
                tags=dict(c.tags),
                opts=pulumi.ResourceOptions(parent=self),
            )
            for level, rules in ALERT_GROUPS.items()
        ]
        self.register_outputs({"action_group_id": self.action_group.id})

    def _rule(self, rule: AlertRule, settings: AlertsSettings) -> alertsmanagement.PrometheusRuleArgs:
        chosen = settings.rule(rule.name)
        return alertsmanagement.PrometheusRuleArgs(
            alert=rule.name,
            expression=rule.render(chosen.threshold),
            for_=rule.for_,
            severity=rule.severity if chosen.severity is None else chosen.severity,
            enabled=chosen.enabled,
            annotations={"description": rule.description},
            resolve_configuration=alertsmanagement.PrometheusRuleResolveConfigurationArgs(
                auto_resolved=True, time_to_resolve=TIME_TO_RESOLVE),
            actions=[alertsmanagement.PrometheusRuleGroupActionArgs(action_group_id=self.action_group.id)],
        )
