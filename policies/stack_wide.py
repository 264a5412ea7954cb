"""Stack policies: properties that live on one resource but are about another.

Audit logs are DiagnosticSettings pointing at the cluster or vault; the kubelet's registry access is a
RoleAssignment pointing at a registry; tags are judged on every resource at once. See arm.py for how a
reference to another resource is recognised.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from facts.azure import ACR_PULL, KEY_VAULT_SECRETS_USER, ROLE_NAMES
from facts.profiles import STRICTEST

from .arm import CLUSTER, IDENTITY, REGISTRY, VAULT, Kind, covers, refers_to, resource_id, same_id, text
from .compliance import azure_policy, cis_aks
from .framework import HIGH, LOW, MEDIUM, kind, stack_policy
from .props import entries, get, is_unknown, items, show

DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting"
DEPLOYMENT_SAFEGUARD = "azure-native:containerservice:DeploymentSafeguard"
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
REPLICATION = "azure-native:containerregistry:Replication"

# azure-native types the platform uses that have no `tags` input (checked against the SDK in tests).
UNTAGGABLE = frozenset({
    "azure-native:network:Subnet",
    "azure-native:network:SecurityRule",
    "azure-native:network:PrivateDnsZoneGroup",
    "azure-native:network:VirtualNetworkPeering",
    "azure-native:monitor:DiagnosticSetting",
    "azure-native:authorization:RoleAssignment",
    "azure-native:managedidentity:FederatedIdentityCredential",
    "azure-native:containerservice:MaintenanceConfiguration",
    "azure-native:monitor:DataCollectionRuleAssociation",
    "azure-native:containerservice:DeploymentSafeguard",
    "azure-native:storage:BlobContainer",
    "azure-native:kubernetesconfiguration:Extension",
    "azure-native:kubernetesconfiguration:FluxConfiguration",
    "azure-native:dataprotection:BackupPolicy",
    "azure-native:containerservice:TrustedAccessRoleBinding",
    "azure-native:containerservice:FleetMember",
})


def of_type(resources: Sequence[Any], pulumi_type: str) -> list[Any]:
    return [r for r in resources if r.resource_type == pulumi_type]


def _label(resource: Any) -> str:
    return f"{kind(resource.resource_type)} '{resource.name}'"


def _audit_policy(kind_: Kind, categories: set[str], what: str):
    """Stack check: every resource of `kind_` has a DiagnosticSetting sending one of `categories`
    (or the audit/allLogs category groups, which include them) to a Log Analytics workspace."""
    wanted = {c.lower() for c in categories} | {"audit", "alllogs"}

    def sends(setting: Any) -> str | None:
        """Which wanted category an enabled log entry sends, or None."""
        for log in items(get(setting.props, "logs")):
            name = get(log, "category") or get(log, "categoryGroup")
            if isinstance(name, str) and name.lower() in wanted and get(log, "enabled") is True:
                return name
        return None

    def check(resources: Sequence[Any], _config: Mapping) -> Iterable[tuple[str, str | None]]:
        settings = of_type(resources, DIAGNOSTIC_SETTING)
        if any(is_unknown(get(s.props, "resourceUri")) and not s.property_dependencies.get("resourceUri")
               for s in settings):
            return  # preview: some setting's target cannot be known yet
        for target in of_type(resources, kind_.pulumi_type):
            seen = []
            for setting in settings:
                how = refers_to(setting, "resourceUri", target, kind_)
                if how is None:
                    continue
                category = sends(setting)
                workspace = text(get(setting.props, "workspaceId"))
                if category and workspace:
                    break
                seen.append(f"DiagnosticSetting '{setting.name}' ({how}) sends "
                            f"{category or 'no ' + what} to workspaceId {show(get(setting.props, 'workspaceId'))}")
            else:
                found = "; ".join(seen) if seen else (
                    f"no DiagnosticSetting has a resourceUri equal to its id {resource_id(target) or '(unknown)'}, "
                    f"depending on it, or naming {kind_.arm_type}/{get(target.props, kind_.name_input) or target.name}")
                yield f"{_label(target)} does not send {what} to a Log Analytics workspace: {found}", target.urn
    return check


def _missing_tags(resources: Sequence[Any], config: Mapping) -> Iterable[tuple[str, str | None]]:
    required = list(config["requiredTags"])
    for resource in resources:
        if not resource.resource_type.startswith("azure-native:") or resource.resource_type in UNTAGGABLE:
            continue
        tags = get(resource.props, "tags", {})
        if is_unknown(tags):
            continue
        present = {key for key, value in entries(tags) if is_unknown(value) or value not in (None, "")}
        missing = [tag for tag in required if tag not in present]
        if missing:
            yield f"{_label(resource)}: tags lacks {', '.join(missing)} (has {sorted(present) or 'none'})", resource.urn


def _kubelet_principals(cluster: Any, resources: Sequence[Any]) -> tuple[set[str], set[str]]:
    """(kubelet principal ids, urns of kubelet identities) for one cluster."""
    principals, identity_urns = set(), set()
    object_id = text(get(cluster.props, "identityProfile.kubeletidentity.objectId"))
    if object_id:
        principals.add(object_id.lower())
    kubelet_id = get(cluster.props, "identityProfile.kubeletidentity.resourceId")
    for identity in of_type(resources, IDENTITY.pulumi_type):
        linked = any(dep.urn == identity.urn for dep in cluster.property_dependencies.get("identityProfile", []))
        if linked or same_id(kubelet_id, resource_id(identity)):
            identity_urns.add(identity.urn)
            principal = text(get(identity.props, "principalId"))
            if principal:
                principals.add(principal.lower())
    return principals, identity_urns


def _is_kubelet(assignment: Any, principals: set[str], identity_urns: set[str]) -> str | None:
    principal = text(get(assignment.props, "principalId"))
    if principal and principal.lower() in principals:
        return f"principalId {principal}"
    if any(dep.urn in identity_urns for dep in assignment.property_dependencies.get("principalId", [])):
        return "principalId depends on the kubelet identity"
    return None


def _role(assignment: Any) -> str:
    role = text(get(assignment.props, "roleDefinitionId")) or ""
    guid = role.rstrip("/").rsplit("/", 1)[-1].lower()
    return guid


def _kubelet_acr_pull(resources: Sequence[Any], _config: Mapping) -> Iterable[tuple[str, str | None]]:
    registries = of_type(resources, REGISTRY.pulumi_type)
    assignments = of_type(resources, ROLE_ASSIGNMENT)
    for cluster in of_type(resources, CLUSTER.pulumi_type):
        principals, identity_urns = _kubelet_principals(cluster, resources)
        if not principals and not identity_urns:
            continue  # kubelet identity not known (yet): nothing to judge
        pulls = set()
        for assignment in assignments:
            matched = _is_kubelet(assignment, principals, identity_urns)
            if matched is None:
                continue
            scope = get(assignment.props, "scope")
            for registry in registries:
                on = refers_to(assignment, "scope", registry, REGISTRY)
                if on is None and not covers(scope, registry, REGISTRY):
                    continue
                role = _role(assignment)
                if role == ACR_PULL and on is not None:
                    pulls.add(registry.urn)
                elif role != ACR_PULL:
                    yield (f"RoleAssignment '{assignment.name}' gives the kubelet identity of {_label(cluster)} "
                           f"({matched}) roleDefinitionId {ROLE_NAMES.get(role, role)} on {_label(registry)} "
                           f"(scope {show(scope)}); want AcrPull only", assignment.urn)
        for registry in registries:
            if registry.urn not in pulls:
                yield (f"{_label(registry)} has no AcrPull RoleAssignment for the kubelet identity of "
                       f"{_label(cluster)} (looked for principalId in {sorted(principals) or identity_urns} with "
                       f"scope equal to the registry id), so nodes cannot pull images"), registry.urn


# A single secret of a vault: the only scope at which Key Vault Secrets User reads no other team's secrets.
_SECRET_SCOPE = re.compile(r"/providers/Microsoft\.KeyVault/vaults/[^/]+/secrets/[^/]+/?$", re.IGNORECASE)


def _secrets_user_per_secret(resources: Sequence[Any], _config: Mapping) -> Iterable[tuple[str, str | None]]:
    vaults = {v.urn: v for v in of_type(resources, VAULT.pulumi_type)}
    for assignment in of_type(resources, ROLE_ASSIGNMENT):
        if _role(assignment) != KEY_VAULT_SECRETS_USER.lower():
            continue
        scope = text(get(assignment.props, "scope"))
        on_vault = [vaults[dep.urn] for dep in assignment.property_dependencies.get("scope", []) if dep.urn in vaults]
        if scope and not _SECRET_SCOPE.search(scope):
            where = f"scope {scope}"
        elif not scope and on_vault:  # preview: the scope is the vault's id, not known yet
            where = f"scope depends on {_label(on_vault[0])}"
        else:
            continue
        yield (f"RoleAssignment '{assignment.name}' grants Key Vault Secrets User with {where}: it reads every "
               f"secret under it, other teams' included; want <vault id>/secrets/<name>"), assignment.urn


def _safeguards_enforced(resources: Sequence[Any], _config: Mapping) -> Iterable[tuple[str, str | None]]:
    """Each cluster has a DeploymentSafeguard (an extension resource: resourceUri is the cluster) at Enforce."""
    safeguards = of_type(resources, DEPLOYMENT_SAFEGUARD)
    for cluster in of_type(resources, CLUSTER.pulumi_type):
        levels = [get(s.props, "level") for s in safeguards if refers_to(s, "resourceUri", cluster, CLUSTER)]
        if any(is_unknown(level) for level in levels):
            continue  # preview: judged again on `pulumi up`
        if "Enforce" not in levels:
            found = f"level {show(levels[0])}" if levels else "no DeploymentSafeguard has it as resourceUri"
            yield f"{_label(cluster)} has no deployment safeguards at Enforce: {found}", cluster.urn


def _replicates(replication: Any, registry: Any) -> bool:
    """The replication belongs to the registry: its registryName depends on it or names it."""
    if any(dep.urn == registry.urn for dep in replication.property_dependencies.get("registryName", [])):
        return True
    name = text(get(replication.props, "registryName"))
    return bool(name) and name.lower() == (text(get(registry.props, "registryName")) or "").lower()


def _geo_replicated(resources: Sequence[Any], _config: Mapping) -> Iterable[tuple[str, str | None]]:
    """Each registry has a Replication in a region other than its own (PSRule for Azure Azure.ACR.GeoReplica)."""
    replications = of_type(resources, REPLICATION)
    for registry in of_type(resources, REGISTRY.pulumi_type):
        home = get(registry.props, "location")
        regions = [get(r.props, "location") for r in replications if _replicates(r, registry)]
        if is_unknown(home) or any(is_unknown(region) for region in regions):
            continue  # preview: judged again on `pulumi up`
        others = [r for r in regions if isinstance(r, str) and r.replace(" ", "").lower() != str(home).lower()]
        if not others:
            found = f"its replications are in {regions}" if regions else "no Replication has it as registryName"
            yield (f"{_label(registry)} (location {show(home)}) has no replica in another region: {found}",
                   registry.urn)


POLICIES = [
    stack_policy(
        name="aks-audit-logs-to-workspace",
        framework=cis_aks("2.1.1"),
        description="The cluster sends kube-audit or kube-audit-admin logs to Log Analytics, so every API call "
                    "can be traced; AKS keeps no audit log otherwise.",
        severity=HIGH, check=_audit_policy(CLUSTER, {"kube-audit", "kube-audit-admin"}, "kube-audit"),
        remediation="the monitoring component adds a DiagnosticSetting on the cluster; keep it, and "
                    "aks-platform:monitoring.retentionDays for how long"),
    stack_policy(
        name="keyvault-audit-logs-to-workspace",
        framework=azure_policy("cf820ca0-f99e-4f3e-84fb-66e913812d21"),
        description="The Key Vault sends AuditEvent logs to Log Analytics, so every secret read is traceable.",
        severity=HIGH, check=_audit_policy(VAULT, {"AuditEvent"}, "AuditEvent"),
        remediation="the monitoring component adds a DiagnosticSetting on the vault; keep it"),
    stack_policy(
        name="required-tags",
        framework=azure_policy("871b6d14-10aa-478d-b590-94f262ecfa99"),
        description="Every taggable Azure resource carries the required tags, so cost and ownership can be "
                    "traced in the Azure portal and bills.",
        severity=LOW, check=_missing_tags,
        config={"requiredTags": {"type": "array", "items": {"type": "string"}, "default": list(STRICTEST.required_tags),
                                 "description": "Tag keys every taggable resource must have."}},
        remediation="add the tags to aks-platform:tags (they are applied to every resource)"),
    stack_policy(
        name="kubelet-acr-pull-only",
        framework=cis_aks("5.1.3"),
        description="The kubelet identity gets AcrPull on each registry and no broader role on registries: "
                    "nodes must pull images, and must never push or manage the registry.",
        severity=HIGH, check=_kubelet_acr_pull,
        remediation="the registry component assigns AcrPull to the kubelet identity; remove other assignments "
                    "(aks-platform:registry.sku does not change this)"),
    stack_policy(
        name="keyvault-secrets-user-per-secret",
        description="Key Vault Secrets User is granted on single secrets, never on a vault, resource group or "
                    "subscription: the vault is shared by the teams, so a wider grant reads the others' secrets.",
        severity=HIGH, check=_secrets_user_per_secret,
        remediation="list the secrets in aks-platform:namespaces[].keyVaultSecrets: the team namespace grants "
                    "each one on its own secret"),
    stack_policy(
        name="aks-deployment-safeguards-enforced",
        description="The cluster's deployment safeguards deny or fix workloads that break Kubernetes best "
                    "practices (level Enforce) instead of only warning (Learn \"Use deployment safeguards to "
                    "enforce best practices in AKS\").",
        severity=MEDIUM, check=_safeguards_enforced,
        remediation="set aks-platform:cluster.safeguards.level to Enforce (list exceptions in "
                    "cluster.safeguards.excludedNamespaces)"),
    stack_policy(
        name="acr-geo-replicated",
        description="The registry has a replica in a second region, so nodes still pull images when the home "
                    "region fails (PSRule for Azure Azure.ACR.GeoReplica). Premium only and billed per replica, so "
                    "advisory in dev and staging.",
        severity=MEDIUM, check=_geo_replicated,
        remediation="list a second region in aks-platform:registry.replicaLocations (sku Premium)"),
]
