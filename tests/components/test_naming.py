"""Global names (Key Vault, container registry): valid for Azure, stable per stack, distinct across subscriptions."""
import re

import pulumi

from components.naming import global_name
from offline.engine import run

OTHER_SUBSCRIPTION = "33333333-3333-3333-3333-333333333333"


def names(prefix: str, environment: str, subscription: str) -> dict[str, str]:
    def program():
        for kind in ("kv", "cr"):
            pulumi.export(kind, global_name(kind, prefix, environment, subscription))

    return run(program).outputs


def test_vault_and_registry_names_fit_azures_rules():
    # Longest prefix the settings allow (10 characters).
    built = names("contosoabc", "staging", "00000000-0000-0000-0000-000000000000")
    # Key Vault: 3-24 letters, digits and hyphens, starting with a letter; registries: 5-50 letters and digits.
    assert re.fullmatch(r"kv-contosoabc-stg-[0-9a-f]{5}", built["kv"]) and len(built["kv"]) <= 24
    assert re.fullmatch(r"crcontosoabcstg[0-9a-f]{5}", built["cr"]) and 5 <= len(built["cr"]) <= 50


def test_the_same_stack_gets_the_same_names_and_another_subscription_others():
    first = names("contoso", "prod", "00000000-0000-0000-0000-000000000000")
    assert names("contoso", "prod", "00000000-0000-0000-0000-000000000000") == first
    other = names("contoso", "prod", OTHER_SUBSCRIPTION)
    assert other["kv"] != first["kv"] and other["cr"] != first["cr"]
