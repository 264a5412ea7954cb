"""What each policy implements in a compliance framework, so an auditor can read the mapping from the pack.

A policy declares `framework=cis_aks("<control>")` or `framework=azure_policy("<definition GUID>")`, and
pulumi_policy sends it with the policy (PolicyComplianceFramework: name, version, reference,
specification). A policy maps to the framework it mirrors most closely: the CIS AKS control where the
policy checks exactly that recommendation, otherwise the Azure Policy built-in definition that checks the
same property. A policy that mirrors neither is listed in WITHOUT_FRAMEWORK with the reason.
"""
from __future__ import annotations

from pulumi_policy import PolicyComplianceFramework

CIS_AKS = "CIS Azure Kubernetes Service (AKS) Benchmark"
CIS_AKS_VERSION = "1.8.0"
# The recommendations the pack implements, number -> title. CIS AKS Benchmark v1.8.0 as kube-bench
# transcribes it (https://github.com/aquasecurity/kube-bench/tree/main/cfg/aks-1.8.0: controlplane.yaml,
# policies.yaml, managedservices.yaml); the benchmark itself is CIS's, behind a free registration.
CIS_AKS_CONTROLS = {
    "2.1.1": "Enable audit Logs",
    "4.5.2": "Consider external secret storage",
    "5.1.3": "Minimize cluster access to read-only for Azure Container Registry (ACR)",
    "5.4.1": "Restrict Access to the Control Plane Endpoint",
    "5.4.3": "Ensure clusters are created with Private Nodes",
    "5.4.4": "Ensure Network Policy is Enabled and set as appropriate",
    "5.5.2": "Use Azure RBAC for Kubernetes Authorization",
}

AZURE_POLICY = "Azure Policy built-in definitions"
# The built-in definitions the pack mirrors, definition name (GUID) -> display name, from
# https://github.com/Azure/azure-policy/tree/master/built-in-policies/policyDefinitions (commit f4a50bac,
# 2026-04-29), indexed on Microsoft Learn "Azure Policy built-in definitions for Azure Kubernetes Service"
# (https://learn.microsoft.com/azure/aks/policy-reference) and the pages of the other services.
AZURE_BUILT_INS = {
    # Kubernetes
    "993c2fcd-2b29-49d2-9eb0-df2c3a730c32":
        "Azure Kubernetes Service Clusters should have local authentication methods disabled",
    "ac4a19c2-fa67-49b4-8ae5-0b2e78c49457": "Role-Based Access Control (RBAC) should be used on Kubernetes Services",
    "46238e2f-3f6f-4589-9f3f-77bed4116e67": "Azure Kubernetes Clusters should use Azure CNI",
    "da6e2401-19da-4532-9141-fb8fbde08431": "Azure Kubernetes Service Clusters should use managed identities",
    "2cc2e023-0dac-4046-875b-178f683929d5": "Azure Kubernetes Service Clusters should enable workload identity",
    "5c345cdf-2049-47e0-b8fe-b0e96bc2df35": "Azure Kubernetes Service Clusters should enable cluster auto-upgrade",
    "04408ca5-aa10-42ce-8536-98955cdddd4c": "Azure Kubernetes Service Clusters should enable node os auto-upgrade",
    "89f2d532-c53c-4f8f-9afa-4927b1114a0d": "Azure Kubernetes Service Clusters should disable Command Invoke",
    "0a15ec92-a229-4763-bb14-0ea34a568f8d":
        "Azure Policy Add-on for Kubernetes service (AKS) should be installed and enabled on your clusters",
    "a1840de2-8088-4ea8-b153-b4c723e9cb01": "Azure Kubernetes Service clusters should have Defender profile enabled",
    "dbbdc317-9734-4dd8-9074-993b29c69008": "Azure Kubernetes Clusters should enable Key Management Service (KMS)",
    "41425d9f-d1a5-499a-9932-f8ed8453932c":
        "Temp disks and cache for agent node pools in Azure Kubernetes Service clusters should be encrypted at host",
    "28257686-e9db-403e-b9e2-a5eecbe03da9": "Azure Kubernetes Clusters should disable SSH",
    "af3c26b2-6fad-493e-9236-9c68928516ab": "Azure Kubernetes Service Clusters should enable Image Cleaner",
    "2dec5f47-bc40-40d1-8c7d-a39d9d6808d1":
        "[Preview]: Azure Kubernetes Service Managed Clusters should be Zone Redundant",
    # Network
    "e71308d3-144b-4262-b144-efdc3cc90517": "Subnets should be associated with a Network Security Group",
    # Key Vault
    "12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5": "Azure Key Vault should use RBAC permission model",
    "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d": "Key vaults should have soft delete enabled",
    "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53": "Key vaults should have deletion protection enabled",
    "55615ac9-af46-4a59-874e-391cc3dfb490":
        "Azure Key Vault should have firewall enabled or public network access disabled",
    "98728c90-32c7-4049-8429-847dc0f4fe37": "Key Vault secrets should have an expiration date",
    "152b15f7-8e1f-4c1f-ab71-8c010ba5dbc0": "Key Vault keys should have an expiration date",
    "cf820ca0-f99e-4f3e-84fb-66e913812d21": "Resource logs in Key Vault should be enabled",
    # Container Registry
    "dc921057-6b28-4fbe-9b83-f7bec05db6c2": "Container registries should have local admin account disabled.",
    "9f2dea28-e834-476c-99c5-3507b4728395": "Container registries should have anonymous authentication disabled.",
    "524b0254-c285-4903-bee6-bb8126cde579": "Container registries should have exports disabled",
    "d0793b48-0edc-4296-a390-4c75d1bdfd71": "Container registries should not allow unrestricted network access",
    # Monitoring
    "e15effd4-2278-4c65-a0da-4d6f6d1890e2":
        "Log Analytics Workspaces should block non-Azure Active Directory based ingestion.",
    # Tags
    "871b6d14-10aa-478d-b590-94f262ecfa99": "Require a tag on resources",
    # Managed Grafana
    "e8775d5a-73b7-4977-a39b-833ef0114628": "Azure Managed Grafana workspaces should disable public network access",
    # Storage (Azure/azure-policy built-in-policies/policyDefinitions/Storage, as indexed in Learn's "Azure Policy
    # built-in definitions for Azure Storage"; read 2026-11-27 through stored copies)
    "4fa4b6c0-31ca-4c0d-b10d-24b96f62a751": "Storage account public access should be disallowed",
    "404c3081-a854-4457-ae30-26a93ef643f9": "Secure transfer to storage accounts should be enabled",
    # The other ARM-level audit and deny definitions for the types the platform creates (same commit), which
    # policies/coverage.py answers with a pack policy or the reason there is none.
    "450d2877-ebea-41e8-b00c-e286317d21bf": "Azure Kubernetes Service Clusters should enable Microsoft Entra ID integration",
    "0e246bcf-5f6f-4f87-bc6f-775d4712c7ea": "Authorized IP ranges should be defined on Kubernetes Services",
    "040732e8-d947-40b8-95d6-854c95024bf8": "Azure Kubernetes Service Private Clusters should be enabled",
    "245fc9df-fa96-4414-9a0b-3738c2f7341c": "Resource logs in Azure Kubernetes Service should be enabled",
    "fb893a29-21bb-418c-a157-e99480ec364c":
        "Kubernetes Services should be upgraded to a non-vulnerable Kubernetes version",
    "7d7be79c-23ba-4033-84dd-45e2a5ccdd67": "Both operating systems and data disks in Azure Kubernetes Service "
                                            "clusters should be encrypted by customer-managed keys",
    "c5110b6e-5272-4989-9935-59ad06fdf341": "Azure Kubernetes Clusters should enable Container Storage Interface(CSI)",
    "0b0434ec-2bad-4229-965f-bb7ae5a71257": "[Preview]: Azure Backup should be enabled for AKS clusters",
    "fda9cd0b-094c-4cd5-ac2a-5e06e5277c45": "[Preview]: Azure Backup Extension should be installed in AKS clusters",
    "17f4b1cc-c55c-4d94-b1f9-2978f6ac2957": "Azure running container images should have vulnerabilities resolved "
                                            "(powered by Microsoft Defender Vulnerability Management)",
    "0fdf0491-d080-4575-b627-ad0e843cba0f": "Public network access should be disabled for Container registries",
    "5b9159ae-1701-4a6f-9a7a-aa9c8ddd0580": "Container registries should be encrypted with a customer-managed key",
    "42781ec6-6127-4c30-bdfa-fb423a0047d3":
        "Container registries should have ARM audience token authentication disabled.",
    "e8eef0a8-67cf-4eb4-9386-14b0e78733d4": "Container registries should use private link",
    "bd560fc0-3c69-498a-ae9f-aa8eb7de0e13": "Container registries should have SKUs that support Private Links",
    "84497762-32b6-4ab3-80b6-732ea48b85a2": "Container registries should prevent cache rule creation",
    "ff05e24e-195c-447e-b322-5e90c9f9f366": "Container registries should have repository scoped access token disabled.",
    "9d2b0a20-57d6-474c-9d12-44a4a20999c6": "[Preview]: Container Registry should be Zone Redundant",
    "c4857be7-912a-4c75-87e6-e30292bcdf78": "[Preview]: Container Registry should use a virtual network service endpoint",
    "090c7b07-b4ed-4561-ad20-e9075f3ccaff": "Azure registry container images should have vulnerabilities resolved "
                                            "(powered by Microsoft Defender Vulnerability Management)",
    "405c5871-3e91-4644-8a63-58e19d68ff5b": "Azure Key Vault should disable public network access",
    "a6abeaec-4d90-4a02-805f-6b26c4d3fbe9": "Azure Key Vaults should use private link",
    "ea4d6841-2173-4317-9747-ff522a45120f": "Key Vault should use a virtual network service endpoint",
    "c251913d-7d24-4958-af87-478ed3b9ba41": "Flow logs should be configured for every network security group",
    "6c53d030-cc64-46f0-906d-2bc061cd1334":
        "Log Analytics workspaces should block log ingestion and querying from public networks",
    "fa298e57-9444-42ba-bf04-86e8470e32c7":
        "Saved-queries in Azure Monitor should be saved in customer storage account for logs encryption",
}

# Policies that mirror no CIS AKS control and no built-in definition, and why.
WITHOUT_FRAMEWORK = {
    "nap-nodepool-limits": "a Karpenter NodePool is a Kubernetes object, not an Azure resource: no built-in Azure "
                           "Policy definition nor CIS AKS 1.8.0 control judges its limits",
    "backup-vault-soft-delete": "no built-in definition for Backup vault soft delete could be read from a stored copy "
                                "to record it here; CIS AKS has no backup recommendation",
    "backup-vault-immutable": "Azure has a built-in \"[Preview]: Immutability must be enabled for backup vaults\" "
                              "(Backup/Vaults_Immutability_Audit.json), but its definition ID could not be read from a "
                              "stored copy to record it here",
    "aks-deployment-safeguards-enforced": "deployment safeguards are AKS's own bundle of Azure Policy definitions; "
                                          "neither the built-ins recorded above nor CIS AKS 1.8.0 judge their level",
    "aks-container-insights": "no built-in definition audits the Container Insights (omsagent) add-on of AKS, and "
                              "CIS AKS has no monitoring recommendation beyond audit logs (2.1.1)",
    "aks-no-retired-addons": "no built-in definition or CIS AKS control names the retired add-ons",
    "aks-paid-tier": "an availability and cost setting (uptime SLA), not a security control",
    "aks-supported-kubernetes-version": "the built-in fb893a29-21bb-418c-a157-e99480ec364c only flags Kubernetes "
                                        "1.10-1.14.0 for CVE-2019-9946, not a supported minimum",
    "aks-pool-ephemeral-os-disk": "an operational setting (reimage speed, no OS disk to manage), not a security "
                                  "control",
    "aks-pool-min-max-pods": "a capacity setting, not a security control",
    "aks-pool-vm-scale-sets": "a capability prerequisite (autoscaling, zones), not a security control",
    "aks-system-pool-tainted": "the built-ins on system-pool taints (48940d92-ff05-449e-9111-e742d9280451, "
                               "e16d171b-bfe5-4d79-a525-19736b396e92) keep CriticalAddonsOnly off user pools, "
                               "the other direction",
    "nsg-no-internet-management-ports": "the NSG built-ins for SSH and RDP from the internet (2c89a2e5-7285-40fe-"
                                        "afe0-ae8654b92fab, e372f825-a257-4fb8-9175-797a8a8627d6) are deprecated; "
                                        "their successor judges VMs through Defender, not NSG rules",
    "nsg-internet-inbound-allowed-ports": "no current built-in definition judges NSG rules by port; the Defender "
                                          "assessments judge VMs",
    "log-analytics-retention": "no built-in definition sets a Log Analytics retention minimum",
    "aks-managed-prometheus": "no built-in definition audits the Managed Prometheus add-on (azureMonitorProfile."
                              "metrics), and CIS AKS has no metrics recommendation",
    "acr-geo-replicated": "no built-in definition audits geo-replication of a registry; PSRule for Azure's "
                          "Azure.ACR.GeoReplica does (docs/compliance-mapping.md)",
    "keyvault-key-auto-rotation": "the built-in on key rotation (d8cf8476-a2ec-4916-896e-992351803c44) judges the "
                                  "vault's data plane, not the ARM resource; PSRule for Azure's "
                                  "Azure.KeyVault.AutoRotationPolicy judges the same property",
    "keyvault-secrets-user-per-secret": "no built-in definition or CIS AKS control judges the scope of a Key Vault "
                                        "role assignment; it keeps the platform's tenants apart in a shared vault",
    "flux-source-encrypted": "the GitOps built-ins (e.g. a6f560f4-f582-4b67-b123-a37dcd1bf7ea) deploy a configuration "
                             "(deployIfNotExists) rather than audit its source's transport, and CIS AKS has no GitOps "
                             "recommendation",
}


def cis_aks(control: str) -> PolicyComplianceFramework:
    """The CIS AKS Benchmark recommendation a policy checks, by number (a key of CIS_AKS_CONTROLS)."""
    if control not in CIS_AKS_CONTROLS:
        raise ValueError(f"CIS AKS control {control!r} is not in policies/compliance.py CIS_AKS_CONTROLS; "
                         f"add it there with its title from the benchmark")
    return PolicyComplianceFramework(name=CIS_AKS, version=CIS_AKS_VERSION, reference=control,
                                     specification=CIS_AKS_CONTROLS[control])


def azure_policy(*definitions: str) -> PolicyComplianceFramework:
    """The Azure Policy built-in definition(s) a policy mirrors, by name (keys of AZURE_BUILT_INS).

    The reference is the definition ID an Azure Policy assignment takes; the specification its display name.
    """
    unknown = [d for d in definitions if d not in AZURE_BUILT_INS]
    if unknown or not definitions:
        raise ValueError(f"built-in policy definition(s) {unknown} are not in policies/compliance.py "
                         f"AZURE_BUILT_INS; add each there with its display name from Azure/azure-policy")
    return PolicyComplianceFramework(
        name=AZURE_POLICY,
        reference=", ".join(f"/providers/Microsoft.Authorization/policyDefinitions/{d}" for d in definitions),
        specification="; ".join(AZURE_BUILT_INS[d] for d in definitions))
