"""Run the Pulumi program for a stack on Pulumi's mock engine and record the desired state.

The recording monitor sees exactly what the Pulumi CLI's engine would receive: every registered
resource with its type, name, parent, wire-format (camelCase) inputs, dependencies and options.
"""
from __future__ import annotations

import asyncio
import json
import logging
import runpy
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime import rpc

from sdk_shim.pulumi_sdk import MockMonitor, run_pulumi_func, sync_await
from settings.load import RENDER_IN_CLUSTER_KEY

from .mocks import AzureMocks

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "aks-platform"
STACK_TYPE = "pulumi:pulumi:Stack"


@dataclass
class Rendered:
    """The desired state of one stack: what `pulumi up` would converge Azure to."""

    stack: str
    resources: list[dict[str, Any]]
    outputs: dict[str, Any] = field(default_factory=dict)
    secret_outputs: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # what the program logged with pulumi.log.warn
    project: str = PROJECT

    def of_type(self, token: str) -> list[dict[str, Any]]:
        return [r for r in self.resources if r["type"] == token]

    def one(self, token: str, name: str | None = None) -> dict[str, Any]:
        """The single resource of a type (and logical name); an error if there are none or several."""
        found = [r for r in self.of_type(token) if name is None or r["name"] == name]
        if len(found) != 1:
            raise LookupError(f"expected one {token} {name or ''}, found {[r['name'] for r in found]}")
        return found[0]

    def by_urn(self, urn: str) -> dict[str, Any]:
        return next(r for r in self.resources if r["urn"] == urn)

    def to_json(self) -> dict[str, Any]:
        outputs = {k: "[secret]" if k in self.secret_outputs else v for k, v in self.outputs.items()}
        # Sorted by URN: registration order varies between runs and means nothing.
        resources = sorted(self.resources, key=lambda r: r["urn"])
        return {"project": self.project, "stack": self.stack, "resources": resources, "outputs": outputs,
                "warnings": list(self.warnings)}


class RecordingMonitor(MockMonitor):
    """The mock engine's monitor, also keeping every registration as a plain dict."""

    def __init__(self, mocks: pulumi.runtime.Mocks):
        super().__init__(mocks)
        self.records: list[dict[str, Any]] = []
        self._by_urn: dict[str, dict[str, Any]] = {}

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """The URN the Pulumi engine gives: the parent's whole type chain (the stack excluded), `$`, the
        type. The SDK's mock monitor uses only the parent's own type, so two resources under
        differently nested parents of the same type would share a URN there but not in `pulumi up`."""
        stack, project = pulumi.get_stack(), pulumi.get_project()
        chain = split_urn(parent)[2] if parent else ""
        qualified_type = f"{chain}${type_}" if chain and chain != STACK_TYPE else type_
        return make_urn(stack, project, qualified_type, name)

    def RegisterResource(self, request):  # noqa: N802 (the gRPC method name)
        response = super().RegisterResource(request)
        if request.type != STACK_TYPE:
            registration = self.resources.get(response.urn)
            parent = self._by_urn.get(request.parent)
            self.records.append({
                "urn": response.urn,
                "type": request.type,
                "name": request.name,
                "parent": request.parent or None,
                "custom": bool(request.custom),
                "inputs": _plain(rpc.deserialize_properties(request.object)),
                "dependencies": sorted(set(request.dependencies)),
                "propertyDependencies": {
                    key: sorted(set(deps.urns)) for key, deps in request.propertyDependencies.items()
                },
                "protect": request.protect if request.HasField("protect") else False,
                "ignoreChanges": list(request.ignoreChanges),
                "provider": request.provider,
                # The resource whose deletion takes this one with it: `pulumi destroy` skips its delete call.
                "deletedWith": request.deletedWith or None,
                "outputs": _plain({"id": registration.id, **registration.state}) if request.custom and registration else {},
                # The URNs this resource answers to besides its own: the engine moves state from any of
                # them to this resource instead of deleting one and creating the other.
                "aliases": alias_urns(response.urn, request, parent),
            })
            self._by_urn[response.urn] = self.records[-1]
        return response


def split_urn(urn: str) -> tuple[str, str, str, str]:
    """`urn:pulumi:<stack>::<project>::<qualified type>::<name>` into its four parts. The qualified type
    is the parent's qualified type, `$`, then the resource's own type (just its own type at the top)."""
    head, project, qualified_type, name = urn.split("::", 3)
    return head.removeprefix("urn:pulumi:"), project, qualified_type, name


def make_urn(stack: str, project: str, qualified_type: str, name: str) -> str:
    return f"urn:pulumi:{stack}::{project}::{qualified_type}::{name}"


def alias_urns(urn: str, request: Any, parent: dict[str, Any] | None) -> list[str]:
    """Every URN the engine would treat as this resource's former self, as `pulumi up` computes them:
    the resource's own aliases (full URNs, or specs resolved against its current name, type and
    parent), and those it inherits from an aliased parent: the parent's former type chain, with the
    parent's former name in place of the parent's name where the child's name starts with it (the
    `f"{name}-vnet"` convention)."""
    stack, project, qualified_type, name = split_urn(urn)
    own_type = qualified_type.rsplit("$", 1)[-1]
    found: set[str] = set()
    for alias in request.aliases:
        if alias.urn:
            found.add(alias.urn)
            continue
        spec = alias.spec
        previous_parent = None if spec.noParent else spec.parentUrn or request.parent or None
        chain = split_urn(previous_parent)[2] if previous_parent else None
        chain = None if chain == STACK_TYPE else chain  # the stack is nobody's type prefix
        alias_type = spec.type or own_type
        found.add(make_urn(spec.stack or stack, spec.project or project,
                           f"{chain}${alias_type}" if chain else alias_type, spec.name or name))
    if parent is not None:
        # As the SDK's own `all_aliases`: each of the parent's aliases applied to the child as it is
        # named now and to each of the child's own former selves.
        selves = [(name, own_type), *((split_urn(a)[3], split_urn(a)[2].rsplit("$", 1)[-1]) for a in sorted(found))]
        for parent_alias in parent["aliases"]:
            _, _, former_chain, former_parent_name = split_urn(parent_alias)
            for child_name, child_type in selves:
                if child_name.startswith(parent["name"]):
                    child_name = former_parent_name + child_name[len(parent["name"]):]
                found.add(make_urn(stack, project, f"{former_chain}${child_type}", child_name))
    found.discard(urn)
    return sorted(found)


def _plain(value: Any) -> Any:
    """JSON-ready copy of engine values. The engine's wire format (protobuf Struct) has only floats,
    so whole numbers come back as 90.0; they are ints again here, as the program wrote them."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def stack_config(stack: str, root: Path = ROOT, project: str = PROJECT) -> dict[str, str]:
    """A stack file's config as the Pulumi CLI hands it to programs: objects and lists as JSON text.

    A secret value (`secure: <ciphertext>`, which only the CLI can decrypt) is handed over as its
    ciphertext, never a clear value; `stack_secret_keys` lists the keys that hold one.
    """
    return {key: _config_text(_ciphertext(value)) for key, value in _stack_file_config(stack, root, project).items()}


def stack_secret_keys(stack: str, root: Path = ROOT) -> list[str]:
    """The stack file's keys holding a secret anywhere in their value: the CLI marks the whole key secret."""
    return sorted(key for key, value in _stack_file_config(stack, root).items() if _ciphertext(value) != value)


class StackFileError(FileNotFoundError):
    """A stack file that is missing or is not what the Pulumi CLI reads: the message names the file, the
    place and what is allowed. (A FileNotFoundError, as a missing file always was.)"""


def _stack_file_config(stack: str, root: Path, project: str = PROJECT) -> dict[str, Any]:
    """The `config:` mapping of `Pulumi.<stack>.yaml`, keys as the CLI hands them over: a key written
    without a namespace belongs to the project (`cluster` is `aks-platform:cluster`)."""
    path = root / f"Pulumi.{stack}.yaml"
    if not path.exists():
        stacks = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in root.glob("Pulumi.*.yaml"))
        raise StackFileError(f"no stack file {path.name}; stacks here: {', '.join(stacks)}")
    try:
        document = yaml.safe_load(path.read_text())
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err)
        context = getattr(err, "context", None)
        raise StackFileError(
            f"{path.name}{where}: not valid YAML: {problem}{f' ({context})' if context else ''}. A stack file is a "
            "mapping with a `config:` mapping of `aks-platform:<key>: <value>` lines; quote values that contain "
            "`: ` or start with a special character"
        ) from None
    if document is None:
        return {}
    if not isinstance(document, Mapping):
        raise StackFileError(f"{path.name}: the file must be a mapping with a `config:` key (got a {type(document).__name__})")
    config = document.get("config") or {}
    if not isinstance(config, Mapping):
        raise StackFileError(f"{path.name}: `config:` must be a mapping of keys to values (got a {type(config).__name__})")
    return {(key if ":" in str(key) else f"{project}:{key}"): value for key, value in config.items()}


def _ciphertext(value: Any) -> Any:
    """The value with each `{secure: <ciphertext>}` replaced by the ciphertext."""
    if isinstance(value, Mapping):
        if set(value) == {"secure"}:
            return value["secure"]
        return {k: _ciphertext(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ciphertext(v) for v in value]
    return value


def _config_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)


def render(
    stack: str,
    config: Mapping[str, str] | None = None,
    root: Path = ROOT,
    monitor: RecordingMonitor | None = None,
    *,
    secret_keys: Collection[str] = (),
    in_cluster_for_review: bool = True,
) -> Rendered:
    """Evaluate the program for `stack` (its stack file, or `config` when given) on the mock engine.

    `secret_keys` are the keys of `config` set as secrets (with a stack file, the keys holding
    `secure:` values). `in_cluster_for_review` asks the program to render the in-cluster layer even
    where the stack has `inCluster: false` (settings.load.RENDER_IN_CLUSTER_KEY), so the plan shows
    it; pass False to render exactly what `pulumi up` deploys.
    Raises the program's own errors, `settings.ConfigError` first among them.
    """
    if config is None:
        config, secret_keys = stack_config(stack, root), stack_secret_keys(stack, root)
    config = dict(config)
    if in_cluster_for_review:
        config[RENDER_IN_CLUSTER_KEY] = "true"
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))

    def program() -> None:
        runpy.run_path(str(root / "__main__.py"), run_name="__main__")

    return run(program, stack, config, monitor, secret_keys=secret_keys)


def run(
    program: Callable[[], Any],
    stack: str = "test",
    config: Mapping[str, str] | None = None,
    monitor: RecordingMonitor | None = None,
    *,
    secret_keys: Collection[str] = (),
    project: str = PROJECT,
) -> Rendered:
    """Run any Pulumi code (a whole program, or one component in a test) on fresh recording mocks.

    Pass a `monitor` to see what was registered even when the program fails; `project` for the repo's other
    project (the fleet hub, fleet/plan.py).
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    monitor = monitor or RecordingMonitor(AzureMocks())
    log = _WarningLog()
    try:
        pulumi.runtime.set_mocks(
            monitor.mocks, project=project, stack=stack, preview=False, monitor=monitor, logger=log.logger
        )
        pulumi.runtime.set_all_config(dict(config or {}), list(secret_keys))
        loop.run_until_complete(run_pulumi_func(program))
        outputs, secrets = _stack_outputs()
        return Rendered(stack=stack, resources=monitor.records, outputs=outputs, secret_outputs=secrets,
                        warnings=tuple(log.messages), project=project)
    finally:
        pulumi.runtime.set_all_config({}, [])
        pulumi.runtime.reset_options()
        loop.close()
        asyncio.set_event_loop(None)


class _WarningLog(logging.Handler):
    """Keeps the warnings the program sends to the engine, which the CLI would print."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []
        self.logger = logging.getLogger(f"offline.engine.{id(self)}")
        self.logger.propagate = False
        self.logger.addHandler(self)

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _stack_outputs() -> tuple[dict[str, Any], tuple[str, ...]]:
    stack = pulumi.runtime.get_root_resource()
    values, secrets = {}, []
    for key, value in stack.outputs.items():
        output = pulumi.Output.from_input(value)
        values[key] = _plain(sync_await(output.future()))
        if sync_await(output.is_secret()):
            secrets.append(key)
    return values, tuple(secrets)
