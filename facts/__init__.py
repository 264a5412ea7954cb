"""What every layer of the platform reads: Azure's facts (`facts.azure`) and the environment profiles
(`facts.profiles`).

Standard library only, and importing nothing from the project: `settings/`, `components/` and the policy
pack all import it. The pack runs in its own venv (`policies/pyproject.toml`: pulumi and pulumi-policy
only) with the repository root on its path (`policies/__main__.py`), so this package is the one place both
the program and the pack can reach; `settings/` could not be, because importing it pulls in pydantic.
"""
