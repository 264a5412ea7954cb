"""Issue 14's settings: KMS etcd encryption and the registry's replicas, per environment."""
import pytest

from settings import ConfigError
from tests.helpers import settings_for


def test_kms_is_on_in_prod_and_off_where_the_vault_is_public():
    assert settings_for("prod").cluster.kms is True
    assert (settings_for("dev").cluster.kms, settings_for("staging").cluster.kms) == (False, False)


def test_prod_refuses_kms_off():
    with pytest.raises(ConfigError, match=r"cluster.kms: false is refused in prod"):
        settings_for("prod", cluster={"kms": False})


@pytest.mark.parametrize("sections, expected", [
    ({}, "cluster.kms: true needs keyVault.publicNetworkAccess: Disabled (it is Enabled)"),
    ({"keyVault": {"publicNetworkAccess": "Disabled", "purgeProtection": False},
      "network": {"privateEndpointSubnetCidr": "10.240.5.0/24"}}, "cluster.kms: true needs keyVault.purgeProtection"),
    ({"keyVault": {"publicNetworkAccess": "Disabled", "purgeProtection": True},
      "network": {"privateEndpointSubnetCidr": "10.240.5.0/24", "apiServerSubnetCidr": None}},
     "cluster.kms: true needs network.apiServerSubnetCidr"),
])
def test_kms_refuses_a_vault_or_network_it_cannot_use(sections, expected):
    cluster = {"authorizedIpRanges": ["203.0.113.0/24"], "kms": True}
    with pytest.raises(ConfigError) as caught:
        settings_for("dev", cluster=cluster, **sections)
    assert expected in str(caught.value)


def test_kms_in_dev_with_a_private_protected_vault_is_accepted():
    settings = settings_for("dev", cluster={"authorizedIpRanges": ["203.0.113.0/24"], "kms": True},
                            keyVault={"publicNetworkAccess": "Disabled", "purgeProtection": True},
                            network={"privateEndpointSubnetCidr": "10.240.5.0/24"})
    assert settings.cluster.kms is True


@pytest.mark.parametrize("regions, expected", [
    (["North Europe"], "is not an Azure region name"), (["northeurope", "northeurope"], "lists a region twice")])
def test_replica_locations_are_distinct_region_names(regions, expected):
    with pytest.raises(ConfigError, match=expected):
        settings_for("prod", registry={"replicaLocations": regions})


def test_a_replica_in_the_stacks_own_region_is_refused():
    with pytest.raises(ConfigError, match=r"registry.replicaLocations: westeurope is the stack's own region"):
        settings_for("prod", registry={"replicaLocations": ["westeurope"]})
