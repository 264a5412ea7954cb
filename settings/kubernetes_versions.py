"""Which Kubernetes versions AKS offers and until when: the AKS release calendar, shipped with its source.

`kubernetes_versions.json` is a copy of the calendar on Microsoft Learn ("Supported Kubernetes versions in
AKS"), with the page's commit and the date it was read; its `_source.refresh` says how to update it. The
settings refuse a version AKS does not offer yet or no longer supports, before anything reaches Azure.
"""
from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("kubernetes_versions.json")
VERSION = re.compile(r"^(?P<minor>1\.[0-9]{2})(\.[0-9]+)?$")


@dataclass(frozen=True)
class Release:
    minor: str  # "1.35"
    aks_ga: date  # the first day of the month AKS made it generally available
    end_of_life: date
    lts_end_of_life: date | None


def _month_end(text: str) -> date:
    """`2027-03` is the last day of March 2027 (the page's rule); `2025-08-22` is that day."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(*parts)
    year, month = parts
    return date(year, month, calendar.monthrange(year, month)[1])


@cache
def releases() -> dict[str, Release]:
    raw = json.loads(_DATA.read_text())["versions"]
    return {
        minor: Release(
            minor,
            date(*(int(p) for p in entry["aks_ga"].split("-")), 1),
            _month_end(entry["end_of_life"]),
            _month_end(entry["lts_end_of_life"]) if entry.get("lts_end_of_life") else None,
        )
        for minor, entry in raw.items()
    }


def today() -> date:
    """The day versions are checked against (a function, so that a test can pin the day)."""
    return date.today()


def supported_on(today: date, lts: bool = False) -> list[str]:
    """The minor versions AKS supports on `today` (with long-term support, on the Premium tier, when `lts`)."""
    return [r.minor for r in releases().values() if r.aks_ga <= today <= end_of_support(r, lts)]


def end_of_support(release: Release, lts: bool) -> date:
    return release.lts_end_of_life if lts and release.lts_end_of_life else release.end_of_life


def problem(version: str, today: date, lts: bool = False) -> str | None:
    """Why AKS would not run `version` on `today`, or None. `version` already matches VERSION."""
    match = VERSION.match(version)
    if not match:
        return None  # the field's own pattern reports it
    supported = ", ".join(supported_on(today, lts)) or "none (refresh settings/kubernetes_versions.json)"
    release = releases().get(match["minor"])
    if release is None:
        return (f"{version} is not in the AKS release calendar (settings/kubernetes_versions.json, read "
                f"{_read_on()}); supported on {today:%Y-%m-%d}: {supported}")
    if today < release.aks_ga:
        return f"{version} is not generally available on AKS before {release.aks_ga:%B %Y}; supported: {supported}"
    if today > end_of_support(release, lts):
        plan = "long-term support" if lts else "standard support (Premium tier adds long-term support)"
        return (f"{version} reached the end of AKS {plan} on {end_of_support(release, lts):%Y-%m-%d}; "
                f"supported: {supported}")
    return None


def _read_on() -> str:
    return json.loads(_DATA.read_text())["_source"]["read_on"]
