"""The one place stack config is read: raw config in, frozen validated `PlatformSettings` out.

`parse` is pure (a mapping of config keys to values), so every rule is testable without Pulumi;
`from_pulumi_config` feeds it the running stack's config. Every problem is collected and raised
together as one `ConfigError` before any resource is registered.
"""
from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlparse

import pulumi
from pydantic import BaseModel, ValidationError

from facts.azure import CLUSTER_MINOR_CHANNELS, GRAFANA_PREVIEW_SKUS
from facts.profiles import ENVIRONMENTS, PROFILES
from sdk_shim.pulumi_sdk import config_keys

from . import preflight, profile
from .defaults import defaults_for, merge, namespace_defaults_for, nap_pool_defaults_for, pool_defaults_for
from .errors import NAMESPACE, ConfigError, key_path, show, unknown_key
from .gitops import GitOpsSettings
from .model import (
    DEMO_NAMESPACE,
    BackupSettings,
    DEMO_SECRET,
    KUBELOGIN_MODES,
    AlertsSettings,
    ClusterSettings,
    FleetSettings,
    InClusterSettings,
    KeyVaultSettings,
    MetricsSettings,
    MonitoringSettings,
    NamespaceSettings,
    NetworkSettings,
    NodePoolSettings,
    RegistrySettings,
)
from .nap import NapPoolSettings
from .types import is_guid

LOCATION_KEY = "azure-native:location"
NAME_PREFIX = re.compile(r"^[a-z][a-z0-9]{1,9}$")
TAG_KEY = re.compile(r"^[^<>%&\\?/]{1,512}$")

SECTIONS: dict[str, type[BaseModel]] = {
    "network": NetworkSettings,
    "cluster": ClusterSettings,
    "keyVault": KeyVaultSettings,
    "monitoring": MonitoringSettings,
    "registry": RegistrySettings,
    "metrics": MetricsSettings,
    "alerts": AlertsSettings,
    "backup": BackupSettings,
    "fleet": FleetSettings,
}
TOP_LEVEL_KEYS = (
    "environment", "namePrefix", "tags", "protect", "nodePools", *SECTIONS,
    "inCluster", "kubeloginMode", "deployerObjectId", "demo", "namespaces", "alertWebhooks", "napPools",
    "gitops", "gitopsSecret",
)

# Set by the offline engine (offline/engine.py `render`), never in a stack file: render the in-cluster
# layer even with inCluster: false, so reviewers see it in the offline plan. The program does not ask
# which engine runs it: with this key set, `pulumi up` would deploy the layer just as the plan shows it.
# Outside the aks-platform namespace: it is an option of the review, not a setting of the platform.
RENDER_IN_CLUSTER_KEY = "offline:renderInCluster"

# Settings whose values reach resources unchanged, so a value set with `--secret` can stay a secret
# (an Output marked secret) all the way into the resource inputs. Every other setting shapes names,
# addresses, sizes or choices, which end up in URNs, IDs and plain properties: as a secret it is refused.
MAY_BE_SECRET = ("tags", "alertWebhooks", "gitopsSecret")
# Settings that are credentials: refused unless set with `--secret` (never plain text in a stack file).
MUST_BE_SECRET = ("gitopsSecret",)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class PlatformSettings:
    """Everything one stack deploys, validated. Components take parts of this, never raw config."""

    environment: str
    name_prefix: str
    location: str
    tags: Mapping[str, pulumi.Input[str]]  # the user's values are secret Outputs when the key is secret
    protect: bool
    network: NetworkSettings
    cluster: ClusterSettings
    node_pools: tuple[NodePoolSettings, ...]
    key_vault: KeyVaultSettings
    monitoring: MonitoringSettings
    registry: RegistrySettings
    in_cluster: InClusterSettings
    metrics: MetricsSettings
    alerts: AlertsSettings
    # Receiver name -> https URL of the alerts' webhooks; the URLs are secret Outputs when the key is secret.
    alert_webhooks: Mapping[str, pulumi.Input[str]]
    backup: BackupSettings
    # The fleet the cluster joins, if any (docs/fleet.md).
    fleet: FleetSettings
    # Problems that do not stop a deploy but that the user should see (e.g. a VM size whose ephemeral
    # OS disk could not be checked); the program logs each with pulumi.log.warn.
    warnings: tuple[str, ...] = ()
    # The offline plan's request to render the in-cluster layer even when it is off (RENDER_IN_CLUSTER_KEY).
    render_in_cluster_for_review: bool = False
    # The Karpenter pools the in-cluster layer deploys; empty unless cluster.nodeProvisioning is auto.
    nap_pools: tuple[NapPoolSettings, ...] = ()
    # Flux (`gitops`), None when the stack has none; the private repository's credential (`gitopsSecret`),
    # a secret Output in a Pulumi run, None for a public repository or a localAuthSecret.
    gitops: GitOpsSettings | None = None
    gitops_secret: pulumi.Input[str] | None = None

    @property
    def system_pool(self) -> NodePoolSettings:
        """The pool defined inline in the cluster (the first System pool, which the preflight makes
        sure is a Linux pool that is not spot)."""
        return next(p for p in self.node_pools if p.mode == "System")

    @property
    def agent_pools(self) -> tuple[NodePoolSettings, ...]:
        """Every other pool: each becomes its own AgentPool resource."""
        system = self.system_pool
        return tuple(p for p in self.node_pools if p is not system)

    @property
    def channel_moves_minor(self) -> bool:
        """A channel, not the stack file, moves the Kubernetes minor version: the cluster's stable or rapid
        channel, or a fleet that upgrades Kubernetes. The stack's version then only seeds a new cluster
        (docs/upgrades.md, "Re-runs never fight an upgrade")."""
        return self.cluster.upgrade_channel in CLUSTER_MINOR_CHANNELS or self.fleet.upgrades_kubernetes()

    @property
    def stem(self) -> str:
        """`<prefix>-<environment>`: the middle of every resource name."""
        return f"{self.name_prefix}-{self.environment}"


def parse(raw: Mapping[str, Any], location: str | None) -> PlatformSettings:
    """Validate a stack's `aks-platform:` config (keys without the namespace) and the region."""
    problems: list[str] = []

    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            problems.append(unknown_key(NAMESPACE, key, TOP_LEVEL_KEYS))

    environment = raw.get("environment")
    if environment not in ENVIRONMENTS:
        got = "missing" if environment is None else f"got {show(environment)}"
        problems.append(f"{NAMESPACE}:environment: required, one of {', '.join(ENVIRONMENTS)} ({got})")
        environment = "dev"  # keep validating the rest against some defaults, to report everything now

    if not location:
        problems.append(f"{LOCATION_KEY}: required, the Azure region to deploy to (for example westeurope)")

    config = merge(defaults_for(environment, raw), {k: v for k, v in raw.items() if k in TOP_LEVEL_KEYS})
    config = _alerts_follow_metrics(config)

    name_prefix = config.get("namePrefix")
    if not isinstance(name_prefix, str) or not NAME_PREFIX.match(name_prefix):
        problems.append(
            f"{NAMESPACE}:namePrefix: 2-10 lowercase letters and digits, starting with a letter "
            f"({'missing' if name_prefix is None else 'got ' + show(name_prefix)})"
        )
    tags = _tags(config.get("tags"), problems)
    protect = config.get("protect")
    if not isinstance(protect, bool):
        problems.append(f"{NAMESPACE}:protect: true or false (got {show(protect)})")

    sections = {name: _section(name, model, config.get(name), problems) for name, model in SECTIONS.items()}
    raw_pools = config.get("nodePools")
    pools = _node_pools(raw_pools, environment, problems)
    every_pool_valid = isinstance(raw_pools, list) and len(pools) == len(raw_pools)
    in_cluster = _in_cluster(config, environment, problems)
    webhooks = _alert_webhooks(config.get("alertWebhooks"), problems)
    nap_pools = _nap_pools(raw, config.get("napPools"), sections["cluster"], environment, problems)
    gitops = _gitops(config.get("gitops"), config.get("gitopsSecret"), problems)

    problems.extend(_cross_checks(sections))
    problems.extend(profile.problems(PROFILES[environment], sections, pools))
    problems.extend(preflight.problems(sections["network"], sections["cluster"], pools, every_pool_valid))
    problems.extend(preflight.node_auto_provisioning(sections["network"], sections["cluster"], pools))
    if sections["backup"] is not None:
        problems.extend(preflight.backup_extension_nodes(sections["backup"], pools))
    if sections["network"] is not None:
        problems.extend(preflight.api_server_vnet_integration_region(sections["network"], location))
    problems.extend(_replica_in_home_region(sections["registry"], location))
    if sections["fleet"] is not None and sections["cluster"] is not None:
        problems.extend(preflight.fleet_member(sections["fleet"], sections["cluster"]))
    if problems:
        raise ConfigError(problems)

    return PlatformSettings(
        environment=environment,
        name_prefix=name_prefix,
        location=location,
        tags={**tags, "environment": environment, "managed-by": "pulumi"},
        protect=protect,
        network=sections["network"],
        cluster=sections["cluster"],
        node_pools=tuple(pools.values()),
        key_vault=sections["keyVault"],
        monitoring=sections["monitoring"],
        registry=sections["registry"],
        in_cluster=in_cluster,
        metrics=sections["metrics"],
        alerts=sections["alerts"],
        alert_webhooks=webhooks,
        backup=sections["backup"],
        warnings=(*preflight.warnings(pools, sections["network"], sections["cluster"], in_cluster.enabled),
                  *_metrics_warnings(sections["metrics"], sections["alerts"], webhooks)),
        nap_pools=nap_pools,
        gitops=gitops,
        gitops_secret=config.get("gitopsSecret") if gitops else None,
        fleet=sections["fleet"],
    )


def from_pulumi_config() -> PlatformSettings:
    """Settings of the running stack, from every `aks-platform:*` key set in its config.

    Values are read through Pulumi's public config API (`pulumi.Config`, `is_config_secret`); only the
    list of key names comes from the SDK's config table (sdk_shim), for the unknown-key check.

    Secret config stays secret: a key set with `pulumi config set --secret` is validated like any
    other, but its values reach resources as Outputs marked secret (the SDK then sends the whole input
    property holding one, e.g. `tags`, as a secret, which the CLI encrypts in the state and masks in its
    output), and error messages about it never quote them. Only the MAY_BE_SECRET keys may be secret;
    any other key set as a secret is refused before its value is read.
    """
    config = pulumi.Config(NAMESPACE)
    prefix = f"{NAMESPACE}:"
    keys = sorted(key[len(prefix):] for key in config_keys() if key.startswith(prefix))
    secret = [key for key in keys if pulumi.runtime.is_config_secret(config.full_key(key))]
    refused = [key for key in secret if key not in MAY_BE_SECRET]
    plain_credentials = [key for key in MUST_BE_SECRET if key in keys and key not in secret]
    if plain_credentials:
        raise ConfigError([
            f"{NAMESPACE}:{key}: a credential must not be plain text in the stack file; set it with "
            f"`pulumi config set --secret {NAMESPACE}:{key} <value>` (value not shown)"
            for key in plain_credentials
        ])
    if refused:
        raise ConfigError([
            f"{NAMESPACE}:{key}: cannot be a secret: it shapes resource names, addresses or settings that "
            f"Pulumi shows in plain text; set it without --secret (only {', '.join(MAY_BE_SECRET)} may be secret)"
            for key in refused
        ])
    # A credential is text as given (a numeric token must not turn into a number).
    raw = {key: config.get(key) if key in MUST_BE_SECRET else _decode(config.get(key)) for key in keys}
    review, problems = _render_in_cluster_for_review(), []
    if not isinstance(review, bool):
        problems.append(f"{RENDER_IN_CLUSTER_KEY}: true or false, set by the offline plan only (got {show(review)})")
    try:
        settings = parse(raw, pulumi.Config("azure-native").get("location"))
    except ConfigError as err:
        problems = [*err.problems, *problems]
    if problems:
        raise ConfigError([_without_secret_values(problem, secret) for problem in problems])
    if "tags" in secret:
        secret_tags = {name: pulumi.Output.secret(settings.tags[name]) for name in raw["tags"]}
        settings = dataclasses.replace(settings, tags={**settings.tags, **secret_tags})
    if "alertWebhooks" in secret:
        settings = dataclasses.replace(settings, alert_webhooks={
            name: pulumi.Output.secret(url) for name, url in settings.alert_webhooks.items()})
    if settings.gitops_secret is not None:
        settings = dataclasses.replace(settings, gitops_secret=pulumi.Output.secret(settings.gitops_secret))
    return dataclasses.replace(settings, render_in_cluster_for_review=review)


def from_config_text(config: Mapping[str, str]) -> PlatformSettings:
    """Settings from a stack's config as the CLI hands it to programs (`<namespace>:<key>` -> text, as
    `offline.engine.stack_config` reads a stack file), for tools that check a stack outside a Pulumi run."""
    prefix = f"{NAMESPACE}:"
    raw = {key[len(prefix):]: _decode(value) for key, value in config.items() if key.startswith(prefix)}
    return parse(raw, config.get("azure-native:location"))


def _render_in_cluster_for_review() -> Any:
    namespace, key = RENDER_IN_CLUSTER_KEY.split(":")
    return _decode(pulumi.Config(namespace).get(key, "false"))


def _without_secret_values(problem: str, secret_keys: list[str]) -> str:
    """A problem line about a secret key, with the value it quotes (`(got ...)`) left out."""
    about_secret = any(re.match(rf"{NAMESPACE}:{re.escape(key)}[:.\[]", problem) for key in secret_keys)
    if about_secret and " (got " in problem:
        return problem.split(" (got ", 1)[0] + " (value not shown: it is a secret)"
    return problem


def _decode(value: Any) -> Any:
    """Pulumi hands structured config (objects, lists, booleans, numbers) to programs as JSON text."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _section(name: str, model: type[M], value: Any, problems: list[str]) -> M | None:
    """One validated section, or None with its problems appended."""
    return _validate(model, value, lambda loc: key_path(name, loc), problems)


def _validate(model: type[M], value: Any, path: Callable[[tuple], str], problems: list[str]) -> M | None:
    if not isinstance(value, dict):
        problems.append(f"{path(())}: must be an object of settings (got {show(value)})")
        return None
    try:
        return model.model_validate(value)
    except ValidationError as err:
        problems.extend(_describe(model, err, value, path))
        return None


def _describe(model: type[BaseModel], err: ValidationError, value: dict, path: Callable[[tuple], str]) -> list[str]:
    lines = []
    for error in err.errors():
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            known = _aliases_at(model, loc[:-1])
            lines.append(unknown_key(path(loc[:-1]), str(loc[-1]), known))
        elif error["type"] == "missing":
            lines.append(f"{path(loc)}: required")
        elif not loc:  # a rule across several keys of the section
            lines.append(f"{path(())}: {_message(model, error)}")
        else:
            lines.append(f"{path(loc)}: {_message(model, error)} (got {show(error['input'])})")
    return lines


def _message(model: type[BaseModel], error: dict) -> str:
    # A bare regex says little to a reader; such fields describe what they take instead.
    if error["type"] == "string_pattern_mismatch":
        description = _field_at(model, tuple(error["loc"]))[1]
        if description:
            return f"must be {description}"
    return error["msg"].removeprefix("Value error, ")


def _field_at(model: type[BaseModel], loc: tuple) -> tuple[type[BaseModel], str | None]:
    """The model holding the last key of `loc`, and that field's description."""
    description = None
    for part in loc:
        if isinstance(part, int):
            continue
        field_info = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field_info is None:
            break
        description = field_info.description
        inner = [a for a in getattr(field_info.annotation, "__args__", (field_info.annotation,)) if isinstance(a, type)]
        model = next((a for a in inner if issubclass(a, BaseModel)), model)
    return model, description


def _aliases_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """The camelCase keys allowed at a nested location of a model."""
    inner = _field_at(model, loc)[0] if loc else model
    return [f.alias or n for n, f in inner.model_fields.items()]


def _tags(value: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append(f"{NAMESPACE}:tags: must be a map of tag names to string values (got {show(value)})")
        return {}
    for name, tag_value in value.items():
        if not TAG_KEY.match(name):
            problems.append(
                f"{NAMESPACE}:tags: tag name {show(name)} must be 1-512 characters without < > % & \\ ? /"
            )
        if not isinstance(tag_value, str) or len(tag_value) > 256:
            problems.append(f"{NAMESPACE}:tags.{name}: must be a string of at most 256 characters (got {show(tag_value)})")
    for reserved in ("environment", "managed-by"):
        if reserved in value:
            problems.append(f"{NAMESPACE}:tags.{reserved}: set by the platform itself; remove it from tags")
    return dict(value)


def _node_pools(value: Any, environment: str, problems: list[str]) -> dict[int, NodePoolSettings]:
    """Valid pools by their position in the list (messages name that position), completed by the preflight."""
    if not isinstance(value, list) or not value:
        problems.append(f"{NAMESPACE}:nodePools: must be a non-empty list of pools (got {show(value)})")
        return {}
    pools = {}
    for index, pool in enumerate(value):
        def path(loc: tuple, index: int = index) -> str:
            return key_path("nodePools", (index, *loc))

        if isinstance(pool, dict):
            pool = {**pool_defaults_for(environment, pool), **pool}
        validated = _validate(NodePoolSettings, pool, path, problems)
        if validated is not None:
            pools[index] = preflight.complete(validated)
    return pools


def _in_cluster(config: Mapping[str, Any], environment: str, problems: list[str]) -> InClusterSettings:
    enabled, demo, mode = config.get("inCluster"), config.get("demo"), config.get("kubeloginMode")
    for key, value in (("inCluster", enabled), ("demo", demo)):
        if not isinstance(value, bool):
            problems.append(f"{NAMESPACE}:{key}: true or false (got {show(value)})")
    if demo is True and environment == "prod":
        problems.append(
            f"{NAMESPACE}:demo: refused in prod: the demo deploys a sample pod and a sample secret; remove it"
        )
    if mode not in KUBELOGIN_MODES:
        problems.append(
            f"{NAMESPACE}:kubeloginMode: one of {', '.join(KUBELOGIN_MODES)} (azurecli for people, "
            f"workloadidentity for CI, spn for a service principal) (got {show(mode)})"
        )
    deployer = config.get("deployerObjectId")
    if deployer is not None and not is_guid(deployer):
        problems.append(f"{NAMESPACE}:deployerObjectId: the Entra object ID (a GUID) of the identity that runs "
                        f"`pulumi up` (got {show(deployer)})")
        deployer = None
    deployer = deployer.lower() if deployer else None
    namespaces = _namespaces(config.get("namespaces"), namespace_defaults_for(environment), problems)
    names = [ns.name for ns in namespaces]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"{NAMESPACE}:namespaces: namespace {show(name)} is listed twice; names must be unique")
    if demo is True and DEMO_NAMESPACE in names:
        problems.append(
            f"{NAMESPACE}:namespaces: {show(DEMO_NAMESPACE)} is the demo's namespace (demo: true); choose another name"
        )
    demo_namespace = None
    if demo is True:
        demo_namespace = NamespaceSettings.model_validate(
            merge(namespace_defaults_for(environment), {"name": DEMO_NAMESPACE, "keyVaultSecrets": [DEMO_SECRET]})
        )
    return InClusterSettings(enabled=enabled is True, kubelogin_mode=mode, namespaces=namespaces, demo=demo_namespace,
                             deployer_object_id=deployer)


def _nap_pools(
    raw: Mapping[str, Any], value: Any, cluster: ClusterSettings | None, environment: str, problems: list[str],
) -> tuple[NapPoolSettings, ...]:
    """The Karpenter pools, validated with their defaults; none unless the cluster provisions nodes itself."""
    if cluster is None or cluster.node_provisioning != "auto":
        if cluster is not None and "napPools" in raw:
            problems.append(f"{NAMESPACE}:napPools: only used with cluster.nodeProvisioning: auto (it is "
                            f"{cluster.node_provisioning}); remove napPools or set nodeProvisioning: auto")
        return ()
    if not isinstance(value, list) or not value:
        # NAP needs at least one NodePool (Learn "Configure node pools for NAP", key behaviors); AKS's own
        # defaultNodePools: Auto would give one, but without limits.
        problems.append(f"{NAMESPACE}:napPools: must be a non-empty list of NAP pools with nodeProvisioning: auto "
                        f"(got {show(value)})")
        return ()
    pools: dict[int, NapPoolSettings] = {}
    for index, pool in enumerate(value):
        def path(loc: tuple, index: int = index) -> str:
            return key_path("napPools", (index, *loc))

        if isinstance(pool, dict):
            pool = merge(nap_pool_defaults_for(environment), pool)
        validated = _validate(NapPoolSettings, pool, path, problems)
        if validated is not None:
            pools[index] = validated
    names = [p.name for p in pools.values()]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"{NAMESPACE}:napPools: pool name {show(name)} is used twice; names must be unique")
    problems.extend(profile.nap_pools(PROFILES[environment], pools))
    return tuple(pools.values())


def _namespaces(value: Any, namespace_defaults: dict, problems: list[str]) -> tuple[NamespaceSettings, ...]:
    if not isinstance(value, list):
        problems.append(f"{NAMESPACE}:namespaces: must be a list of namespaces (got {show(value)})")
        return ()
    namespaces = {}
    for index, namespace in enumerate(value):
        def path(loc: tuple, index: int = index) -> str:
            return key_path("namespaces", (index, *loc))

        if isinstance(namespace, dict):
            namespace = merge(namespace_defaults, namespace)
        validated = _validate(NamespaceSettings, namespace, path, problems)
        if validated is not None:
            namespaces[index] = validated
    problems.extend(_unknown_allow_from(namespaces, [ns.get("name") for ns in value if isinstance(ns, dict)]))
    return tuple(namespaces.values())


def _unknown_allow_from(namespaces: Mapping[int, NamespaceSettings], names: list[Any]) -> list[str]:
    """allowFrom names a namespace of this stack: a NetworkPolicy for a namespace nobody declared is a typo."""
    return [
        f"{key_path('namespaces', (index, 'allowFrom'))}: {show(name)} is not a namespace of this stack "
        f"(allowed: {', '.join(str(n) for n in names)})"
        for index, ns in namespaces.items() for name in ns.allow_from if name not in names
    ]


def _cross_checks(sections: dict[str, Any]) -> list[str]:
    """Rules that span sections; each runs only when the sections it reads are valid."""
    problems = _metrics_cross_checks(sections)
    network = sections["network"]
    problems.extend(_kms_prerequisites(sections["cluster"], sections["keyVault"], network))
    if network is not None and network.private_endpoint_subnet_cidr is None:
        vault, registry = sections["keyVault"], sections["registry"]
        if vault is not None and vault.public_network_access == "Disabled":
            problems.append(
                f"{NAMESPACE}:keyVault.publicNetworkAccess: Disabled needs network.privateEndpointSubnetCidr, "
                "the subnet the vault's private endpoint goes in"
            )
        if registry is not None and registry.enabled and registry.public_network_access == "Disabled":
            problems.append(
                f"{NAMESPACE}:registry.publicNetworkAccess: Disabled needs network.privateEndpointSubnetCidr, "
                "the subnet the registry's private endpoint goes in"
            )
    return problems


# A webhook receiver's name (the key under alertWebhooks): our own rule, kept to what reads well in an alert.
WEBHOOK_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def _alert_webhooks(value: Any, problems: list[str]) -> dict[str, str]:
    """Receiver name -> URL; only https is taken, so an alert's content never crosses the internet in clear text.

    The messages quote a URL as `(got ...)`, which `from_pulumi_config` strips when the key is a secret.
    """
    if not isinstance(value, dict):
        problems.append(f"{NAMESPACE}:alertWebhooks: must be a map of receiver names to https:// URLs (got {show(value)})")
        return {}
    for name, url in value.items():
        if not WEBHOOK_NAME.match(str(name)):
            problems.append(f"{NAMESPACE}:alertWebhooks: receiver name {show(name)} must be 1-64 letters, digits, "
                            "- and _, starting with a letter or digit")
        parsed = urlparse(url) if isinstance(url, str) else None
        if parsed is None or parsed.scheme != "https" or not parsed.hostname:
            problems.append(f"{NAMESPACE}:alertWebhooks.{name}: must be an https:// URL (got {show(url)})")
    return dict(value)


def _alerts_follow_metrics(config: dict[str, Any]) -> dict[str, Any]:
    """The alerts are on wherever metrics are, unless the stack says otherwise."""
    alerts, metrics = config.get("alerts"), config.get("metrics")
    if isinstance(alerts, dict) and "enabled" not in alerts and isinstance(metrics, dict):
        return {**config, "alerts": {**alerts, "enabled": metrics.get("enabled")}}
    return config


def _metrics_cross_checks(sections: dict[str, Any]) -> list[str]:
    """Alerts query the Azure Monitor workspace that Managed Prometheus fills; a private Grafana needs the
    private-endpoint subnet."""
    metrics, alerts, network = sections["metrics"], sections["alerts"], sections["network"]
    if metrics is None:
        return []
    problems = []
    if alerts is not None and alerts.enabled and not metrics.enabled:
        problems.append(f"{NAMESPACE}:alerts.enabled: true needs metrics.enabled: true (the alert rules query the "
                        "Prometheus metrics of the Azure Monitor workspace); turn metrics on or alerts off")
    grafana = metrics.grafana
    if (grafana.enabled and grafana.public_network_access == "Disabled" and network is not None
            and network.private_endpoint_subnet_cidr is None):
        problems.append(f"{NAMESPACE}:metrics.grafana.publicNetworkAccess: Disabled needs "
                        "network.privateEndpointSubnetCidr, the subnet Grafana's private endpoint goes in")
    return problems


def _metrics_warnings(metrics: MetricsSettings | None, alerts: AlertsSettings | None,
                      webhooks: Mapping[str, str]) -> list[str]:
    warnings = []
    if metrics is not None and metrics.grafana.enabled and metrics.grafana.sku in GRAFANA_PREVIEW_SKUS:
        warnings.append(f"{NAMESPACE}:metrics.grafana.sku: {metrics.grafana.sku} is a preview plan that Learn does not "
                        "recommend for production (Learn 'Azure Managed Grafana service reliability'); Standard is")
    if alerts is not None and alerts.enabled and not alerts.emails and not webhooks:
        warnings.append(f"{NAMESPACE}:alerts: the alert rules fire, but their action group notifies nobody; list "
                        "alerts.emails or alertWebhooks (they still show in the portal's Alerts view)")
    if alerts is not None and not alerts.enabled and webhooks:
        warnings.append(f"{NAMESPACE}:alertWebhooks: set while alerts.enabled is false, so nothing is created for them")
    return warnings


def _kms_prerequisites(cluster: Any, vault: Any, network: Any) -> list[str]:
    """KMS etcd encryption with the platform vault: AKS supports a vault with public access disabled (with API
    server VNet integration) but not one behind a firewall, which is what this platform's public vault is; and
    a lost key makes every secret unrecoverable, so the vault must keep deleted keys (purge protection).
    Source: https://learn.microsoft.com/azure/aks/use-kms-etcd-encryption#limitations"""
    if cluster is None or not cluster.kms:
        return []
    key = f"{NAMESPACE}:cluster.kms"
    problems = []
    if vault is not None and vault.public_network_access != "Disabled":
        problems.append(f"{key}: true needs keyVault.publicNetworkAccess: Disabled (it is {vault.public_network_access}); "
                        "AKS's KMS cannot reach a vault behind a firewall")
    if vault is not None and not vault.purge_protection:
        problems.append(f"{key}: true needs keyVault.purgeProtection: true; a deleted key makes every Kubernetes "
                        "secret unrecoverable")
    if network is not None and network.api_server_subnet_cidr is None:
        problems.append(f"{key}: true needs network.apiServerSubnetCidr (API server VNet integration), the only way "
                        "AKS's KMS reaches a private vault")
    return problems


def _replica_in_home_region(registry: Any, location: str | None) -> list[str]:
    """A replica is for a second region: the registry's own region already holds its home replica (Learn
    "Geo-replication in Azure Container Registry")."""
    if registry is None or location is None or location not in registry.replica_locations:
        return []
    return [f"{NAMESPACE}:registry.replicaLocations: {location} is the stack's own region (azure-native:location); "
            "list a second region"]


def _gitops(value: Any, secret: Any, problems: list[str]) -> GitOpsSettings | None:
    """The Flux settings, or None when the stack has none; the credential is checked against them."""
    if value is None:
        if secret is not None:
            problems.append(f"{NAMESPACE}:gitopsSecret: set without {NAMESPACE}:gitops; remove it, or configure gitops")
        return None
    gitops = _section("gitops", GitOpsSettings, value, problems)
    if gitops is not None:
        problems.extend(_gitops_credential(gitops, secret))
    return gitops


def _gitops_credential(gitops: GitOpsSettings, secret: Any) -> list[str]:
    """What the credential must be for the repository's scheme (Learn "GitOps (Flux v2) supported parameters":
    an HTTPS user with its key, or an SSH private key in PEM format). Messages never quote the value."""
    key, set_secret = f"{NAMESPACE}:gitopsSecret", f"`pulumi config set --secret {NAMESPACE}:gitopsSecret`"
    if secret is not None and (not isinstance(secret, str) or not secret.strip()):
        return [f"{key}: must be text: the HTTPS token or password, or the SSH private key (value not shown)"]
    if secret is not None and gitops.local_auth_secret:
        return [f"{key}: not used with gitops.localAuthSecret, which holds the whole credential; remove one"]
    if gitops.ssh:
        # Without a key of its own, Flux generates a key pair whose public key you add to the Git host.
        if secret is not None and not re.search(r"-----BEGIN [A-Z ]*PRIVATE KEY-----", secret):
            return [f"{key}: an ssh:// repository takes an SSH private key in PEM format (-----BEGIN ... PRIVATE "
                    "KEY-----) (value not shown)"]
        return []
    if gitops.https_user is not None and secret is None:
        return [f"{NAMESPACE}:gitops.httpsUser: needs its token or password: {set_secret} <token>"]
    if gitops.https_user is None and secret is not None:
        return [f"{key}: an https:// repository needs gitops.httpsUser beside its token or password"]
    return []


# Public for the repo's other Pulumi project that reads its config the same way (the fleet hub, fleet/hub.py).
decode = _decode
validate = _validate
