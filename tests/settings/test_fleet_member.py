"""A stack's cluster as a fleet member (`aks-platform:fleet`): what it joins, in which group, and the
cluster channels it may keep, each refusal with the exact message a user sees."""
import pytest

from settings import ConfigError, parse
from settings.preflight import fleet_member_channels

HUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-fleet/providers/Microsoft.ContainerService/fleets/hub"
PUBLIC = {"authorizedIpRanges": ["203.0.113.0/24"]}
# What a member that the fleet upgrades entirely keeps of its own channels.
LEFT_TO_FLEET = {**PUBLIC, "upgradeChannel": "none", "nodeOsUpgradeChannel": "None"}


def settings(cluster=None, **fleet):
    return parse({"environment": "staging", "namePrefix": "contoso", "cluster": cluster or LEFT_TO_FLEET,
                  "fleet": fleet}, "westeurope")


def problems(cluster=None, **fleet):
    with pytest.raises(ConfigError) as caught:
        settings(cluster, **fleet)
    return caught.value.problems


def test_no_fleet_by_default_and_the_cluster_keeps_its_channels():
    s = parse({"environment": "staging", "namePrefix": "contoso", "cluster": PUBLIC}, "westeurope")
    assert not s.fleet.joined
    assert (s.cluster.upgrade_channel, s.channel_moves_minor) == ("patch", False)


def test_a_member_joins_the_update_group_named_after_its_environment_unless_told_otherwise():
    assert settings(hubId=HUB).fleet.update_group == "staging"
    assert settings(hubId=HUB, updateGroup="canary").fleet.update_group == "canary"
    assert settings(hubId=HUB).fleet.hub == {
        "subscription": "00000000-0000-0000-0000-000000000000", "resource_group": "rg-fleet", "name": "hub"}


def test_the_fleet_not_the_stack_file_moves_the_minor_of_a_member_it_upgrades():
    assert settings(hubId=HUB).channel_moves_minor is True
    assert settings(hubId=HUB, upgrades=["nodeImage"]).channel_moves_minor is False


@pytest.mark.parametrize("channel, moves", [("none", False), ("patch", False), ("stable", True), ("rapid", True)])
def test_the_clusters_own_stable_and_rapid_channels_move_the_minor_too(channel, moves):
    s = parse({"environment": "staging", "namePrefix": "contoso", "cluster": {**PUBLIC, "upgradeChannel": channel}},
              "westeurope")
    assert s.channel_moves_minor is moves


@pytest.mark.parametrize("cluster, expected", [
    ({**LEFT_TO_FLEET, "upgradeChannel": "patch"},
     "aks-platform:cluster.upgradeChannel: patch races the fleet this cluster joins (fleet.upgrades: kubernetes, "
     "nodeImage), which would upgrade it out of its update group's turn; set upgradeChannel to none (Learn, "
     "https://learn.microsoft.com/azure/kubernetes-fleet/faq), or drop the upgrade from fleet.upgrades"),
    ({**LEFT_TO_FLEET, "nodeOsUpgradeChannel": "SecurityPatch"},
     "aks-platform:cluster.nodeOsUpgradeChannel: SecurityPatch races the fleet this cluster joins (fleet.upgrades: "
     "kubernetes, nodeImage), which would upgrade it out of its update group's turn; set nodeOsUpgradeChannel to "
     "None or Unmanaged (Learn, https://learn.microsoft.com/azure/kubernetes-fleet/faq), or drop the upgrade from "
     "fleet.upgrades"),
])
def test_a_cluster_channel_that_races_the_fleet_is_refused(cluster, expected):
    assert problems(cluster, hubId=HUB) == [expected]


def test_a_fleet_that_upgrades_node_images_only_leaves_kubernetes_to_the_cluster_but_not_node_image():
    kept = {**PUBLIC, "upgradeChannel": "patch", "nodeOsUpgradeChannel": "Unmanaged"}
    assert settings(kept, hubId=HUB, upgrades=["nodeImage"]).cluster.upgrade_channel == "patch"
    # node-image drives node OS channel NodeImage, which races the fleet's node images.
    assert [p.split(" races")[0].split(" cannot")[0] for p in problems(
        {**kept, "upgradeChannel": "node-image"}, hubId=HUB, upgrades=["nodeImage"])] == [
        "aks-platform:cluster.nodeOsUpgradeChannel: Unmanaged"]
    assert problems({**kept, "upgradeChannel": "node-image", "nodeOsUpgradeChannel": "NodeImage"}, hubId=HUB,
                    upgrades=["nodeImage"])[0].startswith("aks-platform:cluster.nodeOsUpgradeChannel: NodeImage races")


def test_channels_are_free_when_the_fleet_upgrades_nothing_or_no_fleet_is_joined():
    assert fleet_member_channels(settings(hubId=HUB, upgrades=[]).fleet) == {}
    assert fleet_member_channels(settings(PUBLIC).fleet) == {}


@pytest.mark.parametrize("fleet, expected", [
    ({"hubId": "/subscriptions/x/fleets/hub"},
     "aks-platform:fleet.hubId: must be a fleet's resource ID, /subscriptions/<subscription id>/resourceGroups/<group>"
     "/providers/Microsoft.ContainerService/fleets/<name> (`az fleet show -g <group> -n <name> --query id -o tsv`), "
     'or null (got "/subscriptions/x/fleets/hub")'),
    ({"hubId": HUB, "updateGroup": "Prod_EU"},
     "aks-platform:fleet.updateGroup: an update group name is 1-50 lowercase letters, digits and hyphens, starting "
     'and ending with a letter or digit (got "Prod_EU")'),
    ({"hubId": HUB, "upgrades": ["kubernetes", "kubernetes"]},
     "aks-platform:fleet.upgrades: lists an upgrade twice: ['kubernetes', 'kubernetes'] (got [\"kubernetes\", \"kubernetes\"])"),
    ({"hubId": HUB, "upgrades": ["os"]},
     "aks-platform:fleet.upgrades[0]: Input should be 'kubernetes' or 'nodeImage' (got \"os\")"),
    ({"hubID": HUB},
     'aks-platform:fleet: unknown key "hubID"; did you mean "hubId"? (known keys: hubId, updateGroup, upgrades)'),
])
def test_bad_fleet_settings_are_named_with_what_is_allowed(fleet, expected):
    assert problems(**fleet) == [expected]


def test_a_pinned_patch_under_the_patch_channel_is_refused_because_it_goes_stale():
    assert problems({**PUBLIC, "kubernetesVersion": "1.35.2"}) == [
        'aks-platform:cluster.kubernetesVersion: "1.35.2" pins a patch that upgradeChannel patch moves on; write the '
        'minor only, "1.35", or set upgradeChannel: none to pin the patch']
    assert settings({**PUBLIC, "kubernetesVersion": "1.35"}).cluster.kubernetes_version == "1.35"
    assert settings({**PUBLIC, "kubernetesVersion": "1.35.2", "upgradeChannel": "none"}).cluster.kubernetes_version


def test_the_node_image_cluster_channel_goes_with_node_os_channel_node_image_only():
    assert problems({**PUBLIC, "upgradeChannel": "node-image", "nodeOsUpgradeChannel": "SecurityPatch"}) == [
        "aks-platform:cluster.nodeOsUpgradeChannel: SecurityPatch cannot go with upgradeChannel node-image, which "
        "sets it to NodeImage (Learn, https://learn.microsoft.com/azure/aks/auto-upgrade-node-os-image); set "
        "nodeOsUpgradeChannel: NodeImage, or another upgradeChannel (node-image is legacy)"]
