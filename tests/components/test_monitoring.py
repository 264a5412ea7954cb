"""The Log Analytics workspace alone, and what `collect_logs` and `container_insights` add to it."""
from components.monitoring import Monitoring
from tests.helpers import settings_for

from .helpers import CONTEXT, render_component

CLUSTER_ID = "/subscriptions/s/resourceGroups/rg-contoso-prod/providers/Microsoft.ContainerService/managedClusters/aks"


WORKSPACE = "azure-native:operationalinsights:Workspace"


def render_monitoring(defender: bool = False, **monitoring):
    settings = settings_for("prod", monitoring=monitoring)

    def build():
        component = Monitoring("monitoring", CONTEXT, settings.monitoring, defender=defender)
        component.collect_logs("cluster", CLUSTER_ID, ("kube-audit-admin", "guard"), dedicated_tables=True)
        component.collect_logs("vault", "vault-id", ("AuditEvent",))
        component.container_insights("cluster", CLUSTER_ID)
        return component

    return render_component(build)[0]


def test_workspace_takes_retention_and_cap_from_settings_and_refuses_shared_keys():
    rendered = render_monitoring(retentionDays=120, dailyQuotaGb=5)
    workspace = rendered.one("azure-native:operationalinsights:Workspace")
    assert workspace["inputs"]["workspaceName"] == "log-contoso-prod"
    assert (workspace["inputs"]["retentionInDays"], workspace["inputs"]["workspaceCapping"]) == (120, {"dailyQuotaGb": 5})
    assert workspace["inputs"]["features"] == {"disableLocalAuth": True, "enableLogAccessUsingOnlyResourcePermissions": True}
    assert workspace["protect"] is True  # CONTEXT.protect


def test_logs_go_to_the_workspace_in_dedicated_tables_only_when_asked():
    rendered = render_monitoring()
    workspace_id = rendered.one("azure-native:operationalinsights:Workspace")["outputs"]["id"]
    cluster = rendered.one("azure-native:monitor:DiagnosticSetting", "monitoring-cluster-diagnostics")["inputs"]
    vault = rendered.one("azure-native:monitor:DiagnosticSetting", "monitoring-vault-diagnostics")["inputs"]
    assert (cluster["resourceUri"], cluster["workspaceId"], cluster["logAnalyticsDestinationType"]) == (
        CLUSTER_ID, workspace_id, "Dedicated")
    assert cluster["logs"] == [{"category": "kube-audit-admin", "enabled": True}, {"category": "guard", "enabled": True}]
    assert "logAnalyticsDestinationType" not in vault and vault["logs"] == [{"category": "AuditEvent", "enabled": True}]


def test_container_insights_rule_sends_the_agents_stream_to_the_workspace_for_the_cluster():
    rendered = render_monitoring()
    rule = rendered.one("azure-native:monitor:DataCollectionRule")
    assert rule["inputs"]["dataCollectionRuleName"] == "MSCI-westeurope-contoso-prod"
    stream = "Microsoft-ContainerInsights-Group-Default"
    (extension,) = rule["inputs"]["dataSources"]["extensions"]
    assert (extension["extensionName"], extension["streams"]) == ("ContainerInsights", [stream])
    workspace_id = rendered.one("azure-native:operationalinsights:Workspace")["outputs"]["id"]
    assert rule["inputs"]["destinations"] == {"logAnalytics": [{"name": "workspace", "workspaceResourceId": workspace_id}]}
    assert rule["inputs"]["dataFlows"] == [{"streams": [stream], "destinations": ["workspace"]}]
    association = rendered.one("azure-native:monitor:DataCollectionRuleAssociation")["inputs"]
    assert (association["resourceUri"], association["dataCollectionRuleId"]) == (CLUSTER_ID, rule["outputs"]["id"])


def test_no_defender_workspace_unless_defender_is_on():
    assert [w["name"] for w in render_monitoring().of_type(WORKSPACE)] == ["monitoring-workspace"]


def test_defenders_workspace_takes_its_key_and_stores_nothing_the_platforms_stays_entra_only():
    rendered = render_monitoring(defender=True, retentionDays=120, dailyQuotaGb=-1)
    platform = rendered.one(WORKSPACE, "monitoring-workspace")["inputs"]
    defender = rendered.one(WORKSPACE, "monitoring-defender-workspace")
    inputs = defender["inputs"]
    assert inputs["workspaceName"] == "log-contoso-prod-defender"
    assert inputs["features"] == {"disableLocalAuth": False, "enableLogAccessUsingOnlyResourcePermissions": True}
    assert (inputs["retentionInDays"], inputs["workspaceCapping"]) == (30, {"dailyQuotaGb": 1})
    assert platform["features"]["disableLocalAuth"] is True and platform["retentionInDays"] == 120
    assert defender["protect"] is False
    # Nothing else writes to it.
    for setting in rendered.of_type("azure-native:monitor:DiagnosticSetting"):
        assert setting["inputs"]["workspaceId"] != defender["outputs"]["id"]
