"""One team namespace: isolated, bounded, and able to read its Key Vault secrets without a stored credential."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_kubernetes as k8s
from pulumi_azure_native import authorization, keyvault, managedidentity
from pulumi_kubernetes.core.v1 import (
    LimitRangeItemArgs,
    LimitRangeSpecArgs,
    ResourceQuotaSpecArgs,
)
from pulumi_kubernetes.meta.v1 import LabelSelectorArgs, ObjectMetaArgs
from pulumi_kubernetes.networking.v1 import (
    IPBlockArgs,
    NetworkPolicyEgressRuleArgs,
    NetworkPolicyIngressRuleArgs,
    NetworkPolicyPeerArgs,
    NetworkPolicyPortArgs,
    NetworkPolicySpecArgs,
)

from facts.azure import AKS_RBAC_ADMIN, AKS_RBAC_READER, AKS_RBAC_WRITER, KEY_VAULT_SECRETS_USER
from settings import NamespaceSettings

from ..context import StackContext
from ..roles import assign_role

# The audience Entra ID expects in a Kubernetes service account token it exchanges for its own.
TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange"
CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id"
SECRET_PROVIDER_CLASS = "key-vault-secrets"
# The Kubernetes Secret the Key Vault secrets are copied to when the namespace asks (syncSecret).
SYNCED_SECRET = "key-vault-secrets"
# The value a listed secret is created with, until the team sets its own (`az keyvault secret set`).
PLACEHOLDER_VALUE = "placeholder: set the real value with az keyvault secret set"
# The label Kubernetes puts on every namespace, naming it: what a NetworkPolicy selects a namespace by.
NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"
# `namespaces[].groups` key -> the AKS Azure RBAC role its groups get on the namespace.
GROUP_ROLES = {"reader": AKS_RBAC_READER, "writer": AKS_RBAC_WRITER, "admin": AKS_RBAC_ADMIN}


@dataclass(frozen=True)
class TeamNamespaceArgs:
    settings: NamespaceSettings
    # The cluster's OIDC issuer: Entra ID trusts service account tokens signed by it.
    oidc_issuer_url: pulumi.Input[str]
    vault_name: pulumi.Input[str]
    # What installs the SecretProviderClass CRD: the cluster with its Key Vault secrets provider add-on.
    secrets_store_addon: pulumi.Resource
    # The cluster's ARM id: the team's groups get their roles on `<cluster id>/namespaces/<name>`.
    cluster_id: pulumi.Input[str]
    # The namespaces whose allowFrom names this one: its pods may send to them (they admit the traffic).
    reaches: tuple[str, ...] = ()
    # Listed secrets the caller creates itself (the demo, with its value); the others get a placeholder.
    provided_secrets: Mapping[str, keyvault.Secret] = field(default_factory=dict)


def pod_security_labels(level: str) -> dict[str, str]:
    """Pod Security Admission enforces `level`, and audits and warns at the same level."""
    return {f"pod-security.kubernetes.io/{mode}": level for mode in ("enforce", "audit", "warn")}


def namespace_selector(namespace: str) -> NetworkPolicyPeerArgs:
    """A NetworkPolicy peer: every pod of one namespace."""
    return NetworkPolicyPeerArgs(namespace_selector=LabelSelectorArgs(match_labels={NAMESPACE_NAME_LABEL: namespace}))


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
    - NetworkPolicies that deny all traffic in and out except DNS to kube-system, then admit what the
      settings declare: pods of the `allowFrom` namespaces in, the `egress` CIDRs and the namespaces that
      admit this one out;
    - a user-assigned identity federated with the namespace's service account (workload identity),
      granted Key Vault Secrets User on each of the namespace's secrets (never the vault), each secret
      created with a placeholder value the team replaces, and a SecretProviderClass that mounts them
      with that identity (only when the namespace lists secrets);
    - the `groups` given AKS RBAC Reader, Writer or Admin on this namespace only.

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
                        namespace_selector=LabelSelectorArgs(match_labels={NAMESPACE_NAME_LABEL: "kube-system"}),
                        pod_selector=LabelSelectorArgs(match_labels={"k8s-app": "kube-dns"}),
                    )],
                    ports=[NetworkPolicyPortArgs(protocol=p, port=53) for p in ("UDP", "TCP")],
                )],
            ),
            opts=dies_with_cluster,
        )
        # What a namespace declares it may receive or send; each an allow on top of the default deny. The
        # allow-to half of an allowFrom: without it the sender's own default deny stops the traffic at the source.
        from_namespaces = [namespace_selector(n) for n in s.allow_from]
        to_namespaces = [namespace_selector(n) for n in args.reaches]
        to_cidrs = [NetworkPolicyPeerArgs(ip_block=IPBlockArgs(cidr=str(cidr))) for cidr in s.egress]
        self.allow_from = self._allow(name, "allow-from", "allow-from-namespaces", dies_with_cluster,
                                      ingress=[NetworkPolicyIngressRuleArgs(from_=from_namespaces)] if from_namespaces else None)
        self.allow_to = self._allow(name, "allow-to", "allow-to-namespaces", dies_with_cluster,
                                    egress=[NetworkPolicyEgressRuleArgs(to=to_namespaces)] if to_namespaces else None)
        self.allow_egress = self._allow(name, "allow-egress", "allow-egress", dies_with_cluster,
                                        egress=[NetworkPolicyEgressRuleArgs(to=to_cidrs)] if to_cidrs else None)

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

        self.secrets = {
            secret: args.provided_secrets.get(secret)
            or self._placeholder_secret(f"{name}-secret-{secret}", secret, args, context)
            for secret in s.key_vault_secrets
        }
        # On each secret, never the vault, so that no team reads another's secrets in the shared vault: Key Vault
        # with Azure RBAC takes a secret as a scope ("Secret scope role assignment",
        # https://learn.microsoft.com/azure/key-vault/general/rbac-guide#secret-scope-role-assignment). The scope
        # must exist, hence the secret above; the assignment takes its id, so it is created after it.
        self.secret_grants = [
            assign_role(
                f"{name}-secrets-user-{secret_name}",
                scope=secret.id,
                role=KEY_VAULT_SECRETS_USER,
                principal_id=self.identity.principal_id,
                subscription_id=context.subscription_id,
                parent=self,
            )
            for secret_name, secret in self.secrets.items()
        ]
        namespace_scope = pulumi.Output.concat(args.cluster_id, "/namespaces/", s.name)
        self.group_grants = [
            assign_role(
                f"{name}-{key}-{group}",
                scope=namespace_scope,
                role=role,
                principal_id=group,
                subscription_id=context.subscription_id,
                parent=self,
                principal_type=authorization.PrincipalType.GROUP,
            )
            for key, role in GROUP_ROLES.items() for group in getattr(s.groups, key)
        ]

        self.secret_provider_class = None
        if s.key_vault_secrets:
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

    def _placeholder_secret(
        self, logical_name: str, secret_name: str, args: TeamNamespaceArgs, context: StackContext
    ) -> keyvault.Secret:
        """The secret, so that it can be a role assignment's scope; its value is the team's to set.

        Properties and tags are ignored after creation: an update is a PUT of the whole secret, value
        included, which would write the placeholder over the team's value. Protected where the stack
        protects its data (prod): dropping it from the list must not delete the team's value unnoticed.
        """
        return keyvault.Secret(
            logical_name,
            resource_group_name=context.resource_group_name,
            vault_name=args.vault_name,
            secret_name=secret_name,
            properties=keyvault.SecretPropertiesArgs(value=PLACEHOLDER_VALUE, content_type="text/plain"),
            tags=dict(context.tags),
            opts=pulumi.ResourceOptions(parent=self, ignore_changes=["properties", "tags"], protect=context.protect),
        )

    def _allow(
        self, name: str, suffix: str, policy_name: str, opts: pulumi.ResourceOptions, *,
        ingress: list[NetworkPolicyIngressRuleArgs] | None = None, egress: list[NetworkPolicyEgressRuleArgs] | None = None,
    ) -> k8s.networking.v1.NetworkPolicy | None:
        """A NetworkPolicy over every pod of the namespace that allows `ingress` or `egress`; None when there is
        nothing to allow."""
        if not ingress and not egress:
            return None
        return k8s.networking.v1.NetworkPolicy(
            f"{name}-{suffix}",
            metadata=self._meta(policy_name),
            spec=NetworkPolicySpecArgs(
                pod_selector=LabelSelectorArgs(),
                policy_types=["Ingress"] if ingress else ["Egress"],
                ingress=ingress,
                egress=egress,
            ),
            opts=opts,
        )

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
