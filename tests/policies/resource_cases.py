"""The three checks every resource policy gets, one policy module's case table at a time: the known-good
fixture passes; flipping one property from it is reported with a message naming the resource and the
property; an unknown value there does not crash the policy (and is not reported: it is judged again on
`pulumi up`).

A case is (policy, fixture resource, {path: bad value}, text the message must contain (the property),
config). Each `tests/policies/test_<module>.py` lists the cases of the policies in `policies/<module>.py`.
"""
from __future__ import annotations

import pytest

from policies.framework import kind

from .fixtures import good
from .helpers import UNKNOWN, set_path, validate

RESOURCES = ["aks", "apps", "nsg", "http", "vnet", "nodes", "apiserver", "aci", "kv", "secret", "key", "acr", "log",
             "grafana", "nap-pool", "backup-vault", "backup-storage", "flux"]


def checks_for(cases: list[tuple]):
    """The three test functions for one module's cases, for its namespace (pytest collects them there)."""
    ids = [f"{policy}:{resource}:{','.join(flips)}" for policy, resource, flips, _, _ in cases]

    @pytest.mark.parametrize("policy", sorted({case[0] for case in cases}))
    def known_good_resources_pass(policy):
        for resource in RESOURCES:
            resource_type, props = good(resource)
            assert validate(policy, resource_type, props, resource) == []

    @pytest.mark.parametrize("policy, resource, flips, expected, config", cases, ids=ids)
    def flipped_property_is_reported(policy, resource, flips, expected, config):
        resource_type, props = good(resource)
        for path, value in flips.items():
            set_path(props, path, value)
        messages = validate(policy, resource_type, props, resource, config)
        assert len(messages) == 1, messages
        assert f"{kind(resource_type)} '{resource}': {expected}" in messages[0]
        assert "Fix: " in messages[0]

    @pytest.mark.parametrize("policy, resource, flips, expected, config", cases, ids=ids)
    def unknown_value_does_not_crash_or_report(policy, resource, flips, expected, config):
        resource_type, props = good(resource)
        for path in flips:
            set_path(props, path, UNKNOWN)
        assert validate(policy, resource_type, props, resource, config) == []

    return known_good_resources_pass, flipped_property_is_reported, unknown_value_does_not_crash_or_report
