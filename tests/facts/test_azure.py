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
