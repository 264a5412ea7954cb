"""The container registry alone: Entra ID identities only, private per settings, pull-only grants."""
import pytest

from components.registry import ContainerRegistry, RegistryArgs
from facts.waivers import waiver_for
from tests.helpers import role_id, settings_for

from .helpers import CONTEXT, render_component

ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"  # the built-in AcrPull role


def render_registry(environment: str = "dev", **registry):
    settings = settings_for(environment, registry=registry)

    def build():
        component = ContainerRegistry("registry", CONTEXT, RegistryArgs(
            settings.registry, "crcontosoprd12345", private_endpoint_subnet_id="endpoint-subnet-id", vnet_id="vnet-id",
        ))
        component.grant_pull("kubelet", "kubelet-object-id")
        return component

    return render_component(build)[0]


def test_no_admin_user_no_anonymous_pull_and_the_sku_from_settings():
    registry = render_registry(sku="Standard").one("azure-native:containerregistry:Registry")
    inputs = registry["inputs"]
    assert (inputs["registryName"], inputs["sku"]) == ("crcontosoprd12345", {"name": "Standard"})
    assert (inputs["adminUserEnabled"], inputs["anonymousPullEnabled"]) == (False, False)
    assert registry["protect"] is True  # CONTEXT.protect


# prod refuses a public registry, and only prod has the private-endpoint subnet by default.
@pytest.mark.parametrize("environment, access, endpoints", [("staging", "Enabled", 0), ("prod", "Disabled", 1)])
def test_a_private_endpoint_only_when_public_access_is_off(environment, access, endpoints):
    rendered = render_registry(environment, sku="Premium", publicNetworkAccess=access)
    assert rendered.one("azure-native:containerregistry:Registry")["inputs"]["publicNetworkAccess"] == access
    assert len(rendered.of_type("azure-native:network:PrivateEndpoint")) == endpoints


def test_grant_pull_gives_acr_pull_on_this_registry_only():
    rendered = render_registry()
    (grant,) = rendered.of_type("azure-native:authorization:RoleAssignment")
    assert grant["name"] == "registry-kubelet-acr-pull"
    assert grant["inputs"]["principalId"] == "kubelet-object-id"
    assert grant["inputs"]["scope"] == rendered.one("azure-native:containerregistry:Registry")["outputs"]["id"]
    assert grant["inputs"]["roleDefinitionId"] == role_id(ACR_PULL)


# The SDK sends zoneRedundancy "Disabled" when it is omitted; Premium says "Enabled", what Azure does anyway.
@pytest.mark.parametrize("sku, zone_redundancy", [("Premium", "Enabled"), ("Standard", "Disabled")])
def test_premium_says_it_is_zone_redundant(sku, zone_redundancy):
    registry = render_registry(sku=sku).one("azure-native:containerregistry:Registry")
    assert registry["inputs"]["zoneRedundancy"] == zone_redundancy


def test_image_quarantine_is_off_on_purpose_and_waived():
    registry = render_registry(sku="Premium").one("azure-native:containerregistry:Registry")
    assert registry["inputs"]["policies"]["quarantinePolicy"] == {"status": "disabled"}
    assert waiver_for("Azure.ACR.Quarantine", registry["type"], "registry-registry") is not None


def test_exports_are_off_exactly_where_azure_allows_it_with_public_access_off():
    private = render_registry("prod", sku="Premium", publicNetworkAccess="Disabled")
    public = render_registry("staging", sku="Premium", publicNetworkAccess="Enabled")
    assert private.one("azure-native:containerregistry:Registry")["inputs"]["policies"]["exportPolicy"] == {
        "status": "disabled"}
    assert "exportPolicy" not in public.one("azure-native:containerregistry:Registry")["inputs"]["policies"]


def test_premium_keeps_untagged_manifests_for_a_while_and_the_others_keep_deleted_artifacts():
    premium = render_registry("prod", sku="Premium", untaggedRetentionDays=45)
    standard = render_registry("dev", sku="Standard", softDeleteDays=10)
    policies = premium.one("azure-native:containerregistry:Registry")["inputs"]["policies"]
    assert policies["retentionPolicy"] == {"status": "enabled", "days": 45}
    assert "softDeletePolicy" not in policies  # Azure refuses soft delete with retention or replicas
    policies = standard.one("azure-native:containerregistry:Registry")["inputs"]["policies"]
    assert policies["softDeletePolicy"] == {"status": "enabled", "retentionDays": 10}
    assert "retentionPolicy" not in policies  # Premium only


def test_each_replica_location_is_a_zone_redundant_replica_named_after_its_region():
    rendered = render_registry("prod", sku="Premium", replicaLocations=["northeurope", "swedencentral"])
    replicas = rendered.of_type("azure-native:containerregistry:Replication")
    assert sorted((r["name"], r["inputs"]["replicationName"], r["inputs"]["location"]) for r in replicas) == [
        ("registry-replica-northeurope", "northeurope", "northeurope"),
        ("registry-replica-swedencentral", "swedencentral", "swedencentral")]
    assert {r["inputs"]["zoneRedundancy"] for r in replicas} == {"Enabled"}
    assert {r["inputs"]["registryName"] for r in replicas} == {"crcontosoprd12345"}


def test_replicas_need_premium():
    with pytest.raises(Exception, match="replicaLocations needs sku Premium"):
        settings_for("dev", registry={"sku": "Standard", "replicaLocations": ["northeurope"]})
