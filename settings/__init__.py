"""Stack settings: the only code that reads Pulumi config."""
from .errors import ConfigError
from .load import PlatformSettings, from_config_text, from_pulumi_config, parse
from .model import (
    AlertsSettings,
    AutoscalerSettings,
    BackupSettings,
    ClusterSettings,
    FleetSettings,
    GrafanaSettings,
    InClusterSettings,
    KeyVaultSettings,
    MaintenanceWindowSettings,
    MetricsSettings,
    MonitoringSettings,
    NamespaceSettings,
    NetworkSettings,
    NodePoolSettings,
    RegistrySettings,
    SafeguardsSettings,
)
from .nap import NapPoolSettings

__all__ = [
    "ConfigError", "PlatformSettings", "from_config_text", "from_pulumi_config", "parse",
    # The settings models components take (one per config section).
    "AutoscalerSettings", "ClusterSettings", "InClusterSettings", "KeyVaultSettings", "MaintenanceWindowSettings",
    "MonitoringSettings", "NamespaceSettings", "NetworkSettings", "NodePoolSettings", "RegistrySettings",
    "SafeguardsSettings", "MetricsSettings", "GrafanaSettings", "AlertsSettings", "NapPoolSettings", "BackupSettings",
    "FleetSettings",
]
