"""The stack context: what every component shares, taken from the stack's settings."""
import dataclasses

import pytest

from components.context import StackContext
from offline.mocks import SUBSCRIPTION_ID, TENANT_ID
from tests.helpers import settings_for


def context_for(environment: str) -> StackContext:
    return StackContext.of(
        settings_for(environment), "rg-contoso", tenant_id=TENANT_ID, subscription_id=SUBSCRIPTION_ID
    )


def test_the_context_carries_the_stacks_region_stem_tags_and_account():
    context = context_for("prod")
    assert (context.resource_group_name, context.location, context.stem) == ("rg-contoso", "westeurope", "contoso-prod")
    assert context.tags == {"environment": "prod", "managed-by": "pulumi"}
    assert (context.tenant_id, context.subscription_id) == (TENANT_ID, SUBSCRIPTION_ID)


@pytest.mark.parametrize("environment, protect", [("prod", True), ("dev", False)])
def test_protection_follows_the_environments_settings(environment, protect):
    assert context_for(environment).protect is protect


def test_no_component_can_change_the_context_it_was_given():
    with pytest.raises(dataclasses.FrozenInstanceError):
        context_for("dev").stem = "other"
