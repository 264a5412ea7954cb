"""`python -m offline.diff STACK --base REF`: what a change does to a stack's desired state, offline.

Renders the stack twice on Pulumi's mock engine, once from the work tree (head) and once from a
detached checkout of REF (base), and prints the difference as markdown for a pull-request comment:
resources to add, change and remove (matched by URN, following the head's aliases), each changed
input as a JSON path `path: old → new`, changes of `protect` and `ignoreChanges`, resources whose
URN changed without an alias (`! ... would be replaced: add an alias`), and policy findings that
appear or go.

Both sides render in a subprocess through `python -m offline.plan STACK --json FILE` in their own
checkout: the base's program, settings and policy pack differ from the head's, and only the plan's
command line is a contract between commits. The interpreter is this one (the work tree's venv), so
the base is rendered with the head's SDK versions; a dependency bump shows up only through what the
program registers.

It compares desired states, not Azure: `pulumi preview` decides replacements and sees drift. Exit 0
whenever both sides rendered, with or without differences; 1 when either side could not be rendered.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sdk_shim.pulumi_sdk import SECRET_SIG_KEY as SECRET_SIG  # the wire format's marker of a secret value

from . import cost
from .change_rules import state_verdict, verdict
from .engine import ROOT
from .plan import describe

ABSENT = object()  # a key or list element that one side does not have
MAX_VALUE_CHARS = 120

# Run in a checkout with its own code: evaluates its policy pack on the JSON its plan wrote.
# A commit from before the offline policy pack has no findings to compare (None).
_POLICY_SCRIPT = """
import dataclasses, json, sys
try:
    from policies.offline import evaluate
except ImportError:
    print("null"); sys.exit(0)
state = json.load(open(sys.argv[1]))
print(json.dumps([dataclasses.asdict(f) for f in evaluate(state["resources"], sys.argv[2])]))
"""


class RenderError(RuntimeError):
    """One side of the diff could not be rendered; the report would be misleading, so there is none."""


@dataclass
class State:
    """One side of the diff: the plan's JSON resources and, when its pack could run, policy findings."""

    resources: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] | None = field(default_factory=list)
    note: str | None = None  # why the side is empty or has no policy results
    exists: bool = True  # False: the checkout has no stack file for it
    warnings: list[str] = field(default_factory=list)  # what the plan warned about


# --- the pure diff -------------------------------------------------------------------------------

def compact(value: Any) -> str:
    """A value on one line: JSON, secrets hidden, long values cut."""
    if value is ABSENT:
        return "(none)"
    if isinstance(value, dict) and SECRET_SIG in value:
        return "[secret]"
    if value == "[secret]":
        return value
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


def _key_path(path: str, key: str) -> str:
    """`a.b` for plain keys; `a["kubernetes.io/os"]` for keys a dot path would misread."""
    if key.replace("-", "_").isidentifier():
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key)}]"


def _named(items: list[Any]) -> dict[str, Any] | None:
    """A list of objects with unique `name`s (pools, NSG rules) by name, so a reorder or an insertion
    shows as what it is instead of every later element changing; None for any other list."""
    names = [item.get("name") for item in items if isinstance(item, dict)]
    if len(names) != len(items) or not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
        return None
    return dict(zip(names, items))


def value_changes(old: Any, new: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Each leaf that differs, as (JSON path, old, new); ABSENT for a side without it."""
    if isinstance(old, dict) and isinstance(new, dict) and SECRET_SIG not in old and SECRET_SIG not in new:
        for key in sorted(old.keys() | new.keys()):
            yield from value_changes(old.get(key, ABSENT), new.get(key, ABSENT), _key_path(path, key))
    elif isinstance(old, list) and isinstance(new, list):
        old_named, new_named = _named(old), _named(new)
        if old_named is not None and new_named is not None and (old or new):
            for name in [*old_named, *(n for n in new_named if n not in old_named)]:
                yield from value_changes(old_named.get(name, ABSENT), new_named.get(name, ABSENT), f"{path}[{name}]")
        else:
            for i in range(max(len(old), len(new))):
                yield from value_changes(old[i] if i < len(old) else ABSENT, new[i] if i < len(new) else ABSENT,
                                         f"{path}[{i}]")
    elif old != new or type(old) is not type(new):
        yield path, old, new


def resource_changes(old: dict[str, Any], new: dict[str, Any], head: Sequence[dict[str, Any]] = ()) -> list[str]:
    """The lines under a changed resource: inputs, each with what Azure does with it where Azure cannot
    apply it in place (offline/change_rules.py; a version also against the rest of the `head` state), then
    the options that change how Pulumi treats it."""
    lines = []
    for path, a, b in value_changes(old["inputs"], new["inputs"]):
        outcome = (verdict({**new, "protect": old.get("protect") or new.get("protect")}, path, a, b)
                   or state_verdict(new, path, b, head))
        lines.append(f"{path}: {compact(a)} → {compact(b)}" + (f"  ← {outcome}" if outcome else ""))
    if bool(old.get("protect")) != bool(new.get("protect")):
        lines.append(f"protect: {compact(bool(old.get('protect')))} → {compact(bool(new.get('protect')))}")
    if sorted(old.get("ignoreChanges") or []) != sorted(new.get("ignoreChanges") or []):
        lines.append(f"ignoreChanges: {compact(old.get('ignoreChanges') or [])} → {compact(new.get('ignoreChanges') or [])}")
    return lines


@dataclass
class ResourceDiff:
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[tuple[dict[str, Any], list[str]]]  # the head resource and its change lines
    unchanged: int
    # (base, head) pairs of the same type and logical name under another URN, with no alias joining
    # them: `pulumi up` deletes the old one and creates the new one.
    replaced: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)


def diff_resources(base: list[dict[str, Any]], head: list[dict[str, Any]]) -> ResourceDiff:
    """Match by URN, as Pulumi does, and follow the head's aliases: a resource renamed or re-parented
    with a `pulumi.Alias` is a change. One that moved without an alias is a removal and an addition;
    where both sides have the same type and logical name, it is flagged as a replacement."""
    old, new = {r["urn"]: r for r in base}, {r["urn"]: r for r in head}
    pairs = {u: u for u in new.keys() & old.keys()}  # head URN -> base URN
    for urn, resource in new.items():
        if urn not in old:
            former = [a for a in resource.get("aliases") or () if a in old and a not in new]
            if former:
                pairs[urn] = former[0]
    changed = []
    for urn, base_urn in pairs.items():
        lines = resource_changes(old[base_urn], new[urn], head)
        if base_urn != urn:
            lines.insert(0, f"renamed with an alias (no replacement): {base_urn} → {urn}")
        if lines:
            changed.append((new[urn], lines))
    order = lambda r: (r["type"], r["name"], r["urn"])  # noqa: E731
    added = sorted((new[u] for u in new.keys() - pairs.keys()), key=order)
    removed = sorted((old[u] for u in old.keys() - set(pairs.values())), key=order)
    twins = {(r["type"], r["name"]): r for r in added}
    replaced = [(r, twins[(r["type"], r["name"])]) for r in removed if (r["type"], r["name"]) in twins]
    gone = {id(r) for pair in replaced for r in pair}
    return ResourceDiff(
        added=[r for r in added if id(r) not in gone],
        removed=[r for r in removed if id(r) not in gone],
        changed=sorted(changed, key=lambda item: order(item[0])),
        unchanged=len(pairs) - len(changed),
        replaced=replaced,
    )


def resource_lines(diff: ResourceDiff) -> list[str]:
    """`+`/`-`/`~`/`!` lines, as in a `diff` code block; the changed inputs indented under their resource."""
    lines = []
    for resource in diff.added:
        lines.append(f"+ {resource['type']} {resource['name']}")
        lines.extend(f"    {setting}" for setting in describe(resource))
    for resource, changes in diff.changed:
        lines.append(f"~ {resource['type']} {resource['name']}")
        lines.extend(f"    {change}" for change in changes)
    for before, after in diff.replaced:
        lines.append(f"! {after['type']} {after['name']}: would be replaced: add an alias")
        lines.append(f"    {before['urn']} → {after['urn']}")
    lines.extend(f"- {r['type']} {r['name']}" for r in diff.removed)
    return lines


def summary_line(diff: ResourceDiff) -> str:
    replaced = f"{len(diff.replaced)} to replace, " if diff.replaced else ""
    return (f"{len(diff.added)} to add, {len(diff.changed)} to change, {replaced}{len(diff.removed)} to remove "
            f"({diff.unchanged} unchanged)")


def _finding_key(finding: dict[str, Any]) -> tuple[str, str, str]:
    # The message is not part of the identity: it quotes values, which the change may have touched.
    return finding["policy"], finding.get("urn") or "", finding["enforcement"]


def _finding_line(finding: dict[str, Any]) -> str:
    level = "VIOLATION" if finding["enforcement"] == "mandatory" else "advisory"
    reason = (finding.get("message") or "").strip().splitlines()
    return f"{level} {finding['policy']} on {finding.get('name') or '(stack)'}: {reason[-1] if reason else ''}"


def policy_lines(base: list[dict[str, Any]] | None, head: list[dict[str, Any]]) -> list[str]:
    """New findings (violations first) and resolved ones; a finding whose level changed is both."""
    if base is None:
        return [f"- {_finding_line(f)}" for f in sorted(head, key=_finding_key)]
    old, new = {_finding_key(f): f for f in base}, {_finding_key(f): f for f in head}
    by_level = lambda key: (key[2] != "mandatory", key)  # noqa: E731
    lines = [f"- new {_finding_line(new[k])}" for k in sorted(new.keys() - old.keys(), key=by_level)]
    lines += [f"- resolved {_finding_line(old[k])}" for k in sorted(old.keys() - new.keys(), key=by_level)]
    kept = new.keys() & old.keys()
    if kept:
        violations = sum(k[2] == "mandatory" for k in kept)
        lines.append(f"- unchanged: {violations} violation(s), {len(kept) - violations} advisory finding(s)")
    return lines


def cost_lines(base: list[dict[str, Any]], head: list[dict[str, Any]]) -> list[str]:
    """The estimated monthly cost change, per item and in total (both sides at the head's price table
    and the stack's region), as a markdown section; nothing when neither side has a region."""
    try:
        region = cost.region_of(head or base)
    except LookupError:
        return []
    delta = cost.diff(cost.estimate(base, region), cost.estimate(head, region))
    return ["#### Cost", "", "```", *cost.render_delta(delta), "```", ""]


def report(stack: str, base_label: str, base: State, head: State) -> str:
    """The markdown comment for one stack."""
    diff = diff_resources(base.resources, head.resources)
    out = [f"### Offline diff of stack `{stack}`: `{base_label}` → this change", ""]
    out += [f"> {note}" for note in (base.note and f"Base: {base.note}", head.note and f"Head: {head.note}") if note]
    out += [f"**{summary_line(diff)}**", ""]
    lines = resource_lines(diff)
    outcomes = [outcome for outcome in ("REFUSED", "REPLACED", "BLOCKED", "ONE-WAY")
                if any(f"← {outcome}:" in line for line in lines)]
    if outcomes:
        counts = ", ".join(f"{sum(f'← {o}:' in line for line in lines)} {o.lower()}" for o in outcomes)
        out += [f"**Azure cannot apply every change in place: {counts} (marked `←` below).**", ""]
    if lines:
        out += ["```diff", *lines, "```", ""]
    if head.warnings:
        out += ["#### Warnings", "", *(f"- {warning}" for warning in head.warnings), ""]
    out += cost_lines(base.resources, head.resources)
    out += ["#### Policy pack", ""]
    if base.findings is None:
        out += ["The base has no offline policy pack; all findings of this change:", ""]
    out += policy_lines(base.findings, head.findings or []) or ["- no findings on either side"]
    out += ["", "_Desired state rendered on Pulumi's mock engine: IDs and computed values are mock values, and "
            "whether a change updates in place or replaces is decided by `pulumi preview`._"]
    return "\n".join(out)


# --- rendering each side -------------------------------------------------------------------------

def render_checkout(checkout: Path, stack: str, side: str) -> State:
    """The plan JSON and policy findings of `stack` in `checkout`, each from that checkout's own code."""
    if not (checkout / f"Pulumi.{stack}.yaml").exists():
        return State(note=f"no Pulumi.{stack}.yaml: treated as an empty stack.", exists=False)
    with tempfile.TemporaryDirectory(prefix="offline-diff-") as tmp:
        state_file = Path(tmp) / "state.json"
        plan = _run([sys.executable, "-m", "offline.plan", stack, "--json", str(state_file)], checkout)
        # Exit 1 is a mandatory policy violation: the state was rendered, and the findings are part of the report.
        if plan.returncode not in (0, 1) or not state_file.exists():
            raise RenderError(f"{side}: `python -m offline.plan {stack}` exited {plan.returncode}:\n{plan.stderr.strip()}")
        state = json.loads(state_file.read_text())
        resources, warnings = state["resources"], state.get("warnings", [])  # older plans wrote no warnings
        policy_config = checkout / "policies" / "config" / f"{stack}.json"
        if not policy_config.exists():
            return State(resources, None, f"no policies/config/{stack}.json: policy pack not evaluated.", warnings=warnings)
        policies = _run([sys.executable, "-c", _POLICY_SCRIPT, str(state_file), str(policy_config)], checkout)
        if policies.returncode != 0:
            raise RenderError(f"{side}: the policy pack failed:\n{policies.stderr.strip()}")
        return State(resources, json.loads(policies.stdout), warnings=warnings)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def _git(*args: str) -> str:
    result = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RenderError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout.strip()


def render_base(ref: str, stack: str) -> tuple[str, State]:
    """Render `ref` in a temporary detached worktree, removed afterwards whatever happens."""
    commit = _git("rev-parse", "--verify", f"{ref}^{{commit}}")
    with tempfile.TemporaryDirectory(prefix="offline-diff-base-") as tmp:
        checkout = Path(tmp) / "base"
        _git("worktree", "add", "--detach", "--quiet", str(checkout), commit)
        try:
            return commit[:12], render_checkout(checkout, stack, f"base {ref}")
        finally:
            _git("worktree", "remove", "--force", str(checkout))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m offline.diff", description=__doc__.splitlines()[0])
    parser.add_argument("stack", help="stack name: reads Pulumi.<stack>.yaml on each side")
    parser.add_argument("--base", required=True, metavar="REF", help="git commit, branch or tag to compare against")
    args = parser.parse_args(argv)
    try:
        base_label, base = render_base(args.base, args.stack)
        head = render_checkout(ROOT, args.stack, "head")
    except RenderError as err:
        print(f"Offline diff of stack {args.stack!r} failed.\n{err}", file=sys.stderr)
        return 1
    if not base.exists and not head.exists:
        print(f"### Offline diff of stack `{args.stack}`\n\nNo `Pulumi.{args.stack}.yaml` in the base "
              f"(`{base_label}`) or in this change: nothing to compare.")
        return 0
    print(report(args.stack, base_label, base, head))
    return 0


if __name__ == "__main__":
    sys.exit(main())
