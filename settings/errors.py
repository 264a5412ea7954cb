"""The one error type for bad stack configuration, and how pydantic's errors become readable lines."""
from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from typing import Any

import pulumi

NAMESPACE = "aks-platform"


class ConfigError(pulumi.RunError):
    """Every problem in a stack's configuration, reported at once.

    A `pulumi.RunError` so that `pulumi up` prints the message without a Python stack trace.
    """

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(
            f"Invalid stack configuration ({len(self.problems)} problem"
            f"{'s' if len(self.problems) != 1 else ''}):\n{lines}"
        )


def show(value: Any) -> str:
    """A config value as the user wrote it (JSON), short enough for one line."""
    text = json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def key_path(section: str, loc: Iterable[str | int]) -> str:
    """`network` + ("vnetCidr",) -> `aks-platform:network.vnetCidr`; list indices as `[1]`."""
    path = f"{NAMESPACE}:{section}"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The known key a misspelt one most likely meant (case-insensitive), if any is close."""
    by_lower = {c.lower(): c for c in candidates}
    match = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[match[0]] if match else None


def unknown_key(path: str, key: str, known: Iterable[str]) -> str:
    hint = closest(key, known)
    allowed = ", ".join(sorted(known))
    suggestion = f'; did you mean "{hint}"?' if hint else ""
    return f"{path}: unknown key \"{key}\"{suggestion} (known keys: {allowed})"
