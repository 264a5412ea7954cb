"""The VM size table in docs/vm-sizes.md, generated from settings/vm_sizes.json through settings.vm_sizes.

It shows what the ephemeral OS disk preflight knows about each size, including the limit it checks
against, and where each series' figures were read. `python -m tools.docs --write` (`make docs`) writes it.
"""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from settings import vm_sizes

SOURCE = Path(vm_sizes.__file__).with_name("vm_sizes.json")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _number(value: float) -> str:
    return f"{value:g}"


def _gpus(size: vm_sizes.VmSize) -> str:
    if not size.gpus:
        return ""
    # The JSON keeps fractions of a GPU as the size page writes them ("1/6"); show them the same way.
    count = str(Fraction(size.gpus).limit_denominator(100))
    return count + (f" {size.gpu_model}" if size.gpu_model else "")


def _row(size: vm_sizes.VmSize) -> str:
    temp = f"{size.temp_disk_gib} (NVMe)" if size.temp_disk_nvme else str(size.temp_disk_gib)
    cells = [f"`{size.name}`", size.series, str(size.vcpus), _number(size.memory_gib), str(size.cache_disk_gib),
             temp, _yes(size.ephemeral_os), str(size.ephemeral_os_limit_gib), _yes(size.premium_storage),
             _gpus(size)]
    return "| " + " | ".join(cells) + " |"


def render() -> str:
    sources = json.loads(SOURCE.read_text(encoding="utf-8"))["series_sources"]
    sizes = vm_sizes.all_sizes()
    lines = [
        f"{len(sizes)} sizes in {len(sources)} series. Disk sizes in GiB; the ephemeral OS limit is what the",
        "preflight checks `osDiskSizeGb` against (0: this size needs `osDiskType: Managed`).",
        "",
        "| Size | Series | vCPUs | Memory | Cache disk | Temp disk | Ephemeral OS | Ephemeral OS limit "
        "| Premium storage | GPUs |",
        "|---|---|---:|---:|---:|---:|---|---:|---|---|",
        *(_row(size) for size in sizes),
        "",
        "Where each series' figures come from:",
        "",
        *(f"- {series}: `{source}`" for series, source in sources.items()),
    ]
    return "\n".join(lines) + "\n"
