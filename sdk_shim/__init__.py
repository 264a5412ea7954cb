"""The one home of every Pulumi SDK internal this project relies on.

Some things the project needs have no public API: running a program on the mock engine and recording
it (offline/), serving the policy pack in-process (policies/), listing the stack's config keys
(settings/). Each such internal is imported here and nowhere else, under a name of our own, and
tests/sdk_shim checks each one's behaviour. An SDK upgrade that drops or reshapes one therefore fails
in one place, with a message naming the installed SDK version.

One module per SDK: the program's virtualenv (pyproject.toml) has no pulumi_policy and the policy
pack's (policies/pyproject.toml) has no pydantic, so each side imports only the module it needs.
"""
from __future__ import annotations

import importlib
from importlib.metadata import version
from typing import Any


def sdk_internal(distribution: str, module: str, name: str) -> Any:
    """`module.name` from an installed SDK, or an ImportError that says which SDK version lacks it."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as err:
        raise ImportError(
            f"{distribution} {version(distribution)} has no {module}.{name}, an SDK internal aks-platform "
            f"relies on (see sdk_shim/): adapt the shim to this version, or pin {distribution} back to the "
            "version in pyproject.toml"
        ) from err
