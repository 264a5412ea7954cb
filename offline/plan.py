"""`python -m offline.plan STACK [--json FILE]`: the offline plan of one stack.

Renders the stack's desired state on Pulumi's mock engine (no Azure account, no Pulumi CLI) and
prints the resource tree with each resource's key settings. It is not a diff against what is
deployed: `pulumi preview` is that. Then it evaluates the policy pack on that state with the
stack's policy config. Exit codes: 0 rendered and compliant, 1 a mandatory policy violation,
2 invalid stack config.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from policies.offline import Finding, evaluate
from policies.pack import PACK_NAME, PACK_VERSION
from settings import ConfigError

from .engine import ROOT, Rendered, render

# What a reviewer wants to see of each resource type; everything else is in the --json file.
KEY_SETTINGS: dict[str, tuple[str, ...]] = {
    "azure-native:resources:ResourceGroup": ("resourceGroupName", "location"),
    "azure-native:network:VirtualNetwork": ("virtualNetworkName", "addressSpace.addressPrefixes"),
    "azure-native:network:Subnet": (
        "subnetName", "addressPrefix", "delegations.serviceName", "defaultOutboundAccess", "natGateway.id", "routeTable.id",
    ),
    "azure-native:network:NetworkSecurityGroup": ("networkSecurityGroupName", "securityRules"),
    "azure-native:network:NatGateway": ("natGatewayName",),
    "azure-native:network:RouteTable": ("routeTableName", "routes"),
    "azure-native:network:PrivateEndpoint": ("privateEndpointName", "privateLinkServiceConnections.groupIds"),
    "azure-native:privatedns:PrivateZone": ("privateZoneName",),
    "azure-native:operationalinsights:Workspace": (
        "workspaceName", "retentionInDays", "workspaceCapping.dailyQuotaGb", "features.disableLocalAuth",
    ),
    "azure-native:monitor:DiagnosticSetting": ("logs.category",),
    "azure-native:keyvault:Vault": (
        "vaultName", "properties.enableRbacAuthorization", "properties.softDeleteRetentionInDays",
        "properties.enablePurgeProtection", "properties.publicNetworkAccess", "properties.networkAcls.defaultAction",
    ),
    "azure-native:containerregistry:Registry": (
        "registryName", "sku.name", "adminUserEnabled", "anonymousPullEnabled", "publicNetworkAccess",
    ),
    "azure-native:authorization:RoleAssignment": ("roleDefinitionId", "scope"),
    "azure-native:managedidentity:UserAssignedIdentity": ("resourceName",),
    "azure-native:containerservice:ManagedCluster": (
        "resourceName", "kubernetesVersion", "sku.tier", "disableLocalAccounts", "enableRBAC",
        "aadProfile.enableAzureRBAC", "oidcIssuerProfile.enabled", "securityProfile.workloadIdentity.enabled",
        "networkProfile.networkPlugin", "networkProfile.networkPluginMode", "networkProfile.networkPolicy",
        "networkProfile.outboundType", "apiServerAccessProfile.enablePrivateCluster",
        "apiServerAccessProfile.authorizedIPRanges", "apiServerAccessProfile.enableVnetIntegration",
        "apiServerAccessProfile.disableRunCommand", "autoUpgradeProfile.upgradeChannel",
        "autoUpgradeProfile.nodeOSUpgradeChannel", "securityProfile.defender.securityMonitoring.enabled",
    ),
    "azure-native:containerservice:MaintenanceConfiguration": (
        "configName", "maintenanceWindow.schedule.weekly.dayOfWeek", "maintenanceWindow.startTime",
        "maintenanceWindow.durationHours",
    ),
}
# Shown for every pool, inline or standalone.
POOL_SETTINGS = (
    "mode", "vmSize", "osDiskType", "osDiskSizeGB", "osSKU", "availabilityZones", "enableAutoScaling", "minCount",
    "maxCount", "count", "maxPods", "nodeTaints", "enableEncryptionAtHost", "enableNodePublicIP",
    "securityProfile.sshAccess",
)
KEY_SETTINGS["azure-native:containerservice:AgentPool"] = ("agentPoolName", *POOL_SETTINGS)


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


def short(value: Any) -> str:
    if isinstance(value, str) and value.startswith("/subscriptions/"):
        return ".../" + "/".join(value.split("/")[-2:])  # an ARM ID: its type and name say enough
    if isinstance(value, (dict, list)):
        text = json.dumps(value, separators=(",", ":"))
        return text if len(text) <= 100 else text[:97] + "..."
    return json.dumps(value) if not isinstance(value, str) else value


def describe(resource: dict[str, Any]) -> list[str]:
    """The `key: value` lines shown under a resource."""
    inputs = resource["inputs"]
    if resource["type"] == "azure-native:network:NetworkSecurityGroup":
        return [_rule_line(rule) for rule in inputs.get("securityRules", [])]
    lines = [f"{path}: {short(value)}" for path in KEY_SETTINGS.get(resource["type"], ())
             if (value := lookup(inputs, path)) is not None]
    if resource["type"] == "azure-native:containerservice:ManagedCluster":
        addons = inputs.get("addonProfiles", {})
        lines.append("addons: " + ", ".join(sorted(k for k, v in addons.items() if v.get("enabled"))))
        for pool in inputs.get("agentPoolProfiles", []):
            settings = ", ".join(f"{p}={short(v)}" for p in POOL_SETTINGS if (v := lookup(pool, p)) is not None)
            lines.append(f"agentPoolProfiles[{pool['name']}]: {settings}")
    return lines


def _rule_line(rule: dict[str, Any]) -> str:
    source = rule.get("sourceAddressPrefix") or ",".join(rule.get("sourceAddressPrefixes", []))
    ports = rule.get("destinationPortRange") or ",".join(rule.get("destinationPortRanges", []))
    return (f"rule {rule['priority']} {rule['name']}: {rule['access']} {rule['direction']} "
            f"{rule['protocol']} from {source} to port {ports}")


def tree(rendered: Rendered) -> list[str]:
    children: dict[str | None, list[dict[str, Any]]] = {}
    for resource in rendered.resources:
        children.setdefault(resource["parent"], []).append(resource)
    roots = [r for r in rendered.resources if r["parent"] not in {x["urn"] for x in rendered.resources}]
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

    try:
        rendered = render(args.stack)
    except (ConfigError, FileNotFoundError) as err:
        print(f"Stack {args.stack!r} cannot be planned.\n{err}", file=sys.stderr)
        return 2

    custom = [r for r in rendered.resources if r["custom"]]
    print(f"Offline plan of stack {args.stack!r}: the desired state, rendered on Pulumi's mock engine.")
    print("Not a diff against what is deployed (that is `pulumi preview`); IDs and computed values are mock values.\n")
    print("\n".join(tree(rendered)))
    print(f"\n{len(custom)} Azure resources in {len(rendered.resources) - len(custom)} components, "
          f"{sum(r['protect'] for r in custom)} protected from deletion.")
    for warning in rendered.warnings:
        print(f"warning: {warning}")
    print("Outputs: " + ", ".join(
        f"{k}{' (secret)' if k in rendered.secret_outputs else ''}" for k in rendered.outputs))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rendered.to_json(), indent=2, sort_keys=True) + "\n")
        print(f"Desired state written to {args.json}.")

    policy_config = args.policy_config or ROOT / "policies" / "config" / f"{args.stack}.json"
    findings = evaluate(rendered.to_json()["resources"], policy_config)
    print(f"\nPolicy pack {PACK_NAME} {PACK_VERSION} (config {policy_config.relative_to(ROOT) if policy_config.is_relative_to(ROOT) else policy_config}):")
    print("\n".join(policy_lines(findings)) or "  every policy passes")
    mandatory = [f for f in findings if f.mandatory]
    if mandatory:
        print(f"\n{len(mandatory)} mandatory policy violation(s): `pulumi up` would be refused.", file=sys.stderr)
        return 1
    return 0


def policy_lines(findings: list[Finding]) -> list[str]:
    """Violations first, then advisories; each with the resource and the first line of the message."""
    ordered = sorted(findings, key=lambda f: (not f.mandatory, f.policy, f.name or ""))
    return [
        f"  {'VIOLATION' if f.mandatory else 'advisory '} {f.policy}  {f.name or '(stack)'}: {f.message.splitlines()[-1]}"
        for f in ordered
    ]


if __name__ == "__main__":
    sys.exit(main())
