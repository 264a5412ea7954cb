"""offline/plan.py: the text plan is the same on every run and shows what a reviewer asks about."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from offline import plan
from offline.engine import Rendered, render, stack_config

POOLS = Path(__file__).resolve().parents[1] / "pools"


@pytest.fixture(scope="module")
def workloads():
    return render("workloads", config=stack_config("workloads", root=POOLS))


@pytest.fixture(scope="module")
def dev():
    return render("dev")


def lines_under(rendered: Rendered, name: str) -> list[str]:
    resource = next(r for r in rendered.resources if r["name"] == name)
    return plan.describe(resource)


def test_the_tree_is_the_same_whatever_order_the_engine_recorded_registrations_in(dev):
    shuffled = list(dev.resources)
    random.Random(7).shuffle(shuffled)
    assert plan.tree(Rendered(dev.stack, shuffled)) == plan.tree(dev)


def test_siblings_are_ordered_by_name(dev):
    roots = [line.split()[-1] for line in plan.tree(dev) if line[:3] in ("├─ ", "└─ ")]
    assert roots == sorted(roots) and "platform" in roots and "network" in roots


def test_spot_pool_shows_priority_eviction_price_and_its_floor(workloads):
    lines = lines_under(workloads, "pools-spot")
    assert {"scaleSetPriority: Spot", "scaleSetEvictionPolicy: Delete", "spotMaxPrice: -1", "minCount: 0"} <= set(lines)


def test_gpu_pool_shows_its_driver_and_taint(workloads):
    lines = lines_under(workloads, "pools-gpu")
    assert "gpuProfile.driver: Install" in lines
    assert 'nodeTaints: ["sku=gpu:NoSchedule"]' in lines


def test_user_pool_shows_labels_and_upgrade_settings(workloads):
    lines = lines_under(workloads, "pools-apps")
    assert "nodeLabels: workload=web" in lines
    assert "upgradeSettings.maxSurge: 1" in lines
    assert "upgradeSettings.drainTimeoutInMinutes: 15" in lines


def test_a_namespace_shows_its_pod_security_level_and_its_quota(dev):
    labels = lines_under(dev, "ns-team-a-namespace")
    assert "metadata.labels: pod-security.kubernetes.io/audit=restricted, pod-security.kubernetes.io/enforce=restricted, " \
           "pod-security.kubernetes.io/warn=restricted" in labels
    assert "spec.hard: limits.cpu=4, limits.memory=8Gi, pods=20, requests.cpu=4, requests.memory=8Gi" in lines_under(
        dev, "ns-team-a-quota")


def test_a_secret_shows_its_name_never_its_value(dev):
    lines = lines_under(dev, "demo-secret")
    assert "secretName: demo-greeting" in lines
    assert not any("Hello from Key Vault" in line for line in lines)


def resource(token: str, custom: bool = True, protect: bool = False) -> dict:
    return {"type": token, "custom": custom, "protect": protect}


def test_counts_name_what_they_count():
    resources = [
        resource("azure-native:keyvault:Vault", protect=True), resource("azure-native:network:Subnet"),
        resource("kubernetes:core/v1:Pod"), resource("pulumi:providers:kubernetes"),
        resource("random:index/randomPassword:RandomPassword"), resource("aks-platform:network:Network", custom=False),
    ]
    assert plan.count_line(resources) == (
        "2 Azure resources, 1 Kubernetes object, 1 provider, 1 other resource in 1 component; 1 protected from deletion.")


def test_the_dev_plan_counts_kubernetes_objects_apart_from_azure_resources(dev):
    line = plan.count_line(dev.resources)
    azure = sum(r["type"].startswith("azure-native:") for r in dev.resources)
    kubernetes = sum(r["type"].startswith("kubernetes:") for r in dev.resources)
    # The other resource: the wait for the deployer's role to propagate (pulumiverse-time Sleep).
    assert line.startswith(f"{azure} Azure resources, {kubernetes} Kubernetes objects, 1 provider, 1 other resource in ")
    assert azure and kubernetes


def test_the_json_state_carries_the_warnings_so_the_diff_can_show_them():
    state = Rendered("dev", [], warnings=("VM size Standard_Z9 is not in the table",)).to_json()
    assert state["warnings"] == ["VM size Standard_Z9 is not in the table"]


def test_the_plan_ends_with_the_estimated_monthly_cost(capsys):
    assert plan.main(["dev"]) == 0
    out = capsys.readouterr().out.rstrip().splitlines()
    assert out[-1].startswith("  total: $") and out[-1].endswith("without a price)")
    heading = out.index("Estimated monthly cost (westeurope, USD list prices, 730 h/month):")
    assert "  pool apps (Standard_D4ds_v5 × 1–5): $198.56 – $992.80 /month" in out[heading:]


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda text: text.replace("  aks-platform:namePrefix: contoso", "  aks-platform:namePrefix: [contoso"),
     "Pulumi.edited.yaml, line 7, column 20: not valid YAML: expected ',' or ']', but got"),
    (lambda text: text.replace("  aks-platform:namePrefix: contoso", "  aks-platform:namePrefix: a: b"),
     "Pulumi.edited.yaml, line 6, column 29: not valid YAML: mapping values are not allowed here"),
    (lambda text: "- just\n- a list\n", "Pulumi.edited.yaml: the file must be a mapping with a `config:` key (got a list)"),
    (lambda text: "config: [1, 2]\n", "Pulumi.edited.yaml: `config:` must be a mapping of keys to values (got a list)"),
])
def test_a_broken_stack_file_is_one_clear_message_and_exit_2(tmp_path, monkeypatch, capsys, edit, expected):
    from offline import engine

    (tmp_path / "Pulumi.edited.yaml").write_text(edit((engine.ROOT / "Pulumi.dev.yaml").read_text()))
    monkeypatch.setattr(plan, "render", lambda stack: render(stack, config=stack_config(stack, root=tmp_path)))
    assert plan.main(["edited"]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err


def test_a_key_without_a_namespace_belongs_to_the_project_as_the_cli_reads_it(tmp_path):
    (tmp_path / "Pulumi.bare.yaml").write_text("config:\n  environment: dev\n  aks-platform:namePrefix: x\n")
    assert stack_config("bare", root=tmp_path) == {"aks-platform:environment": "dev", "aks-platform:namePrefix": "x"}


@pytest.mark.parametrize(("content", "expected"), [
    ('{"aks-paid-tier": 3}', "'aks-paid-tier': 3 is not a valid value; must be a string or object"),
    ('{"aks-paid-teir": "mandatory"}', "'aks-paid-teir' is not a policy of this pack; did you mean 'aks-paid-tier'?"),
    ('{"aks-pool-zones": {"minimum": "three"}}', "aks-pool-zones: 'three' is not of type 'integer'"),
    ('{"aks-paid-tier": "strict"}', "'strict' is not a valid enforcement level"),
    ('{"aks-paid-tier": }', "not valid JSON: Expecting value (line 1, column 19)"),
])
def test_a_bad_policy_config_stops_the_plan_before_the_tree_with_exit_2(tmp_path, capsys, content, expected):
    config = tmp_path / "policy.json"
    config.write_text(content)
    assert plan.main(["dev", "--policy-config", str(config)]) == 2
    out, err = capsys.readouterr()
    assert f"Stack 'dev' cannot be planned: policy config {config}: " in err and expected in err
    assert "Traceback" not in err and out == ""


def test_a_stack_without_a_policy_config_is_told_how_to_generate_it(tmp_path, monkeypatch, capsys):
    from offline import engine

    (tmp_path / "Pulumi.staging-eu2.yaml").write_text((engine.ROOT / "Pulumi.staging.yaml").read_text())
    monkeypatch.setattr(plan, "ROOT", tmp_path)
    monkeypatch.setattr(plan, "render", lambda stack: render(stack, config=stack_config(stack, root=tmp_path)))
    assert plan.main(["staging-eu2"]) == 2
    err = capsys.readouterr().err
    assert "policy config policies/config/staging-eu2.json: the file does not exist" in err
    assert "run `venv/bin/python -m tools.policy_config --write`" in err


def test_a_config_error_names_the_stack_file_it_is_in(tmp_path, monkeypatch, capsys):
    from offline import engine

    (tmp_path / "Pulumi.edited.yaml").write_text(
        (engine.ROOT / "Pulumi.dev.yaml").read_text().replace("    tier: Free", "    teir: Free"))
    monkeypatch.setattr(plan, "render", lambda stack: render(stack, config=stack_config(stack, root=tmp_path)))
    assert plan.main(["edited"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Stack 'edited' cannot be planned: Pulumi.edited.yaml has invalid config.\n")
    assert 'aks-platform:cluster: unknown key "teir"; did you mean "tier"?' in err
