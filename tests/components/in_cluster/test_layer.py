"""The in-cluster layer: left out with inCluster: false unless the offline plan asks to see it, the demo
only where configured."""
from __future__ import annotations

from offline.engine import render, stack_config

from .conftest import rendered


def test_in_cluster_false_still_renders_the_layer_offline_and_says_it_is_off():
    on, off = rendered("dev"), rendered("dev", inCluster="false")
    assert on.outputs["in_cluster"] == "deployed"
    assert off.outputs["in_cluster"].startswith("off (inCluster: false)")
    assert sorted(x["urn"] for x in off.resources) == sorted(x["urn"] for x in on.resources)


def test_without_the_review_option_in_cluster_false_leaves_the_layer_out():
    # What `pulumi up` deploys: the program's own config, without the offline plan's review option.
    config = {**stack_config("dev"), "aks-platform:inCluster": "false"}
    deployed = render("dev", config, in_cluster_for_review=False)
    assert [x["name"] for x in deployed.resources if "aks-platform:kubernetes:InCluster" in x["urn"]] == []
    assert deployed.outputs["in_cluster"].startswith("off (inCluster: false)")
    # Same config, same program: only the explicit option brings the layer back.
    assert len(deployed.resources) < len(rendered("dev", inCluster="false").resources)


def test_demo_only_where_configured(dev, prod):
    assert dev.one("aks-platform:kubernetes:KeyVaultDemo")
    assert prod.of_type("aks-platform:kubernetes:KeyVaultDemo") == []
    assert prod.of_type("kubernetes:core/v1:Pod") == []
