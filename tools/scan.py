"""`make scan` (`python -m tools.scan [STACK ...]`): checkov's rules on what each stack renders.

Each stack's desired state is exported by offline/export.py under build/scan/<stack>/ (an ARM template
per Azure resource, a manifest per Kubernetes object, each named by its Pulumi logical name), then
checkov (pinned in tools/scanner/, its own venv) runs its ARM and Kubernetes checks on all of them at
once. A failed check is waived only by a waiver in facts/waivers.py that covers the rule and the resource.

Prints, per stack, one line per finding: `FAIL <check> <resource> <file>: <title>` (what to fix),
`waived <check> <resource>: <reason>`, `STALE <check> <resource>` (a waiver of a check the resource now
passes: remove it), `NOT SCANNED <resource>` (no ARM type known in offline/export.py); then a count line.
Exit 0 when no stack has a FAIL, STALE or NOT SCANNED line; 1 otherwise; 2 when checkov cannot run.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from facts.waivers import Waiver, waiver_for
from offline.engine import ROOT, render
from offline.export import export
from tools.plan_all import stacks as all_stacks

CHECKOV = ROOT / "tools" / "scanner" / "venv" / "bin" / "checkov"
OUT = ROOT / "build" / "scan"
FRAMEWORKS = ("arm", "kubernetes")


@dataclass(frozen=True)
class Result:
    """One check on one exported file, as checkov reports it."""

    check: str
    title: str
    passed: bool
    stack: str
    resource: str  # the Pulumi logical name (the file's name)
    file: str  # relative to the repo


@dataclass(frozen=True)
class Finding:
    verdict: str  # FAIL, waived, STALE
    result: Result
    waiver: Waiver | None = None

    def line(self) -> str:
        r = self.result
        if self.verdict == "FAIL":
            return f"  FAIL   {r.check} {r.resource} {r.file}: {r.title}"
        if self.verdict == "STALE":
            return (f"  STALE  {r.check} {r.resource}: waived in facts/waivers.py but the resource passes "
                    f"({r.title}); remove the waiver")
        return f"  waived {r.check} {r.resource}: {r.title} (the reason: facts/waivers.py)"


def results(report: Any, root: Path) -> list[Result]:
    """checkov's JSON output (one report, or a list of one per framework) as Results; each file path is
    .../<stack>/<azure|kubernetes>/<logical name>.<ext>, as export() writes it."""
    found = []
    for framework in report if isinstance(report, list) else [report]:
        for key, passed in (("passed_checks", True), ("failed_checks", False)):
            for check in framework.get("results", {}).get(key, []):
                *_, stack, kind, filename = Path(check["file_path"]).parts
                found.append(Result(check["check_id"], check["check_name"], passed, stack, Path(filename).stem,
                                    str((root / stack / kind / filename).relative_to(ROOT))))
    return sorted(found, key=lambda r: (r.stack, r.passed, check_order(r.check), r.resource))


def check_order(check: str) -> tuple[str, int]:
    """CKV_AZURE_8 before CKV_AZURE_41: by prefix, then number."""
    prefix, _, number = check.rpartition("_")
    return (prefix, int(number)) if number.isdigit() else (check, 0)


def judge(found: list[Result], resources: dict[tuple[str, str], dict[str, Any]]) -> list[Finding]:
    """Each failure FAIL or waived; each pass of a waived check STALE. `resources` maps (stack, logical
    name) to the rendered resource, whose type and inputs a waiver may name."""
    judged = []
    for result in found:
        resource = resources[(result.stack, result.resource)]
        waiver = waiver_for(result.check, resource["type"], result.resource, resource["inputs"])
        if not result.passed:
            judged.append(Finding("waived" if waiver else "FAIL", result, waiver))
        elif waiver:
            judged.append(Finding("STALE", result, waiver))
    return judged


def run_checkov(directory: Path, checkov: Path) -> Any:
    done = subprocess.run(
        [str(checkov), "--directory", str(directory), "--framework", *FRAMEWORKS, "--output", "json",
         # Nothing from Prisma Cloud (guideline links, severities): the checks are in the package.
         "--skip-download"],
        capture_output=True, text=True, check=False,
    )
    if done.returncode not in (0, 1) or not done.stdout.strip():  # 1: some check failed
        raise RuntimeError(f"checkov exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.scan", description=__doc__.splitlines()[0])
    parser.add_argument("stacks", nargs="*", help="stacks to scan (default: every Pulumi.<stack>.yaml)")
    parser.add_argument("--checkov", type=Path, default=CHECKOV, help=f"checkov to run (default: {CHECKOV.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    if not args.checkov.exists():
        print(f"{args.checkov} is missing: `make scan` builds it from tools/scanner/uv.lock", file=sys.stderr)
        return 2

    shutil.rmtree(OUT, ignore_errors=True)
    resources: dict[tuple[str, str], dict[str, Any]] = {}
    unmapped: dict[str, list[tuple[str, str]]] = {}
    for stack in args.stacks or all_stacks():
        rendered = render(stack).resources
        unmapped[stack] = export(rendered, OUT / stack).unmapped
        resources.update({(stack, r["name"]): r for r in rendered if r["custom"]})
    try:
        found = results(run_checkov(OUT, args.checkov), OUT)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 2
    judged = judge(found, resources)

    bad = 0
    for stack, missing in unmapped.items():
        mine = [f for f in judged if f.result.stack == stack]
        counts = {v: sum(f.verdict == v for f in mine) for v in ("FAIL", "waived", "STALE")}
        passed = sum(r.passed for r in found if r.stack == stack)
        print(f"== {stack}: checkov {' and '.join(FRAMEWORKS)} checks on build/scan/{stack}/")
        for finding in sorted(mine, key=lambda f: ("FAIL", "STALE", "waived").index(f.verdict)):
            print(finding.line())
        for token, name in missing:
            print(f"  NOT SCANNED {name} ({token}): give its type an ARM type in offline/arm.py ARM_TYPES")
        print(f"  {stack}: {counts['FAIL']} failed, {counts['STALE']} stale waivers, {len(missing)} not scanned; "
              f"{passed} passed, {counts['waived']} waived")
        bad += counts["FAIL"] + counts["STALE"] + len(missing)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
