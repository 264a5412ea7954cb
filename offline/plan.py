"""`python -m offline.plan STACK [--json FILE]`: the offline plan of one stack.

Renders the stack's desired state on Pulumi's mock engine (no Azure account, no Pulumi CLI) and
prints the resource tree with each resource's key settings. It is not a diff against what is
deployed: `pulumi preview` is that. Then it evaluates the policy pack on that state with the
stack's policy config, and ends with the estimated monthly cost at list prices (offline/cost.py). Exit codes: 0 rendered and compliant, 1 a mandatory policy violation,
2 invalid stack config.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from policies.offline import Finding, check_config, evaluate
from policies.pack_config import PolicyConfigError
from policies.pack import PACK_NAME, PACK_VERSION
from sdk_shim.pulumi_sdk import is_secret_envelope
from settings import ConfigError

from . import cost
from .engine import ROOT, Rendered, render

# What a reviewer asks about in a pull request (security, cost, capacity, blast radius), per resource
# type; everything else is in the --json file. The offline diff shows the same for an added resource.
KEY_SETTINGS: dict[str, tuple[str, ...]] = {
    "azure-native:resources:ResourceGroup": ("resourceGroupName", "location"),
    "azure-native:network:VirtualNetwork": ("virtualNetworkName", "addressSpace.addressPrefixes"),
    "azure-native:network:Subnet": (
        "subnetName", "addressPrefix", "delegations.serviceName", "defaultOutboundAccess", "natGateway.id", "routeTable.id",
        "networkSecurityGroup.id", "serviceEndpoints.service",
    ),
    "azure-native:network:NetworkSecurityGroup": ("networkSecurityGroupName", "securityRules"),
    "azure-native:network:NatGateway": ("natGatewayName",),
    "azure-native:network:RouteTable": ("routeTableName", "routes"),
    "azure-native:network:PrivateEndpoint": (
        "privateEndpointName", "privateLinkServiceConnections.groupIds", "subnet.id",
    ),
    "azure-native:network:VirtualNetworkPeering": (
        "virtualNetworkPeeringName", "resourceGroupName", "virtualNetworkName", "remoteVirtualNetwork.id",
        "allowVirtualNetworkAccess", "allowForwardedTraffic", "useRemoteGateways",
    ),
    "azure-native:privatedns:PrivateZone": ("privateZoneName",),
    "azure-native:privatedns:VirtualNetworkLink": ("virtualNetworkLinkName", "virtualNetwork.id", "registrationEnabled"),
    "azure-native:operationalinsights:Workspace": (
        "workspaceName", "sku.name", "retentionInDays", "workspaceCapping.dailyQuotaGb", "features.disableLocalAuth",
        "publicNetworkAccessForIngestion", "publicNetworkAccessForQuery",
    ),
    "azure-native:monitor:DiagnosticSetting": ("logs.category", "metrics.category", "logAnalyticsDestinationType"),
    "azure-native:monitor:DataCollectionRule": ("dataFlows.streams",),
    "azure-native:keyvault:Vault": (
        "vaultName", "properties.sku.name", "properties.enableRbacAuthorization", "properties.softDeleteRetentionInDays",
        "properties.enablePurgeProtection", "properties.publicNetworkAccess", "properties.networkAcls.defaultAction",
        "properties.networkAcls.ipRules.value", "properties.networkAcls.virtualNetworkRules.id",
    ),
    # The name and attributes only: a secret's value is never printed.
    "azure-native:keyvault:Secret": ("secretName", "properties.contentType", "properties.attributes"),
    "azure-native:containerregistry:Registry": (
        "registryName", "sku.name", "adminUserEnabled", "anonymousPullEnabled", "publicNetworkAccess", "zoneRedundancy",
        "networkRuleBypassOptions", "policies",
    ),
    "azure-native:authorization:RoleAssignment": ("roleDefinitionId", "scope", "principalType"),
    "azure-native:managedidentity:UserAssignedIdentity": ("resourceName",),
    "azure-native:managedidentity:FederatedIdentityCredential": ("subject", "audiences"),
    "azure-native:containerservice:ManagedCluster": (
        "resourceName", "kubernetesVersion", "sku.tier", "supportPlan", "dnsPrefix", "nodeResourceGroup",
        "disableLocalAccounts", "enableRBAC", "aadProfile.enableAzureRBAC", "aadProfile.adminGroupObjectIDs",
        "oidcIssuerProfile.enabled", "securityProfile.workloadIdentity.enabled", "securityProfile.imageCleaner",
        "networkProfile.networkPlugin", "networkProfile.networkPluginMode", "networkProfile.networkDataplane",
        "networkProfile.networkPolicy", "networkProfile.podCidr", "networkProfile.serviceCidr",
        "networkProfile.dnsServiceIP", "networkProfile.outboundType", "apiServerAccessProfile.enablePrivateCluster",
        "apiServerAccessProfile.authorizedIPRanges", "apiServerAccessProfile.enableVnetIntegration",
        "apiServerAccessProfile.disableRunCommand", "apiServerAccessProfile.privateDNSZone",
        "autoUpgradeProfile.upgradeChannel",
        "autoUpgradeProfile.nodeOSUpgradeChannel", "securityProfile.defender.securityMonitoring.enabled",
        "nodeResourceGroupProfile.restrictionLevel", "autoScalerProfile", "workloadAutoScalerProfile.keda.enabled", "metricsProfile.costAnalysis.enabled",
        "workloadAutoScalerProfile.verticalPodAutoscaler.enabled",
        "azureMonitorProfile.metrics.enabled",
    ),
    "azure-native:containerservice:MaintenanceConfiguration": (
        "configName", "maintenanceWindow.schedule.weekly.dayOfWeek", "maintenanceWindow.schedule.weekly.intervalWeeks",
        "maintenanceWindow.startTime", "maintenanceWindow.durationHours", "maintenanceWindow.utcOffset",
    ),
    "azure-native:containerservice:DeploymentSafeguard": ("resourceUri", "level", "excludedNamespaces"),
    # Managed Prometheus, alerts and Grafana (docs/metrics.md).
    "azure-native:monitor:AzureMonitorWorkspace": ("azureMonitorWorkspaceName", "publicNetworkAccess"),
    "azure-native:monitor:DataCollectionEndpoint": ("dataCollectionEndpointName", "kind"),
    "azure-native:monitor:DataCollectionRuleAssociation": ("associationName", "resourceUri"),
    "azure-native:alertsmanagement:PrometheusRuleGroup": (
        "ruleGroupName", "clusterName", "interval", "enabled", "rules.record", "rules.alert", "rules.severity",
    ),
    "azure-native:monitor:ActionGroup": (
        "actionGroupName", "groupShortName", "enabled", "emailReceivers.emailAddress", "webhookReceivers.name",
    ),
    "azure-native:dashboard:Grafana": (
        "workspaceName", "sku.name", "properties.publicNetworkAccess", "properties.apiKey",
        "properties.grafanaIntegrations.azureMonitorWorkspaceIntegrations.azureMonitorWorkspaceResourceId",
    ),
    # Azure Backup for AKS (components/backup.py): where backups go, how they are kept, who may reach them.
    "azure-native:dataprotection:BackupVault": (
        "vaultName", "identity.type", "properties.storageSettings", "properties.securitySettings.softDeleteSettings.state",
        "properties.securitySettings.immutabilitySettings.state",
    ),
    "azure-native:dataprotection:BackupPolicy": (
        "backupPolicyName", "properties.policyRules.trigger.schedule.repeatingTimeIntervals",
        "properties.policyRules.lifecycles",
    ),
    "azure-native:dataprotection:BackupInstance": (
        "backupInstanceName", "properties.dataSourceInfo.resourceID",
        "properties.policyInfo.policyParameters.backupDatasourceParametersList",
        "properties.policyInfo.policyParameters.dataStoreParametersList.resourceGroupId",
    ),
    "azure-native:storage:StorageAccount": (
        "accountName", "kind", "sku.name", "minimumTlsVersion", "enableHttpsTrafficOnly", "allowBlobPublicAccess",
        "allowSharedKeyAccess", "allowCrossTenantReplication", "publicNetworkAccess", "networkRuleSet.defaultAction",
        "networkRuleSet.bypass", "networkRuleSet.virtualNetworkRules.virtualNetworkResourceId", "networkRuleSet.resourceAccessRules.resourceId",
    ),
    "azure-native:storage:BlobContainer": ("containerName", "publicAccess"),
    "azure-native:kubernetesconfiguration:Extension": (
        "extensionName", "extensionType", "releaseTrain", "autoUpgradeMinorVersion", "configurationSettings",
    ),
    "azure-native:containerservice:TrustedAccessRoleBinding": (
        "trustedAccessRoleBindingName", "sourceResourceId", "roles",
    ),
    # GitOps: what Flux syncs and how (a credential is in configurationProtectedSettings, never shown).
    "azure-native:kubernetesconfiguration:FluxConfiguration": (
        "fluxConfigurationName", "namespace", "scope", "gitRepository.url", "gitRepository.repositoryRef.branch",
        "gitRepository.syncIntervalInSeconds", "gitRepository.httpsUser", "gitRepository.localAuthRef", "kustomizations",
    ),
    # Kubernetes objects: what isolates a team and what it may spend.
    "kubernetes:core/v1:Namespace": ("metadata.name", "metadata.labels"),
    "kubernetes:core/v1:ResourceQuota": ("metadata.namespace", "spec.hard"),
    "kubernetes:core/v1:LimitRange": ("metadata.namespace", "spec.limits"),
    "kubernetes:core/v1:ServiceAccount": ("metadata.namespace", "metadata.name", "metadata.annotations"),
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": (
        "metadata.namespace", "spec.podSelector", "spec.policyTypes", "spec.ingress", "spec.egress",
    ),
    "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass": (
        "metadata.namespace", "spec.provider", "spec.parameters.keyvaultName", "spec.parameters.objects",
    ),
    "kubernetes:core/v1:Pod": (
        "metadata.namespace", "spec.containers.image", "spec.containers.securityContext", "spec.securityContext",
        "spec.automountServiceAccountToken",
    ),
}
# Shown for every pool, inline or standalone: size and count (cost, capacity), spot and GPU settings,
# where it schedules (labels, taints, zones), how it upgrades, and its hardening.
POOL_SETTINGS = (
    "mode", "osType", "osSKU", "vmSize", "orchestratorVersion", "osDiskType", "osDiskSizeGB", "availabilityZones",
    "enableAutoScaling", "minCount", "maxCount", "count", "maxPods", "scaleSetPriority", "scaleSetEvictionPolicy",
    "spotMaxPrice", "gpuProfile.driver", "nodeLabels", "nodeTaints", "upgradeSettings.maxSurge",
    "upgradeSettings.drainTimeoutInMinutes", "upgradeSettings.nodeSoakDurationInMinutes", "enableEncryptionAtHost",
    "enableNodePublicIP", "securityProfile.sshAccess",
)
KEY_SETTINGS["azure-native:containerservice:AgentPool"] = ("agentPoolName", *POOL_SETTINGS)
# Virtual nodes: the ACI connector add-on and the subnet its pods use (docs/virtual-nodes.md).
KEY_SETTINGS["azure-native:containerservice:ManagedCluster"] += ("addonProfiles.aciConnectorLinux",)
# Node auto-provisioning: the ARM switch, and each Karpenter pool's ceiling (limits: what replaces maxCount),
# what it may pick (requirements: capacity type, SKU family or names, zones), its taints and how it disrupts nodes.
KEY_SETTINGS["azure-native:containerservice:ManagedCluster"] += (
    "nodeProvisioningProfile.mode", "nodeProvisioningProfile.defaultNodePools",
)
NAP_NODE_POOL = "kubernetes:karpenter.sh/v1:NodePool"
KEY_SETTINGS[NAP_NODE_POOL] = (
    "metadata.name", "spec.limits", "spec.template.spec.taints", "spec.template.spec.expireAfter", "spec.disruption",
    "spec.weight",
)
KEY_SETTINGS["kubernetes:karpenter.azure.com/v1beta1:AKSNodeClass"] = ("metadata.name", "spec.imageFamily", "spec.maxPods")
# KMS etcd encryption, its key (never its value) and the registry's geo-replicas (issue 14).
KEY_SETTINGS["azure-native:containerservice:ManagedCluster"] += ("securityProfile.azureKeyVaultKms",)
KEY_SETTINGS["azure-native:keyvault:Key"] = (
    "keyName", "properties.kty", "properties.keySize", "properties.keyOps", "properties.rotationPolicy",
    "properties.attributes",
)
KEY_SETTINGS["azure-native:containerregistry:Replication"] = ("replicationName", "location", "zoneRedundancy")
# Fleet Manager: where a member joins and in which update group; the hub's order, waits and channels.
KEY_SETTINGS["azure-native:containerservice:FleetMember"] = ("fleetName", "group", "clusterResourceId")
KEY_SETTINGS["azure-native:containerservice:Fleet"] = ("fleetName", "location", "hubProfile")
KEY_SETTINGS["azure-native:containerservice:FleetUpdateStrategy"] = ("updateStrategyName", "strategy.stages")
KEY_SETTINGS["azure-native:containerservice:AutoUpgradeProfile"] = (
    "autoUpgradeProfileName", "channel", "nodeImageSelection.type", "updateStrategyId", "disabled",
)


def lookup(value: Any, path: str) -> Any:
    """`a.b.c` into nested dicts; through a list it collects the field of each element."""
    for part in path.split("."):
        if isinstance(value, list):
            value = [item.get(part) for item in value if isinstance(item, dict)]
            value = [v for v in value if v is not None] or None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
        if value is None:
            return None
    return value


def masked(value: Any) -> Any:
    """The value with every secret (the engine's secret envelope) replaced by "[secret]"."""
    if is_secret_envelope(value):
        return "[secret]"
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


MAX_VALUE_CHARS = 200


def short(value: Any) -> str:
    """A value on one line: an ARM ID by its last two segments, a flat object as `key=value, ...`, other
    objects and lists as JSON with sorted keys; cut at MAX_VALUE_CHARS."""
    if isinstance(value, str) and value.startswith("/subscriptions/"):
        return ".../" + "/".join(value.split("/")[-2:])  # an ARM ID: its type and name say enough
    if isinstance(value, dict) and value and not any(isinstance(v, (dict, list)) for v in value.values()):
        text = ", ".join(f"{k}={short(v)}" for k, v in sorted(value.items()))
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, separators=(",", ":"), sort_keys=True)
    else:
        text = json.dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


def describe(resource: dict[str, Any]) -> list[str]:
    """The `key: value` lines shown under a resource; secrets show as [secret], never in clear."""
    inputs = masked(resource["inputs"])
    if resource["type"] == "azure-native:network:NetworkSecurityGroup":
        return [_rule_line(rule) for rule in inputs.get("securityRules", [])]
    lines = [f"{path}: {short(value)}" for path in KEY_SETTINGS.get(resource["type"], ())
             if (value := lookup(inputs, path)) is not None]
    if resource["type"] == NAP_NODE_POOL:  # one line per selector: capacity type, SKUs, zones
        lines += [f"requirement: {r.get('key')} {r.get('operator')} {short(r.get('values'))}"
                  for r in lookup(inputs, "spec.template.spec.requirements") or []]
    if resource["type"] == "azure-native:containerservice:ManagedCluster":
        addons, pools = inputs.get("addonProfiles", {}), inputs.get("agentPoolProfiles", [])
        lines.append("addons: " + ", ".join(sorted(k for k, v in addons.items() if v.get("enabled"))))
        if not isinstance(pools, list):  # secret as a whole, e.g. when the tags it carries are secret
            lines.append(f"agentPoolProfiles: {short(pools)}")
            pools = []
        for pool in pools:
            settings = ", ".join(f"{p}={short(v)}" for p in POOL_SETTINGS if (v := lookup(pool, p)) is not None)
            lines.append(f"agentPoolProfiles[{pool['name']}]: {settings}")
    return lines


def _rule_line(rule: dict[str, Any]) -> str:
    source = rule.get("sourceAddressPrefix") or ",".join(rule.get("sourceAddressPrefixes", []))
    ports = rule.get("destinationPortRange") or ",".join(rule.get("destinationPortRanges", []))
    return (f"rule {rule['priority']} {rule['name']}: {rule['access']} {rule['direction']} "
            f"{rule['protocol']} from {source} to port {ports}")


def tree(rendered: Rendered) -> list[str]:
    """The resources as a tree of parents and children. Siblings are ordered by logical name (then
    URN): the engine records registrations in whatever order they arrive, which varies between runs."""
    children: dict[str | None, list[dict[str, Any]]] = {}
    ordered = sorted(rendered.resources, key=lambda r: (r["name"], r["urn"]))
    for resource in ordered:
        children.setdefault(resource["parent"], []).append(resource)
    roots = [r for r in ordered if r["parent"] not in {x["urn"] for x in ordered}]
    lines: list[str] = []

    def walk(resource: dict[str, Any], indent: str, last: bool) -> None:
        branch = "└─ " if last else "├─ "
        flags = "  [protected]" if resource["protect"] else ""
        if resource["ignoreChanges"]:
            flags += f"  [ignores changes to {', '.join(resource['ignoreChanges'])}]"
        lines.append(f"{indent}{branch}{resource['type']}  {resource['name']}{flags}")
        inner = indent + ("   " if last else "│  ")
        kids = children.get(resource["urn"], [])
        for line in describe(resource):
            lines.append(f"{inner}{'│  ' if kids else '   '}{line}")
        for i, kid in enumerate(kids):
            walk(kid, inner, i == len(kids) - 1)

    for i, root in enumerate(roots):
        walk(root, "", i == len(roots) - 1)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m offline.plan", description=__doc__.splitlines()[0])
    parser.add_argument("stack", help="stack name: reads Pulumi.<stack>.yaml")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the full desired state as JSON")
    parser.add_argument(
        "--policy-config", type=Path, metavar="FILE",
        help="policy pack config (default: policies/config/<stack>.json, as the CI workflows pass it)",
    )
    args = parser.parse_args(argv)

    policy_config = args.policy_config or ROOT / "policies" / "config" / f"{args.stack}.json"
    shown_config = policy_config.relative_to(ROOT) if policy_config.is_relative_to(ROOT) else policy_config
    try:
        rendered = render(args.stack)
    except ConfigError as err:  # the settings name each key; say which file the keys are in
        print(f"Stack {args.stack!r} cannot be planned: Pulumi.{args.stack}.yaml has invalid config.\n{err}",
              file=sys.stderr)
        return 2
    except FileNotFoundError as err:  # a missing or broken stack file: the message names it
        print(f"Stack {args.stack!r} cannot be planned.\n{err}", file=sys.stderr)
        return 2
    try:
        check_config(policy_config)  # before the tree is printed: a bad config stops the plan, as in the CLI
    except PolicyConfigError as err:
        hint = ("" if policy_config.exists() else "\nA stack's policy config is generated from its environment's "
                "profile: run `venv/bin/python -m tools.policy_config --write` (docs/policies.md).")
        print(f"Stack {args.stack!r} cannot be planned: policy config {shown_config}: {err}{hint}", file=sys.stderr)
        return 2

    print(f"Offline plan of stack {args.stack!r}: the desired state, rendered on Pulumi's mock engine.")
    print("Not a diff against what is deployed (that is `pulumi preview`); IDs and computed values are mock values.\n")
    print("\n".join(tree(rendered)))
    print("\n" + count_line(rendered.resources))
    for warning in rendered.warnings:
        print(f"warning: {warning}")
    print("Outputs: " + ", ".join(
        f"{k}{' (secret)' if k in rendered.secret_outputs else ''}" for k in rendered.outputs))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rendered.to_json(), indent=2, sort_keys=True) + "\n")
        print(f"Desired state written to {args.json}.")

    findings = evaluate(rendered.to_json()["resources"], policy_config)
    print(f"\nPolicy pack {PACK_NAME} {PACK_VERSION} (config {shown_config}):")
    print("\n".join(policy_lines(findings)) or "  every policy passes")
    print("\n" + "\n".join(cost.render(cost.estimate(rendered.resources))))
    mandatory = [f for f in findings if f.mandatory]
    if mandatory:
        print(f"\n{len(mandatory)} mandatory policy violation(s): `pulumi up` would be refused.", file=sys.stderr)
        return 1
    return 0


def kind_of(resource: dict[str, Any]) -> str:
    """What a resource is, for counting: an Azure resource, a Kubernetes object, a component, a provider,
    or another custom resource (e.g. a generated password)."""
    token = resource["type"]
    if not resource["custom"]:
        return "component"
    if token.startswith("pulumi:providers:"):
        return "provider"
    if token.startswith("azure-native:"):
        return "Azure resource"
    if token.startswith("kubernetes:"):
        return "Kubernetes object"
    return "other resource"


def count_line(resources: list[dict[str, Any]]) -> str:
    """`29 Azure resources, 21 Kubernetes objects, 1 provider in 13 components; 0 protected from deletion.`"""
    counts: dict[str, int] = {}
    for resource in resources:
        counts[kind_of(resource)] = counts.get(kind_of(resource), 0) + 1
    parts = [f"{counts[kind]} {kind}{'s' if counts[kind] != 1 else ''}"
             for kind in ("Azure resource", "Kubernetes object", "provider", "other resource") if counts.get(kind)]
    components = counts.get("component", 0)
    protected = sum(bool(r["protect"]) for r in resources if r["custom"])
    return (f"{', '.join(parts)} in {components} component{'s' if components != 1 else ''}; "
            f"{protected} protected from deletion.")


def policy_lines(findings: list[Finding]) -> list[str]:
    """Violations first, then advisories; each with the resource and the first line of the message."""
    ordered = sorted(findings, key=lambda f: (not f.mandatory, f.policy, f.name or ""))
    return [
        f"  {'VIOLATION' if f.mandatory else 'advisory '} {f.policy}  {f.name or '(stack)'}: {f.message.splitlines()[-1]}"
        for f in ordered
    ]


if __name__ == "__main__":
    sys.exit(main())
