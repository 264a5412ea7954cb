"""The stack's resource group alone."""
from components.resource_group import ResourceGroup

from .helpers import CONTEXT, render_component


def render_group(protect: bool):
    return render_component(lambda: ResourceGroup(
        "platform", resource_group_name="rg-contoso-prod", location="westeurope", tags=CONTEXT.tags, protect=protect,
    ))


def test_the_group_is_named_placed_and_tagged_as_asked():
    rendered, _ = render_group(protect=False)
    group = rendered.one("azure-native:resources:ResourceGroup", "platform-rg")
    assert group["inputs"] == {
        "resourceGroupName": "rg-contoso-prod", "location": "westeurope",
        "tags": {"environment": "prod", "managed-by": "pulumi"},
    }
    assert group["protect"] is False


def test_a_protected_stack_protects_its_group():
    rendered, _ = render_group(protect=True)
    assert rendered.one("azure-native:resources:ResourceGroup")["protect"] is True
