"""The workflows and the stack files read together, so they cannot drift apart: every stack is previewed,
deployed and checked for drift; kubelogin signs in as the same identity as the provider, from GitHub's
OIDC token; a private stack's jobs take their runner from a variable and check it before deploying."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from offline.engine import stack_config
from settings import from_config_text
from tools import runner_check

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
STACKS = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in ROOT.glob("Pulumi.*.yaml"))
SETTINGS = {stack: from_config_text(stack_config(stack)) for stack in STACKS}
PRIVATE = [s for s in STACKS if runner_check.needs_line_of_sight(SETTINGS[s])]


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def job(name: str, job_id: str) -> dict:
    return workflow(name)["jobs"][job_id]


MATRIX_JOBS = [("preview.yml", "preview"), ("drift.yml", "check")]
STEP_JOBS = [*MATRIX_JOBS, ("deploy-stack.yml", "up")]


def test_the_shipped_prod_stack_is_one_that_needs_line_of_sight():
    assert "prod" in PRIVATE and SETTINGS["prod"].in_cluster.kubelogin_mode == "workloadidentity"


@pytest.mark.parametrize(("name", "job_id"), MATRIX_JOBS)
def test_preview_and_drift_cover_every_stack_file(name, job_id):
    assert sorted(job(name, job_id)["strategy"]["matrix"]["stack"]) == STACKS


def deploy_matrix(stage: str) -> list[dict]:
    return job("deploy.yml", stage)["strategy"]["matrix"]["include"]


def test_each_deploy_stage_deploys_exactly_the_stack_files_of_its_environment():
    stages = {stage: sorted(entry["stack"] for entry in deploy_matrix(stage)) for stage in workflow("deploy.yml")["jobs"]}
    assert stages == {env: sorted(s for s in STACKS if SETTINGS[s].environment == env) for env in stages}
    assert sorted(s for stacks in stages.values() for s in stacks) == STACKS


@pytest.mark.parametrize(("name", "job_id"), STEP_JOBS)
def test_kubelogin_signs_in_as_the_provider_with_a_fresh_github_token(name, job_id):
    spec = job(name, job_id)
    env = spec["env"]
    # workloadidentity reads AZURE_CLIENT_ID/AZURE_TENANT_ID and, with id-token: write, GitHub's OIDC
    # request variables (Azure/kubelogin >= 0.0.34); a token file would expire minutes into a deploy.
    assert env["AZURE_CLIENT_ID"] == env["ARM_CLIENT_ID"] and env["AZURE_TENANT_ID"] == env["ARM_TENANT_ID"]
    assert spec["permissions"]["id-token"] == "write"
    assert "AZURE_FEDERATED_TOKEN_FILE" not in env
    assert all("AZURE_FEDERATED_TOKEN_FILE" not in (step.get("env") or {}) for step in spec["steps"])


def test_setup_pins_a_kubelogin_that_reads_the_github_token_and_checks_the_identity():
    action = yaml.safe_load((ROOT / ".github/actions/setup/action.yml").read_text())
    (install,) = [s for s in action["runs"]["steps"] if str(s.get("uses", "")).startswith("azure/use-kubelogin@")]
    major, minor, patch = (int(p) for p in install["with"]["kubelogin-version"].lstrip("v").split("."))
    assert (major, minor, patch) >= (0, 0, 34)
    assert "AZURE_CLIENT_ID/AZURE_TENANT_ID must equal" in (ROOT / ".github/actions/setup/action.yml").read_text()


@pytest.mark.parametrize("stack", PRIVATE)
def test_a_private_stack_deploys_on_the_runner_its_variable_names(stack):
    stage = SETTINGS[stack].environment
    assert {"stack": stack, "runner": f"${{{{ vars.RUNNER_{stack.upper()} }}}}"} in deploy_matrix(stage)
    assert job("deploy.yml", stage)["with"]["runs-on"] == "${{ matrix.runner || '\"ubuntu-latest\"' }}"
    assert job("deploy-stack.yml", "up")["runs-on"] == "${{ fromJSON(inputs.runs-on) }}"


@pytest.mark.parametrize(("name", "job_id"), MATRIX_JOBS)
@pytest.mark.parametrize("stack", PRIVATE)
def test_a_private_stack_previews_and_checks_drift_on_the_same_runner(name, job_id, stack):
    spec = job(name, job_id)
    assert {"stack": stack, "runner": f"${{{{ vars.RUNNER_{stack.upper()} }}}}"} in spec["strategy"]["matrix"]["include"]
    assert spec["runs-on"] == "${{ fromJSON(matrix.runner || '\"ubuntu-latest\"') }}"


@pytest.mark.parametrize(("name", "job_id"), STEP_JOBS)
def test_every_pulumi_job_checks_its_runner_before_pulumi(name, job_id):
    steps = job(name, job_id)["steps"]
    check = next(i for i, s in enumerate(steps) if "tools.runner_check" in s.get("run", ""))
    plugins = next(i for i, s in enumerate(steps) if s.get("uses") == "./.github/actions/pulumi-plugins")
    assert check < plugins


def test_the_runner_check_refuses_a_github_hosted_runner_for_a_private_stack_and_names_the_variable():
    found = runner_check.problem("prod", "ubuntu-latest", SETTINGS["prod"])
    assert found.startswith("stack 'prod' has a private API server and the in-cluster layer on, but this job runs on "
                            '"ubuntu-latest", a GitHub-hosted runner that cannot reach it. Set the repository '
                            "variable RUNNER_PROD")
    assert runner_check.problem("prod", ["self-hosted", "aks-prod"], SETTINGS["prod"]) is None
    assert runner_check.problem("prod", {"group": "aks-prod"}, SETTINGS["prod"]) is None
    assert runner_check.problem("dev", "ubuntu-latest", SETTINGS["dev"]) is None


def test_the_runner_check_command_exit_codes(capsys):
    assert runner_check.main(["prod", '"ubuntu-latest"']) == 1
    assert capsys.readouterr().out.startswith("::error::stack 'prod'")
    assert runner_check.main(["prod", '["self-hosted","aks-prod"]']) == 0
    assert runner_check.main(["nosuchstack", '"ubuntu-latest"']) == 2
