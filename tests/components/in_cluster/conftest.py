"""Renders of the shipped stacks, shared by the in-cluster tests (each render is its own mock engine run)."""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

from offline.engine import ROOT, Rendered, render, stack_config

NAP_DIR = Path(ROOT) / "tests" / "nap"
STACKS = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in Path(ROOT).glob("Pulumi.*.yaml"))


@functools.cache
def rendered(stack: str, **overrides: str) -> Rendered:
    """The stack's render; `overrides` replace `aks-platform:<key>` config values (JSON text)."""
    if not overrides:
        return render(stack)
    config = stack_config(stack)
    config.update({f"aks-platform:{key}": value for key, value in overrides.items()})
    return render(stack, config)


@functools.cache
def rendered_nap() -> Rendered:
    """The node auto-provisioning example stack (tests/nap/Pulumi.nap.yaml), rendered once."""
    return render("nap", stack_config("nap", root=NAP_DIR))


@pytest.fixture(scope="module")
def dev() -> Rendered:
    return rendered("dev")


@pytest.fixture(scope="module")
def prod() -> Rendered:
    return rendered("prod")


def by_name(r: Rendered, name: str) -> dict:
    """The one resource with this logical name."""
    (found,) = [x for x in r.resources if x["name"] == name]
    return found


def kubernetes_objects(r: Rendered) -> list[dict]:
    return [x for x in r.resources if x["custom"] and x["type"].startswith("kubernetes:")]
