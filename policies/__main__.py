"""Entry point the Pulumi CLI runs (`--policy-pack policies`): assemble the pack and serve it.

The CLI runs this file with `policies/` itself on sys.path, so the repository root is added to import
the policies as the `policies` package, the same way the tests and the offline plan import them.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import EnforcementLevel, PolicyPack  # noqa: E402

from policies.pack import ALL_POLICIES, DESCRIPTION, PACK_NAME  # noqa: E402

if __name__ == "__main__":  # the CLI runs this file as __main__; importing it must not start a server
    PolicyPack(PACK_NAME, ALL_POLICIES, enforcement_level=EnforcementLevel.ADVISORY, description=DESCRIPTION)
