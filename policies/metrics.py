"""Managed Prometheus and Managed Grafana policies: the cluster's metrics collected where the environment wants
alerts, and Grafana kept off the internet where the environment wants it private."""
from __future__ import annotations

from .cluster import CLUSTER
from .compliance import azure_policy
from .framework import MEDIUM, equals, require, resource_policy

GRAFANA = "azure-native:dashboard:Grafana"

POLICIES = [
    resource_policy(
        name="aks-managed-prometheus",
        checks={CLUSTER: lambda p, c: require(p, "azureMonitorProfile.metrics.enabled", equals(True),
                                              "true (the Managed Prometheus add-on)", azure_default=False)},
        description="The cluster sends its Prometheus metrics to an Azure Monitor workspace (Managed Prometheus), "
                    "which the recommended alert rules query; absent means the add-on is off.",
        severity=MEDIUM,
        remediation="set aks-platform:metrics.enabled to true"),
    resource_policy(
        name="grafana-public-access-disabled",
        framework=azure_policy("e8775d5a-73b7-4977-a39b-833ef0114628"),
        checks={GRAFANA: lambda p, c: require(p, "properties.publicNetworkAccess", equals("Disabled"), "Disabled",
                                              azure_default="Enabled")},
        description="Managed Grafana is reachable only through its private endpoint, not from the internet; absent "
                    "means public.",
        severity=MEDIUM,
        remediation="set aks-platform:metrics.grafana.publicNetworkAccess to Disabled (it needs "
                    "network.privateEndpointSubnetCidr)"),
]
