"""The in-cluster layer: rendered with inCluster: false too (offline only), the demo only where configured."""
from __future__ import annotations

from components.in_cluster import on_mock_engine

from .conftest import rendered


def test_in_cluster_false_still_renders_the_layer_offline_and_says_it_is_off():
    on, off = rendered("dev"), rendered("dev", inCluster="false")
    assert on.outputs["in_cluster"] == "deployed"
    assert off.outputs["in_cluster"].startswith("off (inCluster: false)")
    assert sorted(x["urn"] for x in off.resources) == sorted(x["urn"] for x in on.resources)


def test_outside_the_mock_engine_the_layer_is_not_forced_on():
    # Under the Pulumi CLI the monitor is the engine's gRPC client, never a mock.
    assert on_mock_engine() is False


def test_demo_only_where_configured(dev, prod):
    assert dev.one("aks-platform:kubernetes:KeyVaultDemo")
    assert prod.of_type("aks-platform:kubernetes:KeyVaultDemo") == []
    assert prod.of_type("kubernetes:core/v1:Pod") == []
