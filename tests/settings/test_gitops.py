"""GitOps settings (`aks-platform:gitops`, `aks-platform:gitopsSecret`), rule by rule: the exact line a user
sees, with the key, what was wrong and what is allowed; a secret value is never quoted."""
import pytest

from settings import ConfigError, parse
from settings.gitops import interval_seconds

BASE = {"environment": "dev", "namePrefix": "contoso", "cluster": {"authorizedIpRanges": ["203.0.113.0/24"]}}
REPO = "https://github.com/Azure/gitops-flux2-kustomize-helm-mt"
INFRA = {"name": "infra", "path": "./infrastructure", "prune": True}
APPS = {"name": "apps", "path": "./apps/staging", "dependsOn": ["infra"]}
PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----\n"
TOKEN = "ghp-do-not-print-4711"


def gitops(**overrides):
    return {"url": REPO, "branch": "main", "kustomizations": [INFRA, APPS], **overrides}


def problems(section=None, secret=None):
    raw = {**BASE, **({"gitops": section} if section is not None else {}),
           **({"gitopsSecret": secret} if secret is not None else {})}
    with pytest.raises(ConfigError) as caught:
        parse(raw, "westeurope")
    return caught.value.problems


def test_the_example_repository_parses_with_azure_s_defaults_filled_in():
    settings = parse({**BASE, "gitops": gitops()}, "westeurope")
    assert settings.gitops.url == REPO and settings.gitops.branch == "main"
    assert settings.gitops.sync_interval == "10m" and settings.gitops.namespace == "cluster-config"
    assert [(k.name, k.prune, k.interval, k.depends_on) for k in settings.gitops.kustomizations] == [
        ("infra", True, "10m", ()), ("apps", False, "10m", ("infra",))]
    assert settings.gitops_secret is None


def test_without_the_section_there_is_no_flux():
    assert parse(BASE, "westeurope").gitops is None


@pytest.mark.parametrize(("value", "seconds"), [("90s", 90), ("10m", 600), ("1h30m", 5400), ("2h", 7200)])
def test_intervals_become_the_seconds_the_api_takes(value, seconds):
    assert interval_seconds(value) == seconds


RULES = [
    pytest.param(gitops(url="http://github.com/org/repo"), 'aks-platform:gitops.url: http:// sends the repository, '
                 'and any credential, in plain text; use https:// or ssh:// (got "http://github.com/org/repo")',
                 id="url-http"),
    pytest.param(gitops(url="git@github.com:org/repo.git"), "aks-platform:gitops.url: must be an https:// or ssh:// "
                 "URL of the repository (write git@host:org/repo as ssh://git@host/org/repo) "
                 '(got "git@github.com:org/repo.git")', id="url-scp-form"),
    pytest.param(gitops(url="git://github.com/org/repo"), "aks-platform:gitops.url: must be an https:// or ssh:// URL "
                 'of the repository (got "git://github.com/org/repo")', id="url-git-protocol"),
    pytest.param(gitops(url="https://github.com"), "aks-platform:gitops.url: must name a host and a repository, such "
                 'as https://github.com/org/repo (got "https://github.com")', id="url-no-repository"),
    pytest.param(gitops(url="https://me:ghp-x@github.com/org/repo"), "aks-platform:gitops.url: must not carry a user "
                 "or token (https://user:token@...): that puts the credential in the stack file; use httpsUser and the "
                 'secret key gitopsSecret (got "https://me:ghp-x@github.com/org/repo")', id="url-with-token"),
    pytest.param({"url": REPO, "kustomizations": [INFRA]}, "aks-platform:gitops.branch: required", id="branch-missing"),
    pytest.param(gitops(branch="feature..x"), "aks-platform:gitops.branch: must be a Git branch name, such as main "
                 '(git check-ref-format) (got "feature..x")', id="branch-invalid"),
    pytest.param(gitops(brnach="main"), 'aks-platform:gitops: unknown key "brnach"; did you mean "branch"? (known keys: '
                 "branch, httpsUser, kustomizations, localAuthSecret, namespace, sshKnownHosts, syncInterval, url)",
                 id="unknown-key"),
    pytest.param(gitops(kustomizations=[{**INFRA, "intervall": "5m"}]), "aks-platform:gitops.kustomizations[0]: unknown "
                 'key "intervall"; did you mean "interval"? (known keys: dependsOn, interval, name, path, prune)',
                 id="unknown-kustomization-key"),
    pytest.param(gitops(syncInterval="10"), "aks-platform:gitops.syncInterval: must be a positive duration in hours, "
                 'minutes and seconds such as 10m, 1h30m or 90s (got "10")', id="interval-no-unit"),
    pytest.param(gitops(syncInterval="0m"), "aks-platform:gitops.syncInterval: must be a positive duration in hours, "
                 'minutes and seconds such as 10m, 1h30m or 90s (got "0m")', id="interval-zero"),
    pytest.param(gitops(kustomizations=[{**INFRA, "interval": "1d"}]), "aks-platform:gitops.kustomizations[0].interval: "
                 'must be a positive duration in hours, minutes and seconds such as 10m, 1h30m or 90s (got "1d")',
                 id="interval-days"),
    pytest.param(gitops(kustomizations=[]), "aks-platform:gitops.kustomizations: needs at least one kustomization: a path "
                 "of the repository to apply (got [])", id="no-kustomization"),
    pytest.param(gitops(kustomizations=[INFRA, {**APPS, "name": "infra"}]), "aks-platform:gitops: "
                 "kustomization names must be unique: infra listed more than once", id="duplicate-names"),
    pytest.param(gitops(kustomizations=[INFRA, {**APPS, "dependsOn": ["infrastructure"]}]), "aks-platform:gitops: "
                 "kustomization apps: dependsOn 'infrastructure' is not a kustomization of this list "
                 "(infra, apps)", id="depends-on-unknown"),
    pytest.param(gitops(kustomizations=[{**INFRA, "dependsOn": ["infra"]}]), "aks-platform:gitops: "
                 "kustomization infra depends on itself", id="depends-on-itself"),
    pytest.param(gitops(kustomizations=[{**INFRA, "dependsOn": ["apps"]}, APPS]), "aks-platform:gitops: "
                 "kustomizations: dependsOn forms a cycle: infra -> apps -> infra", id="depends-on-cycle"),
    pytest.param(gitops(kustomizations=[{**INFRA, "name": "Infra"}]), "aks-platform:gitops.kustomizations[0].name: a "
                 "kustomization name is 1-63 lowercase letters, digits and hyphens, starting and ending with a letter "
                 'or digit (got "Infra")', id="kustomization-name"),
    pytest.param(gitops(kustomizations=[{**INFRA, "path": "https://x/y"}]), "aks-platform:gitops.kustomizations[0].path: "
                 'must be a path inside the repository, such as ./apps/staging (got "https://x/y")', id="path-url"),
    pytest.param(gitops(url="ssh://git@github.com/org/repo", httpsUser="me"), "aks-platform:gitops: httpsUser is for "
                 "https:// repositories; an ssh:// repository authenticates with the private key in gitopsSecret (or a "
                 "key Flux generates)", id="https-user-on-ssh"),
    pytest.param(gitops(sshKnownHosts="Z2l0aHViLmNvbQ=="), "aks-platform:gitops: sshKnownHosts is for ssh:// "
                 "repositories only", id="known-hosts-on-https"),
    pytest.param(gitops(url="ssh://git@git.example.com/org/repo", sshKnownHosts="not base64!"), "aks-platform:gitops."
                 'sshKnownHosts: must be base64-encoded (e.g. `base64 -w0 known_hosts`) (got "not base64!")',
                 id="known-hosts-not-base64"),
    pytest.param(gitops(httpsUser="me", localAuthSecret="git-auth"), "aks-platform:gitops: localAuthSecret holds the "
                 "whole credential; remove httpsUser and sshKnownHosts", id="local-secret-and-user"),
    pytest.param(gitops(httpsUser="me"), "aks-platform:gitops.httpsUser: needs its token or password: `pulumi config "
                 "set --secret aks-platform:gitopsSecret` <token>", id="https-user-without-secret"),
]


@pytest.mark.parametrize(("section", "expected"), RULES)
def test_each_rule_names_the_key_and_what_is_allowed(section, expected):
    assert problems(section) == [expected]


CREDENTIAL_RULES = [
    pytest.param(None, TOKEN, "aks-platform:gitopsSecret: set without aks-platform:gitops; remove it, or configure "
                 "gitops", id="secret-without-gitops"),
    pytest.param(gitops(), TOKEN, "aks-platform:gitopsSecret: an https:// repository needs gitops.httpsUser beside its "
                 "token or password", id="secret-without-user"),
    pytest.param(gitops(url="ssh://git@github.com/org/repo"), TOKEN, "aks-platform:gitopsSecret: an ssh:// repository "
                 "takes an SSH private key in PEM format (-----BEGIN ... PRIVATE KEY-----) (value not shown)",
                 id="ssh-secret-not-pem"),
    pytest.param(gitops(localAuthSecret="git-auth"), TOKEN, "aks-platform:gitopsSecret: not used with "
                 "gitops.localAuthSecret, which holds the whole credential; remove one", id="secret-and-local-secret"),
]


@pytest.mark.parametrize(("section", "secret", "expected"), CREDENTIAL_RULES)
def test_the_credential_fits_the_repository_and_is_never_quoted(section, secret, expected):
    found = problems(section, secret)
    assert found == [expected]
    assert TOKEN not in "\n".join(found)


@pytest.mark.parametrize(("section", "secret"), [
    (gitops(httpsUser="git"), TOKEN),
    (gitops(url="ssh://git@github.com/org/repo"), PEM),
    (gitops(url="ssh://git@github.com/org/repo"), None),  # Flux generates a key pair
    (gitops(localAuthSecret="git-auth"), None),
])
def test_the_accepted_ways_to_reach_a_private_repository(section, secret):
    settings = parse({**BASE, "gitops": section, **({"gitopsSecret": secret} if secret else {})}, "westeurope")
    assert settings.gitops_secret == secret
