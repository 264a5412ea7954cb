"""One test per configuration rule: the exact message a user sees, with key, value and what is allowed."""
import pytest

from settings import ConfigError, parse

BASE = {"environment": "prod", "namePrefix": "contoso"}
SYSTEM = {"name": "system", "mode": "System", "vmSize": "Standard_D4ds_v5", "count": 3}


def problems(raw, location="westeurope"):
    with pytest.raises(ConfigError) as caught:
        parse(raw, location)
    return caught.value.problems


def with_section(section, **values):
    return {**BASE, section: values}


RULES = [
    pytest.param({"namePrefix": "contoso"}, "aks-platform:environment: required, one of dev, staging, prod (missing)", id="environment-missing"),
    pytest.param({**BASE, "environment": "qa"}, 'aks-platform:environment: required, one of dev, staging, prod (got "qa")', id="environment-unknown"),
    pytest.param({**BASE, "namePrefix": "Contoso"}, 'aks-platform:namePrefix: 2-10 lowercase letters and digits, starting with a letter (got "Contoso")', id="name-prefix"),
    pytest.param({"environment": "prod"}, "aks-platform:namePrefix: 2-10 lowercase letters and digits, starting with a letter (missing)", id="name-prefix-missing"),
    pytest.param({**BASE, "netwrok": {}}, 'aks-platform: unknown key "netwrok"; did you mean "network"? (known keys: cluster, demo, deployerObjectId, environment, fleet, inCluster, keyVault, kubeloginMode, monitoring, namePrefix, namespaces, network, nodePools, protect, registry, tags)', id="unknown-top-level-key"),
    pytest.param(with_section("network", vnetCidr="10.240.0.1/16"), "aks-platform:network.vnetCidr: '10.240.0.1/16' is not an IPv4 CIDR with its host bits zero (for example 10.240.0.0/16): 10.240.0.1/16 has host bits set (got \"10.240.0.1/16\")", id="cidr-host-bits"),
    pytest.param(with_section("network", podCidr="not-a-cidr"), "aks-platform:network.podCidr: 'not-a-cidr' is not an IPv4 CIDR with its host bits zero (for example 10.240.0.0/16): Expected 4 octets in 'not-a-cidr' (got \"not-a-cidr\")", id="cidr-garbage"),
    pytest.param(with_section("network", dnsServiceIp="172.16.0.300"), "aks-platform:network.dnsServiceIp: '172.16.0.300' is not an IPv4 address (for example 10.0.0.4) (got \"172.16.0.300\")", id="dns-service-ip"),
    pytest.param(with_section("network", outboundType="managedNATGateway"), 'aks-platform:network.outboundType: managedNATGateway is not supported: AKS offers managedNATGateway only with a VNet it manages itself, and this platform brings its own VNet; use userAssignedNATGateway for a NAT gateway on the node subnet (got "managedNATGateway")', id="outbound-managed-nat-refused"),
    pytest.param(with_section("network", outboundType="gateway"), 'aks-platform:network.outboundType: must be one of loadBalancer, userAssignedNATGateway, userDefinedRouting (got "gateway")', id="outbound-unknown"),
    pytest.param(with_section("network", outboundType="userDefinedRouting"), "aks-platform:network: outboundType userDefinedRouting needs egressNextHopIp: the private IP of the firewall or appliance that the node subnet's default route points to", id="udr-needs-next-hop"),
    pytest.param(with_section("network", egressNextHopIp="10.0.0.4"), "aks-platform:network: egressNextHopIp is only used with outboundType userDefinedRouting (outboundType is loadBalancer); remove it or change outboundType", id="next-hop-needs-udr"),
    pytest.param(with_section("network", allowedInboundCidrs=["10.0.0.1/8"]), "aks-platform:network.allowedInboundCidrs[0]: '10.0.0.1/8' is not an IPv4 address or CIDR with its host bits zero (for example 203.0.113.0/24) (got \"10.0.0.1/8\")", id="allowed-inbound-cidr"),
    pytest.param(with_section("network", vnetCIDR="10.0.0.0/16"), 'aks-platform:network: unknown key "vnetCIDR"; did you mean "vnetCidr"? (known keys: allowedInboundCidrs, apiServerSubnetCidr, dataplane, dnsServiceIp, egressNextHopIp, nodeSubnetCidr, outboundType, podCidr, privateEndpointSubnetCidr, runnerVnetId, serviceCidr, vnetCidr)', id="unknown-network-key"),
    pytest.param(with_section("cluster", tier="Basic"), "aks-platform:cluster.tier: Input should be 'Free', 'Standard' or 'Premium' (got \"Basic\")", id="tier"),
    pytest.param(with_section("cluster", authorizedIpRanges=["203.0.113.0/24"]), "aks-platform:cluster: authorizedIpRanges cannot be combined with private: true (a private API server has no public endpoint to restrict); remove authorizedIpRanges or set private: false", id="private-with-authorized-ranges"),
    pytest.param(with_section("cluster", private=False), 'aks-platform:cluster: a public API server needs authorizedIpRanges (the CIDRs allowed to reach it); set private: true, or list the ranges; ["0.0.0.0/0"] opts out explicitly where the environment allows a public API server open to all', id="public-without-authorized-ranges"),
    pytest.param(with_section("cluster", kubernetesVersion="1.35", upgradeChannel="stable"), "aks-platform:cluster: kubernetesVersion 1.35 conflicts with upgradeChannel stable, which upgrades minor versions itself; remove kubernetesVersion or use upgradeChannel patch", id="version-vs-channel"),
    pytest.param(with_section("cluster", kubernetesVersion="v1.35"), 'aks-platform:cluster.kubernetesVersion: must be a Kubernetes minor version such as \"1.35\" (AKS applies its latest patch) or a full version such as \"1.35.2\", quoted, that the AKS release calendar (settings/kubernetes_versions.json) supports today (got "v1.35")', id="kubernetes-version-format"),
    pytest.param(with_section("cluster", upgradeChannel="weekly"), "aks-platform:cluster.upgradeChannel: Input should be 'none', 'patch', 'stable', 'rapid' or 'node-image' (got \"weekly\")", id="upgrade-channel"),
    pytest.param(with_section("cluster", nodeOsUpgradeChannel="Daily"), "aks-platform:cluster.nodeOsUpgradeChannel: Input should be 'None', 'Unmanaged', 'NodeImage' or 'SecurityPatch' (got \"Daily\")", id="node-os-channel"),
    pytest.param(with_section("cluster", maintenanceWindow={"durationHours": 2}), "aks-platform:cluster.maintenanceWindow.durationHours: Input should be greater than or equal to 4 (got 2)", id="maintenance-too-short"),
    pytest.param(with_section("cluster", maintenanceWindow={"dayOfWeek": "Sun"}), "aks-platform:cluster.maintenanceWindow.dayOfWeek: Input should be 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday' or 'Sunday' (got \"Sun\")", id="maintenance-day"),
    pytest.param(with_section("cluster", adminGroupObjectIds=["platform-admins"]), "aks-platform:cluster.adminGroupObjectIds[0]: 'platform-admins' is not an object ID (a GUID like 00000000-0000-0000-0000-000000000000) (got \"platform-admins\")", id="admin-group-guid"),
    pytest.param(with_section("cluster", defender="yes"), 'aks-platform:cluster.defender: Input should be a valid boolean (got "yes")', id="boolean"),
    pytest.param({**BASE, "nodePools": []}, "aks-platform:nodePools: must be a non-empty list of pools (got [])", id="no-pools"),
    pytest.param({**BASE, "nodePools": [{**SYSTEM, "name": "System-1"}]}, 'aks-platform:nodePools[0].name: a pool name is 1-12 lowercase letters and digits, starting with a letter (got "System-1")', id="pool-name"),
    pytest.param({**BASE, "nodePools": [{**SYSTEM, "vmSize": "D4ds_v5"}]}, 'aks-platform:nodePools[0].vmSize: must be an Azure VM size such as Standard_D4ds_v5 (got "D4ds_v5")', id="vm-size-format"),
    pytest.param({**BASE, "nodePools": [{**SYSTEM, "vmsize": "Standard_D4ds_v5"}]}, 'aks-platform:nodePools[0]: unknown key "vmsize"; did you mean "vmSize"? (known keys: count, drainTimeoutInMinutes, gpuDriver, gpuTaint, labels, maxCount, maxPods, maxSurge, minCount, mode, name, nodeSoakDurationInMinutes, osDiskSizeGb, osDiskType, osSku, osType, spot, spotMaxPrice, taints, vmSize, vmSizeUnlisted, zones)', id="pool-key-typo"),
    pytest.param({**BASE, "nodePools": [{**SYSTEM, "taints": ["dedicated=gpu"]}]}, "aks-platform:nodePools[0].taints: taint 'dedicated=gpu' is not key=value:Effect with Effect NoSchedule, PreferNoSchedule or NoExecute (got [\"dedicated=gpu\"])", id="taint-format"),
    pytest.param({**BASE, "nodePools": [{**SYSTEM, "minCount": 1, "maxCount": 3}]}, "aks-platform:nodePools[0]: set either count (fixed size) or minCount and maxCount (autoscaling), not both", id="count-and-autoscale"),
    pytest.param({**BASE, "nodePools": [{**SYSTEM, "count": None, "minCount": 5, "maxCount": 3}]}, "aks-platform:nodePools[0]: minCount 5 is greater than maxCount 3", id="min-above-max"),
    pytest.param({**BASE, "nodePools": [{**SYSTEM, "count": None, "minCount": 1}]}, "aks-platform:nodePools[0]: autoscaling needs both minCount and maxCount", id="autoscale-half"),
    pytest.param({**BASE, "nodePools": [{**SYSTEM, "count": None}]}, "aks-platform:nodePools[0]: set count (fixed size) or minCount and maxCount (autoscaling)", id="no-size"),
    pytest.param({**BASE, "nodePools": [{**SYSTEM, "count": 0}]}, "aks-platform:nodePools[0]: a System pool needs at least one node (minCount or count >= 1)", id="system-pool-empty"),
    pytest.param({**BASE, "nodePools": [{**SYSTEM, "maxPods": 5}]}, "aks-platform:nodePools[0].maxPods: Input should be greater than or equal to 10 (got 5)", id="max-pods"),
    pytest.param({**BASE, "nodePools": [{**SYSTEM, "zones": ["4"]}]}, "aks-platform:nodePools[0].zones[0]: Input should be '1', '2' or '3' (got \"4\")", id="zones"),
    pytest.param({**BASE, "nodePools": [{**SYSTEM, "mode": "User"}]}, "aks-platform:nodePools: needs at least one Linux pool with mode: System that is not spot (AKS runs its own add-ons there)", id="no-system-pool"),
    pytest.param({**BASE, "nodePools": [SYSTEM, {**SYSTEM, "mode": "User"}]}, 'aks-platform:nodePools: pool name "system" is used twice; names must be unique', id="duplicate-pool-names"),
    pytest.param(with_section("keyVault", softDeleteRetentionDays=3), "aks-platform:keyVault.softDeleteRetentionDays: Input should be greater than or equal to 7 (got 3)", id="soft-delete-days"),
    pytest.param(with_section("keyVault", secretRotationInterval="2 min"), 'aks-platform:keyVault.secretRotationInterval: must be a poll interval such as 2m, 30s or 1h (got "2 min")', id="rotation-interval"),
    pytest.param({**BASE, "network": {"privateEndpointSubnetCidr": None}}, "aks-platform:keyVault.publicNetworkAccess: Disabled needs network.privateEndpointSubnetCidr, the subnet the vault's private endpoint goes in", id="vault-private-needs-subnet"),
    pytest.param({**BASE, "network": {"privateEndpointSubnetCidr": None}, "keyVault": {"publicNetworkAccess": "Enabled"}}, "aks-platform:registry.publicNetworkAccess: Disabled needs network.privateEndpointSubnetCidr, the subnet the registry's private endpoint goes in", id="registry-private-needs-subnet"),
    pytest.param(with_section("registry", sku="Standard"), "aks-platform:registry: publicNetworkAccess Disabled needs sku Premium (private endpoints are a Premium feature; sku is Standard)", id="registry-private-needs-premium"),
    pytest.param(with_section("monitoring", dailyQuotaGb=0), "aks-platform:monitoring.dailyQuotaGb: must be -1 (no cap) or at least 0.023 GB, the smallest quota Log Analytics takes (got 0)", id="daily-quota"),
    pytest.param(with_section("monitoring", retentionDays=7), "aks-platform:monitoring.retentionDays: Input should be greater than or equal to 30 (got 7)", id="retention"),
    pytest.param({**BASE, "tags": {"environment": "x"}}, "aks-platform:tags.environment: set by the platform itself; remove it from tags", id="reserved-tag"),
    pytest.param({**BASE, "tags": {"owner": 42}}, "aks-platform:tags.owner: must be a string of at most 256 characters (got 42)", id="tag-value"),
    pytest.param({**BASE, "protect": "yes"}, 'aks-platform:protect: true or false (got "yes")', id="protect"),
    pytest.param({**BASE, "cluster": "Standard"}, 'aks-platform:cluster: must be an object of settings (got "Standard")', id="section-not-object"),
]


@pytest.mark.parametrize(("raw", "message"), RULES)
def test_each_rule_reports_key_value_and_what_is_allowed(raw, message):
    assert message in problems(raw)


def test_missing_region_is_reported():
    assert "azure-native:location: required, the Azure region to deploy to (for example westeurope)" in problems(BASE, None)


def test_every_problem_is_reported_at_once():
    raw = {
        "environment": "prod",
        "namePrefix": "X",
        "network": {"vnetCidr": "10.0.0.1/16", "outboundType": "managedNATGateway"},
        "cluster": {"tier": "Basic"},
        "nodePools": [SYSTEM, {**SYSTEM, "name": "apps", "mode": "User", "vmsize": "x"}],
        "keyvault": {},
    }
    keys = [line.split(": ")[0] for line in problems(raw, None)]
    assert keys == [
        "aks-platform",  # unknown key "keyvault"
        "azure-native:location",
        "aks-platform:namePrefix",
        "aks-platform:network.vnetCidr",
        "aks-platform:network.outboundType",
        "aks-platform:cluster.tier",
        "aks-platform:nodePools[1]",
    ]


def test_error_message_lists_each_problem_on_its_own_line():
    with pytest.raises(ConfigError) as caught:
        parse({**BASE, "namePrefix": "X", "cluster": {"tier": "Basic"}}, "westeurope")
    text = str(caught.value)
    assert text.startswith("Invalid stack configuration (2 problems):\n  - aks-platform:namePrefix:")
    assert "\n  - aks-platform:cluster.tier:" in text


def test_user_tags_are_merged_with_the_platform_tags():
    settings = parse({**BASE, "tags": {"owner": "team-a"}}, "westeurope")
    assert settings.tags == {"owner": "team-a", "environment": "prod", "managed-by": "pulumi"}
