"""The fleet hub program (fleet/__main__.py), whole, on the mock engine: the fleet, its staged strategy and
its auto-upgrade profiles as `pulumi up` in fleet/ would be asked for them, and the member stacks agreeing
with it; then each config refusal, with the exact message."""
import json
import runpy

import pytest

from fleet.hub import NAMESPACE, parse
from fleet.plan import HUB_ROOT, main, render
from offline.engine import RecordingMonitor, run, stack_config
from offline.engine import render as render_platform
from offline.mocks import AzureMocks
from settings import ConfigError

FLEET = "azure-native:containerservice:Fleet"
STRATEGY = "azure-native:containerservice:FleetUpdateStrategy"
PROFILE = "azure-native:containerservice:AutoUpgradeProfile"
SHIPPED = stack_config("hub", HUB_ROOT, project=NAMESPACE)


def hub_with(**changes):
    return render("hub", {**SHIPPED, **{f"{NAMESPACE}:{k}": json.dumps(v) for k, v in changes.items()}})


@pytest.fixture(scope="module")
def hub():
    return render()


def test_the_fleet_has_no_hub_cluster_and_lives_in_its_own_group(hub):
    fleet = hub.one(FLEET)["inputs"]
    assert (fleet["fleetName"], fleet["resourceGroupName"], fleet["location"]) == (
        "fleet-contoso", "rg-contoso-fleet", "westeurope")
    assert "hubProfile" not in fleet
    assert fleet["tags"] == {"owner": "platform-team", "cost-center": "1234", "managed-by": "pulumi"}


def test_the_strategy_runs_dev_then_staging_then_prod_with_a_soak_after_each_stage_but_the_last(hub):
    strategy = hub.one(STRATEGY)["inputs"]
    assert strategy["fleetName"] == "fleet-contoso"
    assert strategy["strategy"]["stages"] == [
        {"name": "dev", "groups": [{"name": "dev"}], "afterStageWaitInSeconds": 86400},
        {"name": "staging", "groups": [{"name": "staging"}], "afterStageWaitInSeconds": 86400},
        {"name": "prod", "groups": [{"name": "prod"}]},
    ]


def test_each_channel_is_an_auto_upgrade_profile_running_that_strategy(hub):
    strategy_id = hub.one(STRATEGY)["outputs"]["id"]
    profiles = {p["inputs"]["channel"]: p["inputs"] for p in hub.of_type(PROFILE)}
    assert sorted(profiles) == ["NodeImage", "Stable"]
    for channel, profile in profiles.items():
        assert (profile["updateStrategyId"], profile["disabled"]) == (strategy_id, False)
        assert profile["autoUpgradeProfileName"] == channel.lower()
    # Kubernetes upgrades take the node image the earlier stages ran (Consistent).
    assert profiles["Stable"]["nodeImageSelection"] == {"type": "Consistent"}
    assert "nodeImageSelection" not in profiles["NodeImage"]
    assert hub.outputs["auto_upgrade"] == "Stable, NodeImage"


def test_every_shipped_member_stack_joins_this_fleet_in_one_of_its_stages(hub):
    groups = [stage["name"] for stage in hub.one(STRATEGY)["inputs"]["strategy"]["stages"]]
    for stack in groups:
        member = render_platform(stack).one("azure-native:containerservice:FleetMember")
        assert member["outputs"]["id"].startswith(hub.outputs["fleet_id"] + "/members/")
        assert member["inputs"]["group"] in groups


def test_the_hubs_urns_stay_as_released(hub):
    # A renamed or re-parented URN would replace the fleet and drop every membership: add an Alias first.
    inside = "urn:pulumi:hub::aks-platform-fleet::aks-platform:containerservice:FleetHub"
    assert sorted(r["urn"] for r in hub.resources) == [
        f"{inside}$azure-native:containerservice:AutoUpgradeProfile::hub-nodeimage",
        f"{inside}$azure-native:containerservice:AutoUpgradeProfile::hub-stable",
        f"{inside}$azure-native:containerservice:Fleet::hub-fleet",
        f"{inside}$azure-native:containerservice:FleetUpdateStrategy::hub-strategy",
        f"{inside}$azure-native:resources:ResourceGroup::hub-rg",
        f"{inside}::hub",
    ]


def test_one_switch_stops_every_automatic_upgrade_run():
    stopped = hub_with(autoUpgradeDisabled=True)
    assert [p["inputs"]["disabled"] for p in stopped.of_type(PROFILE)] == [True, True]
    assert stopped.outputs["auto_upgrade"] == "disabled"


def test_the_wait_groups_and_channels_come_from_config():
    hub = hub_with(updateGroups=["canary", "prod"], afterStageWaitInSeconds=3600, channels=["Rapid"],
                   nodeImageSelection="Latest")
    assert hub.one(STRATEGY)["inputs"]["strategy"]["stages"] == [
        {"name": "canary", "groups": [{"name": "canary"}], "afterStageWaitInSeconds": 3600},
        {"name": "prod", "groups": [{"name": "prod"}]},
    ]
    (profile,) = hub.of_type(PROFILE)
    assert (profile["inputs"]["channel"], profile["inputs"]["nodeImageSelection"]) == ("Rapid", {"type": "Latest"})


@pytest.mark.parametrize("changes, expected", [
    ({"channels": ["Stable", "Rapid"]},
     "aks-platform-fleet:channels: Stable and Rapid would both upgrade Kubernetes, to different minors; keep one "
     '(got ["Stable", "Rapid"])'),
    ({"channels": ["SecurityPatch"]},
     "aks-platform-fleet:channels[0]: Input should be 'Stable', 'Rapid' or 'NodeImage' (got \"SecurityPatch\")"),
    ({"updateGroups": ["dev", "dev"]},
     "aks-platform-fleet:updateGroups: lists a group twice: ['dev', 'dev'] (a strategy runs each group once) "
     '(got ["dev", "dev"])'),
    ({"updateGroups": ["Dev"]},
     "aks-platform-fleet:updateGroups: 'Dev': an update group name is 1-50 lowercase letters, digits and hyphens, "
     'starting and ending with a letter or digit (got ["Dev"])'),
    ({"afterStageWaitInSeconds": -1},
     "aks-platform-fleet:afterStageWaitInSeconds: Input should be greater than or equal to 0 (got -1)"),
    ({"waitSeconds": 60},
     'aks-platform-fleet: unknown key "waitSeconds"; did you mean "afterStageWaitInSeconds"? (known keys: afterStageWaitInSeconds, '
     "autoUpgradeDisabled, channels, namePrefix, nodeImageSelection, tags, updateGroups)"),
])
def test_bad_hub_config_is_refused_before_anything_is_registered(changes, expected):
    monitor = RecordingMonitor(AzureMocks())
    config = {**SHIPPED, **{f"{NAMESPACE}:{k}": json.dumps(v) for k, v in changes.items()}}
    with pytest.raises(ConfigError) as caught:
        run(lambda: runpy.run_path(str(HUB_ROOT / "__main__.py")), "hub", config, monitor, project=NAMESPACE)
    assert caught.value.problems == [expected]
    assert monitor.records == []


def test_the_region_is_required_with_every_other_problem_at_once():
    with pytest.raises(ConfigError) as caught:
        parse({"namePrefix": "Contoso"}, None)
    assert caught.value.problems == [
        "azure-native:location: required, the Azure region of the fleet (for example westeurope)",
        "aks-platform-fleet:namePrefix: 2-10 lowercase letters and digits, starting with a letter (the platform "
        'stacks\' namePrefix) (got "Contoso")',
    ]


def test_the_hub_plan_prints_the_tree_and_exits_2_on_bad_config(tmp_path, capsys, monkeypatch):
    assert main(["hub", "--json", str(tmp_path / "hub.json")]) == 0
    out = capsys.readouterr().out
    assert "5 Azure resources in 1 component; 0 protected from deletion." in out
    assert json.loads((tmp_path / "hub.json").read_text())["project"] == NAMESPACE
    assert main(["nosuch"]) == 2
    assert "no stack file Pulumi.nosuch.yaml" in capsys.readouterr().err
