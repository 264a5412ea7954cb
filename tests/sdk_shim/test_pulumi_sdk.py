"""Each Pulumi SDK internal in sdk_shim.pulumi_sdk still behaves as the project relies on.

A failure here after an SDK upgrade names the installed version: adapt sdk_shim/pulumi_sdk.py to it.
"""
from __future__ import annotations

import asyncio
import json
from importlib.metadata import version

import pulumi
import pytest

from offline.engine import run
from sdk_shim import sdk_internal
from sdk_shim.pulumi_sdk import SECRET_SIG, SECRET_SIG_KEY, config_keys, is_secret_envelope, sync_await

CHANGED = f"pulumi {version('pulumi')} changed an internal sdk_shim/pulumi_sdk.py relies on"


@pytest.fixture
def loop():
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


def test_a_missing_internal_fails_naming_the_sdk_version():
    with pytest.raises(ImportError, match=rf"pulumi {version('pulumi')} has no pulumi.runtime.nowhere"):
        sdk_internal("pulumi", "pulumi.runtime", "nowhere")


def test_sync_await_returns_the_result_of_an_awaitable(loop):
    async def answer() -> int:
        return 42

    assert sync_await(answer()) == 42, CHANGED + ": sync_await (pulumi.runtime.sync_await._sync_await)"


def test_the_mock_monitor_and_run_pulumi_func_record_a_registration_with_its_outputs():
    # offline.engine.RecordingMonitor subclasses MockMonitor and runs programs with run_pulumi_func.
    rendered = run(lambda: pulumi.CustomResource("test:index:Thing", "thing", {"size": 3}))
    (thing,) = rendered.resources
    assert (thing["type"], thing["name"], thing["inputs"]["size"]) == ("test:index:Thing", "thing", 3), \
        CHANGED + ": MockMonitor.RegisterResource or run_pulumi_func"
    assert thing["outputs"]["id"], CHANGED + ": MockMonitor.resources[urn] (id and state of a registration)"


def test_config_keys_lists_the_config_table_and_the_cli_environment(loop, monkeypatch):
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"ns:fromEnv": "1"}))
    pulumi.runtime.set_all_config({"ns:set": "2"})
    try:
        assert {"ns:set", "ns:fromEnv"} <= config_keys(), CHANGED + ": the config table pulumi.runtime.config.CONFIG"
    finally:
        pulumi.runtime.set_all_config({})


def test_the_secret_envelope_is_what_the_engine_receives_for_a_secret():
    rendered = run(lambda: pulumi.CustomResource("test:index:Thing", "thing", {"token": pulumi.Output.secret("hunter2")}))
    (thing,) = rendered.resources
    assert thing["inputs"]["token"] == {SECRET_SIG_KEY: SECRET_SIG, "value": "hunter2"}, \
        CHANGED + ": the secret signature (pulumi.runtime.rpc._special_sig_key, _special_secret_sig)"
    assert is_secret_envelope(thing["inputs"]["token"]) and not is_secret_envelope({"value": "hunter2"})
