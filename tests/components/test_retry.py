"""The retry of Azure's transient conflicts: which error texts are retried, how often, and how long apart."""
import asyncio

import pulumi
import pytest

from components import retry
from components.retry import MAX_RETRIES, retry_delay, transient_conflict

# Error texts as Azure and the providers report them (the issue or page each is quoted from).
TRANSIENT = {
    # Azure/terraform-provider-azapi#503: the azcore error format azure-native 3.x prints.
    "subnet, azcore format": (
        "PUT https://management.azure.com/subscriptions/xxx/resourceGroups/rg-contoso-prod/providers/"
        "Microsoft.Network/virtualNetworks/vnet-contoso-prod/subnets/snet-endpoints\n"
        "--------------------------------------------------------------------------------\n"
        "RESPONSE 409: 409 Conflict\nERROR CODE: AnotherOperationInProgress\n"
        "--------------------------------------------------------------------------------\n"
        '{\n  "error": {\n    "code": "AnotherOperationInProgress",\n    "message": "Another operation on this or '
        "dependent resource is in progress. To retrieve status of the operation use uri: https://management.azure"
        '.com/subscriptions/xxx/providers/Microsoft.Network/locations/westus2/operations/a12c9cd0-ef67-4686-ae31-'
        '32ef46bad36b?api-version=2023-11-01.",\n    "details": []\n  }\n}'
    ),
    # pulumi/pulumi-azure-native#699: the older autorest format.
    "subnet, autorest format": (
        'autorest/azure: Service returned an error. Status=<nil> Code="AnotherOperationInProgress" '
        'Message="Another operation on this or dependent resource is in progress. To retrieve status of the '
        'operation use uri: https://management.azure.com/subscriptions/xxx/providers/Microsoft.Network/locations/'
        'westeurope/operations/xxx?api-version=2020-11-01." Details=[]'
    ),
    # cilium/cilium#25944
    "agent pool": (
        "(OperationNotAllowed) Operation is not allowed: Another agentpool operation (nodepool1 - Creating) is in "
        "progress, please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-"
        "operation for more details\nCode: OperationNotAllowed"
    ),
    # Azure/terraform-azurerm-avm-ptn-aks-production#25
    "cluster": (
        "Operation is not allowed: Another operation (Updating) is in progress, please wait for it to finish before "
        "starting a new operation. See https://aka.ms/aks-pending-operation for more details"
    ),
    # Microsoft Learn, "Cluster pending operation (OperationNotAllowed) errors", third form.
    "cluster while a pool changes": (
        "Managed Cluster operation is not allowed: Another operation (Scaling) is in progress on agent pool (apps), "
        "please wait for it to finish before starting a new operation. See https://aka.ms/aks-pending-operation "
        "for more details"
    ),
    # Microsoft Learn, "AKSOperationPreempted or AKSOperationPreemptedByDelete error".
    "preempted": 'Code: "AKSOperationPreempted" Message: "This operation has been preempted by another operation '
                 'with ID 4b1c5e2a-0000-0000-0000-000000000000"',
}
REAL = {
    # Same pages: the same code, but nothing a retry would fix.
    "preempted by a delete": 'Code: "AKSOperationPreemptedByDelete" Message: "This operation has been preempted by '
                             'Deleting operation."',
    "quota": 'Code="OperationNotAllowed" Message="Operation could not be completed as it results in exceeding '
             'approved standardEv3Family Cores quota. Additional details - Deployment Model: Resource Manager, '
             'Location: uksouth, Current Limit: 200, Current Usage: 200, Additional Required: 8"',
    "already stopped": "(OperationNotAllowed) managed cluster is not currently running, stopping cannot be "
                       "performed; The stop operation started at '2024-02-13T15:01:15Z'",
    "pool being deleted": "Unable to perform 'Scaling' operation on 'agentpool' since deletion was issued on "
                          "'agentpool'. The only allowed operation is deletion once deletion has started.",
    # The shape of the message in hashicorp/terraform-provider-azurerm and Packer logs.
    "subnet in use": 'Code="InUseSubnetCannotBeDeleted" Message="Subnet snet-nodes is in use by /subscriptions/xxx/'
                     'resourceGroups/rg-nodes/providers/Microsoft.Network/networkInterfaces/nic-1/ipConfigurations/'
                     'ipconfig1 and cannot be deleted. In order to delete the subnet, delete all the resources '
                     'within the subnet. See aka.ms/deletesubnet."',
}


@pytest.mark.parametrize("error", TRANSIENT.values(), ids=TRANSIENT.keys())
def test_documented_transient_conflicts_are_retried(error):
    assert transient_conflict(error) is not None
    assert retry_delay([error]) == 30


@pytest.mark.parametrize("error", REAL.values(), ids=REAL.keys())
def test_real_errors_are_never_retried(error):
    assert transient_conflict(error) is None
    assert retry_delay([error]) is None


def test_every_retried_conflict_names_its_azure_source():
    assert all(c.source.startswith("https://learn.microsoft.com/") for c in retry.TRANSIENT_CONFLICTS)


def test_retries_are_bounded_and_wait_longer_each_time():
    conflict = TRANSIENT["agent pool"]
    delays = [retry_delay([conflict] * failures) for failures in range(1, MAX_RETRIES + 2)]
    assert delays == [30, 60, 120, 240, 480, None]


def test_the_newest_error_decides():
    assert retry_delay([REAL["quota"], TRANSIENT["cluster"]]) is None
    assert retry_delay([TRANSIENT["cluster"], REAL["quota"]]) == 60
    assert retry_delay([]) is None


def _hook_answer(errors, monkeypatch):
    waited = []

    async def no_wait(seconds):
        waited.append(seconds)

    monkeypatch.setattr(retry.asyncio, "sleep", no_wait)
    monkeypatch.setattr(retry.pulumi.log, "info", lambda *a, **k: None)
    args = pulumi.ErrorHookArgs(urn="urn", id="", name="pools-apps", type="azure-native:containerservice:AgentPool",
                                failed_operation="create", errors=errors)
    return asyncio.run(retry._retry_transient_conflict(args)), waited


def test_the_hook_waits_then_asks_the_engine_to_retry(monkeypatch):
    assert _hook_answer([TRANSIENT["agent pool"]] * 2, monkeypatch) == (True, [60])


def test_the_hook_lets_a_real_error_fail_at_once(monkeypatch):
    assert _hook_answer([REAL["quota"]], monkeypatch) == (False, [])
    assert _hook_answer([TRANSIENT["agent pool"]] * (MAX_RETRIES + 1), monkeypatch) == (False, [])
