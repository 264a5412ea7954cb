"""Names for resources whose names are global across Azure (Key Vault, container registry)."""
from __future__ import annotations

import hashlib

import pulumi

ENVIRONMENT_ABBREVIATIONS = {"dev": "dev", "staging": "stg", "prod": "prd"}


def _suffix(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:5]


def global_name(kind: str, name_prefix: str, environment: str, subscription_id: pulumi.Input[str]) -> pulumi.Output[str]:
    """A name unique across Azure that is the same on every run of the stack.

    The suffix hashes the subscription with the stack's prefix and environment, so two organisations
    using the same prefix never collide, and a re-run (or a lost state file) never renames a vault,
    which soft delete would otherwise keep holding under its old name.
    Key Vault allows 3-24 characters and hyphens; registries 5-50 letters and digits only.
    """
    env = ENVIRONMENT_ABBREVIATIONS[environment]

    def build(subscription: str) -> str:
        suffix = _suffix(subscription, name_prefix, environment, kind)
        return f"kv-{name_prefix}-{env}-{suffix}" if kind == "kv" else f"{kind}{name_prefix}{env}{suffix}"

    return pulumi.Output.from_input(subscription_id).apply(build)
