"""tools/scan.py: checkov's report read back to the stack and resource, each failure waived or not, and each
waiver of a check the resource passes reported stale. checkov itself runs in `make scan`, not here."""
from __future__ import annotations

from pathlib import Path

from tools import scan

CLUSTER = {"type": "azure-native:containerservice:ManagedCluster", "inputs": {}}
REGISTRY = "azure-native:containerregistry:Registry"


def check(check_id: str, path: str, name: str = "a check") -> dict:
    return {"check_id": check_id, "check_name": name, "file_path": path}


def test_checkovs_report_is_read_back_to_stack_resource_and_file():
    report = [
        {"check_type": "kubernetes", "results": {
            "passed_checks": [check("CKV_K8S_40", "/build/scan/dev/kubernetes/demo-pod.yaml")],
            "failed_checks": [check("CKV_K8S_9", "/build/scan/dev/kubernetes/demo-pod.yaml", "Readiness Probe")]}},
        {"check_type": "arm", "results": {"passed_checks": [], "failed_checks": [
            check("CKV_AZURE_8", "/prod/azure/cluster-aks.json", "Dashboard")]}},
    ]
    found = scan.results(report, scan.OUT)
    assert [(r.stack, r.resource, r.check, r.passed, r.file) for r in found] == [
        ("dev", "demo-pod", "CKV_K8S_9", False, "build/scan/dev/kubernetes/demo-pod.yaml"),
        ("dev", "demo-pod", "CKV_K8S_40", True, "build/scan/dev/kubernetes/demo-pod.yaml"),
        ("prod", "cluster-aks", "CKV_AZURE_8", False, "build/scan/prod/azure/cluster-aks.json"),
    ]
    # With one framework, checkov prints one report instead of a list.
    assert scan.results(report[1], scan.OUT) == found[2:]


def result(check_id: str, resource: str, passed: bool, stack: str = "dev") -> scan.Result:
    return scan.Result(check_id, "title", passed, stack, resource, f"build/scan/{stack}/azure/{resource}.json")


def test_a_failure_is_waived_only_by_a_waiver_of_that_check_for_that_resource():
    resources = {("dev", "cluster-aks"): CLUSTER, ("dev", "cluster-other"): CLUSTER}
    judged = scan.judge([result("CKV_AZURE_8", "cluster-aks", False), result("CKV_AZURE_141", "cluster-aks", False),
                         result("CKV_AZURE_8", "cluster-other", False)], resources)
    assert [(f.verdict, f.result.check, f.result.resource) for f in judged] == [
        ("waived", "CKV_AZURE_8", "cluster-aks"), ("FAIL", "CKV_AZURE_141", "cluster-aks"),
        ("FAIL", "CKV_AZURE_8", "cluster-other"),
    ]
    assert "CKV_AZURE_8 cluster-aks" in judged[0].line() and "facts/waivers.py" in judged[0].line()
    assert judged[1].line() == "  FAIL   CKV_AZURE_141 cluster-aks build/scan/dev/azure/cluster-aks.json: title"


def test_a_waiver_of_a_check_the_resource_passes_is_stale_and_a_plain_pass_is_nothing():
    resources = {("dev", "cluster-aks"): CLUSTER}
    judged = scan.judge([result("CKV_AZURE_8", "cluster-aks", True), result("CKV_AZURE_141", "cluster-aks", True)],
                        resources)
    assert [(f.verdict, f.result.check) for f in judged] == [("STALE", "CKV_AZURE_8")]
    assert "remove the waiver" in judged[0].line()


def test_a_waiver_narrowed_by_inputs_covers_only_those_inputs():
    resources = {("dev", "registry-registry"): {"type": REGISTRY, "inputs": {"sku": {"name": "Standard"}}},
                 ("prod", "registry-registry"): {"type": REGISTRY, "inputs": {"sku": {"name": "Premium"}}}}
    judged = scan.judge([result("CKV_AZURE_139", "registry-registry", False, "dev"),
                         result("CKV_AZURE_139", "registry-registry", False, "prod")], resources)
    assert [(f.verdict, f.result.stack) for f in judged] == [("waived", "dev"), ("FAIL", "prod")]


def test_without_checkov_the_scan_says_how_to_get_it(capsys):
    assert scan.main(["dev", "--checkov", str(Path("/nonexistent/checkov"))]) == 2
    assert "make scan" in capsys.readouterr().err
