"""`python -m tools.docs [--write | --check]` (`make docs`): the generated parts of docs/.

Each generated part sits in a docs file between `<!-- begin: NAME (generated, do not edit) -->` and
`<!-- end: NAME -->`; the text around it is written by hand. `--write` regenerates every part;
`--check` (the default) lists the parts that differ from their generator and exits 1 if any does.
tests/test_docs.py runs the same check, so the docs cannot drift from the code.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tools import alert_table, compliance_mapping, config_reference, policy_catalog, vm_size_table

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


@dataclass(frozen=True)
class Generated:
    """One generated part: the file it lives in, its marker name, and the function that renders it."""

    path: Path
    name: str
    render: Callable[[], str]

    def markers(self) -> tuple[str, str]:
        return f"<!-- begin: {self.name} (generated, do not edit) -->\n", f"<!-- end: {self.name} -->"

    def _bounds(self, text: str) -> tuple[int, int]:
        begin, end = self.markers()
        if begin not in text:
            raise SystemExit(f"{self.path.relative_to(ROOT)}: no {begin.strip()} marker")
        start = text.index(begin) + len(begin)
        return start, text.index(end, start)

    def committed(self) -> str:
        """The part as it stands in the file."""
        text = self.path.read_text()
        start, stop = self._bounds(text)
        return text[start:stop]

    def write(self, body: str) -> None:
        text = self.path.read_text()
        start, stop = self._bounds(text)
        self.path.write_text(text[:start] + body + text[stop:])


GENERATED = (
    Generated(DOCS / "config.md", "config-reference", config_reference.render),
    Generated(DOCS / "policies.md", "policies", policy_catalog.render),
    Generated(DOCS / "vm-sizes.md", "vm-sizes", vm_size_table.render),
    Generated(DOCS / "metrics.md", "alert-rules", alert_table.render),
    Generated(DOCS / "compliance-mapping.md", "compliance-mapping", compliance_mapping.render),
)


def stale() -> list[Generated]:
    """The parts whose committed text differs from what their generator renders now."""
    return [part for part in GENERATED if part.committed() != part.render()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.docs", description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="regenerate every generated part of docs/")
    mode.add_argument("--check", action="store_true", help="exit 1 if a generated part is out of date (default)")
    args = parser.parse_args(argv)
    if args.write:
        for part in GENERATED:
            part.write(part.render())
        return 0
    out_of_date = stale()
    for part in out_of_date:
        print(f"{part.path.relative_to(ROOT)}: section {part.name!r} is out of date; run: make docs", file=sys.stderr)
    return 1 if out_of_date else 0


if __name__ == "__main__":
    sys.exit(main())
