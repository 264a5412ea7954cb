"""The cluster alone: names from the stem, its control-plane identity and grants, support plan, System pool, kubeconfig."""
import pulumi
import pytest

from components.cluster import Cluster, ClusterArgs, KmsKey
from tests.helpers import role_id, settings_for

from .helpers import CONTEXT, render_component

AKS = "azure-native:containerservice:ManagedCluster"
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"  # the built-in Network Contributor role
NETWORK_SCOPES = ["node-subnet-id", "route-table-id"]
KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"
KEY_VAULT_CONTRIBUTOR = "f25e0fa2-a7c8-4377-a976-54943a77a395"
KMS = KmsKey(key_id="https://kv.vault.azure.net/keys/aks-etcd/v1", key_resource_id="vault-id/keys/aks-etcd",
             vault_id="vault-id")
FIXED_SYSTEM_POOL = [{"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "count": 2}]


def render_cluster(api_server_subnet_id: str | None = None, **sections):
    settings = settings_for("prod", **sections)

    def build():
        cluster = Cluster("cluster", CONTEXT, ClusterArgs(
            settings.cluster, settings.network, settings.system_pool, node_subnet_id="node-subnet-id",
            api_server_subnet_id=api_server_subnet_id, network_scopes=NETWORK_SCOPES, workspace_id="workspace-id",
            secret_rotation_interval="2m", defender_workspace_id="defender-workspace-id",
            kms=KMS if settings.cluster.kms else None,
        ))
        pulumi.export("kubeconfig", cluster.user_kubeconfig())
        return cluster

    return render_component(build)[0]


def test_names_come_from_the_stem_and_nobody_may_change_the_node_resource_group():
    rendered = render_cluster()
    cluster = rendered.one(AKS)
    inputs = cluster["inputs"]
    assert (inputs["resourceName"], inputs["dnsPrefix"], inputs["resourceGroupName"]) == (
        "aks-contoso-prod", "contoso-prod", "rg-contoso-prod")
    assert inputs["nodeResourceGroup"] == "rg-contoso-prod-nodes"
    assert inputs["nodeResourceGroupProfile"] == {"restrictionLevel": "ReadOnly"}
    identity = rendered.one("azure-native:managedidentity:UserAssignedIdentity", "cluster-identity")
    assert identity["inputs"]["resourceName"] == "id-contoso-prod-control-plane"
    assert inputs["identity"]["userAssignedIdentities"] == [identity["outputs"]["id"]]
    assert cluster["protect"] is True  # CONTEXT.protect


def test_the_control_plane_can_use_its_network_before_the_cluster_exists():
    rendered = render_cluster()
    grants = [r for r in rendered.of_type("azure-native:authorization:RoleAssignment")
              if r["name"].startswith("cluster-network-contributor")]
    identity = rendered.one("azure-native:managedidentity:UserAssignedIdentity", "cluster-identity")
    assert sorted(g["inputs"]["scope"] for g in grants) == sorted(NETWORK_SCOPES)
    for grant in grants:
        assert grant["inputs"]["principalId"] == identity["outputs"]["principalId"]
        assert grant["inputs"]["roleDefinitionId"] == role_id(NETWORK_CONTRIBUTOR)
    assert {g["urn"] for g in grants} <= set(rendered.one(AKS)["dependencies"])


@pytest.mark.parametrize("tier, plan", [("Premium", "AKSLongTermSupport"), ("Standard", "KubernetesOfficial")])
def test_long_term_support_comes_with_the_premium_tier(tier, plan):
    inputs = render_cluster(cluster={"tier": tier}).one(AKS)["inputs"]
    assert (inputs["sku"], inputs["supportPlan"]) == ({"name": "Base", "tier": tier}, plan)


def test_api_server_vnet_integration_only_with_its_subnet():
    assert "enableVnetIntegration" not in render_cluster().one(AKS)["inputs"]["apiServerAccessProfile"]
    api = render_cluster("api-subnet-id").one(AKS)["inputs"]["apiServerAccessProfile"]
    assert (api["enableVnetIntegration"], api["subnetId"]) == (True, "api-subnet-id")


def test_the_autoscaler_owns_the_system_pools_count_only_when_it_scales():
    assert render_cluster().one(AKS)["ignoreChanges"] == ["agentPoolProfiles[0].count"]
    fixed = render_cluster(nodePools=FIXED_SYSTEM_POOL).one(AKS)
    assert fixed["ignoreChanges"] == []
    assert fixed["inputs"]["agentPoolProfiles"][0]["count"] == 2


def test_the_user_kubeconfig_is_the_clusters_own_and_secret():
    rendered = render_cluster()
    assert "kubeconfig" in rendered.secret_outputs
    # The mock answers with a user named after the resource group and cluster it was asked for.
    assert "clusterUser_rg-contoso-prod_aks-contoso-prod" in rendered.outputs["kubeconfig"]


def test_defender_registers_with_its_own_workspace_not_the_platforms():
    defender = render_cluster().one(AKS)["inputs"]["securityProfile"]["defender"]
    assert defender == {"logAnalyticsWorkspaceResourceId": "defender-workspace-id", "securityMonitoring": {"enabled": True}}
    assert render_cluster().one(AKS)["inputs"]["addonProfiles"]["omsagent"]["config"]["logAnalyticsWorkspaceResourceID"] == "workspace-id"


ZONE_ID = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-prod/providers/"
           "Microsoft.Network/privateDnsZones/contoso-prod.private.westeurope.azmk8s.io")
PRIVATE_DNS_ZONE_CONTRIBUTOR = "b12aa53e-6015-4669-85d0-8515ebb3ae7f"


def render_cluster_with_zone(private_dns_zone_id):
    settings = settings_for("prod")
    return render_component(lambda: Cluster("cluster", CONTEXT, ClusterArgs(
        settings.cluster, settings.network, settings.system_pool, node_subnet_id="node-subnet-id",
        api_server_subnet_id="api-subnet-id", network_scopes=NETWORK_SCOPES, workspace_id="workspace-id",
        secret_rotation_interval="2m", defender_workspace_id="defender-workspace-id",
        private_dns_zone_id=private_dns_zone_id, kms=KMS,
    )))[0]


def test_a_zone_of_its_own_is_granted_to_the_control_plane_before_the_cluster_uses_it():
    rendered = render_cluster_with_zone(ZONE_ID)
    cluster = rendered.one(AKS)
    assert cluster["inputs"]["apiServerAccessProfile"]["privateDNSZone"] == ZONE_ID
    grant = rendered.one("azure-native:authorization:RoleAssignment", "cluster-private-dns-zone-contributor")
    identity = rendered.one("azure-native:managedidentity:UserAssignedIdentity", "cluster-identity")
    assert (grant["inputs"]["roleDefinitionId"], grant["inputs"]["scope"], grant["inputs"]["principalId"]) == (
        role_id(PRIVATE_DNS_ZONE_CONTRIBUTOR), ZONE_ID, identity["outputs"]["principalId"])
    assert grant["urn"] in cluster["dependencies"]


def test_without_a_zone_of_its_own_aks_makes_its_own_and_nothing_is_granted_on_one():
    rendered = render_cluster_with_zone(None)
    assert "privateDNSZone" not in rendered.one(AKS)["inputs"]["apiServerAccessProfile"]
    assert [g["name"] for g in rendered.of_type("azure-native:authorization:RoleAssignment")
            if g["inputs"]["roleDefinitionId"] == role_id(PRIVATE_DNS_ZONE_CONTRIBUTOR)] == []


def test_keda_and_vpa_are_on_by_default_and_each_can_be_turned_off():
    assert render_cluster().one(AKS)["inputs"]["workloadAutoScalerProfile"] == {
        "keda": {"enabled": True}, "verticalPodAutoscaler": {"enabled": True}}
    off = render_cluster(cluster={"keda": False, "vpa": False}).one(AKS)["inputs"]["workloadAutoScalerProfile"]
    assert off == {"keda": {"enabled": False}, "verticalPodAutoscaler": {"enabled": False}}


def test_keda_and_vpa_take_booleans_only():
    from settings import ConfigError

    with pytest.raises(ConfigError) as err:
        settings_for("prod", cluster={"keda": "yes"})
    assert err.value.problems == ['aks-platform:cluster.keda: Input should be a valid boolean (got "yes")']


def test_cost_analysis_follows_the_tier_by_default_and_is_refused_on_free():
    from settings import ConfigError

    assert render_cluster().one(AKS)["inputs"]["metricsProfile"] == {"costAnalysis": {"enabled": True}}  # prod
    assert settings_for("dev").cluster.cost_analysis_enabled is False  # the Free tier
    assert settings_for("staging").cluster.cost_analysis_enabled is True
    assert settings_for("staging", cluster={"authorizedIpRanges": ["203.0.113.0/24"], "costAnalysis": False}
                        ).cluster.cost_analysis_enabled is False
    with pytest.raises(ConfigError) as err:
        settings_for("dev", cluster={"authorizedIpRanges": ["203.0.113.0/24"], "costAnalysis": True})
    assert err.value.problems == [
        "aks-platform:cluster: costAnalysis: true needs tier Standard or Premium (AKS cost analysis is not available "
        "on the Free tier); set tier: Standard, or costAnalysis: false"]


# Virtual nodes as prod would have them: flat Azure CNI sized for the prod pools ((5+2 + 20+7) x 111 = 3774
# addresses, a /20), the Azure dataplane, and the ACI connector's own subnet.
VIRTUAL_NODES = {
    "network": {"podNetwork": "vnet", "dataplane": "azure", "nodeSubnetCidr": "10.240.16.0/20",
                "virtualNodeSubnetCidr": "10.240.8.0/22"},
    "cluster": {"virtualNodes": True},
}
VIRTUAL_NODE_SUBNET_ID = ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-contoso-prod/providers/"
                          "Microsoft.Network/virtualNetworks/vnet-contoso-prod/subnets/snet-virtualnodes")


def render_cluster_with_virtual_nodes(virtual_node_subnet_id: str | None = VIRTUAL_NODE_SUBNET_ID):
    settings = settings_for("prod", **VIRTUAL_NODES)
    return render_component(lambda: Cluster("cluster", CONTEXT, ClusterArgs(
        settings.cluster, settings.network, settings.system_pool, node_subnet_id="node-subnet-id",
        api_server_subnet_id="api-subnet-id", network_scopes=NETWORK_SCOPES, workspace_id="workspace-id",
        secret_rotation_interval="2m", defender_workspace_id="defender-workspace-id",
        virtual_node_subnet_id=virtual_node_subnet_id, kms=KMS,
    )))[0]


def test_virtual_nodes_run_through_the_aci_connector_add_on_in_their_subnet():
    addon = render_cluster_with_virtual_nodes().one(AKS)["inputs"]["addonProfiles"]["aciConnectorLinux"]
    assert addon == {"enabled": True, "config": {"SubnetName": "snet-virtualnodes"}}


def test_a_flat_pod_network_sends_no_plugin_mode_and_no_pod_cidr():
    profile = render_cluster_with_virtual_nodes().one(AKS)["inputs"]["networkProfile"]
    assert (profile["networkPlugin"], profile["networkDataplane"], profile["networkPolicy"]) == ("azure", "azure", "calico")
    # Not even the SDK's kubenet default (10.244.0.0/16): a pod CIDR is for kubenet and overlay only.
    assert "networkPluginMode" not in profile and "podCidr" not in profile


def test_the_overlay_network_keeps_its_pod_cidr_and_has_no_aci_connector():
    inputs = render_cluster().one(AKS)["inputs"]
    assert (inputs["networkProfile"]["networkPluginMode"], inputs["networkProfile"]["podCidr"]) == ("overlay", "192.168.0.0/16")
    assert "aciConnectorLinux" not in inputs["addonProfiles"]
    assert [g for g in render_cluster().of_type("azure-native:authorization:RoleAssignment")
            if g["name"] == "cluster-aci-connector-network-contributor"] == []


def test_the_add_on_identity_gets_network_contributor_on_the_virtual_node_subnet_once_the_cluster_exists():
    rendered = render_cluster_with_virtual_nodes()
    cluster = rendered.one(AKS)
    grant = rendered.one("azure-native:authorization:RoleAssignment", "cluster-aci-connector-network-contributor")
    # The identity AKS made for the add-on, as the cluster reports it (offline/mocks.py answers like Azure).
    identity = cluster["outputs"]["addonProfiles"]["aciConnectorLinux"]["identity"]
    assert identity["resourceId"].endswith("/rg-contoso-prod-nodes/providers/Microsoft.ManagedIdentity/"
                                           "userAssignedIdentities/aciconnectorlinux-aks-contoso-prod")
    assert (grant["inputs"]["roleDefinitionId"], grant["inputs"]["scope"], grant["inputs"]["principalId"]) == (
        role_id(NETWORK_CONTRIBUTOR), VIRTUAL_NODE_SUBNET_ID, identity["objectId"])
    assert grant["inputs"]["principalType"] == "ServicePrincipal"
    assert cluster["urn"] in grant["dependencies"]


def test_virtual_nodes_without_their_subnet_are_a_wiring_error():
    with pytest.raises(ValueError, match="no virtual node subnet was given"):
        render_cluster_with_virtual_nodes(None)
def test_node_auto_provisioning_is_sent_only_in_auto_mode_with_the_default_pools_setting():
    manual = render_cluster().one(AKS)["inputs"]
    assert "nodeProvisioningProfile" not in manual and manual["autoScalerProfile"]["expander"] == "least-waste"
    auto = render_cluster(cluster={"nodeProvisioning": "auto", "defaultNodePools": "Auto"},
                          nodePools=FIXED_SYSTEM_POOL).one(AKS)["inputs"]
    assert auto["nodeProvisioningProfile"] == {"mode": "Auto", "defaultNodePools": "Auto"}
    assert "autoScalerProfile" not in auto  # no agent pool autoscales with NAP
def test_kms_encrypts_etcd_with_the_private_vaults_key_once_the_identity_may_use_it():
    rendered = render_cluster("api-subnet-id")
    kms = rendered.one(AKS)["inputs"]["securityProfile"]["azureKeyVaultKms"]
    assert kms == {"enabled": True, "keyId": KMS.key_id, "keyVaultNetworkAccess": "Private",
                   "keyVaultResourceId": "vault-id"}
    identity = rendered.one("azure-native:managedidentity:UserAssignedIdentity", "cluster-identity")
    grants = {g["name"]: g for g in rendered.of_type("azure-native:authorization:RoleAssignment")
              if g["name"].startswith("cluster-kms-")}
    assert {(g["inputs"]["scope"], g["inputs"]["roleDefinitionId"]) for g in grants.values()} == {
        ("vault-id/keys/aks-etcd", role_id(KEY_VAULT_CRYPTO_USER)), ("vault-id", role_id(KEY_VAULT_CONTRIBUTOR))}
    assert {g["inputs"]["principalId"] for g in grants.values()} == {identity["outputs"]["principalId"]}
    assert {g["urn"] for g in grants.values()} <= set(rendered.one(AKS)["dependencies"])


def test_without_kms_there_is_no_key_setting_and_no_key_grant():
    settings = settings_for("staging")
    assert settings.cluster.kms is False  # staging's default: its vault is public
    rendered = render_component(lambda: Cluster("cluster", CONTEXT, ClusterArgs(
        settings.cluster, settings.network, settings.system_pool, node_subnet_id="n", api_server_subnet_id="a",
        network_scopes=[], workspace_id="w", secret_rotation_interval="2m", defender_workspace_id="d")))[0]
    assert "azureKeyVaultKms" not in rendered.one(AKS)["inputs"]["securityProfile"]
    assert not [g for g in rendered.of_type("azure-native:authorization:RoleAssignment") if "kms" in g["name"]]


def test_kms_without_a_key_is_a_programming_error():
    settings = settings_for("prod")
    with pytest.raises(ValueError, match="cluster.kms is on but no key"):
        render_component(lambda: Cluster("cluster", CONTEXT, ClusterArgs(
            settings.cluster, settings.network, settings.system_pool, node_subnet_id="n", api_server_subnet_id="a",
            network_scopes=[], workspace_id="w", secret_rotation_interval="2m", defender_workspace_id="d")))
