"""Stack settings: the only code that reads Pulumi config."""
from .errors import ConfigError
from .load import PlatformSettings, from_pulumi_config, parse

__all__ = ["ConfigError", "PlatformSettings", "from_pulumi_config", "parse"]
