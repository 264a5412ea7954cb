"""GitOps with Flux (`aks-platform:gitops`, docs/gitops.md): the Git repository a cluster syncs from.

Optional: without the section a cluster gets no Flux. The credential of a private repository is never in
this section: it is the separate key `aks-platform:gitopsSecret`, set with `pulumi config set --secret`
(settings.load refuses it in plain text), or a Kubernetes secret on the cluster (`localAuthSecret`),
e.g. synced from Key Vault. Parameters and their defaults: Learn "GitOps (Flux v2) supported parameters"
(https://learn.microsoft.com/azure/azure-arc/kubernetes/gitops-flux2-parameters).
"""
from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Optional
from urllib.parse import urlsplit

from pydantic import AfterValidator, Field, StrictBool, field_validator, model_validator

from .model import Section, _dns_label

# Flux takes intervals in Go's duration format (Learn page above); the ARM API takes whole seconds, so
# the settings accept the hour, minute and second units only, e.g. 10m, 1h30m, 90s.
INTERVAL = re.compile(r"^(?:(?P<h>[0-9]+)h)?(?:(?P<m>[0-9]+)m)?(?:(?P<s>[0-9]+)s)?$")
# Azure's default for the source's and each kustomization's sync interval (Learn page above: `10m`).
DEFAULT_INTERVAL = "10m"
# Git's own rules for a branch name (https://git-scm.com/docs/git-check-ref-format), in short.
BRANCH = re.compile(r"^(?!/|-)(?!.*(?:\.\.|//|@\{|\.lock$|/$|\.$))[^\s~^:?*\[\\\x00-\x1f\x7f]+$")


def interval_seconds(value: str) -> int:
    """`1h30m` -> 5400."""
    match = INTERVAL.match(value)
    return int(match["h"] or 0) * 3600 + int(match["m"] or 0) * 60 + int(match["s"] or 0)


def _interval(value: str) -> str:
    if not value or not INTERVAL.match(value) or interval_seconds(value) == 0:
        raise ValueError("must be a positive duration in hours, minutes and seconds such as 10m, 1h30m or 90s")
    return value


Interval = Annotated[str, AfterValidator(_interval)]


def _repository_url(value: str) -> str:
    """https:// or ssh:// with a host and a repository path (Learn page above: `https://server/repo` and
    `ssh://user@server/repo`)."""
    parts = urlsplit(value)
    if parts.scheme == "http":
        raise ValueError("http:// sends the repository, and any credential, in plain text; use https:// or ssh://")
    if parts.scheme not in ("https", "ssh"):
        hint = " (write git@host:org/repo as ssh://git@host/org/repo)" if re.match(r"^[^/:]+@[^/:]+:", value) else ""
        raise ValueError(f"must be an https:// or ssh:// URL of the repository{hint}")
    if not parts.hostname or parts.path.strip("/") == "" or any(c.isspace() for c in value):
        raise ValueError("must name a host and a repository, such as https://github.com/org/repo")
    if parts.scheme == "https" and (parts.username or parts.password):
        raise ValueError("must not carry a user or token (https://user:token@...): that puts the credential in "
                         "the stack file; use httpsUser and the secret key gitopsSecret")
    return value


def _base64(value: str) -> str:
    try:
        base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("must be base64-encoded (e.g. `base64 -w0 known_hosts`)") from None
    return value


class KustomizationSettings(Section):
    """One Flux Kustomization: a path of the repository applied to the cluster."""

    name: str = Field(description="1-63 lowercase letters, digits and hyphens; unique in the list")
    path: str = Field(min_length=1, description="the path in the repository, such as ./infrastructure")
    # Learn: "Default is false"; true removes from the cluster what was removed from the repository.
    prune: StrictBool = False
    interval: Interval = Field(default=DEFAULT_INTERVAL, description="how often Flux re-applies the path, such "
                               "as 10m (default 10m)")
    depends_on: tuple[str, ...] = Field(default=(), description="names of kustomizations of this list that must be "
                                        "ready first")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        # Each becomes a Flux Kustomization object on the cluster, so a Kubernetes name part.
        return _dns_label(value, "kustomization name")

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        if any(c.isspace() for c in value) or "://" in value:
            raise ValueError("must be a path inside the repository, such as ./apps/staging")
        return value


class GitOpsSettings(Section):
    """The Flux extension and one Flux configuration: a Git repository and the paths applied from it."""

    url: Annotated[str, AfterValidator(_repository_url)] = Field(
        description="the repository, https://host/org/repo or ssh://git@host/org/repo (http:// is refused)")
    branch: str = Field(description="the branch to sync, such as main")
    sync_interval: Interval = Field(default=DEFAULT_INTERVAL, description="how often Flux fetches the repository, "
                                    "such as 5m (default 10m)")
    namespace: str = Field(default="cluster-config", description="the namespace of the Flux configuration's "
                           "objects (default cluster-config)")
    kustomizations: tuple[KustomizationSettings, ...] = Field(
        description="list of objects: `name`, `path`, `prune`, `interval`, `dependsOn`")
    https_user: Optional[str] = Field(default=None, description="the user for an https:// repository; its token or "
                                      "password is the secret key `gitopsSecret`")
    ssh_known_hosts: Optional[Annotated[str, AfterValidator(_base64)]] = Field(
        default=None, description="base64 known_hosts of an ssh:// host that Flux does not know already")
    local_auth_secret: Optional[str] = Field(
        default=None, description="a Kubernetes secret in `namespace` holding the credential (username and password, "
        "or identity and known_hosts), e.g. synced from Key Vault; instead of httpsUser and gitopsSecret")

    @field_validator("branch")
    @classmethod
    def _branch(cls, value: str) -> str:
        if not BRANCH.match(value):
            raise ValueError("must be a Git branch name, such as main (git check-ref-format)")
        return value

    @field_validator("namespace", "local_auth_secret")
    @classmethod
    def _names(cls, value: str | None) -> str | None:
        return value if value is None else _dns_label(value, "Kubernetes name")

    @field_validator("kustomizations")
    @classmethod
    def _some_kustomization(cls, value: tuple[KustomizationSettings, ...]) -> tuple[KustomizationSettings, ...]:
        if not value:
            raise ValueError("needs at least one kustomization: a path of the repository to apply")
        return value

    @model_validator(mode="after")
    def _kustomization_graph(self) -> "GitOpsSettings":
        names = [k.name for k in self.kustomizations]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"kustomization names must be unique: {', '.join(twice)} listed more than once")
        for k in self.kustomizations:
            for dependency in k.depends_on:
                if dependency == k.name:
                    raise ValueError(f"kustomization {k.name} depends on itself")
                if dependency not in names:
                    raise ValueError(f"kustomization {k.name}: dependsOn {dependency!r} is not a kustomization of "
                                     f"this list ({', '.join(names)})")
        if cycle := _cycle({k.name: k.depends_on for k in self.kustomizations}):
            # Flux would wait forever: each one's dependency never becomes ready.
            raise ValueError(f"kustomizations: dependsOn forms a cycle: {' -> '.join(cycle)}")
        return self

    @model_validator(mode="after")
    def _auth_fits_the_scheme(self) -> "GitOpsSettings":
        if self.ssh and self.https_user is not None:
            raise ValueError("httpsUser is for https:// repositories; an ssh:// repository authenticates with the "
                             "private key in gitopsSecret (or a key Flux generates)")
        if not self.ssh and self.ssh_known_hosts is not None:
            raise ValueError("sshKnownHosts is for ssh:// repositories only")
        if self.local_auth_secret and (self.https_user or self.ssh_known_hosts):
            raise ValueError("localAuthSecret holds the whole credential; remove httpsUser and sshKnownHosts")
        return self

    @property
    def ssh(self) -> bool:
        return self.url.startswith("ssh://")


def _cycle(depends_on: dict[str, tuple[str, ...]]) -> list[str] | None:
    """One dependency cycle as names (first name repeated at the end), or None."""
    def walk(name: str, path: list[str]) -> list[str] | None:
        if name in path:
            return [*path[path.index(name):], name]
        return next((c for d in depends_on[name] if (c := walk(d, [*path, name]))), None)

    return next((c for name in depends_on if (c := walk(name, []))), None)

