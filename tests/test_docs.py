"""The docs cannot drift: generated parts match their generators, links resolve, the README stays short,
and the generators sit above the code they document."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tools import docs

ROOT = docs.ROOT
README = ROOT / "README.md"
PAGES = [README, *sorted(docs.DOCS.glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _outside_code_fences(text: str) -> list[str]:
    lines, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def anchors(page: Path) -> set[str]:
    """The heading anchors GitHub gives a markdown page (lower case, punctuation dropped, spaces to -)."""
    seen: dict[str, int] = {}
    result = set()
    for line in _outside_code_fences(page.read_text()):
        match = re.match(r"#{1,6} (.+)", line)
        if not match:
            continue
        slug = re.sub(r"[^\w\- ]", "", match.group(1).strip().lower()).replace(" ", "-")
        result.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return result


def relative_links(page: Path) -> list[str]:
    return [target for line in _outside_code_fences(page.read_text()) for target in LINK.findall(line)
            if not re.match(r"[a-z]+:", target)]


@pytest.mark.parametrize("part", docs.GENERATED, ids=lambda part: part.name)
def test_generated_part_matches_its_generator(part):
    assert part.committed() == part.render(), "run: make docs"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_relative_link_points_at_an_existing_file_and_heading(page):
    broken = []
    for target in relative_links(page):
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            broken.append(f"{target}: no file {file.relative_to(ROOT) if file.is_relative_to(ROOT) else file}")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{target}: no heading #{anchor} in {file.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_link_check_sees_headings_and_ignores_code():
    page = docs.DOCS / "delivery.md"
    assert "1-give-github-an-azure-identity-oidc" in anchors(page)
    assert "optional-deployerprincipaltype-usergroup-default-serviceprincipal" not in anchors(page)  # a shell comment


def test_the_readme_gives_the_two_commands_on_its_first_screen_and_stays_short():
    lines = README.read_text().splitlines()
    first_screen = "\n".join(lines[:30])
    assert "make plan STACK=dev" in first_screen and "make test" in first_screen
    assert len(lines) <= 300


@pytest.mark.parametrize("package", ["settings", "policies"])
def test_the_program_and_the_pack_never_import_the_tools_or_the_offline_harness(package):
    upward = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module or ""]
            else:
                continue
            upward += [f"{path.relative_to(ROOT)}: {m}" for m in modules if m.split(".")[0] in ("offline", "tools")]
    assert not upward


def test_the_node_pool_example_is_the_stack_file_the_tests_render():
    shown = re.search(r"```yaml\n(.*?)```", (docs.DOCS / "node-pools.md").read_text(), re.S).group(1)
    stack_file = (ROOT / "tests" / "pools" / "Pulumi.workloads.yaml").read_text()
    assert shown == stack_file[stack_file.index("config:"):]
