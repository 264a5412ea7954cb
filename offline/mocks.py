"""Mocks that answer like Azure: realistic ARM IDs, the outputs Azure computes, and the invokes used.

Every value is derived from the resource's own inputs, so two renders of the same config are
identical: that is what lets tests prove names are stable and a re-run plans no change.
"""
from __future__ import annotations

import base64
import uuid
from typing import Any

import pulumi

from .arm import ARM_TYPES

SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
TENANT_ID = "11111111-1111-1111-1111-111111111111"
DEPLOYER_OBJECT_ID = "22222222-2222-2222-2222-222222222222"


def stable_uuid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)))


def arm_id(token: str, name: str, inputs: dict[str, Any]) -> str:
    """The ID Azure would give the resource (offline/arm.py), or a stable opaque one for non-Azure resources."""
    arm = ARM_TYPES.get(token)
    return arm.resource_id(inputs, SUBSCRIPTION_ID, name) if arm else f"{name}-id"


def azure_name(token: str, name: str, inputs: dict[str, Any]) -> str:
    arm = ARM_TYPES.get(token)
    return arm.arm_name(inputs, name) if arm else name


def computed_outputs(token: str, resource_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """The read-only properties Azure fills in that this program reads."""
    kind = token.removeprefix("azure-native:")
    if kind == "managedidentity:UserAssignedIdentity":
        return {
            "principalId": stable_uuid(resource_id, "principal"),
            "clientId": stable_uuid(resource_id, "client"),
            "tenantId": TENANT_ID,
        }
    if kind == "containerservice:ManagedCluster":
        location = inputs.get("location", "westeurope")
        identity = inputs.get("identity", {})
        return {
            # The API takes a list of identity IDs but answers with a map keyed by them.
            "identity": {
                **identity,
                "userAssignedIdentities": {
                    i: {"principalId": stable_uuid(i, "principal"), "clientId": stable_uuid(i, "client")}
                    for i in identity.get("userAssignedIdentities", [])
                },
            },
            "fqdn": f"{inputs.get('dnsPrefix', 'aks')}.hcp.{location}.azmk8s.io",
            "oidcIssuerProfile": {
                **inputs.get("oidcIssuerProfile", {}),
                "issuerURL": f"https://{location}.oic.prod-aks.azure.com/{TENANT_ID}/{stable_uuid(resource_id, 'oidc')}/",
            },
            "addonProfiles": addon_profiles(inputs, resource_id),
            "identityProfile": {
                "kubeletidentity": {
                    "clientId": stable_uuid(resource_id, "kubelet-client"),
                    "objectId": stable_uuid(resource_id, "kubelet-object"),
                    "resourceId": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{inputs.get('nodeResourceGroup')}"
                    f"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{inputs.get('resourceName')}-agentpool",
                }
            },
        }
    if kind == "keyvault:Vault":
        return {"properties": {**inputs.get("properties", {}), "vaultUri": f"https://{inputs['vaultName']}.vault.azure.net/"}}
    if kind == "dataprotection:BackupVault":
        return {"identity": {**inputs.get("identity", {}), "principalId": stable_uuid(resource_id, "principal"),
                             "tenantId": TENANT_ID}}
    if kind == "kubernetesconfiguration:Extension":
        # The identity AKS creates for the extension in the node resource group (AKS_BACKUP_CONCEPT).
        return {"aksAssignedIdentity": {"principalId": stable_uuid(resource_id, "principal"), "tenantId": TENANT_ID,
                                        "type": "SystemAssigned"}}
    if kind == "keyvault:Key":
        key_uri = f"https://{inputs['vaultName']}.vault.azure.net/keys/{inputs['keyName']}"
        return {"keyUri": key_uri, "keyUriWithVersion": f"{key_uri}/{uuid.uuid5(uuid.NAMESPACE_URL, resource_id).hex}"}
    if kind == "containerregistry:Registry":
        return {"loginServer": f"{inputs['registryName']}.azurecr.io"}
    if kind == "dashboard:Grafana":
        return {
            "identity": {**inputs.get("identity", {}), "principalId": stable_uuid(resource_id, "principal"),
                         "tenantId": TENANT_ID},
            "properties": {**inputs.get("properties", {}),
                           "endpoint": f"https://{inputs['workspaceName']}-abc123.weu.grafana.azure.com"},
        }
    if kind == "operationalinsights:Workspace":
        return {"customerId": stable_uuid(resource_id, "customer")}
    if token == "random:index/randomPassword:RandomPassword":
        # Deterministic and plainly fake; the provider marks `result` secret, so it stays secret here too.
        return {"result": f"mock-password-{stable_uuid(resource_id)}"}
    return {}


# Add-ons for which AKS creates a managed identity of their own in the node resource group, named
# `<prefix><cluster>`: the ACI connector's is `aciconnectorlinux-<cluster>`
# (https://learn.microsoft.com/azure/aks/virtual-nodes-cli, "Grant permission to the managed identity").
ADDON_IDENTITY_PREFIXES = {"aciconnectorlinux": "aciconnectorlinux-"}


def addon_profiles(inputs: dict[str, Any], resource_id: str) -> dict[str, Any]:
    """The cluster's addonProfiles as Azure answers: each enabled add-on that has an identity gets one."""
    profiles = {}
    for key, profile in (inputs.get("addonProfiles") or {}).items():
        prefix = ADDON_IDENTITY_PREFIXES.get(key.lower())
        if prefix is None or not profile.get("enabled"):
            profiles[key] = profile
            continue
        identity = f"{prefix}{inputs.get('resourceName')}"
        profiles[key] = {**profile, "identity": {
            "clientId": stable_uuid(resource_id, identity, "client"),
            "objectId": stable_uuid(resource_id, identity, "object"),
            "resourceId": f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{inputs.get('nodeResourceGroup')}"
            f"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{identity}",
        }}
    return profiles


def kubeconfig(cluster: str, resource_group: str) -> str:
    """A user kubeconfig in exec format, shaped like the one AKS returns for Entra ID clusters."""
    return f"""apiVersion: v1
kind: Config
clusters:
- name: {cluster}
  cluster:
    server: https://{cluster}.hcp.westeurope.azmk8s.io:443
    certificate-authority-data: {base64.b64encode(b"mock-ca").decode()}
contexts:
- name: {cluster}
  context: {{cluster: {cluster}, user: clusterUser_{resource_group}_{cluster}}}
current-context: {cluster}
users:
- name: clusterUser_{resource_group}_{cluster}
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --login, devicecode, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630]
"""


class AzureMocks(pulumi.runtime.Mocks):
    """Answers the mock engine's resource registrations and invokes as Azure would."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        if not args.custom:
            return "", {}
        resource_id = arm_id(args.typ, args.name, args.inputs)
        state = {
            **args.inputs,
            "name": azure_name(args.typ, args.name, args.inputs),
            **computed_outputs(args.typ, resource_id, args.inputs),
        }
        return resource_id, state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list | None] | dict:
        if args.token == "azure-native:authorization:getClientConfig":
            return {
                "clientId": stable_uuid("deployer", "client"),
                "objectId": DEPLOYER_OBJECT_ID,
                "subscriptionId": SUBSCRIPTION_ID,
                "tenantId": TENANT_ID,
            }
        if args.token == "azure-native:containerservice:listManagedClusterUserCredentials":
            config = kubeconfig(args.args["resourceName"], args.args["resourceGroupName"])
            return {"kubeconfigs": [{"name": "clusterUser", "value": base64.b64encode(config.encode()).decode()}]}
        return {}
