"""The `metrics`, `alerts` and `alertWebhooks` settings: each environment's defaults, and every refusal with the
key, the value and what is allowed."""
from __future__ import annotations

import json

import pytest

from offline.engine import render, stack_config
from settings import ConfigError, parse
from tests.helpers import settings_for

PRIVATE_ENDPOINTS = {"privateEndpointSubnetCidr": "10.240.5.0/24"}


def problems(environment="staging", **raw):
    with pytest.raises(ConfigError) as caught:
        settings_for(environment, **raw)
    return caught.value.problems


@pytest.mark.parametrize(("environment", "metrics", "grafana", "public_access", "alerts"), [
    ("dev", False, False, "Enabled", False),
    ("staging", True, True, "Enabled", True),
    ("prod", True, True, "Disabled", True),
])
def test_each_environment_has_its_defaults(environment, metrics, grafana, public_access, alerts):
    s = settings_for(environment)
    assert (s.metrics.enabled, s.metrics.grafana.enabled, s.metrics.grafana.public_network_access,
            s.metrics.grafana.sku) == (metrics, grafana, public_access, "Standard")
    assert (s.alerts.enabled, s.alerts.emails, s.alerts.rules, dict(s.alert_webhooks)) == (alerts, (), {}, {})


def test_grafana_and_the_alerts_follow_metrics_unless_told_otherwise():
    on = settings_for("dev", metrics={"enabled": True})
    assert (on.metrics.grafana.enabled, on.alerts.enabled) == (True, True)
    no_grafana = settings_for("staging", metrics={"grafana": {"enabled": False}}, alerts={"enabled": False})
    assert (no_grafana.metrics.enabled, no_grafana.metrics.grafana.enabled, no_grafana.alerts.enabled) == \
        (True, False, False)


@pytest.mark.parametrize(("raw", "message"), [
    ({"alerts": {"emails": ["oncall.example.com"]}},
     "aks-platform:alerts.emails: 'oncall.example.com' is not an e-mail address (name@domain.tld) "
     "(got [\"oncall.example.com\"])"),
    ({"alerts": {"rules": {"KubePVUsageHigh": {"threshold": 120}}}},
     "aks-platform:alerts.rules: KubePVUsageHigh.threshold: 120 is out of range; a percent from 1 to 100 (default 80)"),
    ({"alerts": {"rules": {"KubeJobFailed": {"threshold": 1}}}},
     "aks-platform:alerts.rules: KubeJobFailed.threshold: KubeJobFailed has no threshold to set; remove it"),
    ({"alerts": {"rules": {"KubePodCrashLoop": {}}}},
     "aks-platform:alerts.rules: 'KubePodCrashLoop' is not a recommended alert rule; one of"),
    ({"alerts": {"rules": {"KubeJobFailed": {"severity": 5}}}},
     "aks-platform:alerts.rules.KubeJobFailed.severity: Input should be less than or equal to 4 (got 5)"),
    ({"alertWebhooks": {"pager": "http://hooks.example.com/x"}},
     'aks-platform:alertWebhooks.pager: must be an https:// URL (got "http://hooks.example.com/x")'),
    ({"alertWebhooks": {"pager": "https://"}}, 'aks-platform:alertWebhooks.pager: must be an https:// URL (got "https://")'),
    ({"alertWebhooks": {"on call": "https://hooks.example.com/x"}},
     'aks-platform:alertWebhooks: receiver name "on call" must be 1-64 letters, digits, - and _'),
    ({"metrics": {"enabled": False}, "alerts": {"enabled": True}},
     "aks-platform:alerts.enabled: true needs metrics.enabled: true (the alert rules query the Prometheus metrics"),
    ({"metrics": {"enabled": False, "grafana": {"enabled": True}}},
     "aks-platform:metrics: grafana.enabled: true needs enabled: true"),
    ({"metrics": {"grafana": {"publicNetworkAccess": "Disabled"}}},
     "aks-platform:metrics.grafana.publicNetworkAccess: Disabled needs network.privateEndpointSubnetCidr"),
    ({"metrics": {"grafana": {"sku": "Premium"}}}, "aks-platform:metrics.grafana.sku: "),
])
def test_bad_input_names_the_key_the_value_and_what_is_allowed(raw, message):
    found = problems("staging", **raw)
    assert any(p.startswith(message) for p in found), found


def test_a_private_grafana_with_its_subnet_is_taken():
    s = settings_for("staging", network=PRIVATE_ENDPOINTS, metrics={"grafana": {"publicNetworkAccess": "Disabled"}})
    assert s.metrics.grafana.public_network_access == "Disabled"


@pytest.mark.parametrize(("raw", "message"), [
    ({"metrics": {"enabled": False}},
     'aks-platform:metrics.enabled: false is refused in prod, which requires Managed Prometheus (true)'),
    ({"metrics": {"grafana": {"publicNetworkAccess": "Enabled"}}},
     'aks-platform:metrics.grafana.publicNetworkAccess: "Enabled" is refused in prod, which requires a private '
     'Grafana (publicNetworkAccess: Disabled)'),
])
def test_prod_refuses_what_its_profile_requires(raw, message):
    assert message in problems("prod", **raw)


def test_prod_may_leave_grafana_out():
    assert settings_for("prod", metrics={"grafana": {"enabled": False}}).metrics.grafana.enabled is False


def test_alerts_that_notify_nobody_are_warned_about_and_receivers_silence_it():
    silent = settings_for("staging").warnings
    assert any(w.startswith("aks-platform:alerts: the alert rules fire, but their action group notifies nobody")
               for w in silent)
    for raw in ({"alerts": {"emails": ["oncall@example.com"]}},
                {"alertWebhooks": {"pager": "https://hooks.example.com/x"}}):
        assert not any("notifies nobody" in w for w in settings_for("staging", **raw).warnings)


def test_grafanas_preview_plan_is_taken_with_a_warning_and_unused_webhooks_are_pointed_out():
    essential = settings_for("staging", metrics={"grafana": {"sku": "Essential"}})
    assert essential.metrics.grafana.sku == "Essential"
    assert any(w.startswith("aks-platform:metrics.grafana.sku: Essential is a preview plan") for w in essential.warnings)
    unused = settings_for("dev", alertWebhooks={"pager": "https://hooks.example.com/x"})
    assert "aks-platform:alertWebhooks: set while alerts.enabled is false, so nothing is created for them" in \
        unused.warnings


def test_a_rejected_secret_webhook_is_never_quoted():
    config = stack_config("staging")
    config["aks-platform:alertWebhooks"] = json.dumps({"pager": "http://hooks.example.com/t0k3n"})
    with pytest.raises(ConfigError) as caught:
        render("staging", config, secret_keys=["aks-platform:alertWebhooks"])
    assert caught.value.problems == [
        "aks-platform:alertWebhooks.pager: must be an https:// URL (value not shown: it is a secret)"]


def test_the_whole_rule_table_parses_from_a_stack_file_shape():
    raw = {"environment": "staging", "namePrefix": "contoso", "cluster": {"authorizedIpRanges": ["203.0.113.0/24"]},
           "alerts": {"rules": {"NodeMemoryUsageHigh": {"threshold": 90, "severity": 2, "enabled": False}}}}
    rule = parse(raw, "westeurope").alerts.rule("NodeMemoryUsageHigh")
    assert (rule.threshold, rule.severity, rule.enabled) == (90, 2, False)
