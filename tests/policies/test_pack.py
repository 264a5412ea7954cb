"""The pack as the CLI sees it: it boots the way the CLI runs it, its shipped configs are valid and
name only real policies, and every policy carries its metadata (docs/policies.md: tests/test_docs.py)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import grpc
import pytest
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2_grpc

from facts.profiles import ENVIRONMENTS
from policies.pack import ALL_POLICIES, new_servicer
from policies.pack_config import reconcile

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_shipped_config_is_valid_and_names_only_real_policies(env):
    path = ROOT / "policies" / "config" / f"{env}.json"
    assert set(json.loads(path.read_text())) <= {p.name for p in ALL_POLICIES}
    reconcile(new_servicer().GetAnalyzerInfo(None, None), path)


def test_every_policy_has_kebab_name_why_severity_and_remediation():
    names = [p.name for p in ALL_POLICIES]
    assert len(names) == len(set(names)) == 59
    for policy in ALL_POLICIES:
        assert policy.name == policy.name.lower() and " " not in policy.name and "_" not in policy.name
        assert policy.severity is not None and len(policy.description) > 40
        assert "aks-platform:" in policy.remediation_steps or "not a stack setting" in policy.remediation_steps \
            or "component" in policy.remediation_steps, policy.name


def test_importing_main_does_not_start_the_server():
    result = subprocess.run([sys.executable, "-c", "import policies.__main__"], cwd=ROOT, timeout=30,
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout == "", result.stderr


def test_pack_boots_as_the_cli_runs_it_and_serves_every_policy():
    # The CLI's pulumi-analyzer-policy-python runs `python -u -m pulumi.policy <engine> <pack dir>`.
    process = subprocess.Popen([sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:0", "."],
                               cwd=ROOT / "policies", stdout=subprocess.PIPE, text=True)
    try:
        port = int(process.stdout.readline())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            info = analyzer_pb2_grpc.AnalyzerStub(channel).GetAnalyzerInfo(empty_pb2.Empty(), timeout=10)
        assert sorted(p.name for p in info.policies) == sorted(p.name for p in ALL_POLICIES)
    finally:
        process.kill()
        process.wait()


PLATFORM_TYPES = ["resources:ResourceGroup", "network:VirtualNetwork", "network:Subnet", "network:NetworkSecurityGroup",
                  "network:SecurityRule", "network:NatGateway", "network:PublicIPAddress", "network:RouteTable",
                  "network:PrivateEndpoint", "privatedns:PrivateZone", "privatedns:VirtualNetworkLink",
                  "network:PrivateDnsZoneGroup", "network:VirtualNetworkPeering", "operationalinsights:Workspace", "monitor:DiagnosticSetting",
                  "keyvault:Vault", "keyvault:Secret", "keyvault:Key", "containerregistry:Registry",
                  "managedidentity:UserAssignedIdentity", "managedidentity:FederatedIdentityCredential",
                  "authorization:RoleAssignment", "containerservice:ManagedCluster", "containerservice:AgentPool",
                  "containerservice:MaintenanceConfiguration", "monitor:AzureMonitorWorkspace",
                  "monitor:DataCollectionEndpoint", "monitor:ActionGroup", "alertsmanagement:PrometheusRuleGroup",
                  "dashboard:Grafana", "dataprotection:BackupVault",
                  "dataprotection:BackupPolicy", "dataprotection:BackupInstance", "storage:StorageAccount",
                  "storage:BlobContainer", "kubernetesconfiguration:Extension",
                  "containerservice:TrustedAccessRoleBinding", "kubernetesconfiguration:FluxConfiguration"]


@pytest.mark.parametrize("token", PLATFORM_TYPES)
def test_untaggable_list_matches_the_sdk(token):
    import importlib
    import inspect

    from policies.stack_wide import UNTAGGABLE
    module, cls = token.split(":")
    resource = getattr(importlib.import_module(f"pulumi_azure_native.{module}"), cls)
    has_tags = "tags" in inspect.signature(resource._internal_init).parameters
    assert (f"azure-native:{token}" not in UNTAGGABLE) is has_tags


def test_every_resource_policy_has_cases_in_the_test_module_of_its_policy_module():
    from . import (
        test_backup, test_cluster, test_gitops, test_key_vault, test_metrics, test_monitoring_registry, test_nap,
        test_network, test_node_pools,
    )

    modules = (test_backup, test_cluster, test_gitops, test_key_vault, test_metrics, test_monitoring_registry,
               test_nap, test_network, test_node_pools)
    covered = {case[0] for module in modules for case in module.CASES}
    resource_policies = {p.name for p in ALL_POLICIES if p.resource_types != ("(stack)",)}
    assert resource_policies == covered
    assert len(resource_policies) >= 30
