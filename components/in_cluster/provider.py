"""The Kubernetes provider of the in-cluster layer: Entra ID user credentials, signed in by kubelogin.

Local accounts are disabled on the cluster, so there are no admin credentials to fetch. AKS hands out
the user kubeconfig in exec format with `kubelogin get-token --login devicecode`, which would stop a
deployment to wait for a browser; the exec block is rewritten here for the chosen login mode, as
`kubelogin convert-kubeconfig -l <mode>` would, without needing the binary at plan time.
"""
from __future__ import annotations

import pulumi
import pulumi_kubernetes as k8s
import yaml

# The application ID of the "Azure Kubernetes Service AAD Server" app, the same in every tenant.
AKS_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630"


def _arg(args: list[str], flag: str) -> str | None:
    return args[args.index(flag) + 1] if flag in args[:-1] else None


def kubelogin_args(existing: list[str], mode: str, tenant_id: str) -> list[str]:
    """`kubelogin get-token` arguments for a login mode; the sign-in secrets come from the environment.

    - azurecli: the token of the deployer's `az login`.
    - workloadidentity: a federated token, from AZURE_CLIENT_ID, AZURE_TENANT_ID and
      AZURE_FEDERATED_TOKEN_FILE (CI runners and pods with workload identity).
    - spn: a service principal, from AAD_SERVICE_PRINCIPAL_CLIENT_ID and
      AAD_SERVICE_PRINCIPAL_CLIENT_SECRET (or AZURE_CLIENT_ID and AZURE_CLIENT_SECRET).

    AKS's `--client-id` (its own public client app) is dropped: for spn and workloadidentity it would
    take the place of the deployer's client ID.
    """
    args = ["get-token", "--login", mode, "--server-id", _arg(existing, "--server-id") or AKS_SERVER_APP_ID]
    if mode == "spn":
        args += ["--tenant-id", tenant_id, "--environment", _arg(existing, "--environment") or "AzurePublicCloud"]
    return args


def kubelogin_kubeconfig(kubeconfig: str, mode: str, tenant_id: str) -> str:
    """The AKS user kubeconfig with every kubelogin exec user switched to `mode`."""
    document = yaml.safe_load(kubeconfig)
    rewritten = 0
    for user in document.get("users") or []:
        exec_ = (user.get("user") or {}).get("exec") or {}
        if "kubelogin" in str(exec_.get("command", "")).lower():
            exec_["args"] = kubelogin_args(list(exec_.get("args") or []), mode, tenant_id)
            rewritten += 1
    if not rewritten:
        raise ValueError("the cluster's user kubeconfig has no kubelogin exec user to sign in with")
    return yaml.safe_dump(document, sort_keys=False)


def kubernetes_provider(
    name: str,
    *,
    user_kubeconfig: pulumi.Input[str],
    login_mode: str,
    tenant_id: pulumi.Input[str],
    cluster_id: pulumi.Input[str],
    parent: pulumi.Resource,
    cluster: pulumi.Resource,
    rights: pulumi.Resource,
) -> k8s.Provider:
    """A provider for the cluster; it waits for the cluster through the kubeconfig it is built from, and
    for `rights` (the deployer's Kubernetes rights, propagated), so no object meets a Forbidden.

    `cluster_identifier` is the cluster's ARM ID, so that only a different cluster replaces the
    provider (and with it every object it manages): a new login mode or server certificate does not.
    """
    kubeconfig = pulumi.Output.all(user_kubeconfig, tenant_id).apply(
        lambda values: kubelogin_kubeconfig(values[0], login_mode, values[1])
    )
    return k8s.Provider(
        name,
        kubeconfig=pulumi.Output.secret(kubeconfig),
        cluster_identifier=cluster_id,
        enable_server_side_apply=True,
        # Goes with the cluster it talks to; the objects it manages say so themselves.
        opts=pulumi.ResourceOptions(parent=parent, deleted_with=cluster, depends_on=[rights]),
    )
