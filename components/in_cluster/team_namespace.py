"""One team namespace: isolated, bounded, and able to read its Key Vault secrets without a stored credential."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s
from pulumi_azure_native import managedidentity
from pulumi_kubernetes.core.v1 import (
    LimitRangeItemArgs,
    LimitRangeSpecArgs,
    ResourceQuotaSpecArgs,
)
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs, ObjectMetaArgs
from pulumi_kubernetes.networking.v1 import (
    NetworkPolicyEgressRuleArgs,
    NetworkPolicyPeerArgs,
    NetworkPolicyPortArgs,
    NetworkPolicySpecArgs,
)

from facts.azure import KEY_VAULT_SECRETS_USER
from settings import NamespaceSettings

from ..context import StackContext
from ..roles import assign_role

# The audience Entra ID expects in a Kubernetes service account token it exchanges for its own.
TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange"
CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id"
SECRET_PROVIDER_CLASS = "key-vault-secrets"
# The Kubernetes Secret the Key Vault secrets are copied to when the namespace asks (syncSecret).
SYNCED_SECRET = "key-vault-secrets"


@dataclass(frozen=True)
class TeamNamespaceArgs:
    settings: NamespaceSettings
    # The cluster's OIDC issuer: Entra ID trusts service account tokens signed by it.
    oidc_issuer_url: pulumi.Input[str]
    vault_id: pulumi.Input[str]
    vault_name: pulumi.Input[str]
    # What installs the SecretProviderClass CRD: the cluster with its Key Vault secrets provider add-on.
    secrets_store_addon: pulumi.Resource


def pod_security_labels(level: str) -> dict[str, str]:
    """Pod Security Admission enforces `level`, and audits and warns at the same level."""
    return {f"pod-security.kubernetes.io/{mode}": level for mode in ("enforce", "audit", "warn")}


def key_vault_objects(secret_names: tuple[str, ...]) -> str:
    """The azure provider's `objects` parameter: a YAML `array` of YAML documents, one per secret.

    Written out rather than dumped so that it reads like the provider's documentation. Names are
    quoted so that YAML keeps "true", "no" or "1e3" a string; they are letters, digits and hyphens
    (validated in settings), so the quotes need no escaping.
    """
    items = "".join(f'  - |\n    objectName: "{name}"\n    objectType: secret\n' for name in secret_names)
    return f"array:\n{items}"


class TeamNamespace(pulumi.ComponentResource):
    """A namespace for one team, with:

    - Pod Security Admission at the configured level (restricted by default);
    - a ResourceQuota and a LimitRange, so no pod runs without requests and limits;
    - NetworkPolicies that deny all traffic in and out except DNS to kube-system (teams open the rest);
    - a user-assigned identity federated with the namespace's service account (workload identity),
      granted Key Vault Secrets User on the vault, and a SecretProviderClass that mounts the
      namespace's secrets with that identity (only when the namespace lists secrets).

    Every namespaced object takes its namespace from the Namespace's output, so it is created after it.
    The Azure objects do not wait for any Kubernetes object.
    """

    def __init__(
        self, name: str, context: StackContext, args: TeamNamespaceArgs, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("aks-platform:kubernetes:TeamNamespace", name, None, opts)
        s = args.settings
        child = pulumi.ResourceOptions(parent=self)
        # Kubernetes objects die with the cluster (`secrets_store_addon` is the ManagedCluster): `pulumi
        # destroy` skips their deletes rather than call an API server that may be private or gone.
        # Set on each object, not on this component: the engine passes a parent's deletedWith down to
        # children (pulumi/pulumi#12572), and the Azure identity and role assignment outlive the cluster.
        dies_with_cluster = pulumi.ResourceOptions(parent=self, deleted_with=args.secrets_store_addon)

        self.namespace = k8s.core.v1.Namespace(
            f"{name}-namespace",
            metadata=ObjectMetaArgs(name=s.name, labels=pod_security_labels(s.pod_security)),
            opts=dies_with_cluster,
        )
        self.namespace_name = self.namespace.metadata.apply(lambda m: m.name)

        limits = s.container_defaults
        self.quota = k8s.core.v1.ResourceQuota(
            f"{name}-quota",
            metadata=self._meta("compute-quota"),
            spec=ResourceQuotaSpecArgs(hard={
                "requests.cpu": s.quota.cpu, "limits.cpu": s.quota.cpu,
                "requests.memory": s.quota.memory, "limits.memory": s.quota.memory,
                "pods": str(s.quota.pods),
            }),
            opts=dies_with_cluster,
        )
        self.limit_range = k8s.core.v1.LimitRange(
            f"{name}-limits",
            metadata=self._meta("container-defaults"),
            spec=LimitRangeSpecArgs(limits=[LimitRangeItemArgs(
                type="Container",
                default_request={"cpu": limits.cpu_request, "memory": limits.memory_request},
                default={"cpu": limits.cpu_limit, "memory": limits.memory_limit},
            )]),
            opts=dies_with_cluster,
        )
        self.default_deny = k8s.networking.v1.NetworkPolicy(
            f"{name}-default-deny",
            metadata=self._meta("default-deny"),
            # An empty selector selects every pod of the namespace; no rules means nothing is allowed.
            spec=NetworkPolicySpecArgs(pod_selector=LabelSelectorArgs(), policy_types=["Ingress", "Egress"]),
            opts=dies_with_cluster,
        )
        self.allow_dns = k8s.networking.v1.NetworkPolicy(
            f"{name}-allow-dns",
            metadata=self._meta("allow-dns"),
            spec=NetworkPolicySpecArgs(
                pod_selector=LabelSelectorArgs(),
                policy_types=["Egress"],
                egress=[NetworkPolicyEgressRuleArgs(
                    to=[NetworkPolicyPeerArgs(
                        namespace_selector=LabelSelectorArgs(match_labels={"kubernetes.io/metadata.name": "kube-system"}),
                        pod_selector=LabelSelectorArgs(match_labels={"k8s-app": "kube-dns"}),
                    )],
                    ports=[NetworkPolicyPortArgs(protocol=p, port=53) for p in ("UDP", "TCP")],
                )],
            ),
            opts=dies_with_cluster,
        )

        self.identity = managedidentity.UserAssignedIdentity(
            f"{name}-identity",
            resource_name_=f"id-{context.stem}-ns-{s.name}",
            resource_group_name=context.resource_group_name,
            location=context.location,
            tags=dict(context.tags),
            opts=child,
        )
        self.subject = f"system:serviceaccount:{s.name}:{s.service_account}"
        self.federated_credential = managedidentity.FederatedIdentityCredential(
            f"{name}-federated-credential",
            federated_identity_credential_resource_name=f"{s.name}-{s.service_account}",
            resource_name_=self.identity.name,
            resource_group_name=context.resource_group_name,
            issuer=args.oidc_issuer_url,
            subject=self.subject,
            audiences=[TOKEN_EXCHANGE_AUDIENCE],
            opts=child,
        )
        self.service_account = k8s.core.v1.ServiceAccount(
            f"{name}-service-account",
            metadata=self._meta(s.service_account, annotations={CLIENT_ID_ANNOTATION: self.identity.client_id}),
            opts=dies_with_cluster,
        )

        self.role_assignment = None
        self.secret_provider_class = None
        if s.key_vault_secrets:
            # On the vault: a role assignment on a secret needs the secret to exist, and teams add
            # their secrets after the platform. Which secrets a pod mounts is the class's list below.
            self.role_assignment = assign_role(
                f"{name}-secrets-user",
                scope=args.vault_id,
                role=KEY_VAULT_SECRETS_USER,
                principal_id=self.identity.principal_id,
                subscription_id=context.subscription_id,
                parent=self,
            )
            self.secret_provider_class = k8s.apiextensions.CustomResource(
                f"{name}-secret-provider-class",
                api_version="secrets-store.csi.x-k8s.io/v1",
                kind="SecretProviderClass",
                metadata=self._meta(SECRET_PROVIDER_CLASS),
                spec=self._secret_provider_spec(args, tenant_id=context.tenant_id),
                # The CRD comes with the add-on, which the cluster resource installs.
                opts=pulumi.ResourceOptions(
                    parent=self, depends_on=[args.secrets_store_addon], deleted_with=args.secrets_store_addon
                ),
            )

        self.register_outputs({
            "namespace": self.namespace_name,
            "service_account": self.service_account.metadata.apply(lambda m: m.name),
            "client_id": self.identity.client_id,
        })

    def _meta(self, object_name: str, annotations: Mapping[str, pulumi.Input[str]] | None = None) -> ObjectMetaArgs:
        return ObjectMetaArgs(name=object_name, namespace=self.namespace_name, annotations=dict(annotations or {}) or None)

    def _secret_provider_spec(self, args: TeamNamespaceArgs, *, tenant_id: pulumi.Input[str]) -> dict:
        s = args.settings
        spec = {
            "provider": "azure",
            "parameters": {
                "usePodIdentity": "false",
                "clientID": self.identity.client_id,
                "keyvaultName": args.vault_name,
                "tenantId": tenant_id,
                "objects": key_vault_objects(s.key_vault_secrets),
            },
        }
        if s.sync_secret:
            # Kubernetes Secret is created while a pod mounts the class, and removed after the last one.
            spec["secretObjects"] = [{
                "secretName": SYNCED_SECRET,
                "type": "Opaque",
                "data": [{"objectName": secret, "key": secret} for secret in s.key_vault_secrets],
            }]
        return spec
