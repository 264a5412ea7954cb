"""The VM size table: its data must be sane, and the figures the preflight relies on must match the docs."""

import json
import re
from pathlib import Path

import pytest

from settings import vm_sizes
from settings.vm_sizes import EPHEMERAL_OS_MAX_GIB, VmSize, lookup

RAW = json.loads((Path(vm_sizes.__file__).with_name("vm_sizes.json")).read_text(encoding="utf-8"))
SIZES = vm_sizes.all_sizes()

# Standard_ + family letters + vCPU count + feature letters, then an optional accelerator part, then _vN.
NAME = re.compile(r"^Standard_[A-Z]{1,2}\d{1,3}[a-z]*(_[A-Z]\d+[A-Z]?)?(_v\d)?$")


def test_table_covers_every_series_it_claims():
    assert len(SIZES) == len(RAW["sizes"]) == 357
    assert {s.series for s in SIZES} == set(RAW["series_sources"])


def test_no_duplicate_names_ignoring_case():
    names = [e["name"].lower() for e in RAW["sizes"]]
    assert len(names) == len(set(names))


def test_names_follow_the_azure_pattern():
    assert [s.name for s in SIZES if not NAME.match(s.name)] == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: s.name)
def test_every_entry_is_sane(size: VmSize):
    assert 1 <= size.vcpus <= 192
    # Sizes come in even vCPU counts, apart from the 1-vCPU burstable and DS1 sizes.
    assert size.vcpus == 1 or size.vcpus % 2 == 0
    # From 0.5 GiB per vCPU (B1ls, B2ts_v2) up to ~24.4 GiB per vCPU (NV36adms_A10_v5); outside that a
    # column was probably copied into the wrong field.
    assert 0.5 <= size.memory_gib / size.vcpus <= 25
    assert size.cache_disk_gib >= 0 and size.temp_disk_gib >= 0
    assert size.nvme_disks == 0 or size.temp_disk_nvme
    if not size.ephemeral_os:
        assert size.cache_disk_gib == 0, "cache is only recorded where it is usable for ephemeral OS"


@pytest.mark.parametrize("size", [s for s in SIZES if s.gpus], ids=lambda s: s.name)
def test_gpu_sizes_are_n_series_with_a_model(size: VmSize):
    assert size.name.startswith(("Standard_NC", "Standard_ND", "Standard_NV"))
    assert size.gpu_model
    # Only NVadsA10_v5 sells part of a GPU; every other GPU size has whole GPUs.
    assert size.gpus >= 1 or size.series == "NVadsA10_v5"


def test_only_n_series_sizes_have_gpus():
    assert {s.name for s in SIZES if s.name.startswith(("Standard_NC", "Standard_ND", "Standard_NV"))} == {
        s.name for s in SIZES if s.gpus > 0
    }


# Figures asserted by value, each with the page it was read from (see series_sources in the JSON).
@pytest.mark.parametrize(
    ("name", "cache", "temp", "limit"),
    [
        # sizes/general-purpose/ddsv5-series.md: temp 75 / 150 GiB; no page gives Ddsv5 a cache size.
        ("Standard_D2ds_v5", 0, 75, 75),
        ("Standard_D4ds_v5", 0, 150, 150),
        # sizes/general-purpose/dsv3-series.md: "Disk Cache Size (GiB)" 50, temp 16.
        ("Standard_D2s_v3", 50, 16, 50),
        # azure-docs ddv4-ddsv4-series.md: "19000/120(50)", temp 75.
        ("Standard_D2ds_v4", 50, 75, 75),
        # azure-docs fsv2-series.md: "144000/1152 (1520)", temp 576.
        ("Standard_F72s_v2", 1520, 576, 1520),
        # sizes/general-purpose/dadsv6-series.md: 6 NVMe disks x 880 GiB = 5280 GiB (the page's own example),
        # but Azure caps an ephemeral OS disk at 2,040 GiB (ephemeral-os-disks.md).
        ("Standard_D96ads_v6", 0, 5280, EPHEMERAL_OS_MAX_GIB),
        # sizes/general-purpose/dsv5-series.md: no local storage, Ephemeral OS Disk: Not Supported.
        ("Standard_D2s_v5", 0, 0, 0),
        # sizes/general-purpose/dv3-series.md: 50 GiB temp disk, yet Ephemeral OS Disks: Not Supported.
        ("Standard_D2_v3", 0, 50, 0),
    ],
)
def test_documented_disk_figures(name, cache, temp, limit):
    size = lookup(name)
    assert (size.cache_disk_gib, size.temp_disk_gib, size.ephemeral_os_limit_gib) == (cache, temp, limit)


def test_documented_cpu_memory_and_gpu_figures():
    # sizes/memory-optimized/ev3-esv3-series.md: E64s_v3 has 432 GiB, not 512.
    assert (lookup("Standard_E64s_v3").vcpus, lookup("Standard_E64s_v3").memory_gib) == (64, 432)
    # sizes/gpu-accelerated/ncast4v3-series.md: NC64as_T4_v3 has 4 T4 GPUs and 2,816 GiB temp.
    t4 = lookup("Standard_NC64as_T4_v3")
    assert (t4.gpus, t4.gpu_model, t4.temp_disk_gib) == (4, "NVIDIA Tesla T4", 2816)
    # sizes/gpu-accelerated/nvadsa10v5-series.md: NV6ads_A10_v5 gets 1/6 of an A10.
    assert lookup("Standard_NV6ads_A10_v5").gpus == pytest.approx(1 / 6)
    # sizes/general-purpose/ddsv6-series.md: D16ds_v6 has 2 NVMe disks of 440 GiB.
    d16 = lookup("Standard_D16ds_v6")
    assert (d16.temp_disk_nvme, d16.nvme_disks, d16.temp_disk_gib) == (True, 2, 880)


def test_lookup_ignores_case_and_surrounding_space():
    assert lookup("standard_d4ds_v5") is lookup("STANDARD_D4DS_V5") is lookup(" Standard_D4ds_v5 ")
    assert lookup("standard_d4ds_v5").name == "Standard_D4ds_v5"


def test_unknown_size_is_none_everywhere():
    assert lookup("Standard_D4ds_v99") is None
    assert vm_sizes.family_of("Standard_D4ds_v99") is None
    assert vm_sizes.same_family_that_fit("Standard_D4ds_v99", 30) == []


def test_family_of_separates_look_alike_series():
    assert vm_sizes.family_of("Standard_D4ds_v5") == "Ddsv5"
    assert vm_sizes.family_of("Standard_D4d_v5") == "Ddv5"
    assert vm_sizes.family_of("Standard_D4ads_v5") == "Dadsv5"
    assert vm_sizes.family_of("Standard_D4lds_v5") == "Dldsv5"


def test_same_family_that_fit_suggests_the_next_size_up():
    # The example error message: 128 GiB does not fit D2ds_v5 (75), D4ds_v5 (150) is the first that does.
    fits = vm_sizes.same_family_that_fit("Standard_D2ds_v5", 128)
    assert [s.name for s in fits[:2]] == ["Standard_D4ds_v5", "Standard_D8ds_v5"]
    assert fits[-1].name == "Standard_D96ds_v5"
    # Dsv3 places the OS disk in the cache: 50, 100, 200 GiB, so 128 GiB first fits D8s_v3.
    assert vm_sizes.same_family_that_fit("Standard_D2s_v3", 128)[0].name == "Standard_D8s_v3"


def test_same_family_that_fit_includes_the_size_itself_when_it_fits():
    assert vm_sizes.same_family_that_fit("Standard_D4ds_v5", 128)[0].name == "Standard_D4ds_v5"


def test_series_without_ephemeral_os_suggest_nothing():
    assert vm_sizes.same_family_that_fit("Standard_D4s_v5", 30) == []


def test_is_gpu():
    assert vm_sizes.is_gpu("Standard_NC24ads_A100_v4")
    assert vm_sizes.is_gpu("standard_nv6ads_a10_v5")
    assert not vm_sizes.is_gpu("Standard_D4ds_v5")
    # Not in the table: judged by the N-series name, so a new GPU size still counts as one.
    assert vm_sizes.is_gpu("Standard_NC8as_T4_v9")
    assert not vm_sizes.is_gpu("Standard_D4ds_v99")


def test_the_table_is_read_once():
    vm_sizes.lookup("Standard_D2ds_v5")
    before = vm_sizes._table.cache_info().misses
    for _ in range(3):
        vm_sizes.lookup("Standard_D4ds_v5")
    assert vm_sizes._table.cache_info().misses == before
