"""tools/bench.py: the longest dependency chain, which says how many Azure operations `pulumi up` must
run one after another."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "bench.py"
_spec = importlib.util.spec_from_file_location("bench", _SCRIPT)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def res(name: str, custom: bool = True, parent: str | None = None, deps: tuple[str, ...] = ()) -> dict:
    return {"urn": name, "name": name, "type": f"t:{name}", "custom": custom, "parent": parent,
            "dependencies": list(deps)}


def test_longest_chain_expands_component_dependencies_and_skips_components():
    resources = [
        res("rg"),
        res("net", custom=False),                     # a component: not an Azure resource itself
        res("vnet", parent="net", deps=("rg",)),
        res("subnet", parent="net", deps=("vnet",)),
        res("identity", deps=("rg",)),
        res("cluster", deps=("net", "identity")),     # depending on a component waits for all of it
        res("pool", deps=("cluster",)),
    ]
    assert [r["name"] for r in bench.longest_chain(resources)] == ["rg", "vnet", "subnet", "cluster", "pool"]


def test_program_sdk_imports_reads_the_components():
    modules, classes = bench.program_sdk_imports()
    assert modules[:3] == ["pulumi", "pulumi_policy", "pydantic"]
    assert "ManagedCluster" in classes["pulumi_azure_native.containerservice"]


def test_timed_reports_progress_on_stderr_round_by_round(capsys):
    import sys

    seconds = bench.timed({"a": [sys.executable, "-c", "pass"], "b": [sys.executable, "-c", "pass"]}, runs=2)
    assert [len(v) for v in seconds.values()] == [2, 2]
    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["bench: run 1/4: a", "bench: run 2/4: b", "bench: run 3/4: a", "bench: run 4/4: b"]
    assert captured.out == ""
