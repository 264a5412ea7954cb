"""facts/azure.py: each Azure fact has one home. The program, the settings and the pack import it; none
spells a role ID or the environment list itself, and the pack can import it in its own venv."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from facts.azure import ROLE_NAMES, takes_max_surge
from facts.profiles import ENVIRONMENTS

ROOT = Path(__file__).resolve().parents[2]
CODE = [p for folder in ("components", "settings", "policies", "tools") for p in (ROOT / folder).rglob("*.py")] \
    + [ROOT / "__main__.py"]


@pytest.mark.parametrize("role", sorted(ROLE_NAMES), ids=lambda role: ROLE_NAMES[role])
def test_role_ids_are_written_only_in_facts(role):
    assert [p.relative_to(ROOT) for p in CODE if role in p.read_text()] == []


def test_the_environment_list_is_written_only_in_the_profiles():
    listed = re.compile(r"""["']dev["'],\s*["']staging["'],\s*["']prod["']""")
    assert [p.relative_to(ROOT) for p in CODE if listed.search(p.read_text())] == []
    assert ENVIRONMENTS == ("dev", "staging", "prod")


def test_spot_pools_take_no_max_surge():
    assert (takes_max_surge(spot=True), takes_max_surge(spot=False)) == (False, True)


def test_facts_import_with_the_standard_library_only():
    """The pack's venv has pulumi and pulumi-policy only: facts must not need pydantic or the SDKs."""
    script = ("import sys; import facts.azure, facts.profiles; "
              "print(sorted(m for m in ('pydantic', 'pulumi', 'settings') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == "[]", result.stderr


def test_the_api_server_zone_name_follows_aks_naming_and_every_stem_fits_the_subzone_limit():
    from facts.azure import API_SERVER_DNS_SUBZONE_MAX, api_server_private_dns_zone
    from facts.profiles import ENVIRONMENTS

    assert api_server_private_dns_zone("contoso-prod", "westeurope", True) == "contoso-prod.private.westeurope.azmk8s.io"
    assert api_server_private_dns_zone("contoso-prod", "westeurope", False) == "contoso-prod.privatelink.westeurope.azmk8s.io"
    # The stem is <namePrefix>-<environment>: at most 10 characters, a hyphen, the longest environment name.
    longest_stem = 10 + 1 + max(len(e) for e in ENVIRONMENTS)
    assert longest_stem <= API_SERVER_DNS_SUBZONE_MAX
    with pytest.raises(ValueError):
        api_server_private_dns_zone("x" * (API_SERVER_DNS_SUBZONE_MAX + 1), "westeurope", True)
