"""GitOps policies: Flux fetches the cluster's desired state over an encrypted channel, and no credential
travels in a plain property."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from .framework import HIGH, Problem, resource_policy
from .props import get, is_unknown, show

FLUX_CONFIGURATION = "azure-native:kubernetesconfiguration:FluxConfiguration"
# Learn "GitOps (Flux v2) supported parameters" (https://learn.microsoft.com/azure/azure-arc/kubernetes/
# gitops-flux2-parameters): a Git source is `https://server/repo` or `ssh://user@server/repo`; a bucket
# without TLS is opted into with `--bucket-insecure`. HTTPS credentials go in httpsUser and the protected
# setting httpsKey, which Azure stores encrypted (Learn "Application deployments with GitOps (Flux v2)").
SECURE_SCHEMES = ("https", "ssh")


def _secure_source(props: Mapping, _config: Mapping) -> Iterable[Problem]:
    url = get(props, "gitRepository.url")
    if isinstance(url, str) and not is_unknown(url):
        parts = urlsplit(url)
        if parts.scheme.lower() not in SECURE_SCHEMES:
            yield ("gitRepository.url", f"is {show(url)}; want https:// or ssh:// (anything else fetches the "
                   "cluster's desired state, and any credential, unencrypted)")
        elif parts.password:
            yield ("gitRepository.url", "carries a password or token (https://user:token@...), readable by "
                   "anyone who can read the resource; want httpsUser and the protected setting httpsKey")
    insecure = get(props, "bucket.insecure")
    if insecure is True:
        yield ("bucket.insecure", "is true; want TLS to the bucket (absent means TLS)")


POLICIES = [
    resource_policy(
        name="flux-source-encrypted",
        checks={FLUX_CONFIGURATION: _secure_source},
        description="A Flux configuration fetches over https:// or ssh:// (never http:// or git://, never a "
                    "bucket without TLS), and its URL carries no token: the credential goes in the "
                    "protected settings.",
        severity=HIGH,
        remediation="set aks-platform:gitops.url to an https:// or ssh:// URL without credentials; a private "
                    "repository's token goes in aks-platform:gitopsSecret (set with --secret)"),
]
