"""offline/urn_guard.py and the URNs the recording engine gives: a rename never replaces a resource unnoticed."""
from __future__ import annotations

import pulumi
import pytest

from offline import urn_guard
from offline.engine import run

STACK = "urn:pulumi:test::aks-platform::"


class Box(pulumi.ComponentResource):
    """A component with one child named after it (the project's `f"{name}-..."` convention) and a
    nested component, so URNs show the whole type chain."""

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None, token: str = "test:index:Box"):
        super().__init__(token, name, None, opts)
        pulumi.CustomResource("test:index:Thing", f"{name}-thing", {}, opts=pulumi.ResourceOptions(parent=self))
        Inner(f"{name}-inner", pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


class Inner(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions):
        super().__init__("test:index:Inner", name, None, opts)
        pulumi.CustomResource("test:index:Thing", f"{name}-leaf", {}, opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


def urns_of(program) -> dict[str, list[str]]:
    return {r["urn"]: r["aliases"] for r in run(program).resources}


def test_urns_carry_the_whole_parent_type_chain_without_the_stack_as_the_engine_gives_them():
    assert set(urns_of(lambda: Box("box"))) == {
        f"{STACK}test:index:Box::box",
        f"{STACK}test:index:Box$test:index:Thing::box-thing",
        f"{STACK}test:index:Box$test:index:Inner::box-inner",
        f"{STACK}test:index:Box$test:index:Inner$test:index:Thing::box-inner-leaf",
    }


def test_a_renamed_component_with_an_alias_covers_its_children_and_grandchildren():
    urns = urns_of(lambda: Box("crate", pulumi.ResourceOptions(aliases=[pulumi.Alias(name="box")])))
    assert urns[f"{STACK}test:index:Box::crate"] == [f"{STACK}test:index:Box::box"]
    assert urns[f"{STACK}test:index:Box$test:index:Thing::crate-thing"] == [f"{STACK}test:index:Box$test:index:Thing::box-thing"]
    assert urns[f"{STACK}test:index:Box$test:index:Inner$test:index:Thing::crate-inner-leaf"] == [
        f"{STACK}test:index:Box$test:index:Inner$test:index:Thing::box-inner-leaf"]


def test_a_retyped_component_alias_names_the_old_type_in_the_chain():
    urns = urns_of(lambda: Box("box", pulumi.ResourceOptions(aliases=[pulumi.Alias(type_="test:index:Box")]),
                               token="test:index:Crate"))
    assert urns[f"{STACK}test:index:Crate$test:index:Thing::box-thing"] == [f"{STACK}test:index:Box$test:index:Thing::box-thing"]


def test_a_resource_moved_out_of_a_component_with_an_alias_to_its_old_parent():
    def program():
        old_parent = Box("box")
        pulumi.CustomResource("test:index:Thing", "moved", {},
                              opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(parent=old_parent)]))
    assert urns_of(program)[f"{STACK}test:index:Thing::moved"] == [f"{STACK}test:index:Box$test:index:Thing::moved"]


def resource(urn: str, *aliases: str) -> dict:
    return {"urn": urn, "aliases": list(aliases)}


def test_a_listed_urn_that_is_gone_without_an_alias_is_a_replacement():
    change = urn_guard.compare(["a", "b"], [resource("a"), resource("c")])
    assert (change.replaced, change.renamed, change.added) == (("b",), (), ("c",))
    assert change.unsafe and change.stale


def test_a_listed_urn_claimed_by_an_alias_is_a_rename_not_a_replacement():
    change = urn_guard.compare(["a", "b"], [resource("a"), resource("c", "b")])
    assert (change.replaced, change.renamed, change.added) == ((), (("b", "c"),), ())
    assert not change.unsafe and change.stale


def test_an_unchanged_list_is_neither_unsafe_nor_stale():
    change = urn_guard.compare(["a"], [resource("a", "old")])
    assert not change.unsafe and not change.stale


@pytest.mark.parametrize("stack", urn_guard.shipped_stacks())
def test_every_shipped_stack_still_registers_every_committed_urn(stack):
    """The guard itself. On failure: a rename needs a pulumi.Alias; a change on purpose needs
    `make urns`, whose output (what is deleted and created) belongs in the commit message."""
    from offline.engine import render

    change = urn_guard.compare(urn_guard.read_list(stack), render(stack).resources)
    report = "\n".join(urn_guard.explain(stack, change))
    assert not change.unsafe, "resources would be replaced:\n" + report
    assert not change.stale, "the URN list is out of date (run `make urns` and commit it):\n" + report


def test_the_guard_command_fails_on_a_missing_urn_and_names_it(tmp_path, monkeypatch, capsys):
    committed = urn_guard.urn_file("dev").read_text()
    monkeypatch.setattr(urn_guard, "URN_DIR", tmp_path)
    monkeypatch.setattr(urn_guard, "ROOT", tmp_path.parent)
    (tmp_path / "dev.txt").write_text(committed.replace("::network-vnet", "::network-net"))
    assert urn_guard.main(["dev"]) == 1
    out = capsys.readouterr().out
    assert "would be deleted and re-created (add a pulumi.Alias to keep it): " in out
    assert "network-net" in out and "would be created: urn:pulumi:dev::aks-platform::aks-platform:network:Network$azure-native:network:VirtualNetwork::network-vnet" in out
