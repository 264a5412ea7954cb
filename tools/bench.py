"""`make bench` (`python tools/bench.py [--runs N]`): how long the offline plan takes, and how deep each
stack's dependency graph is.

Time: each stack's `python -m offline.plan STACK` in fresh subprocesses (output discarded), against a
bare interpreter that only imports the SDK modules the program and the plan import. Most of a plan is
import time, so the ratio says what the program itself costs on top of the SDK; the goal is prod within
3x the bare import. Fresh processes because that is how CI and developers run it: a warm in-process
loop would hide the imports.

Many stacks: `make plan-all` (`python -m tools.plan_all`, every stack in its own process, as many at once as
there are CPUs) against the sum of the single plans' medians, which is what planning them one after
another costs.

Depth: the longest chain of resources (Azure resources and Kubernetes objects alike) in which each
waits for the previous one, from the rendered `dependencies`. `pulumi up` creates everything else in
parallel, so this chain bounds how long a first deployment takes however fast each step is. A
dependency on a component counts as a dependency on each resource in it, as in the Pulumi engine.
"""
from __future__ import annotations

import argparse
import ast
import os
import statistics
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Imported by the plan itself rather than the program: the policy pack and the settings model.
PLAN_SDKS = ("pulumi", "pulumi_policy", "pydantic")
PLAN_ALL = "plan-all"


def program_sdk_imports() -> tuple[list[str], dict[str, set[str]]]:
    """The pulumi_azure_native submodules the components import, and the resource classes they use of
    each, read from their source so the baselines follow the program. Both matter: the provider's
    submodules are lazy, so `import pulumi_azure_native.network` loads almost nothing until a class
    such as `network.Subnet` is first touched."""
    classes: dict[str, set[str]] = {}
    for path in (ROOT / "components").glob("*.py"):
        tree = ast.parse(path.read_text())
        aliases = {}  # local name -> module
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "pulumi_azure_native":
                for alias in node.names:
                    aliases[alias.asname or alias.name] = f"pulumi_azure_native.{alias.name}"
                    classes.setdefault(f"pulumi_azure_native.{alias.name}", set())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
                if node.attr[:1].isupper():
                    classes[aliases[node.value.id]].add(node.attr)
    return [*PLAN_SDKS, *sorted(classes)], classes


def timed(commands: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    """Wall-clock seconds of `runs` fresh runs of each command. The commands take turns, round by
    round, so a busy machine slows all of them alike and the ratios stay meaningful. A failed run
    aborts, since its time would mean nothing; exit 1 of the plan is a mandatory policy violation,
    still a complete plan."""
    seconds: dict[str, list[float]] = {label: [] for label in commands}
    total, done = runs * len(commands), 0
    for _ in range(runs):
        for label, command in commands.items():
            done += 1
            # Progress on stderr (a run takes minutes): stdout stays the report.
            print(f"bench: run {done}/{total}: {label}", file=sys.stderr, flush=True)
            start = time.perf_counter()
            result = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            seconds[label].append(time.perf_counter() - start)
            if result.returncode not in (0, 1):
                sys.exit(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr}")
    return seconds


def spread(seconds: list[float]) -> str:
    return f"median {statistics.median(seconds):.2f} s (min {min(seconds):.2f} – max {max(seconds):.2f})"


def longest_chain(resources: list[dict]) -> list[dict]:
    """The longest path of (custom) resources through `dependencies`, first-created first."""
    by_urn = {r["urn"]: r for r in resources}
    children: dict[str, list[str]] = {}
    for r in resources:
        children.setdefault(r["parent"] or "", []).append(r["urn"])

    def resources_in(urn: str) -> list[str]:
        """A resource itself, or for a component every resource under it."""
        if urn not in by_urn:
            return []
        if by_urn[urn]["custom"]:
            return [urn]
        return [u for child in children.get(urn, []) for u in resources_in(child)]

    @cache
    def chain_to(urn: str) -> tuple[str, ...]:
        prerequisites = {u for dep in by_urn[urn]["dependencies"] for u in resources_in(dep)}
        longest = max((chain_to(u) for u in sorted(prerequisites)), key=len, default=())
        return (*longest, urn)

    # Several chains may tie; URN order makes the one printed the same on every run.
    chains = [chain_to(urn) for urn in sorted(by_urn) if by_urn[urn]["custom"]]
    return [by_urn[u] for u in max(chains, key=len, default=())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/bench.py", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per measurement (default 5)")
    args = parser.parse_args(argv)

    from offline.engine import render  # after the path setup; not part of any timing

    stacks = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in ROOT.glob("Pulumi.*.yaml"))
    modules, classes = program_sdk_imports()
    imports = "import " + ", ".join(modules)
    loaded = "; ".join(f"from {m} import {', '.join(sorted(c))}" for m, c in sorted(classes.items()) if c)
    baselines = {
        "bare import": [sys.executable, "-c", imports],
        "bare import + classes": [sys.executable, "-c", f"{imports}; {loaded}"],
    }
    plans = {stack: [sys.executable, "-m", "offline.plan", stack] for stack in stacks}
    plan_all = {PLAN_ALL: [sys.executable, "-m", "tools.plan_all"]}
    seconds = timed({**baselines, **plans, **plan_all}, args.runs)
    median = {label: statistics.median(values) for label, values in seconds.items()}

    print(f"{args.runs} fresh processes each, interleaved.")
    print(f"bare import: {', '.join(modules)}")
    print(f"bare import + classes: also loads the {sum(map(len, classes.values()))} pulumi_azure_native "
          "classes the components use (the provider's submodules load them lazily)\n")
    for label in baselines:
        print(f"{label:<24} {spread(seconds[label])}")
    for stack in stacks:
        print(f"{'plan ' + stack:<24} {spread(seconds[stack])}: {median[stack] / median['bare import']:.2f}x bare "
              f"import, {median[stack] / median['bare import + classes']:.2f}x bare import + classes")
    one_by_one = sum(median[stack] for stack in stacks)
    print(f"{PLAN_ALL:<24} {spread(seconds[PLAN_ALL])}: {len(stacks)} stacks, {min(len(stacks), os.cpu_count() or 1)} "
          f"at once on {os.cpu_count()} CPUs; the {len(stacks)} single plans one after another: {one_by_one:.2f} s "
          f"(plan-all takes {median[PLAN_ALL] / one_by_one:.2f}x that)")
    for stack in stacks:
        chain = longest_chain(render(stack).resources)
        print(f"\nLongest dependency chain of {stack}: {len(chain)} resources")
        print("  " + " → ".join(f"{r['type'].removeprefix('azure-native:')} ({r['name']})" for r in chain))
    return 0


if __name__ == "__main__":
    sys.exit(main())
