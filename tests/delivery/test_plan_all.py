"""tools/plan_all.py (`make plan-all`): every stack planned in parallel, one summary line each, and a
non-zero exit when any stack fails. The runner is replaced by canned plan outputs except in one test,
which plans the real dev stack to prove the summary reads the plan's actual output."""
from __future__ import annotations

import threading
import time

from tools import plan_all
from tools.plan_all import Outcome

PLANNED = """Offline plan of stack 'x'.

3 Azure resources in 1 component; 0 protected from deletion.
Outputs: kubeconfig (secret)

Policy pack aks-platform 1.0.0 (config policies/config/x.json):
{findings}

Estimated monthly cost at list prices (westeurope):
  total: $10.00 – $20.00 /month
"""


def planned(stack: str, findings: str = "  every policy passes", code: int = 0) -> Outcome:
    return Outcome(stack, code, PLANNED.format(findings=findings), "")


def test_every_shipped_stack_is_planned():
    assert plan_all.stacks() == ["dev", "prod", "staging"]


def test_one_line_per_stack_with_counts_verdict_and_cost():
    lines, code = plan_all.plan_all(["a", "b"], runner=planned)
    assert code == 0
    assert lines == [
        "a: 3 Azure resources in 1 component; 0 protected from deletion. | policies: 0 violation(s), 0 advisory "
        "finding(s) | cost: $10.00 – $20.00 /month",
        "b: 3 Azure resources in 1 component; 0 protected from deletion. | policies: 0 violation(s), 0 advisory "
        "finding(s) | cost: $10.00 – $20.00 /month",
    ]


def test_a_violation_or_a_broken_stack_fails_the_run_and_says_which():
    outcomes = {
        "ok": planned("ok", "  advisory  p1  pool: too small"),
        "refused": planned("refused", "  VIOLATION p2  cluster: public\n  advisory  p1  pool: too small", code=1),
        "broken": Outcome("broken", 2, "", "Stack 'broken' cannot be planned.\nPulumi.broken.yaml: bad key"),
    }
    lines, code = plan_all.plan_all(outcomes, runner=outcomes.get)
    assert code == 2
    assert "policies: 0 violation(s), 1 advisory finding(s)" in lines[0]
    assert "policies: REFUSED: 1 violation(s), 1 advisory finding(s)" in lines[1]
    assert lines[2] == "broken: FAILED (exit 2): Pulumi.broken.yaml: bad key"


def test_stacks_are_planned_in_parallel():
    running, peak, lock = [0], [0], threading.Lock()

    def runner(stack: str) -> Outcome:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1
        return planned(stack)

    plan_all.plan_all(["a", "b", "c"], runner=runner, workers=3)
    assert peak[0] == 3


def test_the_summary_reads_a_real_plan():
    line = plan_all.summary(plan_all.run_plan("dev"))
    assert line.startswith("dev: ") and "Azure resources" in line and "protected from deletion." in line
    assert "| policies: 0 violation(s)" in line
    assert "| cost: $" in line


def test_the_fleet_hub_stack_is_planned_too_by_its_own_plan():
    assert plan_all.hub_stacks() == ["fleet/hub"]
    line = plan_all.summary(plan_all.run_plan("fleet/hub"))
    assert line == ("fleet/hub: 5 Azure resources in 1 component; 0 protected from deletion. | policies: no policy "
                    "pack | cost: no estimate")
