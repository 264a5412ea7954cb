"""`make plan-all` (`python -m tools.plan_all [STACK ...]`): the offline plan of every stack, in parallel.

Each stack is one `python -m offline.plan STACK` in its own process, and each fleet hub stack
(`fleet/Pulumi.<stack>.yaml`, named `fleet/<stack>` here) one `python -m fleet.plan STACK` (a stack's render is a Pulumi mock
engine with process-wide state, and most of its time is imports, which processes run side by side).
Prints one line per stack, in the order the stacks are named: the plan's count line, the policy verdict
and the estimated monthly cost; a stack that cannot be planned shows its error instead. Exit 0 when every
stack planned without a mandatory violation, otherwise the highest of the plans' exit codes (1: a
mandatory policy violation, 2: a stack that cannot be planned).
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The fleet hub's own project (docs/fleet.md): its stacks are planned too, by its own plan module.
HUB_PROJECT = "fleet"
STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>[^.]+)\.yaml$")


@dataclass(frozen=True)
class Outcome:
    stack: str
    returncode: int
    stdout: str
    stderr: str


def stacks(root: Path = ROOT) -> list[str]:
    """Every stack of the repo: one per `Pulumi.<stack>.yaml`, sorted."""
    return sorted(m["stack"] for p in root.iterdir() if (m := STACK_FILE.match(p.name)))


def hub_stacks(root: Path = ROOT) -> list[str]:
    """Every stack of the fleet hub project, as `fleet/<stack>`, sorted."""
    return [f"{HUB_PROJECT}/{stack}" for stack in stacks(root / HUB_PROJECT)]


def run_plan(stack: str) -> Outcome:
    """One stack's plan in a fresh process, with this interpreter (the repo's venv)."""
    project, _, hub_stack = stack.rpartition("/")
    command = ["-m", "fleet.plan", hub_stack] if project == HUB_PROJECT else ["-m", "offline.plan", stack]
    done = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True, check=False)
    return Outcome(stack, done.returncode, done.stdout, done.stderr)


def _line(text: str, pattern: str) -> str | None:
    match = re.search(pattern, text, re.M)
    return match.group(1).strip() if match else None


def summary(outcome: Outcome) -> str:
    """`prod: 60 Azure resources, ... | policies: 0 violations, 2 advisories | cost: $1,234-$2,345 /month`."""
    if outcome.returncode == 2 or "protected from deletion." not in outcome.stdout:
        reason = (outcome.stderr.strip().splitlines() or [f"exited {outcome.returncode}"])[-1]
        return f"{outcome.stack}: FAILED (exit {outcome.returncode}): {reason}"
    counts = _line(outcome.stdout, r"^(.+protected from deletion\.)$")
    violations = len(re.findall(r"^  VIOLATION ", outcome.stdout, re.M))
    advisories = len(re.findall(r"^  advisory ", outcome.stdout, re.M))
    verdict = f"{violations} violation(s), {advisories} advisory finding(s)"
    if violations:
        verdict = f"REFUSED: {verdict}"
    if "Policy pack " not in outcome.stdout:  # the fleet hub's plan: the pack judges the platform's stacks
        verdict = "no policy pack"
    cost = _line(outcome.stdout, r"^  total: (.+)$") or "no estimate"
    return f"{outcome.stack}: {counts} | policies: {verdict} | cost: {cost}"


def plan_all(names: Iterable[str], runner: Callable[[str], Outcome] = run_plan,
             workers: int | None = None) -> tuple[list[str], int]:
    """The summary line of each stack and the exit code of the whole run."""
    names = list(names)
    with ThreadPoolExecutor(max_workers=workers or min(len(names), os.cpu_count() or 1) or 1) as pool:
        outcomes = list(pool.map(runner, names))
    return [summary(o) for o in outcomes], max((o.returncode for o in outcomes), default=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.plan_all", description=__doc__.splitlines()[0])
    parser.add_argument("stacks", nargs="*", help="stacks to plan (default: every Pulumi.<stack>.yaml, and every "
                        "fleet/Pulumi.<stack>.yaml as fleet/<stack>)")
    parser.add_argument("--workers", type=int, help="parallel plans (default: one per CPU, at most one per stack)")
    args = parser.parse_args(argv)
    names = args.stacks or [*stacks(), *hub_stacks()]
    if not names:
        print("No Pulumi.<stack>.yaml in the repo: nothing to plan.", file=sys.stderr)
        return 2
    lines, code = plan_all(names, workers=args.workers)
    print("\n".join(lines))
    if code:
        print(f"\nplan-all: not every stack plans cleanly (exit {code}); run `make plan STACK=<stack>` for one.",
              file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
