"""Internals of the Pulumi SDK (`pulumi`) that offline/ and settings/ need; see the package docstring."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pulumi

from . import sdk_internal

# Waits for an awaitable from synchronous code while the SDK's event loop may be running: how the
# offline engine reads the stack's outputs after the program ran.
sync_await: Callable[[Awaitable[Any]], Any] = sdk_internal("pulumi", "pulumi.runtime.sync_await", "_sync_await")

# The mock engine's resource monitor; offline.engine subclasses it to record every registration
# (`RegisterResource(request)`, and `resources[urn]` holding each registration's id and state).
MockMonitor: type = sdk_internal("pulumi", "pulumi.runtime.mocks", "MockMonitor")

# Runs a program function to completion, waiting for every outstanding RPC, as the CLI's entry
# point does (without creating a second Stack: `set_mocks` already made one).
run_pulumi_func: Callable[[Callable[[], Any]], Awaitable[None]] = sdk_internal(
    "pulumi", "pulumi.runtime.stack", "run_pulumi_func")

# The config table the CLI's entry point fills (`set_all_config`); no public API lists its keys.
_CONFIG = sdk_internal("pulumi", "pulumi.runtime.config", "CONFIG")

# The wire format's marker of a secret value: {SECRET_SIG_KEY: SECRET_SIG, "value": ...}.
SECRET_SIG_KEY: str = sdk_internal("pulumi", "pulumi.runtime.rpc", "_special_sig_key")
SECRET_SIG: str = sdk_internal("pulumi", "pulumi.runtime.rpc", "_special_secret_sig")


def config_keys() -> set[str]:
    """Every config key (`namespace:key`) the running stack has, set or passed in PULUMI_CONFIG.

    Only the names: read values through `pulumi.Config`, which is public.
    """
    return {*pulumi.runtime.get_config_env(), *_CONFIG.get()}


def is_secret_envelope(value: Any) -> bool:
    """True for a secret value as the engine records it (the wire format's secret envelope)."""
    return isinstance(value, dict) and value.get(SECRET_SIG_KEY) == SECRET_SIG
