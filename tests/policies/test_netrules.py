"""Sources and ports are matched the way Azure reads NSG rules."""
import pytest

from policies.netrules import is_internet, port_span, ports_outside, span_contains


@pytest.mark.parametrize("source", ["*", "Internet", "INTERNET", "any", "Any", "0.0.0.0", "0.0.0.0/0", "::/0", " * "])
def test_internet_sources(source):
    assert is_internet(source)


@pytest.mark.parametrize("source", ["10.0.0.0/8", "VirtualNetwork", "AzureLoadBalancer", "203.0.113.0/24", None])
def test_not_internet_sources(source):
    assert not is_internet(source)


@pytest.mark.parametrize("spec, port, inside", [("22", 22, True), ("20-30", 22, True), ("23-30", 22, False),
                                                ("*", 3389, True), (" 3389 ", 3389, True), (22.0, 22, True),
                                                ("443", 22, False)])
def test_port_spans(spec, port, inside):
    assert span_contains(port_span(spec), port) is inside


def test_malformed_port_spec_is_not_a_span():
    assert port_span("ssh") is None and port_span(None) is None


def test_ports_outside_names_the_first_few():
    assert ports_outside((79, 444), {80, 443}) == [79, 81, 82]
    assert ports_outside((443, 443), {80, 443}) == []
