"""Turn the JSON of one drift.yml check into a job summary that says which kind of difference it found.

Two checks, two questions (drift.yml runs both for every stack):
  drift    `pulumi refresh --preview-only --expect-no-changes --json`: does Azure still match the state of
           the last deploy? A difference was made outside Pulumi. The job fails.
  pending  `pulumi preview --json` (no refresh): does the program on main match the state of the last
           deploy? A difference was merged but not deployed yet (a deploy waiting for approval, or one
           that failed). Reported, not a failure: waiting for approval is the normal state between merge
           and deploy.

A refresh also sees what the stack's own channels did: after a fleet or channel upgrade, Azure's
`kubernetesVersion`, `currentKubernetesVersion`, `orchestratorVersion` or `nodeImageVersion` of the cluster
and its pools differ from the state. When the stack's settings give that version to a channel
(`channel_moves`), such a difference is listed apart, as expected, and is not drift; every other difference
still is.

Usage (drift.yml):
    python -m tools.drift_summary --check drift --stack prod --json out.json --exit-code 0 \
        --stderr out.err --summary "$GITHUB_STEP_SUMMARY"

Exit codes: 0 nothing found, or only what the check reports without failing (or only upgrades by the
stack's channels); 1 drift; 2 the command itself failed. The decision uses the JSON's change summary, the
count `--expect-no-changes` checks, less the resources whose every change a channel made.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facts.azure import CLUSTER_NODE_IMAGE_CHANNELS, NODE_OS_IMAGE_CHANNELS  # noqa: E402 (needs ROOT)
from offline.engine import stack_config  # noqa: E402
from settings import ConfigError, PlatformSettings, from_config_text  # noqa: E402

# Operations that change nothing in Azure.
UNCHANGED = {"same", "read", "refresh"}

# The resources whose versions a channel moves, and where a version sits in them: at the top of a cluster or
# pool, or in the cluster's inline pools (`agentPoolProfiles[0].orchestratorVersion`).
VERSIONED_TYPES = ("azure-native:containerservice:ManagedCluster", "azure-native:containerservice:AgentPool")
_VERSION_PATH = re.compile(r"^(?:agentPoolProfiles\[\d+\]\.)?(\w+)$")


@dataclass(frozen=True)
class Check:
    """One question drift.yml asks of a stack, and how its answer is reported."""
    command: str    # what drift.yml runs, as the report names it
    found: str      # heading when the command finds differences
    clean: str      # heading when it finds none
    meaning: str    # what a difference means
    action: str     # what to do about it
    fails: bool     # a difference fails the job; the command then runs with --expect-no-changes
    sees_upgrades: bool = False  # it reads Azure, so a channel's upgrade shows up as a difference


CHECKS = {
    "drift": Check(
        command="pulumi refresh --preview-only --expect-no-changes",
        found=":warning: Drift",
        clean=":white_check_mark: No drift",
        meaning="Azure no longer matches the state of the last deploy: it was changed outside Pulumi.",
        action="Keep the Azure change: change the program and merge it before the next deploy. Undo it: "
               "re-run the Deploy workflow; every deploy refreshes first, so it puts the program's values back "
               "(and the next deploy of any change does so too).",
        fails=True,
        sees_upgrades=True,
    ),
    "pending": Check(
        command="pulumi preview",
        found=":hourglass: Changes pending",
        clean=":white_check_mark: Nothing pending",
        meaning="The program on main differs from the state of the last deploy: merged changes are waiting "
                "for the Deploy workflow (its approval, or a re-run after a failure).",
        action="Approve the waiting Deploy run for this stack, or re-run the failed one.",
        fails=False,
    ),
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _resource(urn: str) -> tuple[str, str]:
    """(type, name) from urn:pulumi:<stack>::<project>::<parent$type>::<name>."""
    parts = urn.split("::")
    if len(parts) < 4:
        return "?", urn
    return parts[2].split("$")[-1], "::".join(parts[3:])


def _changed_properties(step: dict) -> list[str]:
    return sorted((step.get("detailedDiff") or {}).keys()) or sorted(step.get("diffReasons") or [])


def channel_moves(settings: PlatformSettings) -> dict[str, str]:
    """Each version property a channel of this stack moves in Azure, and which channel (docs/upgrades.md,
    "Who moves a version"). Nothing for a stack whose stack file alone sets its versions."""
    moves: dict[str, str] = {}
    cluster, fleet = settings.cluster, settings.fleet
    kubernetes = ("the fleet's Kubernetes upgrades" if fleet.upgrades_kubernetes()
                  else f"upgradeChannel: {cluster.upgrade_channel}")
    if settings.channel_moves_minor:
        moves.update(dict.fromkeys(("kubernetesVersion", "orchestratorVersion"), kubernetes))
    # `patch` keeps the minor the stack file says but moves the patch that runs (REST spec 2025-09-01,
    # ManagedCluster.currentKubernetesVersion, AgentPool.currentOrchestratorVersion).
    if settings.channel_moves_minor or cluster.upgrade_channel == "patch":
        moves.update(dict.fromkeys(("currentKubernetesVersion", "currentOrchestratorVersion"), kubernetes))
        # "Any upgrade operation, whether performed manually or automatically, upgrades the node image
        # version if it's not already on the latest version" (Learn "Automatically upgrade an AKS cluster").
        moves["nodeImageVersion"] = kubernetes
    # The node image channels replace (NodeImage, node-image) or patch (SecurityPatch, whose version gains a
    # patch suffix) the node image (Learn "Autoupgrade node OS images"; docs/fleet.md for the fleet's).
    if fleet.upgrades_node_images():
        moves["nodeImageVersion"] = "the fleet's node image upgrades"
    elif cluster.node_os_upgrade_channel in NODE_OS_IMAGE_CHANNELS:
        moves["nodeImageVersion"] = f"nodeOsUpgradeChannel: {cluster.node_os_upgrade_channel}"
    elif cluster.upgrade_channel in CLUSTER_NODE_IMAGE_CHANNELS:
        moves["nodeImageVersion"] = f"upgradeChannel: {cluster.upgrade_channel}"
    return moves


AUTOSCALER = "the cluster autoscaler"


def autoscaler_moves(settings: PlatformSettings) -> dict[str, str]:
    """The node counts the cluster autoscaler moves, as `<resource name>:<property path>`: an autoscaled pool's
    count is the autoscaler's once the pool exists (the program ignores it: components/node_pools.py), so
    Azure's differs from the state after every scale. The System pool is the cluster's inline pool 0."""
    moves = {}
    for pool in settings.node_pools:
        if pool.autoscaled:
            key = "cluster-aks:agentPoolProfiles[0].count" if pool.mode == "System" else f"pools-{pool.name}:count"
            moves[key] = AUTOSCALER
    return moves


def moved_by(type_: str, path: str, moves: dict[str, str], name: str = "") -> str | None:
    """What moved this property of a resource (one of the stack's channels, or the autoscaler for a node
    count), None when nothing the stack leaves in charge did."""
    if f"{name}:{path}" in moves:
        return moves[f"{name}:{path}"]
    match = _VERSION_PATH.match(path)
    return moves.get(match.group(1)) if match and type_ in VERSIONED_TYPES else None


def changed_resources(result: dict) -> list[dict]:
    """Each step that changes something, with the properties it changes.

    A refresh reports every resource as a `refresh` step; only those carrying a diff differ from Azure.
    """
    rows = []
    for step in result.get("steps") or []:
        op = step.get("op", "?")
        properties = _changed_properties(step)
        if op in UNCHANGED and not (op == "refresh" and properties):
            continue
        type_, name = _resource(step.get("urn", ""))
        rows.append({"op": op, "urn": step.get("urn", ""), "type": type_, "name": name, "properties": properties})
    return rows


def change_count(result: dict) -> int:
    summary = result.get("changeSummary") or {}
    return sum(count for op, count in summary.items() if op not in UNCHANGED)


def split_upgrades(rows: list[dict], moves: dict[str, str]) -> tuple[list[dict], list[dict]]:
    """(drift, upgrades): each changed resource's properties that one of the stack's channels moved go to
    `upgrades` (with the channel), the rest stay in `drift`; a resource appears in each list it has some in."""
    drift, upgrades = [], []
    for row in rows:
        by = {p: moved_by(row["type"], p, moves, row["name"]) for p in row["properties"]}
        moved = [p for p in row["properties"] if by[p]]
        rest = [p for p in row["properties"] if not by[p]]
        if moved:
            channels = sorted({by[p] for p in moved})
            upgrades.append({**row, "properties": moved, "channels": channels})
        if rest or not moved:
            drift.append({**row, "properties": rest})
    return drift, upgrades


def _upgrade_lines(upgrades: list[dict]) -> list[str]:
    if not upgrades:
        return []
    lines = [
        "### Moved by its channels or the autoscaler (expected, not drift)",
        "",
        "The stack's settings leave these versions to a channel, and autoscaled node counts to the cluster "
        "autoscaler, which moved them in Azure; the next deploy refreshes them into the state.",
        "",
        "| Type | Resource | Changed properties | Moved by |",
        "| --- | --- | --- | --- |",
    ]
    for row in upgrades:
        props = ", ".join(f"`{p}`" for p in row["properties"])
        lines.append(f"| `{_cell(row['type'])}` | `{_cell(row['name'])}` | {_cell(props)} | "
                     f"{_cell(', '.join(row['channels']))} |")
    return lines + [""]


def render(check: Check, stack: str, result: dict, moves: dict[str, str] | None = None) -> tuple[str, int]:
    """The summary and the exit status; `moves` (from `channel_moves`) tells a channel's upgrades apart."""
    rows, upgrades = split_upgrades(changed_resources(result), moves or {})
    # The change summary counts resources; those whose every change a channel made are not drift.
    drifted = {row["urn"] for row in rows}
    count = change_count(result) - sum(1 for row in upgrades if row["urn"] not in drifted)
    if count <= 0 and not rows:
        return "\n".join([
            f"## {check.clean} in `{stack}`", "",
            f"`{check.command}` of stack `{stack}` found no difference"
            + (" but its channels' upgrades." if upgrades else "."), "",
            *_upgrade_lines(upgrades),
        ]), 0
    lines = [
        f"## {check.found} in `{stack}`",
        "",
        f"`{check.command}` of stack `{stack}` found {max(count, len(rows))} change(s). {check.meaning}",
        "",
        "| Operation | Type | Resource | Changed properties |",
        "| --- | --- | --- | --- |",
    ]
    for row in rows:
        props = ", ".join(f"`{p}`" for p in row["properties"]) or "-"
        lines.append(f"| {row['op']} | `{_cell(row['type'])}` | `{_cell(row['name'])}` | {_cell(props)} |")
    if not rows:
        lines.append("| ? | ? | the JSON names no resource; the job log shows the command's output | - |")
    lines += ["", check.action, "", *_upgrade_lines(upgrades)]
    return "\n".join(lines), 1 if check.fails else 0


def render_failure(check: Check, stack: str, exit_code: int, stderr: str) -> str:
    tail = "\n".join(stderr.strip().splitlines()[-40:])
    return (
        f"## :x: `{check.command}` failed for `{stack}`\n\n"
        f"It exited with {exit_code}; this check could not be made.\n\n"
        f"```\n{tail}\n```\n"
    )


def stack_channel_moves(stack: str) -> tuple[dict[str, str], str]:
    """`channel_moves` and `autoscaler_moves` of the stack file `Pulumi.<stack>.yaml`, and a note for the summary when it cannot be
    read: then no difference counts as an upgrade, and each is reported as drift."""
    try:
        settings = from_config_text(stack_config(stack))
        return {**channel_moves(settings), **autoscaler_moves(settings)}, ""
    except (ConfigError, FileNotFoundError) as error:
        return {}, (f"\nThe settings of `{stack}` could not be read, so no difference is taken for an upgrade "
                    f"by its channel:\n\n```\n{error}\n```\n")


def _read_result(path: Path) -> tuple[dict | None, str]:
    try:
        return json.loads(path.read_text()), ""
    except (OSError, ValueError) as error:
        return None, f"\ncannot read {path}: {error}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", choices=sorted(CHECKS), required=True)
    parser.add_argument("--stack", required=True)
    parser.add_argument("--json", type=Path, required=True, help="the command's --json output")
    parser.add_argument("--exit-code", type=int, default=0, help="the command's exit code")
    parser.add_argument("--stderr", type=Path)
    parser.add_argument("--summary", type=Path, help="file to append the markdown to (default: stdout)")
    args = parser.parse_args(argv)
    check = CHECKS[args.check]

    stderr = args.stderr.read_text(errors="replace") if args.stderr and args.stderr.exists() else ""
    result, problem = _read_result(args.json)
    # With --expect-no-changes the CLI exits non-zero on a difference, after printing its JSON; any other
    # non-zero exit is the command failing, not a finding.
    expected_exit = check.fails and result is not None and change_count(result) > 0
    if result is None or (args.exit_code != 0 and not expected_exit):
        text, status = render_failure(check, args.stack, args.exit_code, stderr + problem), 2
    else:
        moves, note = stack_channel_moves(args.stack) if check.sees_upgrades else ({}, "")
        text, status = render(check, args.stack, result, moves)
        text += note

    if args.summary:
        with args.summary.open("a") as summary:
            summary.write(text)
    else:
        sys.stdout.write(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
