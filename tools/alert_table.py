"""The recommended alert rules as a docs table (docs/metrics.md), from facts/prometheus.py."""
from __future__ import annotations

from facts.prometheus import ALERT_GROUPS, AlertRule


def _threshold(rule: AlertRule) -> str:
    t = rule.threshold
    if t is None:
        return "—"
    return f"{t.default:g} ({t.unit}, {t.low:g}–{t.high:g})"


def render() -> str:
    lines = ["| Group | Alert | Default threshold (unit, allowed) | Severity | For |", "|---|---|---|---|---|"]
    for level, rules in ALERT_GROUPS.items():
        lines += [f"| {level} | `{r.name}` | {_threshold(r)} | {r.severity} | {r.for_} |" for r in rules]
    return "\n".join(lines) + "\n"
