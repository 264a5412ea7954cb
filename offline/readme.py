"""Generated sections of README.md, between `<!-- begin: NAME -->` and `<!-- end: NAME -->` markers.

Generators (the policy catalog, the config reference) write their section with `write_section`;
tests compare `section` with the generator's output, so the README cannot drift from the code.
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- begin: {name} (generated, do not edit) -->\n", f"<!-- end: {name} -->"


def section(name: str, readme: Path = README) -> str:
    begin, end = _markers(name)
    text = readme.read_text()
    start = text.index(begin) + len(begin)
    return text[start:text.index(end, start)]


def write_section(name: str, body: str, readme: Path = README) -> None:
    begin, end = _markers(name)
    text = readme.read_text()
    start = text.index(begin) + len(begin)
    readme.write_text(text[:start] + body + text[text.index(end, start):])


def cli(name: str, render: Callable[[], str], argv: list[str]) -> None:
    """What every generator's `python -m` does: print its section, or with `--write` update README.md."""
    text = render()
    if "--write" in argv:
        write_section(name, text)
    else:
        sys.stdout.write(text)
