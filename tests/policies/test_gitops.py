"""The GitOps policy (policies/gitops.py), rule by rule (the checks are in resource_cases.py)."""
from __future__ import annotations

from .helpers import validate
from .fixtures import good
from .resource_cases import checks_for

CASES = [
    ("flux-source-encrypted", "flux", {"gitRepository.url": "http://github.com/org/repo"},
     "gitRepository.url is 'http://github.com/org/repo'; want https:// or ssh://", None),
    ("flux-source-encrypted", "flux", {"gitRepository.url": "git://github.com/org/repo"},
     "gitRepository.url is 'git://github.com/org/repo'; want https:// or ssh://", None),
    ("flux-source-encrypted", "flux", {"gitRepository.url": "https://me:ghp-x@github.com/org/repo"},
     "gitRepository.url carries a password or token", None),
    ("flux-source-encrypted", "flux", {"bucket": {"url": "https://minio.example.com", "insecure": True}},
     "bucket.insecure is true; want TLS", None),
]
test_known_good_resources_pass, test_flipped_property_is_reported, test_unknown_value_does_not_crash_or_report = \
    checks_for(CASES)


def test_an_ssh_source_passes():
    resource_type, props = good("flux")
    props["gitRepository"]["url"] = "ssh://git@github.com/org/repo"
    assert validate("flux-source-encrypted", resource_type, props, "flux") == []


def test_the_token_in_a_url_is_not_repeated_in_the_message():
    resource_type, props = good("flux")
    props["gitRepository"]["url"] = "https://me:ghp-secret-4711@github.com/org/repo"
    [message] = validate("flux-source-encrypted", resource_type, props, "flux")
    assert "ghp-secret-4711" not in message
