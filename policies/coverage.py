"""What answers each outside rule an Azure security reviewer runs against the types this platform creates.

Two rule sets (issue 14): Azure Policy's built-in definitions that audit or deny at the ARM level (their
display names live in `compliance.AZURE_BUILT_INS`), and PSRule for Azure's rules for AKS, Container
Registry, Key Vault, NSGs and Log Analytics. Each rule is answered in one place, here: by the pack policy
that enforces the same control, or by a `Gap` saying why the pack has none (the rule does not apply to this
design, needs live data, is met by a component without a policy, or is not built yet). docs/compliance-
mapping.md is generated from these tables; tests keep them and the pack in step (every named policy exists,
and every built-in a policy declares as its framework is answered by that policy).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    """No pack policy answers the rule, and why."""

    reason: str


Answer = str | Gap  # a pack policy's name, or why there is none

_LIVE = "judges live data (Defender assessments, usage, exported resources), which an offline pack cannot see"
_NAMING = ("a naming rule: every name derives from namePrefix and the environment (components/naming.py for the "
           "global ones), and the settings refuse a namePrefix outside its pattern")
_CONFIG_GATED = "runs only when the reviewer configures a name format; this platform sets none"
_PRIVATE_LINK = ("met by the component without a policy of its own: a vault or registry with publicNetworkAccess "
                 "Disabled always gets a private endpoint (components/private_link.py); the connection exists only "
                 "once deployed")

# Built-in definition name (GUID) -> answer. Source of the definitions: Azure/azure-policy
# built-in-policies/policyDefinitions, commit f4a50bac (2026-04-29): every non-deprecated Audit/Deny
# definition in indexed or all mode whose rule names managedClusters, registries, vaults, NSGs or workspaces
# (DeployIfNotExists and Modify definitions change resources rather than judge them and are left out).
BUILT_INS: dict[str, Answer] = {
    # Kubernetes
    "993c2fcd-2b29-49d2-9eb0-df2c3a730c32": "aks-local-accounts-disabled",
    "ac4a19c2-fa67-49b4-8ae5-0b2e78c49457": "aks-kubernetes-rbac",
    "46238e2f-3f6f-4589-9f3f-77bed4116e67": "aks-azure-cni",
    "da6e2401-19da-4532-9141-fb8fbde08431": "aks-managed-identity",
    "2cc2e023-0dac-4046-875b-178f683929d5": "aks-workload-identity",
    "5c345cdf-2049-47e0-b8fe-b0e96bc2df35": "aks-auto-upgrade-channel",
    "04408ca5-aa10-42ce-8536-98955cdddd4c": "aks-node-os-upgrade-channel",
    "89f2d532-c53c-4f8f-9afa-4927b1114a0d": "aks-run-command-disabled",
    "0a15ec92-a229-4763-bb14-0ea34a568f8d": "aks-azure-policy-addon",
    "a1840de2-8088-4ea8-b153-b4c723e9cb01": "aks-defender-enabled",
    "dbbdc317-9734-4dd8-9074-993b29c69008": "aks-kms-etcd-encryption",
    "41425d9f-d1a5-499a-9932-f8ed8453932c": "aks-pool-encryption-at-host",
    "28257686-e9db-403e-b9e2-a5eecbe03da9": "aks-pool-ssh-disabled",
    "2dec5f47-bc40-40d1-8c7d-a39d9d6808d1": "aks-pool-zones",
    "af3c26b2-6fad-493e-9236-9c68928516ab": "aks-image-cleaner",
    "450d2877-ebea-41e8-b00c-e286317d21bf": "aks-entra-azure-rbac",
    "0e246bcf-5f6f-4f87-bc6f-775d4712c7ea": "aks-api-server-restricted",
    "040732e8-d947-40b8-95d6-854c95024bf8": "aks-api-server-restricted",
    "245fc9df-fa96-4414-9a0b-3738c2f7341c": "aks-audit-logs-to-workspace",
    "fb893a29-21bb-418c-a157-e99480ec364c": "aks-supported-kubernetes-version",
    "7d7be79c-23ba-4033-84dd-45e2a5ccdd67": Gap(
        "supported with ephemeral OS disks (Learn 'Bring your own keys (BYOK) with Azure managed disks in AKS', "
        "https://learn.microsoft.com/azure/aks/azure-disk-customer-managed-keys), but the OS disk's key "
        "(diskEncryptionSetID) 'can only be enabled when creating an AKS cluster', so turning it on recreates a "
        "running prod cluster, and data disks need a StorageClass naming the disk encryption set; not built. "
        "Node temp disks and caches are encrypted at the host (aks-pool-encryption-at-host)"),
    "c5110b6e-5272-4989-9935-59ad06fdf341": Gap(
        "flags only CSI drivers explicitly off; the cluster component turns the disk and file CSI drivers and the "
        "snapshot controller on, and they are not a security control"),
    "0b0434ec-2bad-4229-965f-bb7ae5a71257": "aks-backup-configured",
    "fda9cd0b-094c-4cd5-ac2a-5e06e5277c45": Gap(
        "met by the backup component without a policy of its own: components/backup.py installs the extension with "
        "every backup instance, which aks-backup-configured requires"),
    "17f4b1cc-c55c-4d94-b1f9-2978f6ac2957": Gap(_LIVE),
    # Container Registry
    "dc921057-6b28-4fbe-9b83-f7bec05db6c2": "acr-admin-user-disabled",
    "9f2dea28-e834-476c-99c5-3507b4728395": "acr-anonymous-pull-disabled",
    "d0793b48-0edc-4296-a390-4c75d1bdfd71": "acr-public-access-restricted",
    "0fdf0491-d080-4575-b627-ad0e843cba0f": "acr-public-access-restricted",
    "524b0254-c285-4903-bee6-bb8126cde579": "acr-export-disabled",
    "5b9159ae-1701-4a6f-9a7a-aa9c8ddd0580": Gap(
        "a customer-managed key is Premium only, 'can only be enabled when you create a registry' and cannot be "
        "disabled, and at creation it needs a user-assigned identity reaching the key, which a vault behind a "
        "firewall or with public access off refuses (the documented way round is a temporary public vault) "
        "(Learn 'Encrypt registry using a customer-managed key', "
        "https://learn.microsoft.com/azure/container-registry/tutorial-customer-managed-keys): not clean to "
        "automate, and enabling it on prod's registry would replace it with its images; not built"),
    "42781ec6-6127-4c30-bdfa-fb423a0047d3": Gap(
        "not turned off: whether every client this platform uses (the kubelet's credential provider, az acr "
        "login in CI) asks for ACR-audience tokens is unverified here, and a wrong guess stops image pulls"),
    "e8eef0a8-67cf-4eb4-9386-14b0e78733d4": Gap(_PRIVATE_LINK),
    "bd560fc0-3c69-498a-ae9f-aa8eb7de0e13": Gap(
        "the settings refuse publicNetworkAccess Disabled without sku Premium, and prod requires both "
        "(acr-public-access-restricted); dev and staging keep Standard on purpose (cost)"),
    "84497762-32b6-4ab3-80b6-732ea48b85a2": Gap("judges cache rules, which this platform never creates"),
    "ff05e24e-195c-447e-b322-5e90c9f9f366": Gap("judges repository-scoped tokens, which this platform never creates"),
    "9d2b0a20-57d6-474c-9d12-44a4a20999c6": Gap(
        "preview; a Premium registry and each replica are zone-redundant (components/registry.py), and Azure makes "
        "registries in zone regions zone-redundant whatever the property says"),
    "c4857be7-912a-4c75-87e6-e30292bcdf78": Gap(
        "preview; the private registry is reached through a private endpoint instead of a service endpoint"),
    "090c7b07-b4ed-4561-ad20-e9075f3ccaff": Gap(_LIVE),
    # Managed Grafana and the backup storage account
    "e8775d5a-73b7-4977-a39b-833ef0114628": "grafana-public-access-disabled",
    "4fa4b6c0-31ca-4c0d-b10d-24b96f62a751": "storage-blob-public-access-disallowed",
    "404c3081-a854-4457-ae30-26a93ef643f9": "storage-secure-transfer",
    # Key Vault
    "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5": "keyvault-rbac-authorization",
    "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d": "keyvault-soft-delete",
    "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53": "keyvault-purge-protection",
    "55615ac9-af46-4a59-874e-391cc3dfb490": "keyvault-network-restricted",
    "cf820ca0-f99e-4f3e-84fb-66e913812d21": "keyvault-audit-logs-to-workspace",
    "98728c90-32c7-4049-8429-847dc0f4fe37": "keyvault-secret-key-expiry",
    "152b15f7-8e1f-4c1f-ab71-8c010ba5dbc0": "keyvault-secret-key-expiry",
    "405c5871-3e91-4644-8a63-58e19d68ff5b": Gap(
        "prod's vault has public access disabled; dev's and staging's stay public behind the firewall (default "
        "Deny, keyvault-network-restricted) so people and CI reach them without a private network"),
    "a6abeaec-4d90-4a02-805f-6b26c4d3fbe9": Gap(_PRIVATE_LINK),
    "ea4d6841-2173-4317-9747-ff522a45120f": Gap(
        "met by the Key Vault component without a policy: the vault's firewall admits the node subnet's "
        "Microsoft.KeyVault service endpoint"),
    # Network
    "e71308d3-144b-4262-b144-efdc3cc90517": "subnet-has-nsg",
    "c251913d-7d24-4958-af87-478ed3b9ba41": Gap(
        "flow logs need a storage account and Network Watcher, which this platform does not create; not built"),
    # Monitoring
    "e15effd4-2278-4c65-a0da-4d6f6d1890e2": "log-analytics-local-auth-disabled",
    "6c53d030-cc64-46f0-906d-2bc061cd1334": Gap(
        "the agents and people reach the workspace over public endpoints with Entra ID; blocking them needs an "
        "Azure Monitor Private Link Scope, which this platform does not create"),
    "fa298e57-9444-42ba-bf04-86e8470e32c7": Gap("judges saved queries, which this platform never creates"),
    # Tags
    "871b6d14-10aa-478d-b590-94f262ecfa99": "required-tags",
}

# PSRule for Azure rules for the types the platform creates -> (release, answer). Source: Azure/PSRule.Rules.Azure
# src/PSRule.Rules.Azure/rules/Azure.{AKS,ACR,KeyVault,NSG,Log,LogAnalytics}.Rule.{yaml,ps1} as stored at
# Azure.AKS.Rule.ps1 fd7291f5 and .yaml 607eb180, Azure.ACR.Rule.ps1 368654db and .yaml 64a1e0d8,
# Azure.KeyVault.Rule.ps1 01aba362 and .yaml 3517314f, Azure.NSG.Rule.ps1 07f4d252 and .yaml 1ec1de65,
# Azure.Log.Rule.yaml 2bd00a60 (the reference: https://azure.github.io/PSRule.Rules.Azure/en/rules/).
PSRULE: dict[str, tuple[str, Answer]] = {
    # AKS
    "Azure.AKS.Version": ("GA", "aks-supported-kubernetes-version"),
    "Azure.AKS.PoolVersion": ("GA", Gap(
        "the pool builder gives every pool the cluster's version, and the offline diff refuses a pool too far "
        "from the control plane (offline/change_rules.py); no pack policy")),
    "Azure.AKS.PoolScaleSet": ("GA", "aks-pool-vm-scale-sets"),
    "Azure.AKS.NodeMinPods": ("GA", "aks-pool-min-max-pods"),
    "Azure.AKS.AutoScaling": ("GA", Gap(
        "every shipped pool autoscales (minCount/maxCount); a fixed-size pool (count) stays allowed on purpose, "
        "for workloads that must not move")),
    "Azure.AKS.CNISubnetSize": ("GA", Gap(_LIVE)),
    "Azure.AKS.AvailabilityZone": ("GA", "aks-pool-zones"),
    "Azure.AKS.AuditLogs": ("GA", "aks-audit-logs-to-workspace"),
    "Azure.AKS.PlatformLogs": ("GA", Gap(
        "met by the monitoring component without a policy: the cluster's diagnostic setting sends every log "
        "category PSRule asks for and AllMetrics (components/monitoring.py CLUSTER_LOG_CATEGORIES)")),
    "Azure.AKS.MinNodeCount": ("GA", Gap(
        "prod's and staging's System pools keep at least 3 and 2 nodes (profile defaults); dev runs 1 on purpose "
        "(cost); no pack policy")),
    "Azure.AKS.MinUserPoolNodes": ("GA", Gap(
        "prod's user pool keeps at least 3 nodes (profile default); dev and staging fewer on purpose (cost)")),
    "Azure.AKS.UptimeSLA": ("GA", "aks-paid-tier"),
    "Azure.AKS.EphemeralOSDisk": ("GA", "aks-pool-ephemeral-os-disk"),
    "Azure.AKS.AuditAdmin": ("GA", Gap(
        "met by the monitoring component without a policy: it sends kube-audit-admin, never kube-audit")),
    "Azure.AKS.MaintenanceWindow": ("GA", Gap(
        "met by the maintenance component without a policy: both aksManagedAutoUpgradeSchedule and "
        "aksManagedNodeOSUpgradeSchedule are created from cluster.maintenanceWindow")),
    "Azure.AKS.Naming": ("GA", Gap(_CONFIG_GATED)),
    "Azure.AKS.SystemPoolNaming": ("GA", Gap(_CONFIG_GATED)),
    "Azure.AKS.UserPoolNaming": ("GA", Gap(_CONFIG_GATED)),
    "Azure.AKS.ManagedIdentity": ("GA", "aks-managed-identity"),
    "Azure.AKS.StandardLB": ("GA", Gap(
        "the cluster component always sets loadBalancerSku standard; no pack policy")),
    "Azure.AKS.NetworkPolicy": ("GA", Gap(
        "the rule accepts only azure and calico: it predates Cilium network policy, which this platform uses "
        "(networkPolicy cilium, Learn 'Configure Azure CNI Powered by Cilium'); aks-network-policy enforces the "
        "control with cilium accepted")),
    "Azure.AKS.AzurePolicyAddOn": ("GA", "aks-azure-policy-addon"),
    "Azure.AKS.ManagedAAD": ("GA", "aks-entra-azure-rbac"),
    "Azure.AKS.AuthorizedIPs": ("GA", Gap(
        "prod's API server is private, and authorized IP ranges 'can't be used with private clusters' (Learn "
        "'Secure access to the API server using authorized IP address ranges'); dev's and staging's public API "
        "servers list them, which aks-api-server-restricted enforces")),
    "Azure.AKS.LocalAccounts": ("preview", "aks-local-accounts-disabled"),
    "Azure.AKS.AzureRBAC": ("GA", "aks-entra-azure-rbac"),
    "Azure.AKS.SecretStore": ("GA", "aks-secrets-provider-rotation"),
    "Azure.AKS.SecretStoreRotation": ("GA", "aks-secrets-provider-rotation"),
    "Azure.AKS.HttpAppRouting": ("GA", "aks-no-retired-addons"),
    "Azure.AKS.AutoUpgrade": ("GA", "aks-auto-upgrade-channel"),
    "Azure.AKS.PodIdentity": ("preview", Gap(
        "Microsoft Entra pod identity is deprecated in favour of workload identity, which aks-workload-identity "
        "enforces")),
    "Azure.AKS.UseRBAC": ("GA", "aks-kubernetes-rbac"),
    "Azure.AKS.Name": ("GA", Gap(_NAMING)),
    "Azure.AKS.DNSPrefix": ("GA", Gap(_NAMING)),
    "Azure.AKS.ContainerInsights": ("GA", "aks-container-insights"),
    "Azure.AKS.DefenderProfile": ("GA", "aks-defender-enabled"),
    # Container Registry
    "Azure.ACR.Usage": ("GA", Gap(_LIVE)),
    "Azure.ACR.ContainerScan": ("GA", Gap(_LIVE)),
    "Azure.ACR.ImageHealth": ("GA", Gap(_LIVE)),
    "Azure.ACR.GeoReplica": ("GA", "acr-geo-replicated"),
    "Azure.ACR.ReplicaLocation": ("GA", Gap(
        "judges replica regions against the reviewer's allowed-region list; replicaLocations is the stack's own "
        "choice")),
    "Azure.ACR.AdminUser": ("GA", "acr-admin-user-disabled"),
    "Azure.ACR.MinSku": ("GA", Gap(
        "the shipped stacks run Standard (dev, staging) and Premium (prod); Basic stays allowed for a throwaway "
        "stack, so no pack policy")),
    "Azure.ACR.Name": ("GA", Gap(_NAMING)),
    "Azure.ACR.Quarantine": ("preview", Gap("waived in facts/waivers.py (registry-registry), with the reason")),
    "Azure.ACR.ContentTrust": ("GA", Gap(
        "deprecated by PSRule from v1.45.0 (content trust is replaced by OCI artifact signing)")),
    "Azure.ACR.Retention": ("preview", Gap(
        "preview; met by the registry component without a policy: a Premium registry keeps untagged manifests "
        "registry.untaggedRetentionDays")),
    "Azure.ACR.SoftDelete": ("preview", Gap(
        "preview; met by the registry component for Basic and Standard registries (registry.softDeleteDays); Azure "
        "refuses soft delete with the retention policy or geo-replication, which prod's Premium registry has, and "
        "PSRule then skips the rule")),
    "Azure.ACR.AnonymousAccess": ("preview", "acr-anonymous-pull-disabled"),
    "Azure.ACR.Firewall": ("GA", "acr-public-access-restricted"),
    # Key Vault
    "Azure.KeyVault.SoftDelete": ("GA", "keyvault-soft-delete"),
    "Azure.KeyVault.PurgeProtect": ("GA", "keyvault-purge-protection"),
    "Azure.KeyVault.AccessPolicy": ("GA", "keyvault-rbac-authorization"),
    "Azure.KeyVault.Logs": ("GA", "keyvault-audit-logs-to-workspace"),
    "Azure.KeyVault.Name": ("GA", Gap(_NAMING)),
    "Azure.KeyVault.SecretName": ("GA", Gap(
        "secret names are validated in settings (namespaces[].keyVaultSecrets)")),
    "Azure.KeyVault.KeyName": ("GA", Gap("the one key is named aks-etcd in the Key Vault component")),
    "Azure.KeyVault.AutoRotationPolicy": ("GA", "keyvault-key-auto-rotation"),
    # NSG
    "Azure.NSG.AnyInboundSource": ("GA", "nsg-internet-inbound-allowed-ports"),
    "Azure.NSG.DenyAllInbound": ("GA", Gap(
        "a reliability rule against a deny-all rule (source *) ahead of every other inbound rule; the network "
        "component writes none (its deny names the Internet tag, at priority 4000 after the allows)")),
    "Azure.NSG.LateralTraversal": ("GA", Gap(
        "met by the network component without a policy: every subnet's NSG denies SSH and RDP out to the VNet "
        "(tests/components/test_network.py)")),
    "Azure.NSG.Associated": ("GA", Gap(
        f"{_LIVE}; every NSG here is attached to a subnet, and subnet-has-nsg enforces the other direction")),
    "Azure.NSG.AKSRules": ("GA", Gap("judges the NSGs AKS manages in the node resource group, not this program's")),
    "Azure.NSG.Name": ("GA", Gap(_NAMING)),
    "Azure.NSG.Naming": ("GA", Gap(_CONFIG_GATED)),
    # Log Analytics
    "Azure.Log.Replication": ("GA", Gap(
        "not expressible yet: the pinned SDK's Workspace (API 2023-09-01) has no replication property; prod fails "
        "this GA rule until the SDK is upgraded")),
    "Azure.Log.Name": ("GA", Gap(_NAMING)),
}
