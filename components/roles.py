"""Role assignments with stable names, shared by every component that grants access."""
from __future__ import annotations

import uuid

import pulumi
from pulumi_azure_native import authorization


def role_definition_id(subscription_id: pulumi.Input[str], role: str) -> pulumi.Output[str]:
    """The subscription-scoped form, which is what Azure reads back: the short form would diff forever."""
    return pulumi.Output.concat(
        "/subscriptions/", subscription_id, "/providers/Microsoft.Authorization/roleDefinitions/", role
    )


def assign_role(
    name: str,
    *,
    scope: pulumi.Input[str],
    role: str,
    principal_id: pulumi.Input[str],
    subscription_id: pulumi.Input[str],
    parent: pulumi.Resource,
    principal_type: str | None = authorization.PrincipalType.SERVICE_PRINCIPAL,
) -> authorization.RoleAssignment:
    """Grant `role` on `scope` to a principal: a service principal unless said otherwise (managed
    identities are service principals); `principal_type=None` lets Azure look the principal up.

    The assignment's GUID is derived from the stack and the logical name, so it is the same on every
    run and after a lost state file, and a re-run never creates a duplicate assignment.
    """
    stable_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{pulumi.get_project()}/{pulumi.get_stack()}/{name}")
    return authorization.RoleAssignment(
        name,
        role_assignment_name=str(stable_id),
        scope=scope,
        role_definition_id=role_definition_id(subscription_id, role),
        principal_id=principal_id,
        # Without it Azure may look the principal up before Entra ID has replicated a new identity. The pinned
        # SDK sends "User" for None (pulumi_azure_native/authorization/role_assignment.py) and Azure refuses a
        # type that does not match (UnmatchedPrincipalType), so None is sent as an Output resolving to None:
        # the property is left out and Azure looks the principal up.
        principal_type=principal_type if principal_type is not None else pulumi.Output.from_input(None),
        opts=pulumi.ResourceOptions(parent=parent),
    )
