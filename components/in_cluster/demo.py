"""The Key Vault demo (`demo: true`, never in prod): a secret written to the vault shows up in a pod."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pulumi
import pulumi_kubernetes as k8s
from pulumi_azure_native import keyvault
from pulumi_kubernetes.core.v1 import (
    CapabilitiesArgs,
    ContainerArgs,
    CSIVolumeSourceArgs,
    ExecActionArgs,
    PodSecurityContextArgs,
    PodSpecArgs,
    ProbeArgs,
    ResourceRequirementsArgs,
    SeccompProfileArgs,
    SecurityContextArgs,
    VolumeArgs,
    VolumeMountArgs,
)
from pulumi_kubernetes.meta.v1 import ObjectMetaArgs

from ..context import StackContext
from .team_namespace import SECRET_PROVIDER_CLASS, TeamNamespace, TeamNamespaceArgs

# Pinned by digest, so the pod runs exactly the image reviewed (checkov CKV_K8S_43). The digest is the one
# Azure/cluster-health-monitor pins for this tag (test/e2e/gpu_test.go and test/e2e/testdata/gpu-sim.Dockerfile,
# https://github.com/Azure/cluster-health-monitor); not read from registry.k8s.io itself here (no network).
IMAGE = ("registry.k8s.io/e2e-test-images/busybox:1.29-4"
         "@sha256:2e0f836850e09b8b7cc937681d6194537a09fbd5f6b9e08f4d646a85128e8937")
MOUNT_PATH = "/mnt/secrets-store"
GREETING = "Hello from Key Vault: read in a pod by the Secrets Store CSI driver, with no stored credential."


@dataclass(frozen=True)
class KeyVaultDemoArgs:
    # The demo's namespace; the vault it names (in the platform's resource group) gets the demo secret.
    namespace: TeamNamespaceArgs
    # What gives the pod a node to run on (the User pools; the System pool is tainted for add-ons).
    workload_nodes: Sequence[pulumi.Resource] = ()


class KeyVaultDemo(pulumi.ComponentResource):
    """A sample secret in the vault, a team namespace that may read it, and an unprivileged pod that
    mounts it at /mnt/secrets-store: `kubectl exec -n kv-demo kv-demo -- cat /mnt/secrets-store/demo-greeting`.
    """

    def __init__(
        self, name: str, context: StackContext, args: KeyVaultDemoArgs, opts: pulumi.ResourceOptions | None = None
    ):
        super().__init__("aks-platform:kubernetes:KeyVaultDemo", name, None, opts)
        ns = args.namespace.settings
        (secret_name,) = ns.key_vault_secrets
        self.secret = keyvault.Secret(
            f"{name}-secret",
            resource_group_name=context.resource_group_name,
            vault_name=args.namespace.vault_name,
            secret_name=secret_name,
            properties=keyvault.SecretPropertiesArgs(value=GREETING, content_type="text/plain"),
            tags=dict(context.tags),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.namespace = TeamNamespace(
            f"{name}-namespace", context, replace(args.namespace, provided_secrets={secret_name: self.secret}),
            opts=pulumi.ResourceOptions(parent=self),
        )
        limits = ns.container_defaults
        # Ready, and alive, while the secret is mounted and not empty: what the demo shows. One probe for both
        # (checkov CKV_K8S_8, CKV_K8S_9): a pod that lost its mount is restarted, which remounts it.
        secret_mounted = ProbeArgs(exec_=ExecActionArgs(command=["/bin/sh", "-c", f"test -s {MOUNT_PATH}/{secret_name}"]))
        self.pod = k8s.core.v1.Pod(
            f"{name}-pod",
            metadata=ObjectMetaArgs(
                name=ns.name,
                namespace=self.namespace.namespace_name,
                # The workload identity webhook gives the pod the identity of its service account.
                labels={"app": ns.name, "azure.workload.identity/use": "true"},
            ),
            spec=PodSpecArgs(
                service_account_name=self.namespace.service_account.metadata.apply(lambda m: m.name),
                automount_service_account_token=False,
                termination_grace_period_seconds=5,
                security_context=PodSecurityContextArgs(
                    run_as_non_root=True, run_as_user=65534, run_as_group=65534,
                    seccomp_profile=SeccompProfileArgs(type="RuntimeDefault"),
                ),
                containers=[ContainerArgs(
                    name="reader",
                    image=IMAGE,
                    # The kubelet asks the registry on every container start, so a copy cached on the node is used
                    # only once the registry has said this pod may pull it (checkov CKV_K8S_15;
                    # https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy).
                    image_pull_policy="Always",
                    command=["/bin/sh", "-c", f"cat {MOUNT_PATH}/{secret_name}; echo; while true; do sleep 3600; done"],
                    resources=ResourceRequirementsArgs(
                        requests={"cpu": limits.cpu_request, "memory": limits.memory_request},
                        limits={"cpu": limits.cpu_request, "memory": limits.memory_request},
                    ),
                    security_context=SecurityContextArgs(
                        allow_privilege_escalation=False,
                        read_only_root_filesystem=True,
                        capabilities=CapabilitiesArgs(drop=["ALL"]),
                    ),
                    readiness_probe=secret_mounted,
                    liveness_probe=secret_mounted,
                    volume_mounts=[VolumeMountArgs(name="secrets-store", mount_path=MOUNT_PATH, read_only=True)],
                )],
                volumes=[VolumeArgs(
                    name="secrets-store",
                    csi=CSIVolumeSourceArgs(
                        driver="secrets-store.csi.k8s.io",
                        read_only=True,
                        volume_attributes={"secretProviderClass": SECRET_PROVIDER_CLASS},
                    ),
                )],
            ),
            # The mount fails until the class and the secret exist, the identity may read the secret and
            # trusts the service account, and a User pool has a node for the pod: none is an input of the pod.
            # Dies with the cluster (`secrets_store_addon` is the ManagedCluster): no delete call on destroy.
            opts=pulumi.ResourceOptions(parent=self, deleted_with=args.namespace.secrets_store_addon, depends_on=[
                self.namespace.secret_provider_class,
                self.secret,
                *self.namespace.secret_grants,
                self.namespace.federated_credential,
                *args.workload_nodes,
            ]),
        )
        self.register_outputs({"namespace": self.namespace.namespace_name, "pod": self.pod.metadata.apply(lambda m: m.name)})
