"""Every resource policy, rule by rule: the known-good fixture passes; flipping one property from it is
reported with a message naming the resource and the property; an unknown value there does not crash
the policy (and is not reported: it is judged again on `pulumi up`)."""
from __future__ import annotations

import pytest

from policies.framework import kind

from .fixtures import good
from .helpers import DELETE, POLICIES, UNKNOWN, set_path, validate

# (policy, fixture resource, {path: bad value}, text the message must contain (the property), config)
CASES = [
    ("aks-api-server-restricted", "aks", {"apiServerAccessProfile.enablePrivateCluster": False},
     "apiServerAccessProfile.enablePrivateCluster is false; this environment requires a private", None),
    ("aks-api-server-restricted", "aks", {"apiServerAccessProfile.enablePrivateCluster": DELETE},
     "apiServerAccessProfile.authorizedIPRanges is empty", {"requirePrivate": False}),
    ("aks-api-server-restricted", "aks", {"apiServerAccessProfile.enablePrivateCluster": False,
                                          "apiServerAccessProfile.authorizedIPRanges": ["0.0.0.0/0"]},
     "apiServerAccessProfile.authorizedIPRanges contains '0.0.0.0/0'", {"requirePrivate": False}),
    ("aks-local-accounts-disabled", "aks", {"disableLocalAccounts": DELETE},
     "disableLocalAccounts is absent (Azure then uses false)", None),
    ("aks-entra-azure-rbac", "aks", {"aadProfile.enableAzureRBAC": False}, "aadProfile.enableAzureRBAC is false", None),
    ("aks-kubernetes-rbac", "aks", {"enableRBAC": False}, "enableRBAC is false", None),
    ("aks-network-policy", "aks", {"networkProfile.networkPolicy": DELETE},
     "networkProfile.networkPolicy is absent (Azure then uses 'none')", None),
    ("aks-azure-cni", "aks", {"networkProfile.networkPlugin": "kubenet"}, "networkProfile.networkPlugin is 'kubenet'", None),
    ("aks-managed-identity", "aks", {"identity": DELETE}, "identity.type is absent", None),
    ("aks-managed-identity", "aks", {"servicePrincipalProfile": {"clientId": "app-id", "secret": "s"}},
     "servicePrincipalProfile.clientId is 'app-id'", None),
    ("aks-workload-identity", "aks", {"oidcIssuerProfile.enabled": False}, "oidcIssuerProfile.enabled is false", None),
    ("aks-workload-identity", "aks", {"securityProfile.workloadIdentity": DELETE},
     "securityProfile.workloadIdentity.enabled is absent", None),
    ("aks-auto-upgrade-channel", "aks", {"autoUpgradeProfile.upgradeChannel": "none"},
     "autoUpgradeProfile.upgradeChannel is 'none'", None),
    ("aks-node-os-upgrade-channel", "aks", {"autoUpgradeProfile.nodeOSUpgradeChannel": "Unmanaged"},
     "autoUpgradeProfile.nodeOSUpgradeChannel is 'Unmanaged'", None),
    ("aks-run-command-disabled", "aks", {"apiServerAccessProfile.disableRunCommand": DELETE},
     "apiServerAccessProfile.disableRunCommand is absent (Azure then uses false)", None),
    ("aks-azure-policy-addon", "aks", {"addonProfiles.azurepolicy": DELETE},
     "addonProfiles.azurepolicy.enabled is absent", None),
    ("aks-container-insights", "aks", {"addonProfiles.omsagent.config": DELETE},
     "addonProfiles.omsagent.config.logAnalyticsWorkspaceResourceID is absent", None),
    ("aks-container-insights", "aks", {"addonProfiles.omsagent.enabled": False},
     "addonProfiles.omsagent.enabled is false", None),
    ("aks-secrets-provider-rotation", "aks",
     {"addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation": "false"},
     "addonProfiles.azureKeyvaultSecretsProvider.config.enableSecretRotation is 'false'", None),
    ("aks-no-retired-addons", "aks", {"addonProfiles.kubeDashboard": {"enabled": False}},
     "addonProfiles.kubeDashboard is set", None),
    ("aks-no-retired-addons", "aks", {"addonProfiles.httpApplicationRouting": {"enabled": True}},
     "addonProfiles.httpApplicationRouting is set", None),
    ("aks-defender-enabled", "aks", {"securityProfile.defender.securityMonitoring.enabled": False},
     "securityProfile.defender.securityMonitoring.enabled is false", None),
    ("aks-kms-etcd-encryption", "aks", {"securityProfile.azureKeyVaultKms": DELETE},
     "securityProfile.azureKeyVaultKms.enabled is absent", None),
    ("aks-paid-tier", "aks", {"sku.tier": "Free"}, "sku.tier is 'Free'", None),
    ("aks-supported-kubernetes-version", "aks", {"kubernetesVersion": "1.29.4"},
     "kubernetesVersion is '1.29.4'; want 1.33 or newer", None),
    ("aks-supported-kubernetes-version", "aks", {"kubernetesVersion": "1.33"},
     "kubernetesVersion is '1.33'; want 1.34 or newer", {"minimumVersion": "1.34"}),
    # Pools: the second inline pool (not only the first) and the standalone AgentPool.
    ("aks-pool-ephemeral-os-disk", "aks", {"agentPoolProfiles.1.osDiskType": "Managed"},
     "pool 'batch' agentPoolProfiles[1].osDiskType is 'Managed'", None),
    ("aks-pool-ephemeral-os-disk", "apps", {"osDiskType": DELETE}, "osDiskType is absent", None),
    ("aks-pool-encryption-at-host", "aks", {"agentPoolProfiles.1.enableEncryptionAtHost": False},
     "pool 'batch' agentPoolProfiles[1].enableEncryptionAtHost is false", None),
    ("aks-pool-encryption-at-host", "apps", {"enableEncryptionAtHost": DELETE}, "enableEncryptionAtHost is absent", None),
    ("aks-pool-no-public-ip", "aks", {"agentPoolProfiles.1.enableNodePublicIP": True},
     "pool 'batch' agentPoolProfiles[1].enableNodePublicIP is true", None),
    ("aks-pool-no-public-ip", "apps", {"enableNodePublicIP": True}, "enableNodePublicIP is true", None),
    ("aks-pool-ssh-disabled", "aks", {"agentPoolProfiles.1.securityProfile": DELETE},
     "pool 'batch' agentPoolProfiles[1].securityProfile.sshAccess is absent (Azure then uses 'LocalUser')", None),
    ("aks-pool-ssh-disabled", "apps", {"securityProfile.sshAccess": "LocalUser"},
     "securityProfile.sshAccess is 'LocalUser'", None),
    ("aks-pool-min-max-pods", "aks", {"agentPoolProfiles.1.maxPods": 30.0},
     "pool 'batch' agentPoolProfiles[1].maxPods is 30; want at least 50", None),
    ("aks-pool-min-max-pods", "apps", {"maxPods": 110.0}, "maxPods is 110; want at least 120", {"minimum": 120}),
    ("aks-pool-vm-scale-sets", "aks", {"agentPoolProfiles.1.type": "AvailabilitySet"},
     "pool 'batch' agentPoolProfiles[1].type is 'AvailabilitySet'", None),
    ("aks-pool-vm-scale-sets", "apps", {"type": "AvailabilitySet"}, "type is 'AvailabilitySet'", None),
    ("aks-pool-zones", "aks", {"agentPoolProfiles.1.availabilityZones": ["1"]},
     "pool 'batch' agentPoolProfiles[1].availabilityZones is ['1']; want at least 3 zones", None),
    ("aks-pool-zones", "apps", {"availabilityZones": DELETE}, "availabilityZones is absent", None),
    ("aks-system-pool-tainted", "aks", {"agentPoolProfiles.0.nodeTaints": DELETE},
     "pool 'system' agentPoolProfiles[0].nodeTaints is absent on a System pool", None),
    ("aks-system-pool-tainted", "apps", {"mode": "System", "nodeTaints": ["CriticalAddonsOnly=true:PreferNoSchedule"]},
     "nodeTaints is ['CriticalAddonsOnly=true:PreferNoSchedule'] on a System pool", None),
    # Network: inline NSG rules and standalone SecurityRules.
    ("nsg-no-internet-management-ports", "nsg", {"securityRules.0.destinationPortRange": "20-30"},
     "securityRules[0]('allow-https').destinationPortRange is '20-30', which opens port 22", None),
    ("nsg-no-internet-management-ports", "nsg", {"securityRules.1.sourceAddressPrefixes": ["10.0.0.0/8", "any"]},
     "securityRules[1]('allow-ssh-corp').destinationPortRanges is '22', which opens port 22", None),
    ("nsg-no-internet-management-ports", "http", {"destinationPortRange": "3389"},
     "destinationPortRange is '3389', which opens port 3389", None),
    ("nsg-internet-inbound-allowed-ports", "nsg", {"securityRules.0.destinationPortRange": "8080"},
     "securityRules[0]('allow-https').destinationPortRange is '8080', which opens port(s) 8080", None),
    ("nsg-internet-inbound-allowed-ports", "http", {"sourceAddressPrefix": "::/0", "destinationPortRange": "81"},
     "destinationPortRange is '81', which opens port(s) 81", None),
    ("subnet-has-nsg", "nodes", {"networkSecurityGroup": DELETE}, "networkSecurityGroup.id is absent", None),
    ("subnet-has-nsg", "vnet", {"subnets.0.networkSecurityGroup": DELETE},
     "subnets[0]('inline').networkSecurityGroup.id is absent", None),
    # Key Vault
    ("keyvault-rbac-authorization", "kv", {"properties.enableRbacAuthorization": DELETE},
     "properties.enableRbacAuthorization is absent (Azure then uses false)", None),
    ("keyvault-soft-delete", "kv", {"properties.enableSoftDelete": False}, "properties.enableSoftDelete is false", None),
    ("keyvault-soft-delete", "kv", {"properties.softDeleteRetentionInDays": 30.0},
     "properties.softDeleteRetentionInDays is 30; want at least 90", {"minimumRetentionDays": 90}),
    ("keyvault-purge-protection", "kv", {"properties.enablePurgeProtection": False},
     "properties.enablePurgeProtection is false", None),
    ("keyvault-network-restricted", "kv", {"properties.publicNetworkAccess": "Enabled",
                                           "properties.networkAcls": DELETE},
     "properties.networkAcls.defaultAction is absent (absent means Allow) while properties.publicNetworkAccess "
     "is 'Enabled'", None),
    ("keyvault-secret-key-expiry", "secret", {"properties.attributes": DELETE},
     "properties.attributes.expires is absent", None),
    ("keyvault-secret-key-expiry", "key", {"properties.attributes.expires": DELETE},
     "properties.attributes.expires is absent", None),
    # Registry and Log Analytics
    ("acr-admin-user-disabled", "acr", {"adminUserEnabled": True}, "adminUserEnabled is true", None),
    ("acr-anonymous-pull-disabled", "acr", {"anonymousPullEnabled": True}, "anonymousPullEnabled is true", None),
    ("acr-public-access-restricted", "acr", {"publicNetworkAccess": DELETE},
     "publicNetworkAccess is absent (absent means Enabled) and networkRuleSet.defaultAction is absent", None),
    ("log-analytics-retention", "log", {"retentionInDays": DELETE},
     "retentionInDays is absent (Azure then uses 30); want at least 90", {"minimumDays": 90}),
    ("log-analytics-local-auth-disabled", "log", {"features.disableLocalAuth": False},
     "features.disableLocalAuth is false", None),
]
IDS = [f"{policy}:{resource}:{','.join(flips)}" for policy, resource, flips, _, _ in CASES]
RESOURCES = ["aks", "apps", "nsg", "http", "vnet", "nodes", "apiserver", "kv", "secret", "key", "acr", "log"]


def test_every_resource_policy_has_a_case():
    resource_policies = {name for name, p in POLICIES.items() if p.resource_types != ("(stack)",)}
    assert resource_policies == {case[0] for case in CASES}
    assert len(resource_policies) >= 30


@pytest.mark.parametrize("policy", sorted({case[0] for case in CASES}))
def test_known_good_resources_pass(policy):
    for resource in RESOURCES:
        resource_type, props = good(resource)
        assert validate(policy, resource_type, props, resource) == []


@pytest.mark.parametrize("policy, resource, flips, expected, config", CASES, ids=IDS)
def test_flipped_property_is_reported_naming_resource_and_property(policy, resource, flips, expected, config):
    resource_type, props = good(resource)
    for path, value in flips.items():
        set_path(props, path, value)
    messages = validate(policy, resource_type, props, resource, config)
    assert len(messages) == 1, messages
    assert f"{kind(resource_type)} '{resource}': {expected}" in messages[0]
    assert "Fix: " in messages[0]


@pytest.mark.parametrize("policy, resource, flips, expected, config", CASES, ids=IDS)
def test_unknown_value_does_not_crash_or_report(policy, resource, flips, expected, config):
    resource_type, props = good(resource)
    for path in flips:
        set_path(props, path, UNKNOWN)
    assert validate(policy, resource_type, props, resource, config) == []
