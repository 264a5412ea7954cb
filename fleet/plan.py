"""`python -m fleet.plan [STACK]`: the offline plan of a fleet hub stack (`fleet/Pulumi.<stack>.yaml`, default
`hub`), on Pulumi's mock engine like the platform's (offline/plan.py): the resource tree with each resource's
key settings and the count line that `make plan-all` reads. No policy pack (its policies judge the platform's
stacks) and no cost estimate (Fleet Manager's price is not in offline/prices.json). Exit codes: 0 rendered,
2 invalid stack config or stack file.
"""
from __future__ import annotations

import argparse
import json
import runpy
import sys
from pathlib import Path

from offline.engine import ROOT, Rendered, run, stack_config, stack_secret_keys
from offline.plan import count_line, tree
from settings import ConfigError

from .hub import NAMESPACE

HUB_ROOT = ROOT / "fleet"


def render(stack: str = "hub", config: dict[str, str] | None = None) -> Rendered:
    """The hub program for `stack` (its stack file, or `config` when given) on the recording mocks."""
    secret_keys: list[str] = []
    if config is None:
        config = stack_config(stack, HUB_ROOT, project=NAMESPACE)
        secret_keys = stack_secret_keys(stack, HUB_ROOT)
    return run(lambda: runpy.run_path(str(HUB_ROOT / "__main__.py"), run_name="__main__"), stack, config,
               secret_keys=secret_keys, project=NAMESPACE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fleet.plan", description=__doc__.splitlines()[0])
    parser.add_argument("stack", nargs="?", default="hub", help="hub stack name: reads fleet/Pulumi.<stack>.yaml")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the full desired state as JSON")
    args = parser.parse_args(argv)
    try:
        rendered = render(args.stack)
    except ConfigError as err:
        print(f"Hub stack {args.stack!r} cannot be planned: fleet/Pulumi.{args.stack}.yaml has invalid config.\n{err}",
              file=sys.stderr)
        return 2
    except FileNotFoundError as err:
        print(f"Hub stack {args.stack!r} cannot be planned.\n{err}", file=sys.stderr)
        return 2
    print(f"Offline plan of fleet hub stack {args.stack!r}: the desired state, rendered on Pulumi's mock engine.")
    print("Not a diff against what is deployed (that is `pulumi preview` in fleet/); IDs are mock values.\n")
    print("\n".join(tree(rendered)))
    print("\n" + count_line(rendered.resources))
    print("Outputs: " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in rendered.outputs.items()))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rendered.to_json(), indent=2, sort_keys=True) + "\n")
        print(f"Desired state written to {args.json}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
