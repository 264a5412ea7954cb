"""`python -m offline.urn_guard [--write]`: no change renames a deployed resource unnoticed.

Pulumi knows a resource by its URN (stack, project, the parent chain's types and its logical name).
A refactor that renames a component or re-parents a resource changes URNs, and `pulumi up` then
deletes the old resource and creates a new one: for a cluster, a vault or a workspace, that is data
and downtime lost. `offline/urns/<stack>.txt` lists every URN each shipped stack registers; the
test suite (`tests/delivery/test_urn_guard.py`) renders each stack and fails when a listed URN is
gone and no resource declares it as an alias (`pulumi.Alias`), or when the list is out of date.

`--check` (the default) prints what differs and exits 1 on any difference; `--write` rewrites the
lists on purpose and prints which resources `pulumi up` would delete and create because of it.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .engine import ROOT, render

URN_DIR = ROOT / "offline" / "urns"
HEADER = (
    "# Every resource URN this stack registers (offline/urn_guard.py). A URN that disappears is a resource\n"
    "# `pulumi up` deletes and re-creates: add a pulumi.Alias, or run `make urns` on purpose.\n"
)


def shipped_stacks(root: Path = ROOT) -> list[str]:
    return sorted(p.name[len("Pulumi."):-len(".yaml")] for p in root.glob("Pulumi.*.yaml"))


def urn_file(stack: str) -> Path:
    return URN_DIR / f"{stack}.txt"


def read_list(stack: str) -> list[str]:
    path = urn_file(stack)
    if not path.exists():
        return []
    return [line for line in path.read_text().splitlines() if line and not line.startswith("#")]


@dataclass(frozen=True)
class UrnChange:
    """How a stack's rendered URNs differ from its committed list."""

    replaced: tuple[str, ...]  # listed, gone, and claimed by no alias: `pulumi up` deletes these
    renamed: tuple[tuple[str, str], ...]  # (listed URN, the resource that aliases it now)
    added: tuple[str, ...]  # rendered, not listed: `pulumi up` creates these

    @property
    def unsafe(self) -> bool:
        return bool(self.replaced)

    @property
    def stale(self) -> bool:
        return bool(self.replaced or self.renamed or self.added)


def compare(listed: Iterable[str], resources: Iterable[dict[str, Any]]) -> UrnChange:
    """The committed list against a render's resources (each with `urn` and `aliases`)."""
    resources = list(resources)
    listed, current = set(listed), {r["urn"] for r in resources}
    claimed = {alias: r["urn"] for r in resources for alias in r.get("aliases", ())}
    gone = sorted(listed - current)
    renamed = tuple((urn, claimed[urn]) for urn in gone if urn in claimed)
    renamed_to = {new for _, new in renamed}
    return UrnChange(
        replaced=tuple(urn for urn in gone if urn not in claimed),
        renamed=renamed,
        added=tuple(sorted(current - listed - renamed_to)),
    )


def explain(stack: str, change: UrnChange) -> list[str]:
    lines = [f"- would be deleted and re-created (add a pulumi.Alias to keep it): {urn}" for urn in change.replaced]
    lines += [f"- renamed with an alias (no replacement): {old} -> {new}" for old, new in change.renamed]
    lines += [f"- would be created: {urn}" for urn in change.added]
    return [f"Stack {stack!r}, against {urn_file(stack).relative_to(ROOT)}:", *lines] if lines else []


def write_list(stack: str, resources: Iterable[dict[str, Any]]) -> None:
    URN_DIR.mkdir(parents=True, exist_ok=True)
    urn_file(stack).write_text(HEADER + "".join(f"{urn}\n" for urn in sorted(r["urn"] for r in resources)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m offline.urn_guard", description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite offline/urns/<stack>.txt from the render")
    parser.add_argument("stacks", nargs="*", help="stacks to check (default: every Pulumi.<stack>.yaml)")
    args = parser.parse_args(argv)
    failed = False
    for stack in args.stacks or shipped_stacks():
        resources = render(stack).resources
        change = compare(read_list(stack), resources)
        print("\n".join(explain(stack, change)) or f"Stack {stack!r}: every listed URN is still registered.")
        if args.write:
            write_list(stack, resources)
            if change.stale:
                print(f"Wrote {urn_file(stack).relative_to(ROOT)}: commit it with the change, the diff above in the message.")
        failed = failed or change.stale
    return 1 if failed and not args.write else 0


if __name__ == "__main__":
    sys.exit(main())
