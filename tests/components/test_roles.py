"""Role assignments: stable names, the subscription-scoped role ID Azure reads back, service principals."""
import pulumi

from components.roles import assign_role
from offline.engine import run
from offline.mocks import SUBSCRIPTION_ID

ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"


def grant(stack: str) -> dict:
    def program():
        owner = pulumi.ComponentResource("test:index:Owner", "owner")
        assign_role("owner-pull", scope="/subscriptions/x/registry", role=ACR_PULL, principal_id="principal",
                    subscription_id=SUBSCRIPTION_ID, parent=owner)

    return run(program, stack=stack).one("azure-native:authorization:RoleAssignment", "owner-pull")


def test_the_assignment_names_the_role_at_subscription_scope_for_a_service_principal():
    inputs = grant("prod")["inputs"]
    assert inputs["roleDefinitionId"] == (
        f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/{ACR_PULL}")
    assert (inputs["scope"], inputs["principalId"], inputs["principalType"]) == (
        "/subscriptions/x/registry", "principal", "ServicePrincipal")


def test_the_assignment_id_is_stable_per_stack_and_differs_between_stacks():
    name = grant("prod")["inputs"]["roleAssignmentName"]
    assert grant("prod")["inputs"]["roleAssignmentName"] == name
    assert grant("dev")["inputs"]["roleAssignmentName"] != name


def test_without_a_principal_type_none_is_sent_and_azure_looks_the_principal_up():
    # The SDK would send "User" for None, which Azure refuses for a service principal (UnmatchedPrincipalType).
    def program():
        owner = pulumi.ComponentResource("test:index:Owner", "owner")
        assign_role("owner-any", scope="/subscriptions/x/cluster", role=ACR_PULL, principal_id="deployer",
                    subscription_id=SUBSCRIPTION_ID, parent=owner, principal_type=None)

    inputs = run(program).one("azure-native:authorization:RoleAssignment", "owner-any")["inputs"]
    assert "principalType" not in inputs and inputs["principalId"] == "deployer"
