"""settings/profile.py: what each environment requires beyond Azure's limits, refused with the key, the
value and the requirement; what an environment relaxes is accepted there."""
import pytest

from facts.profiles import PROFILES
from settings import ConfigError, parse

POOL = {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "count": 3}


def config(environment, **sections):
    """A stack's raw config: the environment's defaults plus `sections` (a public API server gets a range)."""
    raw = {"environment": environment, "namePrefix": "contoso", "nodePools": [POOL], **sections}
    if not PROFILES[environment].require_private_api_server:
        raw["cluster"] = {"authorizedIpRanges": ["203.0.113.0/24"], **raw.get("cluster", {})}
    return raw


def problems(raw):
    with pytest.raises(ConfigError) as caught:
        parse(raw, "westeurope")
    return caught.value.problems


REFUSED = [
    pytest.param("prod", {"nodePools": [{**POOL, "maxPods": 49}]},
                 "aks-platform:nodePools[0].maxPods: 49 is below 50, the least the prod environment takes; use 50 or more",
                 id="max-pods"),
    pytest.param("staging", {"nodePools": [{**POOL, "zones": ["1", "2"]}]},
                 'aks-platform:nodePools[0].zones: ["1", "2"] is refused in staging, which requires zone-redundant '
                 'pools (zones: ["1", "2", "3"])', id="zones"),
    pytest.param("dev", {"cluster": {"kubernetesVersion": "1.32"}},
                 "aks-platform:cluster.kubernetesVersion: 1.32 is older than 1.33, the oldest minor the dev environment "
                 "takes; use 1.33 or newer", id="kubernetes-version"),
    pytest.param("prod", {"cluster": {"private": False, "authorizedIpRanges": ["203.0.113.0/24"]}},
                 "aks-platform:cluster.private: false is refused in prod, which requires a private API server "
                 "(private: true)", id="private"),
    pytest.param("staging", {"cluster": {"authorizedIpRanges": ["0.0.0.0/0"]}},
                 'aks-platform:cluster.authorizedIpRanges: ["0.0.0.0/0"] is refused in staging, which requires a '
                 "public API server restricted to known ranges, not the whole internet", id="internet-ranges"),
    pytest.param("staging", {"cluster": {"tier": "Free"}},
                 'aks-platform:cluster.tier: "Free" is refused in staging, which requires a paid tier (Standard or '
                 "Premium) for the API server uptime SLA", id="tier"),
    pytest.param("prod", {"cluster": {"defender": False}},
                 "aks-platform:cluster.defender: false is refused in prod, which requires Defender for Containers "
                 "(true)", id="defender"),
    pytest.param("staging", {"cluster": {"disableRunCommand": False}},
                 "aks-platform:cluster.disableRunCommand: false is refused in staging, which requires run command "
                 "disabled (true)", id="run-command"),
    pytest.param("staging", {"keyVault": {"softDeleteRetentionDays": 29}},
                 "aks-platform:keyVault.softDeleteRetentionDays: 29 is below 30, the least the staging environment "
                 "takes; use 30 or more", id="soft-delete"),
    pytest.param("prod", {"keyVault": {"purgeProtection": False}},
                 "aks-platform:keyVault.purgeProtection: false is refused in prod, which requires purge protection "
                 "(true)", id="purge-protection"),
    pytest.param("prod", {"monitoring": {"retentionDays": 60}},
                 "aks-platform:monitoring.retentionDays: 60 is below 90, the least the prod environment takes; use 90 "
                 "or more", id="log-retention"),
    pytest.param("prod", {"registry": {"publicNetworkAccess": "Enabled"}},
                 'aks-platform:registry.publicNetworkAccess: "Enabled" is refused in prod, which requires a private '
                 "registry (publicNetworkAccess: Disabled, sku: Premium)", id="private-registry"),
    pytest.param("prod", {"cluster": {"safeguards": {"level": "Warn"}}},
                 'aks-platform:cluster.safeguards.level: "Warn" is refused in prod, which requires deployment '
                 "safeguards at Enforce", id="safeguards-warn"),
    pytest.param("staging", {"cluster": {"safeguards": {"level": "Off"}}},
                 'aks-platform:cluster.safeguards.level: "Off" is refused in staging, which requires deployment '
                 "safeguards at Enforce", id="safeguards-off"),
]


@pytest.mark.parametrize(("environment", "sections", "message"), REFUSED)
def test_each_requirement_is_refused_with_key_value_and_environment(environment, sections, message):
    assert message in problems(config(environment, **sections))


@pytest.mark.parametrize("sections", [
    {"nodePools": [{**POOL, "zones": ["1"]}]},
    {"cluster": {"tier": "Free", "defender": False, "disableRunCommand": False, "authorizedIpRanges": ["0.0.0.0/0"]}},
    {"keyVault": {"purgeProtection": False}},
    {"registry": {"publicNetworkAccess": "Enabled"}},
    {"cluster": {"safeguards": {"level": "Off"}}},
], ids=["one-zone", "free-public-cluster", "no-purge-protection", "public-registry", "safeguards-off"])
def test_dev_accepts_what_its_profile_relaxes(sections):
    settings = parse(config("dev", **sections), "westeurope")
    assert settings.environment == "dev"


def test_a_disabled_registry_needs_no_private_access():
    settings = parse(config("prod", registry={"enabled": False, "publicNetworkAccess": "Enabled", "sku": "Standard"}),
                     "westeurope")
    assert settings.registry.enabled is False
