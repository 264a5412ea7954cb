"""Turn `pulumi preview --refresh --json` into a job summary that names the stack and each drifted resource.

Usage (drift.yml):
    drift_summary.py --stack prod --preview-json preview.json --preview-exit-code 0 \
        --stderr preview.err --summary "$GITHUB_STEP_SUMMARY"

Exit codes: 0 no drift, 1 drift (some resource would change), 2 the preview itself failed.
The decision uses the preview's change summary, the same count `--expect-no-changes` checks.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# Operations that change nothing in Azure. A refresh step only records what the refresh read.
UNCHANGED = {"same", "read", "refresh"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _resource(urn: str) -> tuple[str, str]:
    """(type, name) from urn:pulumi:<stack>::<project>::<parent$type>::<name>."""
    parts = urn.split("::")
    if len(parts) < 4:
        return "?", urn
    return parts[2].split("$")[-1], "::".join(parts[3:])


def changed_resources(preview: dict) -> list[dict]:
    rows = []
    for step in preview.get("steps") or []:
        op = step.get("op", "?")
        if op in UNCHANGED:
            continue
        type_, name = _resource(step.get("urn", ""))
        properties = sorted((step.get("detailedDiff") or {}).keys()) or sorted(step.get("diffReasons") or [])
        rows.append({"op": op, "type": type_, "name": name, "properties": properties})
    return rows


def drift_count(preview: dict) -> int:
    summary = preview.get("changeSummary") or {}
    return sum(count for op, count in summary.items() if op not in UNCHANGED)


def render(stack: str, preview: dict) -> tuple[str, int]:
    count = drift_count(preview)
    rows = changed_resources(preview)
    if count == 0 and not rows:
        return f"## :white_check_mark: No drift in `{stack}`\n\nAzure matches the program and the state.\n", 0
    lines = [
        f"## :warning: Drift in `{stack}`",
        "",
        f"`pulumi preview --refresh` of stack `{stack}` would make {max(count, len(rows))} change(s): "
        "Azure no longer matches the program.",
        "",
        "| Operation | Type | Resource | Changed properties |",
        "| --- | --- | --- | --- |",
    ]
    for row in rows:
        props = ", ".join(f"`{p}`" for p in row["properties"]) or "-"
        lines.append(f"| {row['op']} | `{_cell(row['type'])}` | `{_cell(row['name'])}` | {_cell(props)} |")
    lines += [
        "",
        "Keep the Azure change: change the program and merge it. Undo it: run the Deploy workflow.",
        "",
    ]
    return "\n".join(lines), 1


def render_failure(stack: str, exit_code: int, stderr: str) -> str:
    tail = "\n".join(stderr.strip().splitlines()[-40:])
    return (
        f"## :x: Drift check failed for `{stack}`\n\n"
        f"`pulumi preview --refresh` exited with {exit_code}; drift could not be checked.\n\n"
        f"```\n{tail}\n```\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stack", required=True)
    parser.add_argument("--preview-json", type=Path, required=True)
    parser.add_argument("--preview-exit-code", type=int, default=0)
    parser.add_argument("--stderr", type=Path)
    parser.add_argument("--summary", type=Path, help="file to append the markdown to (default: stdout)")
    args = parser.parse_args(argv)

    stderr = args.stderr.read_text(errors="replace") if args.stderr and args.stderr.exists() else ""
    preview = None
    if args.preview_exit_code == 0:
        try:
            preview = json.loads(args.preview_json.read_text())
        except (OSError, ValueError) as error:
            stderr += f"\ncannot read {args.preview_json}: {error}"
    if preview is None:
        text, status = render_failure(args.stack, args.preview_exit_code, stderr), 2
    else:
        text, status = render(args.stack, preview)

    if args.summary:
        with args.summary.open("a") as summary:
            summary.write(text)
    else:
        sys.stdout.write(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
