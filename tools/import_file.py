"""`make import-file STACK=prod SUBSCRIPTION=<id>` (`python tools/import_file.py STACK --subscription ID`):
the file `pulumi import --file` reads to adopt an existing cluster and what surrounds it into a stack.

It lists every Azure resource the stack's `pulumi up` would manage, with the type, logical name and
parent the program gives it and the ARM ID it has if it already exists under the name the program
gives it. The IDs come from the offline render (the same names the program computes) answered as the
given subscription: the program derives the vault's and registry's global names from the subscription
ID, so it is an input, not a substitution afterwards. No Azure call is made; `az account show --query id`
prints the ID of the subscription you are signed in to.

Format (https://www.pulumi.com/docs/iac/cli/commands/pulumi_import/, read by pulumi/pulumi
pkg/cmd/pulumi/operations/import.go): `resources` with `type`, `name`, `id`, `parent` (the `name` of
another entry) and `version`. The components the resources sit in are entries too, marked
`"component": true` with no ID: the import creates them empty as parents (pulumi >= 3.94,
pulumi/pulumi#14467), and the next `pulumi up` registers the same URNs. So no `nameTable` is needed:
that is for parents already in the stack.

What cannot be adopted this way is listed on stdout with what to do instead (docs/adopting.md).
Exit codes: 0 written, 2 invalid stack config or subscription ID.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from offline.engine import Rendered, RecordingMonitor, render  # noqa: E402 (needs ROOT on sys.path)
from offline.mocks import SUBSCRIPTION_ID as MOCK_SUBSCRIPTION_ID  # noqa: E402
from offline.mocks import AzureMocks  # noqa: E402
from settings import ConfigError  # noqa: E402

SUBSCRIPTION_ENV = "SUBSCRIPTION"
GUID = re.compile(r"^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
AZURE_NATIVE = "azure-native:"
# The provider plugin the program is written against: imports read with the same schema.
AZURE_NATIVE_VERSION = version("pulumi_azure_native")

# Planned resources left out of the file, by type prefix, and what happens to them instead.
NOT_IMPORTED = {
    "kubernetes:": "Kubernetes object: `pulumi up` applies it with server-side apply, which takes over an "
                   "existing object of the same name and namespace (a field another manager owns is reported "
                   "as a conflict to resolve).",
    "pulumi:providers:": "Pulumi provider: nothing in Azure; `pulumi up` creates it.",
    "random:": "generated secret: Azure never returns the value (the Windows nodes' admin password); "
               "`pulumi up` generates a new one and sets it on the cluster.",
    "time:": "a wait (pulumiverse-time Sleep): nothing in Azure; `pulumi up` creates it and waits once.",
    "azure-native:authorization:RoleAssignment": (
        "role assignment: its name is a GUID this program derives from the stack and its logical name, so an "
        "assignment made elsewhere has another ID. Delete the existing assignment of the same role to the same "
        "principal on the same scope (Azure refuses a duplicate, RoleAssignmentExists) and let `pulumi up` create "
        "it; if this program made it before (a lost state), import it by the ID shown."),
}


class SubscriptionMocks(AzureMocks):
    """The offline mocks answering as the given subscription, in the client config and in every ARM ID."""

    def __init__(self, subscription_id: str):
        self.subscription_id = subscription_id

    def new_resource(self, args):
        resource_id, state = super().new_resource(args)
        return resource_id.replace(f"/subscriptions/{MOCK_SUBSCRIPTION_ID}/", f"/subscriptions/{self.subscription_id}/"), state

    def call(self, args):
        answer = super().call(args)
        if args.token == "azure-native:authorization:getClientConfig":
            return {**answer, "subscriptionId": self.subscription_id}
        return answer


def planned(stack: str, subscription_id: str, config: Mapping[str, str] | None = None) -> Rendered:
    """What `pulumi up` would manage (of the stack file, or `config`): the render, but with the in-cluster
    layer only when the stack turns it on (the offline plan also shows a layer that is off, for review)."""
    return render(stack, config, monitor=RecordingMonitor(SubscriptionMocks(subscription_id)), in_cluster_for_review=False)


def not_imported_reason(resource: dict[str, Any]) -> str | None:
    return next((why for prefix, why in NOT_IMPORTED.items() if resource["type"].startswith(prefix)), None)


def _ancestors(resource: dict[str, Any], by_urn: dict[str, dict[str, Any]]) -> Iterator[dict[str, Any]]:
    parent = by_urn.get(resource["parent"])
    while parent is not None:
        yield parent
        parent = by_urn.get(parent["parent"])


def import_spec(rendered: Rendered) -> tuple[dict[str, Any], list[tuple[dict[str, Any], str]]]:
    """The import file's content, and the planned resources left out of it with the reason."""
    by_urn = {r["urn"]: r for r in rendered.resources}
    names = [r["name"] for r in rendered.resources]
    if len(names) != len(set(names)):
        # Entries refer to their parent by name; this program's logical names are unique by convention.
        raise ValueError(f"logical names are not unique: {sorted({n for n in names if names.count(n) > 1})}")
    azure = [r for r in rendered.resources if r["custom"]]
    left_out = [(r, why) for r in azure if (why := not_imported_reason(r)) is not None]
    imported = [r for r in azure if not_imported_reason(r) is None]
    parents = {p["urn"]: p for r in imported for p in _ancestors(r, by_urn)}

    def entry(resource: dict[str, Any]) -> dict[str, Any]:
        spec: dict[str, Any] = {"type": resource["type"], "name": resource["name"]}
        if resource["custom"]:
            spec |= {"id": resource["outputs"]["id"], "version": AZURE_NATIVE_VERSION}
        else:
            spec["component"] = True
        if resource["parent"] in by_urn:
            spec["parent"] = by_urn[resource["parent"]]["name"]
        return spec

    # Parents before children, as a reader expects; the CLI resolves parents in any order.
    ordered = sorted([*parents.values(), *imported], key=lambda r: (len(list(_ancestors(r, by_urn))), r["urn"]))
    return {"resources": [entry(r) for r in ordered]}, left_out


def subscription_argument(value: str | None) -> str:
    if not value:
        raise argparse.ArgumentTypeError(
            f"the subscription ID is required: --subscription ID or {SUBSCRIPTION_ENV}=<id> "
            "(`az account show --query id -o tsv` prints the one you are signed in to)")
    if not GUID.match(value):
        raise argparse.ArgumentTypeError(f"subscription ID {value!r} is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
    return value.lower()


def report(stack: str, path: Path, spec: dict[str, Any], left_out: list[tuple[dict[str, Any], str]]) -> list[str]:
    entries = spec["resources"]
    components = sum(bool(e.get("component")) for e in entries)
    lines = [
        f"Import file for stack {stack!r} written to {path}: {len(entries) - components} Azure resources to "
        f"adopt, in {components} components the import creates as their parents.",
        "IDs are the names this program gives each resource; an existing resource under another name cannot be "
        "adopted (see docs/adopting.md). Check which exist before importing:",
        f"  az resource show --ids $(jq -r '.resources[].id // empty' {path}) --query '[].id' -o tsv",
        "",
        f"Not imported ({len(left_out)}), and what happens instead:",
    ]
    for why in dict.fromkeys(why for _, why in left_out):
        lines.append(f"- {why}")
        # An ARM ID only for Azure resources; the mock's IDs of the others mean nothing.
        lines.extend(f"    {r['type']}  {r['name']}  {r['outputs']['id'] if r['type'].startswith(AZURE_NATIVE) else ''}".rstrip()
                     for r, w in left_out if w == why)
    lines += [
        "",
        "Then:",
        f"  pulumi import --stack {stack} --file {path} --generate-code=false",
        f"  pulumi preview --stack {stack} --diff   # no changes, or only those you accept",
        "The import protects what it adopts; the next `pulumi up` applies the stack's own `protect` setting.",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/import_file.py", description=__doc__.splitlines()[0])
    parser.add_argument("stack", help="stack name: reads Pulumi.<stack>.yaml")
    parser.add_argument("--subscription", default=os.environ.get(SUBSCRIPTION_ENV),
                        help=f"the Azure subscription ID the resources live in (default: ${SUBSCRIPTION_ENV})")
    parser.add_argument("--out", type=Path, help="where to write (default: build/import-<stack>.json)")
    args = parser.parse_args(argv)
    try:
        subscription_id = subscription_argument(args.subscription)
    except argparse.ArgumentTypeError as err:
        parser.print_usage(sys.stderr)
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        rendered = planned(args.stack, subscription_id)
    except (ConfigError, FileNotFoundError) as err:
        print(f"Stack {args.stack!r} cannot be planned.\n{err}", file=sys.stderr)
        return 2

    spec, left_out = import_spec(rendered)
    path = args.out or ROOT / "build" / f"import-{args.stack}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(spec, indent=2) + "\n")
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    print("\n".join(report(args.stack, shown, spec, left_out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
