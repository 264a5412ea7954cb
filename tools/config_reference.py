"""The config reference in docs/config.md, generated from the settings models and the per-environment defaults.

`python -m tools.docs --write` (`make docs`) writes it; a test keeps the file equal to `render()`, so a
new key cannot go undocumented.
"""
from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel

from facts.profiles import ENVIRONMENTS
from settings.defaults import defaults_for, namespace_defaults_for, nap_pool_defaults_for, pool_defaults_for
from settings.gitops import GitOpsSettings, KustomizationSettings
from settings.load import SECTIONS
from settings.model import KUBELOGIN_MODES, NamespaceSettings, NodePoolSettings
from settings.nap import NapPoolSettings

TOP_LEVEL = [
    ("environment", "`dev` \\| `staging` \\| `prod`, required: chooses the defaults below"),
    ("namePrefix", "2-10 lowercase letters and digits, starting with a letter; required"),
    ("tags", "map of tag names to strings, merged with `environment` and `managed-by: pulumi` onto every taggable resource"),
    ("protect", "protect the resource group, cluster, vault, workspace and registry from deletion"),
    ("inCluster", "deploy the in-cluster layer (namespaces, identities, policies); when false the offline plan still renders it"),
    ("kubeloginMode", " \\| ".join(f"`{m}`" for m in KUBELOGIN_MODES) + ": how the Kubernetes provider gets Entra ID tokens"),
    ("deployerObjectId", "Entra object ID of the identity that runs `pulumi up`, granted AKS RBAC Cluster Admin on the "
     "cluster for the in-cluster layer; default: whoever runs the program. Set it when previews run as a separate "
     "plan identity, so that they plan no change to the grant"),
    ("demo", "the Key Vault secret demo namespace and pod; refused in prod"),
    ("namespaces", "list of team namespaces, each with the `namespaces[]` keys below"),
    ("alertWebhooks", "map of receiver names to https:// URLs the alerts' action group calls; may be set with "
     "`--secret` (docs/metrics.md)"),
    ("napPools", "with `cluster.nodeProvisioning: auto`: list of node auto-provisioning pools (a Karpenter NodePool "
     "and AKSNodeClass each), each with the `napPools[]` keys below; docs/node-auto-provisioning.md"),
    ("gitops", "optional: Flux syncs the cluster from a Git repository, with the `gitops.` keys below "
     "(docs/gitops.md); absent: no Flux"),
    ("gitopsSecret", "optional credential of a private `gitops` repository: its HTTPS token or password (with "
     "`gitops.httpsUser`) or SSH private key (PEM); refused unless set with `pulumi config set --secret`"),
]


# How a field's type reads to an operator; the first matching name wins.
_TYPE_WORDS = (
    ("tuple[typing.Annotated[str, BeforeValidator(func=<function _guid", "list of Entra ID group object IDs"),
    ("tuple[typing.Annotated[str, BeforeValidator(func=<function _ip_or_cidr", "list of IPv4 addresses or CIDRs"),
    ("IPv4Network", "IPv4 CIDR"),
    ("IPv4Address", "IPv4 address"),
    ("StrictBool", "true \\| false"),
    ("bool", "true \\| false"),
    ("dict[str, str]", "map of strings"),
    ("tuple[str", "list of strings"),
    ("float", "number"),
    ("int", "integer"),
    ("str", "string"),
)


def _allowed(model: type[BaseModel], name: str) -> str:
    field = model.model_fields[name]
    if field.description:
        return field.description
    literals = [v for v in _literal_values(field.annotation)]
    if literals:
        text = " \\| ".join(f"`{v}`" for v in literals)
        return f"list of {text}" if typing.get_origin(field.annotation) is tuple else text
    spelled = str(field.annotation) + " " + " ".join(str(m) for m in field.metadata)
    text = next((words for needle, words in _TYPE_WORDS if needle in spelled), "object")
    bounds = [f">= {m.ge}" for m in field.metadata if getattr(m, "ge", None) is not None]
    bounds += [f"<= {m.le}" for m in field.metadata if getattr(m, "le", None) is not None]
    return text + (f" ({', '.join(bounds)})" if bounds else "")


def _literal_values(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return [v for arg in typing.get_args(annotation) for v in _literal_values(arg)]


def _value(value: Any) -> str:
    return "—" if value is None else f"`{json.dumps(value)}`"


def _rows(section: str, model: type[BaseModel], defaults: dict[str, dict]) -> list[str]:
    rows = []
    for name, field in model.model_fields.items():
        key = field.alias or name
        values = []
        for env in ENVIRONMENTS:
            value = defaults[env].get(key, None if field.is_required() else field.default)
            if isinstance(value, BaseModel):
                value = value.model_dump(by_alias=True)
            values.append(_value(value))
        rows.append(f"| `{section}.{key}` | {_allowed(model, name)} | " + " | ".join(values) + " |")
    return rows


def render() -> str:
    env_defaults = {env: defaults_for(env) for env in ENVIRONMENTS}
    header = "| Key | Allowed | " + " | ".join(ENVIRONMENTS) + " |\n|---|---|" + "---|" * len(ENVIRONMENTS)
    lines = [header]
    for key, allowed in TOP_LEVEL:
        lines.append(f"| `{key}` | {allowed} | " + " | ".join(_value(env_defaults[e].get(key)) for e in ENVIRONMENTS) + " |")
    for section, model in SECTIONS.items():
        lines += _rows(section, model, {e: env_defaults[e].get(section, {}) for e in ENVIRONMENTS})
    pool_defaults = {e: pool_defaults_for(e) for e in ENVIRONMENTS}
    lines += _rows("nodePools[]", NodePoolSettings, pool_defaults)
    lines += _rows("namespaces[]", NamespaceSettings, {e: namespace_defaults_for(e) for e in ENVIRONMENTS})
    lines += _rows("napPools[]", NapPoolSettings, {e: nap_pool_defaults_for(e) for e in ENVIRONMENTS})
    lines += _rows("gitops", GitOpsSettings, {e: {} for e in ENVIRONMENTS})
    lines += _rows("gitops.kustomizations[]", KustomizationSettings, {e: {} for e in ENVIRONMENTS})
    lines.append("")
    lines.append("Default `nodePools` (a stack's list replaces it whole):")
    lines.append("")
    for env in ENVIRONMENTS:
        lines.append(f"- {env}: `{json.dumps(env_defaults[env]['nodePools'])}`")
    lines += ["", "Default `napPools`, used with `cluster.nodeProvisioning: auto` (a stack's list replaces it whole):", ""]
    for env in ENVIRONMENTS:
        lines.append(f"- {env}: `{json.dumps(env_defaults[env]['napPools'])}`")
    return "\n".join(lines) + "\n"
