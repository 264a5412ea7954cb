"""The delivery workflows, read as YAML: a deploy proves it settled, drift is told apart from pending
changes, and every job that runs the Pulumi CLI caches its plugins and prints `pulumi about`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tools import drift_summary

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
PLUGINS_ACTION = "./.github/actions/pulumi-plugins"

# A CLI call in a `run:` script, e.g. "pulumi preview --stack ..." (not "pulumi-plugins" nor "pulumi/actions").
_CLI_CALL = re.compile(r"(?:^|[\s;&|(])pulumi\s+[a-z]")


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def _jobs() -> dict[str, dict]:
    """Every job with steps, as '<workflow file>/<job id>' (reusable-workflow callers have no steps)."""
    return {f"{path.name}/{job_id}": job
            for path in sorted(WORKFLOWS.glob("*.yml"))
            for job_id, job in _load(path)["jobs"].items() if "steps" in job}


def _runs_pulumi(step: dict) -> bool:
    if str(step.get("uses", "")).startswith("pulumi/actions@"):
        return "command" in (step.get("with") or {})  # without a command the action only installs the CLI
    return bool(_CLI_CALL.search(step.get("run", "")))


def _pulumi_action_steps(job: dict, command: str) -> list[dict]:
    return [s for s in job["steps"] if str(s.get("uses", "")).startswith("pulumi/actions@")
            and (s.get("with") or {}).get("command") == command]


PULUMI_JOBS = {name: job for name, job in _jobs().items() if any(_runs_pulumi(s) for s in job["steps"])}


def test_the_jobs_that_run_pulumi_are_found():
    assert set(PULUMI_JOBS) == {"deploy-stack.yml/up", "drift.yml/check", "preview.yml/preview"}


@pytest.mark.parametrize("name", sorted(PULUMI_JOBS))
def test_every_pulumi_job_restores_plugins_and_prints_about_before_its_first_pulumi_step(name):
    steps = PULUMI_JOBS[name]["steps"]
    uses = [str(s.get("uses", "")) for s in steps]

    assert PLUGINS_ACTION in uses, f"{name} does not use {PLUGINS_ACTION}"
    first_pulumi = next(i for i, s in enumerate(steps) if _runs_pulumi(s))
    assert uses.index("./.github/actions/setup") < uses.index(PLUGINS_ACTION) < first_pulumi


def test_the_plugins_action_caches_the_plugin_directory_on_the_pins_and_runs_pulumi_about():
    steps = _load(ROOT / PLUGINS_ACTION / "action.yml")["runs"]["steps"]
    cache = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache@")]
    about = [s for s in steps if re.search(r"^pulumi about\b", s.get("run", ""), re.M)]

    assert len(cache) == 1 and len(about) == 1
    assert cache[0]["with"]["path"] == "~/.pulumi/plugins"
    assert "hashFiles('uv.lock')" in cache[0]["with"]["key"]


def test_the_deploy_is_followed_by_a_refreshed_preview_that_expects_no_changes():
    job = _load(WORKFLOWS / "deploy-stack.yml")["jobs"]["up"]
    [up] = _pulumi_action_steps(job, "up")
    [settled] = _pulumi_action_steps(job, "preview")

    assert job["steps"].index(up) < job["steps"].index(settled)
    assert settled["with"]["expect-no-changes"] is True
    assert settled["with"]["refresh"] is True
    for key in ("stack-name", "cloud-url", "secrets-provider"):
        assert settled["with"][key] == up["with"][key]


def test_the_deploy_workflow_runs_that_job_as_a_matrix_per_stage_each_gated_on_the_one_before():
    jobs = _load(WORKFLOWS / "deploy.yml")["jobs"]

    assert list(jobs) == ["dev", "staging", "prod"]
    for stage, job in jobs.items():
        assert job["uses"] == "./.github/workflows/deploy-stack.yml"
        # Every stack of the stage in the stage's GitHub Environment, whose reviewers gate it.
        assert job["with"]["stack"] == "${{ matrix.stack }}" and job["with"]["environment"] == stage
        assert job["strategy"]["fail-fast"] is False
    assert "needs" not in jobs["dev"]
    assert (jobs["staging"]["needs"], jobs["prod"]["needs"]) == ("dev", "staging")


def test_the_stack_workflow_binds_the_job_to_the_stage_s_environment():
    stack_workflow = _load(WORKFLOWS / "deploy-stack.yml")
    assert stack_workflow["jobs"]["up"]["environment"] == "${{ inputs.environment || inputs.stack }}"
    # One stack never has two updates at once, whatever its stage.
    assert stack_workflow["jobs"]["up"]["concurrency"]["group"] == "deploy-${{ inputs.stack }}"


def test_every_deploy_and_every_pr_preview_refreshes_with_no_input_to_turn_it_off():
    # A stack whose minor a channel moves must never `up` against the recorded, older version
    # (docs/upgrades.md); refreshing every stack is the simple way to be sure, and the PR preview shows
    # the same diff the deploy will make.
    deploy = _load(WORKFLOWS / "deploy.yml")
    stack_workflow = _load(WORKFLOWS / "deploy-stack.yml")
    [up] = _pulumi_action_steps(stack_workflow["jobs"]["up"], "up")
    [pr_preview] = _pulumi_action_steps(_load(WORKFLOWS / "preview.yml")["jobs"]["preview"], "preview")

    assert up["with"]["refresh"] is True
    assert pr_preview["with"]["refresh"] is True
    assert "refresh" not in stack_workflow.get("on", stack_workflow.get(True))["workflow_call"]["inputs"]
    assert "inputs" not in (deploy.get("on", deploy.get(True))["workflow_dispatch"] or {})
    assert all("refresh" not in job["with"] for job in deploy["jobs"].values())


def _drift_job() -> dict:
    return _load(WORKFLOWS / "drift.yml")["jobs"]["check"]


def _case_branches(script: str) -> dict[str, str]:
    """The branches of the script's `case "$CHECK" in ... esac`, as {pattern: command line}."""
    return dict(re.findall(r"^\s*([a-z]+)\)\s*(.+?)\s*;;\s*$", script, re.M))


def test_drift_runs_both_checks_for_every_stack():
    matrix = _drift_job()["strategy"]["matrix"]

    assert matrix["check"] == sorted(drift_summary.CHECKS)
    assert matrix["stack"] == ["dev", "staging", "prod"]


def test_each_check_runs_the_command_its_report_names():
    [step] = [s for s in _drift_job()["steps"] if "python -m tools.drift_summary " in s.get("run", "")]
    branches = _case_branches(step["run"])

    assert set(branches) == set(drift_summary.CHECKS)
    for name, check in drift_summary.CHECKS.items():
        command = branches[name]
        assert command.startswith(check.command + " ") and "--json" in command, name
        # A check that fails the job makes the CLI exit non-zero on a difference, too.
        assert ("--expect-no-changes" in command) is check.fails, name
    assert '--check "$CHECK"' in step["run"]


def test_drift_compares_azure_with_state_and_pending_compares_the_program_with_state():
    branches = _case_branches([s for s in _drift_job()["steps"] if "run" in s][-1]["run"])

    # refresh --preview-only: Azure against the state, without changing the state.
    assert branches["drift"].startswith("pulumi refresh --preview-only ")
    # preview without refresh: the program on main against the state of the last deploy.
    assert branches["pending"].startswith("pulumi preview ") and "--refresh" not in branches["pending"]
    assert drift_summary.CHECKS["drift"].fails and not drift_summary.CHECKS["pending"].fails
