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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import yaml
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from .mocks import AzureMocks

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "aks-platform"


@dataclass
class Rendered:
    """The desired state of one stack: what `pulumi up` would converge Azure to."""

    stack: str
    resources: list[dict[str, Any]]
    outputs: dict[str, Any] = field(default_factory=dict)
    secret_outputs: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # what the program logged with pulumi.log.warn

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
        return {"project": PROJECT, "stack": self.stack, "resources": resources, "outputs": outputs}


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """The mock engine's monitor, also keeping every registration as a plain dict."""

    def __init__(self, mocks: pulumi.runtime.Mocks):
        super().__init__(mocks)
        self.records: list[dict[str, Any]] = []

    def RegisterResource(self, request):  # noqa: N802 (the gRPC method name)
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            registration = self.resources.get(response.urn)
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
            })
        return response


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


def stack_config(stack: str, root: Path = ROOT) -> dict[str, str]:
    """A stack file's config as the Pulumi CLI hands it to programs: objects and lists as JSON text."""
    path = root / f"Pulumi.{stack}.yaml"
    if not path.exists():
        stacks = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in root.glob("Pulumi.*.yaml"))
        raise FileNotFoundError(f"no stack file {path.name}; stacks here: {', '.join(stacks)}")
    document = yaml.safe_load(path.read_text()) or {}
    return {key: _config_text(value) for key, value in (document.get("config") or {}).items()}


def _config_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)


def render(
    stack: str, config: Mapping[str, str] | None = None, root: Path = ROOT, monitor: RecordingMonitor | None = None
) -> Rendered:
    """Evaluate the program for `stack` (its stack file, or `config` when given) on the mock engine.

    Raises the program's own errors, `settings.ConfigError` first among them.
    """
    config = dict(stack_config(stack, root) if config is None else config)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return run(lambda: runpy.run_path(str(root / "__main__.py"), run_name="__main__"), stack, config, monitor)


def run(
    program: Callable[[], Any],
    stack: str = "test",
    config: Mapping[str, str] | None = None,
    monitor: RecordingMonitor | None = None,
) -> Rendered:
    """Run any Pulumi code (a whole program, or one component in a test) on fresh recording mocks.

    Pass a `monitor` to see what was registered even when the program fails.
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    monitor = monitor or RecordingMonitor(AzureMocks())
    log = _WarningLog()
    try:
        pulumi.runtime.set_mocks(
            monitor.mocks, project=PROJECT, stack=stack, preview=False, monitor=monitor, logger=log.logger
        )
        pulumi.runtime.set_all_config(dict(config or {}))
        loop.run_until_complete(run_pulumi_func(program))
        outputs, secrets = _stack_outputs()
        return Rendered(stack=stack, resources=monitor.records, outputs=outputs, secret_outputs=secrets,
                        warnings=tuple(log.messages))
    finally:
        pulumi.runtime.set_all_config({})
        pulumi.runtime.settings.reset_options()
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
    stack = pulumi.runtime.settings.get_root_resource()
    values, secrets = {}, []
    for key, value in stack.outputs.items():
        output = pulumi.Output.from_input(value)
        values[key] = _plain(_sync_await(output.future()))
        if _sync_await(output.is_secret()):
            secrets.append(key)
    return values, tuple(secrets)
