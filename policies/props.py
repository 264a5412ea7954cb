"""Read resource properties the way the engine hands them to policies, without crashing on unknowns.

During `pulumi preview` a property that depends on another resource's output is unknown; pulumi_policy
wraps props in a proxy that raises `UnknownValueError` when such a value is read. Policies run again
with known values on `pulumi up`, so an unknown value is "cannot judge yet": these helpers return the
`UNKNOWN` sentinel and the checks skip that property instead of failing the whole policy.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import UnknownValueError

from sdk_shim.policy_sdk import is_unknown_value


class _Unknown:
    def __repr__(self) -> str:
        return "<unknown during preview>"


UNKNOWN: Any = _Unknown()
_ABSENT = object()


def is_unknown(value: Any) -> bool:
    return value is UNKNOWN


def _step(container: Any, key: str | int) -> Any:
    try:
        if isinstance(container, Mapping):
            value = container[key] if key in container else _ABSENT
        elif isinstance(container, Sequence) and not isinstance(container, str) and isinstance(key, int):
            value = container[key] if -len(container) <= key < len(container) else _ABSENT
        else:
            value = _ABSENT
    except UnknownValueError:
        return UNKNOWN
    # Plain dicts (e.g. tests or outputs not wrapped by the proxy) may carry the raw sentinels.
    return UNKNOWN if is_unknown_value(value) else value


def get(props: Any, path: str, default: Any = None) -> Any:
    """Value at a dotted path such as `apiServerAccessProfile.enablePrivateCluster`.

    Returns `default` when any step is absent (or null), `UNKNOWN` when any step is unknown.
    """
    value = props
    for part in path.split("."):
        value = _step(value, int(part) if part.isdigit() else part)
        if value is UNKNOWN:
            return UNKNOWN
        if value is _ABSENT or value is None:
            return default
    return value


def items(value: Any) -> list[Any]:
    """Elements of a list property; [] when absent, [UNKNOWN] when the list itself is unknown."""
    if value is UNKNOWN:
        return [UNKNOWN]
    if not isinstance(value, Sequence) or isinstance(value, str):
        return []
    return [_step(value, i) for i in range(len(value))]


def entries(value: Any) -> Iterator[tuple[str, Any]]:
    """Key/value pairs of a map property, with unknown values replaced by `UNKNOWN`."""
    if isinstance(value, Mapping):
        for key in list(value):
            yield key, _step(value, key)


def lookup_ci(mapping: Any, key: str) -> Any:
    """Map entry by case-insensitive key (AKS treats add-on names without regard to case); None if absent."""
    for name, value in entries(mapping):
        if name.lower() == key.lower():
            return value
    return None


def show(value: Any) -> str:
    """A property value as it appears in messages: absent values read as 'absent'."""
    if value is None:
        return "absent"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in entries(value)) + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(show(v) for v in items(value)) + "]"
    return str(value)
