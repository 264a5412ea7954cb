"""The whole program, per shipped stack file, on the mock engine: what `pulumi up` would be asked for."""
import inspect
import json
from pathlib import Path

import pulumi_azure_native
import pytest

from offline.engine import ROOT, RecordingMonitor, render, stack_config
from offline.mocks import AzureMocks
from offline.plan import main as plan_main
from policies.offline import evaluate
from policies.stack_wide import UNTAGGABLE
from settings import ConfigError
from tests.helpers import upstream

STACKS = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in ROOT.glob("Pulumi.*.yaml"))
AKS = "azure-native:containerservice:ManagedCluster"
WORKSPACE = "azure-native:operationalinsights:Workspace"


@pytest.fixture(scope="module")
def rendered():
    return {stack: render(stack) for stack in STACKS}


def pools_of(state):
    """Every node pool, inline and standalone, as (name, properties)."""
    cluster = state.one(AKS)["inputs"]
    inline = [(p["name"], p) for p in cluster["agentPoolProfiles"]]
    return inline + [(p["inputs"]["agentPoolName"], p["inputs"]) for p in state.of_type("azure-native:containerservice:AgentPool")]


def test_dev_and_prod_stacks_are_shipped():
    assert {"dev", "prod"} <= set(STACKS)


@pytest.mark.parametrize("stack", STACKS)
def test_every_pool_is_hardened(rendered, stack):
    for name, pool in pools_of(rendered[stack]):
        assert pool["osDiskType"] == "Ephemeral", name
        assert pool["enableEncryptionAtHost"] is True, name
        assert pool["enableNodePublicIP"] is False, name
        assert pool["securityProfile"]["sshAccess"] == "Disabled", name
        assert pool["maxPods"] >= 30, name
        assert pool["type"] == "VirtualMachineScaleSets", name
        assert pool["upgradeSettings"]["maxSurge"], name


@pytest.mark.parametrize("stack", STACKS)
def test_cluster_security_baseline_holds_in_every_stack(rendered, stack):
    cluster = rendered[stack].one(AKS)["inputs"]
    assert cluster["disableLocalAccounts"] is True
    assert cluster["enableRBAC"] is True
    assert cluster["aadProfile"] == {**cluster["aadProfile"], "managed": True, "enableAzureRBAC": True}
    assert cluster["oidcIssuerProfile"] == {"enabled": True}
    assert cluster["securityProfile"]["workloadIdentity"] == {"enabled": True}
    assert cluster["securityProfile"]["imageCleaner"]["enabled"] is True
    assert cluster["identity"]["type"] == "UserAssigned"
    network = cluster["networkProfile"]
    assert (network["networkPlugin"], network["networkPluginMode"], network["networkDataplane"], network["networkPolicy"]) == (
        "azure", "overlay", "cilium", "cilium")
    addons = cluster["addonProfiles"]
    assert addons["azureKeyvaultSecretsProvider"] == {
        "enabled": True, "config": {"enableSecretRotation": "true", "rotationPollInterval": "2m"}}
    workspace = rendered[stack].one(WORKSPACE, "monitoring-workspace")
    assert addons["omsagent"] == {"enabled": True, "config": {
        "logAnalyticsWorkspaceResourceID": workspace["outputs"]["id"], "useAADAuth": "true"}}
    assert "kubeDashboard" not in addons and "httpApplicationRouting" not in addons
    storage = cluster["storageProfile"]
    assert storage["diskCSIDriver"]["enabled"] and storage["fileCSIDriver"]["enabled"] and storage["snapshotController"]["enabled"]
    # Upgrades come from the fleet (test_every_shipped_stack_is_upgraded_by_the_fleet_in_its_environments_turn).
    assert cluster["autoUpgradeProfile"] == {"upgradeChannel": "none", "nodeOSUpgradeChannel": "None"}


@pytest.mark.parametrize("stack", STACKS)
def test_every_shipped_stack_is_upgraded_by_the_fleet_in_its_environments_turn(rendered, stack):
    cluster = rendered[stack].one(AKS)
    member = rendered[stack].one("azure-native:containerservice:FleetMember")["inputs"]
    assert member["clusterResourceId"] == cluster["outputs"]["id"]
    assert member["group"] == stack  # the environment's name: the hub's stages run dev, staging, prod
    assert (member["resourceGroupName"], member["fleetName"]) == ("rg-contoso-fleet", "fleet-contoso")
    # The fleet moves the versions: a re-run keeps what Azure runs instead of the stack file's older version.
    assert {"kubernetesVersion", "agentPoolProfiles[0].orchestratorVersion"} <= set(cluster["ignoreChanges"])
    for pool in rendered[stack].of_type("azure-native:containerservice:AgentPool"):
        assert "orchestratorVersion" in pool["ignoreChanges"]


@pytest.mark.parametrize("stack", STACKS)
def test_control_plane_logs_and_vault_audit_go_to_the_workspace(rendered, stack):
    state = rendered[stack]
    workspace_id = state.one(WORKSPACE, "monitoring-workspace")["outputs"]["id"]
    settings = {d["inputs"]["resourceUri"]: d["inputs"] for d in state.of_type("azure-native:monitor:DiagnosticSetting")}
    cluster_logs = settings[state.one(AKS)["outputs"]["id"]]
    assert cluster_logs["workspaceId"] == workspace_id
    assert {"kube-audit-admin", "kube-apiserver", "kube-controller-manager", "cluster-autoscaler", "guard"} <= {
        log["category"] for log in cluster_logs["logs"] if log["enabled"]}
    vault_logs = settings[state.one("azure-native:keyvault:Vault")["outputs"]["id"]]
    assert [log["category"] for log in vault_logs["logs"]] == ["AuditEvent"]
    association = state.one("azure-native:monitor:DataCollectionRuleAssociation",
                            "monitoring-cluster-container-insights-association")
    assert association["inputs"]["resourceUri"] == state.one(AKS)["outputs"]["id"]


@pytest.mark.parametrize("stack", STACKS)
def test_every_taggable_resource_carries_the_platform_tags(rendered, stack):
    environment = stack_config(stack)["aks-platform:environment"]  # a stack may be named apart from its environment
    for resource in rendered[stack].resources:
        # Kubernetes objects and providers carry no Azure tags.
        if not resource["type"].startswith("azure-native:") or resource["type"] in UNTAGGABLE:
            continue
        tags = resource["inputs"].get("tags", {})
        assert tags.get("environment") == environment and tags.get("managed-by") == "pulumi", resource["name"]


@pytest.mark.parametrize("stack", STACKS)
def test_the_policy_packs_list_of_untaggable_types_matches_the_sdk(rendered, stack):
    for token in {r["type"] for r in rendered[stack].resources if r["type"].startswith("azure-native:")}:
        module, name = token.split(":")[1:]
        cls = getattr(getattr(pulumi_azure_native, module), name)
        taggable = "tags" in inspect.signature(cls._internal_init).parameters
        assert (token in UNTAGGABLE) == (not taggable), token


@pytest.mark.parametrize("stack", STACKS)
def test_shipped_stacks_pass_the_policy_pack(rendered, stack):
    findings = evaluate(rendered[stack].to_json()["resources"], ROOT / "policies" / "config" / f"{stack}.json")
    assert [f.message for f in findings if f.mandatory] == []


@pytest.mark.parametrize("stack", STACKS)
def test_a_rerun_renders_exactly_the_same_desired_state(rendered, stack):
    # Same names and inputs on every run: `pulumi up` with no config change plans no change.
    assert render(stack).to_json() == rendered[stack].to_json()


@pytest.mark.parametrize("stack", STACKS)
def test_kubeconfig_is_an_entra_id_exec_config_exported_as_a_secret(rendered, stack):
    state = rendered[stack]
    assert "kubeconfig" in state.secret_outputs
    assert "command: kubelogin" in state.outputs["kubeconfig"]


def test_prod_is_private_zone_redundant_and_protected(rendered):
    state = rendered["prod"]
    cluster = state.one(AKS)
    api = cluster["inputs"]["apiServerAccessProfile"]
    assert api["enablePrivateCluster"] is True and "authorizedIPRanges" not in api
    assert api["enableVnetIntegration"] is True
    assert api["subnetId"] == state.one("azure-native:network:Subnet", "network-apiserver-subnet")["outputs"]["id"]
    assert api["disableRunCommand"] is True
    assert cluster["inputs"]["sku"]["tier"] == "Standard"
    assert cluster["inputs"]["securityProfile"]["defender"]["securityMonitoring"]["enabled"] is True
    # Defender's sensor needs a workspace with local auth on (Azure/Microsoft-Defender-for-Cloud#1010): its own.
    defender_workspace = state.one(WORKSPACE, "monitoring-defender-workspace")
    assert cluster["inputs"]["securityProfile"]["defender"]["logAnalyticsWorkspaceResourceId"] == defender_workspace["outputs"]["id"]
    assert defender_workspace["inputs"]["features"]["disableLocalAuth"] is False
    assert state.one(WORKSPACE, "monitoring-workspace")["inputs"]["features"]["disableLocalAuth"] is True
    assert cluster["inputs"]["addonProfiles"]["azurepolicy"]["enabled"] is True
    for _, pool in pools_of(state):
        assert pool["availabilityZones"] == ["1", "2", "3"]
    assert state.one("azure-native:containerregistry:Registry")["inputs"]["zoneRedundancy"] == "Enabled"
    protected = {r["type"] for r in state.resources if r["protect"]}
    assert {AKS, "azure-native:keyvault:Vault", "azure-native:operationalinsights:Workspace"} <= protected
    vault = state.one("azure-native:keyvault:Vault")["inputs"]["properties"]
    assert (vault["enablePurgeProtection"], vault["publicNetworkAccess"], vault["networkAcls"]["defaultAction"]) == (True, "Disabled", "Deny")
    endpoint = state.one("azure-native:network:PrivateEndpoint", "keyvault-private-link-endpoint")["inputs"]
    assert endpoint["subnet"]["id"] == state.one("azure-native:network:Subnet", "network-endpoints-subnet")["outputs"]["id"]
    link = state.one("azure-native:privatedns:VirtualNetworkLink", "keyvault-private-link-zone-link")
    assert link["inputs"]["virtualNetwork"]["id"] == state.one("azure-native:network:VirtualNetwork")["outputs"]["id"]


def test_dev_differs_from_prod_where_it_should(rendered):
    dev = rendered["dev"]
    cluster = dev.one(AKS)["inputs"]
    assert cluster["sku"]["tier"] == "Free"
    assert cluster["apiServerAccessProfile"]["enablePrivateCluster"] is False
    assert cluster["apiServerAccessProfile"]["authorizedIPRanges"] == ["203.0.113.0/24"]
    assert "defender" not in cluster["securityProfile"]
    assert [pool["availabilityZones"] for _, pool in pools_of(dev)] == [["1"], ["1"]]
    assert "enablePurgeProtection" not in dev.one("azure-native:keyvault:Vault")["inputs"]["properties"]
    assert dev.of_type("azure-native:network:PrivateEndpoint") == []
    assert not any(r["protect"] for r in dev.resources)


@pytest.mark.parametrize("stack", STACKS)
def test_the_workspace_waits_for_nothing_but_the_resource_group_and_the_vault_for_its_subnet(rendered, stack):
    state = rendered[stack]
    for workspace in state.of_type(WORKSPACE):
        assert {r["type"] for r in upstream(state, workspace)} == {"azure-native:resources:ResourceGroup"}, workspace["name"]
    # The vault's network rule never names a subnet that does not exist yet.
    vault = state.one("azure-native:keyvault:Vault")
    nodes = state.one("azure-native:network:Subnet", "network-nodes-subnet")
    assert nodes["urn"] in vault["dependencies"]
    assert [r["id"] for r in vault["inputs"]["properties"]["networkAcls"]["virtualNetworkRules"]] == [
        nodes["outputs"]["id"].lower()]


@pytest.mark.parametrize("stack", STACKS)
def test_user_pools_wait_for_the_cluster(rendered, stack):
    state = rendered[stack]
    for pool in state.of_type("azure-native:containerservice:AgentPool"):
        assert state.one(AKS)["urn"] in {r["urn"] for r in upstream(state, pool)}, pool["name"]


@pytest.mark.parametrize("stack", STACKS)
def test_the_control_plane_is_granted_the_subnets_it_joins(rendered, stack):
    state = rendered[stack]
    grants = [r for r in state.of_type("azure-native:authorization:RoleAssignment") if r["name"].startswith("cluster-network")]
    cluster = state.one(AKS)["inputs"]
    joined = {p["vnetSubnetID"] for _, p in pools_of(state)} | {cluster["apiServerAccessProfile"].get("subnetId")}
    assert joined - {None} <= {g["inputs"]["scope"] for g in grants}


@pytest.mark.parametrize("stack", STACKS)
def test_kubelet_may_pull_from_the_registry_and_nothing_more(rendered, stack):
    state = rendered[stack]
    pulls = [r for r in state.of_type("azure-native:authorization:RoleAssignment") if r["name"].endswith("acr-pull")]
    assert len(pulls) == 1
    kubelet = state.one(AKS)["outputs"]["identityProfile"]["kubeletidentity"]["objectId"]
    assert pulls[0]["inputs"]["principalId"] == kubelet


def test_a_broken_stack_file_fails_before_anything_is_registered():
    config = {**stack_config("prod"), "aks-platform:network": json.dumps({"vnetCidr": "10.240.0.0/33"}),
              "aks-platform:cluster": json.dumps({"tier": "Gold"})}
    monitor = RecordingMonitor(AzureMocks())
    with pytest.raises(ConfigError) as caught:
        render("prod", config=config, monitor=monitor)
    assert [p.split(":")[1].split(" ")[0] for p in caught.value.problems] == ["network.vnetCidr", "cluster.tier"]
    assert monitor.records == []


def test_plan_fails_when_a_stack_switches_off_a_mandatory_default(tmp_path, monkeypatch, capsys):
    broken = ROOT / "Pulumi.prod.yaml"
    text = broken.read_text().replace("    disableRunCommand: true", "    disableRunCommand: true\n    localAccounts: true")
    assert "localAccounts: true" in text
    (tmp_path / "Pulumi.broken.yaml").write_text(text)
    monkeypatch.setattr("offline.plan.render", lambda stack: _render_from(tmp_path, stack))
    code = plan_main(["broken", "--policy-config", str(ROOT / "policies" / "config" / "prod.json")])
    assert code == 1
    assert "VIOLATION aks-local-accounts-disabled" in capsys.readouterr().out


def _render_from(directory: Path, stack: str):
    return render(stack, config=stack_config(stack, directory))


def test_plan_reports_invalid_config_with_exit_code_2(tmp_path, monkeypatch, capsys):
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  aks-platform:environment: qa\n")
    monkeypatch.setattr("offline.plan.render", lambda stack: _render_from(tmp_path, stack))
    assert plan_main(["bad"]) == 2
    assert 'aks-platform:environment: required, one of dev, staging, prod (got "qa")' in capsys.readouterr().err


def _stack_file_with_apps_pool(tmp_path, **changes):
    """Pulumi.dev.yaml with the apps pool changed, written as stack `edited` in tmp_path."""
    config = stack_config("dev")
    pools = json.loads(config["aks-platform:nodePools"])
    pools[1].update(changes)
    # Other structured values stay JSON text, which is how the CLI hands them over anyway.
    document = {"config": {**config, "aks-platform:nodePools": pools}}
    (tmp_path / "Pulumi.edited.yaml").write_text(json.dumps(document))


def test_plan_fails_in_seconds_on_an_oversized_ephemeral_disk(tmp_path, monkeypatch, capsys):
    _stack_file_with_apps_pool(tmp_path, vmSize="Standard_D2ds_v5", osDiskSizeGb=128)
    monkeypatch.setattr("offline.plan.render", lambda stack: _render_from(tmp_path, stack))
    assert plan_main(["edited"]) == 2
    assert ('aks-platform:nodePools[1] "apps": osDiskSizeGb 128 does not fit Standard_D2ds_v5 (temp disk 75 GiB); '
            "use osDiskSizeGb <= 75, osDiskType: Managed, or Standard_D4ds_v5 (150 GiB)") in capsys.readouterr().err


def test_plan_prints_the_preflight_warnings(tmp_path, monkeypatch, capsys):
    _stack_file_with_apps_pool(tmp_path, vmSize="Standard_D4pls_v6", vmSizeUnlisted=True)
    monkeypatch.setattr("offline.plan.render", lambda stack: _render_from(tmp_path, stack))
    assert plan_main(["edited", "--policy-config", str(ROOT / "policies" / "config" / "dev.json")]) == 0
    assert 'warning: aks-platform:nodePools[1] "apps": Standard_D4pls_v6 is not in the VM size table' in capsys.readouterr().out


@pytest.mark.parametrize("stack", STACKS)
def test_nodes_can_reach_the_vault_through_its_firewall(rendered, stack):
    # The CSI driver on the nodes reads secrets: the vault's firewall admits the node subnet (named
    # before the subnet exists, so the vault need not wait for it).
    state = rendered[stack]
    nodes = state.one("azure-native:network:Subnet", "network-nodes-subnet")
    rules = state.one("azure-native:keyvault:Vault")["inputs"]["properties"]["networkAcls"]["virtualNetworkRules"]
    assert [r["id"] for r in rules] == [nodes["outputs"]["id"].lower()]


@pytest.mark.parametrize("stack", STACKS)
def test_the_cluster_sends_its_platform_metrics_and_the_registry_its_logs_to_the_workspace(rendered, stack):
    state = rendered[stack]
    workspace_id = state.one("azure-native:operationalinsights:Workspace", "monitoring-workspace")["outputs"]["id"]
    settings = {d["inputs"]["resourceUri"]: d["inputs"] for d in state.of_type("azure-native:monitor:DiagnosticSetting")}
    assert settings[state.one(AKS)["outputs"]["id"]]["metrics"] == [{"category": "AllMetrics", "enabled": True}]
    registry = settings[state.one("azure-native:containerregistry:Registry")["outputs"]["id"]]
    assert registry["workspaceId"] == workspace_id
    assert [log["category"] for log in registry["logs"]] == ["ContainerRegistryLoginEvents", "ContainerRegistryRepositoryEvents"]
    assert registry["metrics"] == [{"category": "AllMetrics", "enabled": True}]
