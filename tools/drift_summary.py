"""Turn the JSON of one drift.yml check into a job summary that says which kind of difference it found.

Two checks, two questions (drift.yml runs both for every stack):
  drift    `pulumi refresh --preview-only --expect-no-changes --json`: does Azure still match the state of
           the last deploy? A difference was made outside Pulumi. The job fails.
  pending  `pulumi preview --json` (no refresh): does the program on main match the state of the last
           deploy? A difference was merged but not deployed yet (a deploy waiting for approval, or one
           that failed). Reported, not a failure: waiting for approval is the normal state between merge
           and deploy.

Usage (drift.yml):
    drift_summary.py --check drift --stack prod --json out.json --exit-code 0 \
        --stderr out.err --summary "$GITHUB_STEP_SUMMARY"

Exit codes: 0 nothing found, or only what the check reports without failing; 1 drift; 2 the command
itself failed. The decision uses the JSON's change summary, the count `--expect-no-changes` checks.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

# Operations that change nothing in Azure.
UNCHANGED = {"same", "read", "refresh"}


@dataclass(frozen=True)
class Check:
    """One question drift.yml asks of a stack, and how its answer is reported."""
    command: str    # what drift.yml runs, as the report names it
    found: str      # heading when the command finds differences
    clean: str      # heading when it finds none
    meaning: str    # what a difference means
    action: str     # what to do about it
    fails: bool     # a difference fails the job; the command then runs with --expect-no-changes


CHECKS = {
    "drift": Check(
        command="pulumi refresh --preview-only --expect-no-changes",
        found=":warning: Drift",
        clean=":white_check_mark: No drift",
        meaning="Azure no longer matches the state of the last deploy: it was changed outside Pulumi.",
        action="Keep the Azure change: change the program and merge it. Undo it: run the Deploy workflow "
               "with `refresh` checked (a deploy without refresh compares the program with the stale state "
               "and leaves the drift in place).",
        fails=True,
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
        rows.append({"op": op, "type": type_, "name": name, "properties": properties})
    return rows


def change_count(result: dict) -> int:
    summary = result.get("changeSummary") or {}
    return sum(count for op, count in summary.items() if op not in UNCHANGED)


def render(check: Check, stack: str, result: dict) -> tuple[str, int]:
    count = change_count(result)
    rows = changed_resources(result)
    if count == 0 and not rows:
        return f"## {check.clean} in `{stack}`\n\n`{check.command}` of stack `{stack}` found no difference.\n", 0
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
    lines += ["", check.action, ""]
    return "\n".join(lines), 1 if check.fails else 0


def render_failure(check: Check, stack: str, exit_code: int, stderr: str) -> str:
    tail = "\n".join(stderr.strip().splitlines()[-40:])
    return (
        f"## :x: `{check.command}` failed for `{stack}`\n\n"
        f"It exited with {exit_code}; this check could not be made.\n\n"
        f"```\n{tail}\n```\n"
    )


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
        text, status = render(check, args.stack, result)

    if args.summary:
        with args.summary.open("a") as summary:
            summary.write(text)
    else:
        sys.stdout.write(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
