"""Managed Prometheus, the recommended alerts and Managed Grafana, each component alone on the mock engine, and
the cluster's metrics add-on in the shipped stacks."""
from __future__ import annotations

import json

import pytest

from components.alerts import Alerts
from components.grafana import Grafana
from components.metrics import ManagedPrometheus
from facts.azure import GRAFANA_ADMIN, MONITORING_DATA_READER
from facts.prometheus import ALERT_GROUPS, ALERT_RULES, KUBERNETES_RECORDING_RULES, NODE_RECORDING_RULES
from offline.engine import render, stack_config
from settings import GrafanaSettings
from sdk_shim.pulumi_sdk import is_secret_envelope
from tests.helpers import role_id, settings_for

from .helpers import CONTEXT, render_component

CLUSTER_ID = "/subscriptions/s/resourceGroups/rg-contoso-prod/providers/Microsoft.ContainerService/managedClusters/aks"
WORKSPACE_ID = "/subscriptions/s/resourceGroups/rg-contoso-prod/providers/Microsoft.Monitor/accounts/amw-contoso-prod"
RULE_GROUP = "azure-native:alertsmanagement:PrometheusRuleGroup"
ADMIN_GROUP = "6b2d1a0e-5c3f-4a8e-9d7b-2f1e0c4a3b59"


@pytest.fixture(scope="module")
def prometheus():
    return render_component(lambda: ManagedPrometheus("prometheus", CONTEXT, cluster_id=CLUSTER_ID,
                                                      cluster_name="aks-contoso-prod"))[0]


def test_the_rule_routes_the_prometheus_stream_through_the_endpoint_to_the_workspace(prometheus):
    workspace = prometheus.one("azure-native:monitor:AzureMonitorWorkspace")
    endpoint = prometheus.one("azure-native:monitor:DataCollectionEndpoint")
    rule = prometheus.one("azure-native:monitor:DataCollectionRule")["inputs"]
    assert workspace["inputs"]["azureMonitorWorkspaceName"] == "amw-contoso-prod" and workspace["protect"] is True
    assert rule["kind"] == "Linux" and rule["dataCollectionEndpointId"] == endpoint["outputs"]["id"]
    assert rule["dataSources"] == {"prometheusForwarder": [{"name": "PrometheusDataSource",
                                                            "streams": ["Microsoft-PrometheusMetrics"]}]}
    assert rule["destinations"] == {"monitoringAccounts": [{"name": "MonitoringAccount1",
                                                            "accountResourceId": workspace["outputs"]["id"]}]}
    assert rule["dataFlows"] == [{"streams": ["Microsoft-PrometheusMetrics"], "destinations": ["MonitoringAccount1"]}]


def test_the_rule_is_associated_with_the_cluster_under_azures_names(prometheus):
    association = prometheus.one("azure-native:monitor:DataCollectionRuleAssociation")["inputs"]
    rule = prometheus.one("azure-native:monitor:DataCollectionRule")
    assert association["resourceUri"] == CLUSTER_ID
    assert association["dataCollectionRuleId"] == rule["outputs"]["id"]
    assert association["associationName"] == rule["inputs"]["dataCollectionRuleName"] == \
        "MSProm-westeurope-aks-contoso-prod"


def test_azures_node_and_kubernetes_recording_rules_run_on_this_clusters_data(prometheus):
    workspace_id = prometheus.one("azure-native:monitor:AzureMonitorWorkspace")["outputs"]["id"]
    groups = {g["inputs"]["ruleGroupName"]: g["inputs"] for g in prometheus.of_type(RULE_GROUP)}
    assert set(groups) == {"NodeRecordingRulesRuleGroup-aks-contoso-prod",
                           "KubernetesRecordingRulesRuleGroup-aks-contoso-prod"}
    node, kubernetes = (groups[f"{g}RecordingRulesRuleGroup-aks-contoso-prod"] for g in ("Node", "Kubernetes"))
    for group in (node, kubernetes):
        assert group["scopes"] == [workspace_id, CLUSTER_ID] and group["clusterName"] == "aks-contoso-prod"
        assert (group["interval"], group["enabled"]) == ("PT1M", True)
    assert [r["record"] for r in node["rules"]] == [r.record for r in NODE_RECORDING_RULES]
    assert [r["record"] for r in kubernetes["rules"]] == [r.record for r in KUBERNETES_RECORDING_RULES]
    assert len(node["rules"]) == 11 and len(kubernetes["rules"]) == 19
    deployments = [r for r in kubernetes["rules"] if r.get("labels") == {"workload_type": "deployment"}]
    assert [r["record"] for r in deployments] == ["namespace_workload_pod:kube_pod_owner:relabel"]


def test_a_long_region_and_cluster_name_are_cut_to_the_endpoints_44_characters():
    rendered = render_component(lambda: ManagedPrometheus("p", CONTEXT, cluster_id=CLUSTER_ID,
                                                          cluster_name="aks-abcdefghij-staging-extra-long"))[0]
    name = rendered.one("azure-native:monitor:DataCollectionEndpoint")["inputs"]["dataCollectionEndpointName"]
    assert name == "MSProm-westeurope-aks-abcdefghij-staging-extra-long"[:44] and len(name) == 44


def render_alerts(webhooks=None, **alerts):
    settings = settings_for("prod", alerts={"emails": ["oncall@example.com", "lead@example.com"], **alerts})
    return render_component(lambda: Alerts("alerts", CONTEXT, settings.alerts, webhooks=webhooks or {},
                                           workspace_id=WORKSPACE_ID, cluster_id=CLUSTER_ID,
                                           cluster_name="aks-contoso-prod"))[0]


def rules_by_name(rendered) -> dict[str, dict]:
    return {r["alert"]: r for g in rendered.of_type(RULE_GROUP) for r in g["inputs"]["rules"]}


def test_every_recommended_alert_notifies_the_action_group_with_its_sourced_defaults():
    rendered = render_alerts()
    group = rendered.one("azure-native:monitor:ActionGroup")
    rules = rules_by_name(rendered)
    assert len(rules) == len(ALERT_RULES) >= 8
    for name, rule in rules.items():
        assert rule["actions"] == [{"actionGroupId": group["outputs"]["id"]}]
        assert (rule["severity"], rule["for"], rule["enabled"]) == (ALERT_RULES[name].severity, ALERT_RULES[name].for_,
                                                                      True)
        assert rule["expression"] == ALERT_RULES[name].render(None)
    assert rules["KubePVUsageHigh"]["expression"].endswith(") > 0.8")
    assert rules["KubeNodeDiskUsageHigh"]["expression"].endswith(" > 80")


def test_the_rule_groups_are_azures_three_levels_on_the_workspace_and_this_cluster():
    groups = {g["inputs"]["ruleGroupName"]: g["inputs"] for g in render_alerts().of_type(RULE_GROUP)}
    assert sorted(groups) == sorted(f"RecommendedMetricAlerts-{level}-aks-contoso-prod" for level in ALERT_GROUPS)
    assert all(g["scopes"] == [WORKSPACE_ID, CLUSTER_ID] and g["clusterName"] == "aks-contoso-prod"
               for g in groups.values())


def test_severity_threshold_and_on_off_come_from_the_settings():
    rules = rules_by_name(render_alerts(rules={
        "KubePVUsageHigh": {"threshold": 90, "severity": 1},
        "NodeCPUUsageHigh": {"threshold": 85},
        "KubePodContainerRestart": {"threshold": 3, "enabled": False},
    }))
    assert rules["KubePVUsageHigh"]["expression"].endswith(") > 0.9") and rules["KubePVUsageHigh"]["severity"] == 1
    assert rules["NodeCPUUsageHigh"]["expression"] == 'instance:node_cpu_utilisation:rate5m{job="node"} > 0.85'
    assert rules["KubePodContainerRestart"]["expression"].endswith(") > 3")
    assert rules["KubePodContainerRestart"]["enabled"] is False
    assert rules["KubeJobFailed"]["enabled"] is True


def test_the_action_group_is_global_and_mails_and_calls_the_configured_receivers():
    group = render_alerts(webhooks={"pager": "https://hooks.example.com/aks"}).one(
        "azure-native:monitor:ActionGroup")["inputs"]
    assert (group["location"], group["actionGroupName"], group["enabled"]) == ("global", "ag-contoso-prod-alerts", True)
    assert len(group["groupShortName"]) <= 12
    assert group["emailReceivers"] == [
        {"name": "email-0", "emailAddress": "oncall@example.com", "useCommonAlertSchema": True},
        {"name": "email-1", "emailAddress": "lead@example.com", "useCommonAlertSchema": True},
    ]
    assert group["webhookReceivers"] == [
        {"name": "pager", "serviceUri": "https://hooks.example.com/aks", "useCommonAlertSchema": True,
         "useAadAuth": False}]


SECRET_HOOK = "https://hooks.example.com/t0k3n-do-not-print"


def test_a_webhook_set_as_a_secret_reaches_the_action_group_only_as_a_secret():
    config = stack_config("staging")
    config["aks-platform:alertWebhooks"] = json.dumps({"pager": SECRET_HOOK})
    rendered = render("staging", config, secret_keys=["aks-platform:alertWebhooks"])
    receivers = rendered.one("azure-native:monitor:ActionGroup")["inputs"]["webhookReceivers"]
    assert is_secret_envelope(receivers)
    assert [(r["name"], r["serviceUri"]) for r in receivers["value"]] == [("pager", SECRET_HOOK)]
    assert all(SECRET_HOOK not in json.dumps(r["inputs"]) for r in rendered.resources
               if r["type"] != "azure-native:monitor:ActionGroup")


def render_grafana(access: str = "Disabled", admins=(ADMIN_GROUP,)):
    settings = GrafanaSettings(enabled=True, sku="Standard", public_network_access=access)
    return render_component(lambda: Grafana(
        "grafana", CONTEXT, settings, workspace_id=WORKSPACE_ID, admin_group_ids=admins,
        private_endpoint_subnet_id="pe-subnet-id", vnet_id="vnet-id"))[0]


def test_grafana_reads_the_workspace_as_its_own_identity_with_monitoring_data_reader():
    rendered = render_grafana()
    grafana = rendered.one("azure-native:dashboard:Grafana")
    props = grafana["inputs"]["properties"]
    assert props["grafanaIntegrations"] == {"azureMonitorWorkspaceIntegrations": [
        {"azureMonitorWorkspaceResourceId": WORKSPACE_ID}]}
    assert (grafana["inputs"]["sku"], grafana["inputs"]["identity"]) == ({"name": "Standard"}, {"type": "SystemAssigned"})
    assert props["apiKey"] == "Disabled" and grafana["protect"] is True
    reader = rendered.one("azure-native:authorization:RoleAssignment", "grafana-monitoring-data-reader")["inputs"]
    assert (reader["scope"], reader["roleDefinitionId"]) == (WORKSPACE_ID, role_id(MONITORING_DATA_READER))
    assert reader["principalId"] == grafana["outputs"]["identity"]["principalId"]


def test_the_admin_groups_are_grafana_admins_of_that_workspace_only():
    rendered = render_grafana(admins=(ADMIN_GROUP, "0c5a7e1d-8f2b-4c3a-9e6d-1b2a3c4d5e6f"))
    grafana_id = rendered.one("azure-native:dashboard:Grafana")["outputs"]["id"]
    admins = [r["inputs"] for r in rendered.of_type("azure-native:authorization:RoleAssignment")
              if r["inputs"]["roleDefinitionId"] == role_id(GRAFANA_ADMIN)]
    # Sorted: the engine records the grants in the order their inputs resolve, not the order of the list.
    assert sorted((a["principalId"], a["principalType"], a["scope"]) for a in admins) == sorted([
        (ADMIN_GROUP, "Group", grafana_id), ("0c5a7e1d-8f2b-4c3a-9e6d-1b2a3c4d5e6f", "Group", grafana_id)])


def test_a_private_grafana_is_reached_through_its_private_endpoint_and_zone():
    rendered = render_grafana("Disabled")
    grafana = rendered.one("azure-native:dashboard:Grafana")
    assert grafana["inputs"]["properties"]["publicNetworkAccess"] == "Disabled"
    (connection,) = rendered.one("azure-native:network:PrivateEndpoint")["inputs"]["privateLinkServiceConnections"]
    assert (connection["privateLinkServiceId"], connection["groupIds"]) == (grafana["outputs"]["id"], ["grafana"])
    assert rendered.one("azure-native:privatedns:PrivateZone")["inputs"]["privateZoneName"] == \
        "privatelink.grafana.azure.com"


def test_a_public_grafana_has_no_private_endpoint():
    rendered = render_grafana("Enabled")
    assert rendered.of_type("azure-native:network:PrivateEndpoint") == []


@pytest.mark.parametrize(("stack", "metrics", "grafana_public", "alerts"), [
    ("dev", False, None, False),
    ("staging", True, "Enabled", True),
    ("prod", True, "Disabled", True),
])
def test_each_shipped_stack_gets_its_environments_metrics(stack, metrics, grafana_public, alerts):
    rendered = render(stack)
    cluster = rendered.one("azure-native:containerservice:ManagedCluster")["inputs"]
    assert cluster["azureMonitorProfile"] == {"metrics": {"enabled": metrics}}
    assert len(rendered.of_type("azure-native:monitor:AzureMonitorWorkspace")) == int(metrics)
    grafanas = rendered.of_type("azure-native:dashboard:Grafana")
    assert [g["inputs"]["properties"]["publicNetworkAccess"] for g in grafanas] == \
        ([grafana_public] if grafana_public else [])
    assert len(rendered.of_type("azure-native:monitor:ActionGroup")) == int(alerts)
