"""Stack settings: the only code that reads Pulumi config."""
from .errors import ConfigError
from .load import PlatformSettings, from_config_text, from_pulumi_config, parse
from .model import (
    AutoscalerSettings,
    ClusterSettings,
    FleetSettings,
    InClusterSettings,
    KeyVaultSettings,
    MaintenanceWindowSettings,
    MonitoringSettings,
    NamespaceSettings,
    NetworkSettings,
    NodePoolSettings,
    RegistrySettings,
    SafeguardsSettings,
)

__all__ = [
    "ConfigError", "PlatformSettings", "from_config_text", "from_pulumi_config", "parse",
    # The settings models components take (one per config section).
    "AutoscalerSettings", "ClusterSettings", "InClusterSettings", "KeyVaultSettings", "MaintenanceWindowSettings",
    "MonitoringSettings", "NamespaceSettings", "NetworkSettings", "NodePoolSettings", "RegistrySettings",
    "SafeguardsSettings", "FleetSettings",
]
