"""settings/kubernetes_versions.py: the AKS release calendar, by value."""
from __future__ import annotations

from datetime import date

import pytest

from settings import kubernetes_versions as versions

NOV_2026 = date(2026, 11, 27)


def test_the_calendar_reads_month_ends_and_exact_dates_as_the_page_says():
    assert versions.releases()["1.35"].end_of_life == date(2027, 3, 31)
    assert versions.releases()["1.30"].end_of_life == date(2025, 8, 22)
    assert versions.releases()["1.34"].aks_ga == date(2025, 11, 1)


def test_supported_versions_on_a_day():
    assert versions.supported_on(NOV_2026) == ["1.34", "1.35", "1.36", "1.37"]
    assert versions.supported_on(NOV_2026, lts=True) == ["1.31", "1.32", "1.33", "1.34", "1.35", "1.36", "1.37"]


@pytest.mark.parametrize("version", ["1.35", "1.35.7", "1.34", "1.37"])
def test_a_supported_version_passes(version):
    assert versions.problem(version, NOV_2026) is None


def test_an_unknown_version_names_the_calendar_and_what_is_supported():
    assert versions.problem("1.99", NOV_2026) == (
        "1.99 is not in the AKS release calendar (settings/kubernetes_versions.json, read 2026-11-27); "
        "supported on 2026-11-27: 1.34, 1.35, 1.36, 1.37")


def test_a_version_past_its_end_of_life_is_refused_unless_long_term_support_covers_it():
    assert versions.problem("1.33", NOV_2026) == (
        "1.33 reached the end of AKS standard support (Premium tier adds long-term support) on 2026-07-31; "
        "supported: 1.34, 1.35, 1.36, 1.37")
    assert versions.problem("1.33", NOV_2026, lts=True) is None
    assert versions.problem("1.30.4", NOV_2026, lts=True).startswith(
        "1.30.4 reached the end of AKS long-term support on 2026-07-31")


def test_a_version_before_its_aks_release_is_refused():
    assert versions.problem("1.37", date(2026, 9, 15)).startswith(
        "1.37 is not generally available on AKS before October 2026")


def test_the_last_day_of_support_still_passes():
    assert versions.problem("1.34", date(2026, 11, 30)) is None
    assert versions.problem("1.34", date(2026, 12, 1)) is not None


def settings_with(version, tier="Standard", today=NOV_2026, monkeypatch=None):
    from tests.helpers import settings_for

    monkeypatch.setattr(versions, "today", lambda: today)
    return settings_for("staging", cluster={"kubernetesVersion": version, "tier": tier,
                                            "authorizedIpRanges": ["203.0.113.0/24"]})


def test_the_settings_refuse_a_version_past_its_end_of_life_and_name_the_key(monkeypatch):
    from settings import ConfigError

    with pytest.raises(ConfigError) as err:
        settings_with("1.33", monkeypatch=monkeypatch)
    assert err.value.problems == [
        "aks-platform:cluster.kubernetesVersion: 1.33 reached the end of AKS standard support (Premium tier adds "
        "long-term support) on 2026-07-31; supported: 1.34, 1.35, 1.36, 1.37"]


def test_premium_takes_a_version_in_long_term_support(monkeypatch):
    assert settings_with("1.33", tier="Premium", monkeypatch=monkeypatch).cluster.kubernetes_version == "1.33"


def test_a_version_written_as_a_yaml_number_is_told_to_quote_it(monkeypatch):
    from settings import ConfigError

    with pytest.raises(ConfigError) as err:
        settings_with(1.3, monkeypatch=monkeypatch)
    assert err.value.problems == [
        'aks-platform:cluster.kubernetesVersion: written as a YAML number (1.3), which drops trailing zeros; quote '
        'it, e.g. kubernetesVersion: "1.30" (got 1.3)']
