"""settings/defaults.py: each environment's defaults derive from its profile; the safe value is the default,
and a stack file overrides key by key."""
import pytest

from facts.azure import ZONES
from facts.profiles import ENVIRONMENTS, PROFILES
from settings import parse
from settings.defaults import defaults_for, pool_defaults_for

BASE = {"environment": "prod", "namePrefix": "contoso"}
SYSTEM = {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "count": 3}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_defaults_of_every_environment_are_valid(environment):
    raw = {"environment": environment, "namePrefix": "contoso"}
    if environment != "prod":  # a public API server must name who may reach it
        raw["cluster"] = {"authorizedIpRanges": ["203.0.113.0/24"]}
    settings = parse(raw, "westeurope")
    assert settings.environment == environment
    assert settings.tags == {"environment": environment, "managed-by": "pulumi"}


def test_prod_defaults_are_stricter_than_dev():
    dev, prod = defaults_for("dev"), defaults_for("prod")
    assert (dev["cluster"]["private"], prod["cluster"]["private"]) == (False, True)
    assert (dev["cluster"]["tier"], prod["cluster"]["tier"]) == ("Free", "Standard")
    assert (dev["keyVault"]["purgeProtection"], prod["keyVault"]["purgeProtection"]) == (False, True)
    assert (dev["keyVault"]["publicNetworkAccess"], prod["keyVault"]["publicNetworkAccess"]) == ("Enabled", "Disabled")
    assert (dev["protect"], prod["protect"]) == (False, True)


def test_secure_settings_are_the_default_everywhere():
    for environment in ENVIRONMENTS:
        cluster = defaults_for(environment)["cluster"]
        assert cluster["localAccounts"] is False
        assert cluster["azurePolicy"] is True
        assert cluster["nodeOsUpgradeChannel"] == "NodeImage"


def test_stack_values_override_defaults_key_by_key_and_lists_replace():
    settings = parse({**BASE, "cluster": {"maintenanceWindow": {"startHour": 22}}, "nodePools": [SYSTEM]}, "westeurope")
    assert settings.cluster.maintenance_window.start_hour == 22
    assert settings.cluster.maintenance_window.day_of_week == "Sunday"  # kept from the defaults
    assert [p.name for p in settings.node_pools] == ["system"]
    assert settings.node_pools[0].zones == ("1", "2", "3")  # the environment's pool default


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_what_a_profile_requires_is_its_default(environment):
    profile, defaults = PROFILES[environment], defaults_for(environment)
    assert defaults["keyVault"]["softDeleteRetentionDays"] == profile.min_soft_delete_days
    assert defaults["keyVault"]["purgeProtection"] is profile.require_purge_protection
    assert defaults["monitoring"]["retentionDays"] == profile.min_log_retention_days
    assert defaults["cluster"]["private"] is profile.require_private_api_server
    assert (defaults["cluster"]["tier"] != "Free") is profile.require_paid_tier
    assert (defaults["registry"]["publicNetworkAccess"] == "Disabled") is profile.require_private_registry
    assert (pool_defaults_for(environment)["zones"] == list(ZONES)) is profile.require_zones
    assert pool_defaults_for(environment)["maxPods"] >= profile.min_max_pods


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_a_spot_pool_gets_no_max_surge_default(environment):
    assert "maxSurge" in pool_defaults_for(environment, {"name": "apps"})
    assert "maxSurge" not in pool_defaults_for(environment, {"name": "batch", "spot": True})


def test_a_flat_pod_network_leaves_the_overlay_pod_range_out():
    assert defaults_for("dev")["network"]["podCidr"] == "192.168.0.0/16"
    assert "podCidr" not in defaults_for("dev", {"network": {"podNetwork": "vnet"}})["network"]
    # Leaving it out of one stack's defaults leaves every other's alone.
    assert defaults_for("dev")["network"]["podCidr"] == "192.168.0.0/16"
