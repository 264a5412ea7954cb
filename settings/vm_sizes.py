"""Azure VM size facts for the ephemeral-OS-disk preflight.

`VMCacheSizeTooSmall` is the commonest AKS deployment failure and Azure only reports it minutes into a
deploy. The settings step uses this table to reject a pool whose ephemeral OS disk cannot fit its VM size,
and to suggest a size that fits, before anything is sent to Azure. The figures live in `vm_sizes.json`
(hand-copied from the Microsoft Learn size pages, sources inside); this module only loads and queries them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
import difflib
from fractions import Fraction
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("vm_sizes.json")

# Azure rejects an ephemeral OS disk above 2,040 GiB whatever the local disk (Ephemeral OS disks doc).
EPHEMERAL_OS_MAX_GIB = 2040

GPU_NAME_PREFIXES = ("Standard_NC", "Standard_ND", "Standard_NV")


@dataclass(frozen=True, slots=True)
class VmSize:
    """One VM size; disk sizes in GiB, 0 meaning "none usable"."""

    name: str
    series: str
    vcpus: int
    memory_gib: float
    cache_disk_gib: int
    temp_disk_gib: int
    temp_disk_nvme: bool
    premium_storage: bool
    ephemeral_os: bool
    gpus: float = 0.0
    gpu_model: str | None = None
    nvme_disks: int = 0

    @property
    def ephemeral_os_limit_gib(self) -> int:
        """Largest ephemeral OS disk this size can hold: the larger of cache and temp/NVMe disk.

        0 when the series page says ephemeral OS disks are not supported (e.g. Dv3 has a temp disk, yet
        Azure refuses ephemeral OS on it), so callers need no second check.
        """
        if not self.ephemeral_os:
            return 0
        return min(max(self.cache_disk_gib, self.temp_disk_gib), EPHEMERAL_OS_MAX_GIB)


def _parse(entry: dict) -> VmSize:
    fields = dict(entry)
    # Fractional GPUs ("1/6" on NVadsA10_v5) are stored as text so the JSON keeps the doc's exact value.
    fields["gpus"] = float(Fraction(str(fields.get("gpus", 0))))
    return VmSize(**fields)


@cache
def _table() -> dict[str, VmSize]:
    """All sizes keyed by lower-case name; read once per process because every plan consults it."""
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    return {e["name"].lower(): _parse(e) for e in raw["sizes"]}


@cache
def _by_series() -> dict[str, tuple[VmSize, ...]]:
    groups: dict[str, list[VmSize]] = {}
    for size in _table().values():
        groups.setdefault(size.series, []).append(size)
    # Smallest first, so the first size that fits is the cheapest suggestion.
    return {k: tuple(sorted(v, key=lambda s: (s.vcpus, s.memory_gib))) for k, v in groups.items()}


def all_sizes() -> list[VmSize]:
    return list(_table().values())


def lookup(name: str) -> VmSize | None:
    """The size called `name` (case-insensitive, e.g. "standard_d4ds_v5"), or None if not in the table."""
    return _table().get(name.strip().lower())


def nearest(name: str, n: int = 3) -> list[str]:
    """The table's sizes whose names are closest to `name` (for "did you mean"), best first."""
    names = {size.name.lower(): size.name for size in all_sizes()}
    return [names[m] for m in difflib.get_close_matches(name.strip().lower(), list(names), n=n, cutoff=0.6)]


def family_of(name: str) -> str | None:
    """Series of a size ("Standard_D4ds_v5" -> "Ddsv5"), or None for an unknown size."""
    size = lookup(name)
    return size.series if size else None


def same_family_that_fit(name: str, os_disk_gib: int) -> list[VmSize]:
    """Sizes of the same series whose ephemeral OS limit is >= `os_disk_gib`, smallest first.

    Suggestions stay within the series so that a fix changes only the size, not CPU vendor, memory
    ratio or generation. Empty for an unknown size or when nothing in the series fits.
    """
    series = family_of(name)
    if series is None:
        return []
    return [s for s in _by_series()[series] if s.ephemeral_os_limit_gib >= os_disk_gib]


def is_gpu(name: str) -> bool:
    """True for sizes with at least part of a GPU; unknown sizes fall back to the N-series name prefix."""
    size = lookup(name)
    if size is not None:
        return size.gpus > 0
    return name.strip().lower().startswith(tuple(p.lower() for p in GPU_NAME_PREFIXES))
