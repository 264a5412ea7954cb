"""Teams are isolated: proved from the rendered desired state, not from the objects one by one.

For every ordered pair of team namespaces (A, B) of a render, two questions:
- does any role assignment of A's workload identity have a scope covering one of B's secrets (the secret
  itself, its vault, resource group or subscription)?
- does any NetworkPolicy of B admit A's pods?
Both must be no unless B declares A in `allowFrom` (traffic only; secrets are never shared).
"""
from __future__ import annotations

import json

import yaml

from offline.engine import Rendered, stack_config

from .conftest import kubernetes_objects, rendered
from .test_manifests import kubernetes_version, validate

ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"


def team_principals(r: Rendered) -> dict[str, str]:
    """namespace -> principal ID of the identity its service account is federated with."""
    identities = {x["outputs"]["name"]: x["outputs"]["principalId"]
                  for x in r.of_type("azure-native:managedidentity:UserAssignedIdentity")}
    return {credential["inputs"]["subject"].split(":")[2]: identities[credential["inputs"]["resourceName"]]
            for credential in r.of_type("azure-native:managedidentity:FederatedIdentityCredential")}


def team_secret_ids(r: Rendered) -> dict[str, list[str]]:
    """namespace -> ARM ids of the secrets its SecretProviderClass mounts."""
    vault = r.one("azure-native:keyvault:Vault")["outputs"]["id"]
    found = {}
    for spc in kubernetes_objects(r):
        if spc["inputs"]["kind"] == "SecretProviderClass":
            objects = yaml.safe_load(spc["inputs"]["spec"]["parameters"]["objects"])["array"]
            found[spc["inputs"]["metadata"]["namespace"]] = [
                f"{vault}/secrets/{yaml.safe_load(o)['objectName']}" for o in objects]
    return found


def covers(scope: str, resource_id: str) -> bool:
    """An ARM scope grants on a resource when it is the resource or one of its ancestors (ARM ids ignore case)."""
    scope, resource_id = scope.rstrip("/").lower(), resource_id.lower()
    return resource_id == scope or resource_id.startswith(scope + "/")


def secrets_readable(r: Rendered, reader: str, owner: str) -> list[str]:
    """The secrets of `owner` that some role assignment of `reader`'s identity covers."""
    principal = team_principals(r)[reader]
    scopes = [x["inputs"]["scope"] for x in r.of_type(ROLE_ASSIGNMENT) if x["inputs"]["principalId"] == principal]
    return [secret for secret in team_secret_ids(r).get(owner, []) if any(covers(s, secret) for s in scopes)]


def network_policies(r: Rendered, namespace: str) -> list[dict]:
    return [x["inputs"] for x in kubernetes_objects(r)
            if x["inputs"]["kind"] == "NetworkPolicy" and x["inputs"]["metadata"]["namespace"] == namespace]


def namespace_labels(r: Rendered, namespace: str) -> dict[str, str]:
    """The labels the namespace will carry: its own and the name label Kubernetes adds."""
    (found,) = [x["inputs"]["metadata"] for x in kubernetes_objects(r)
                if x["inputs"]["kind"] == "Namespace" and x["inputs"]["metadata"]["name"] == namespace]
    return {**found.get("labels", {}), "kubernetes.io/metadata.name": namespace}


def peer_selects(peer: dict, labels: dict[str, str]) -> bool:
    """Whether a `from`/`to` peer can match pods of the namespace with these labels (conservative: an
    ipBlock or a matchExpressions counts as a match)."""
    if "ipBlock" in peer:
        return True
    selector = peer.get("namespaceSelector")
    if selector is None:
        return False  # a podSelector alone selects pods of the policy's own namespace
    if selector.get("matchExpressions"):
        return True
    return selector.get("matchLabels", {}).items() <= labels.items()


def rules_admit(policies: list[dict], direction: str, peers_key: str, labels: dict[str, str]) -> bool:
    """Whether the namespace's policies let traffic of `direction` with `namespace` through.

    With no policy selecting every pod for that direction the namespace is open; otherwise some rule must
    admit it (a rule without peers admits everyone).
    """
    types = [p for p in policies if direction.capitalize() in p["spec"].get("policyTypes", [])]
    if not any(p["spec"]["podSelector"] == {} for p in types):
        return True
    for policy in types:
        for rule in policy["spec"].get(direction, []):
            peers = rule.get(peers_key)
            if not peers or any(peer_selects(peer, labels) for peer in peers):
                return True
    return False


def admits(r: Rendered, source: str, target: str) -> bool:
    """Whether `target`'s NetworkPolicies admit pods of `source` in."""
    return rules_admit(network_policies(r, target), "ingress", "from", namespace_labels(r, source))


def sends(r: Rendered, source: str, target: str) -> bool:
    """Whether `source`'s NetworkPolicies let its pods send to `target`."""
    return rules_admit(network_policies(r, source), "egress", "to", namespace_labels(r, target))


def pairs(r: Rendered) -> list[tuple[str, str]]:
    teams = sorted(team_principals(r))
    return [(a, b) for a in teams for b in teams if a != b]


def test_no_team_reads_another_teams_secrets_or_reaches_its_pods(dev):
    teams = set(team_principals(dev))
    assert teams == {"team-a", "team-b", "kv-demo"}
    for a, b in pairs(dev):
        assert secrets_readable(dev, a, b) == [], (a, b)
        assert not admits(dev, a, b), (a, b)
    for team in teams:  # each still reads its own
        assert secrets_readable(dev, team, team) == team_secret_ids(dev)[team]


def test_allow_from_opens_exactly_the_declared_direction_and_never_secrets():
    namespaces = json.loads(stack_config("dev")["aks-platform:namespaces"])
    (team_b,) = [ns for ns in namespaces if ns["name"] == "team-b"]
    team_b["allowFrom"] = ["team-a"]
    r = rendered("dev", namespaces=json.dumps(namespaces))
    assert admits(r, "team-a", "team-b") and sends(r, "team-a", "team-b")
    for a, b in pairs(r):
        if (a, b) != ("team-a", "team-b"):
            assert not admits(r, a, b), (a, b)
        assert secrets_readable(r, a, b) == [], (a, b)
    # The new policies are valid Kubernetes objects, like every other (test_manifests).
    for x in kubernetes_objects(r):
        if x["inputs"]["metadata"]["name"] in ("allow-from-namespaces", "allow-to-namespaces"):
            validate(x["inputs"], kubernetes_version("dev"))


def test_the_proof_catches_a_vault_wide_grant_and_an_open_namespace(dev):
    """The checks above can fail: a grant on the vault and a missing default deny are seen."""
    vault = dev.one("azure-native:keyvault:Vault")["outputs"]["id"]
    grant = next(x for x in dev.of_type(ROLE_ASSIGNMENT) if x["name"] == "ns-team-a-secrets-user-team-a-db-password")
    assert covers(vault, team_secret_ids(dev)["team-b"][0]) and not covers(grant["inputs"]["scope"], vault)
    team_a = namespace_labels(dev, "team-a")
    assert rules_admit([], "ingress", "from", team_a)
    assert rules_admit([{"spec": {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": [{}]}}],
                       "ingress", "from", team_a)
    assert peer_selects({"namespaceSelector": {}}, team_a)
    assert not peer_selects({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "team-b"}}}, team_a)
