"""Retry what Azure documents as a transient conflict, through Pulumi's error hooks, and nothing else.

Azure refuses some operations only because another one is still running on the same parent (a
cluster's agent pools, a VNet's subnets); its own guidance is to wait and try again. An `ErrorHook`
(pulumi >= 3.219) receives every error the operation has failed with so far, newest first, and
answers whether the engine should try again; the engine itself gives up after 100 retries
(https://www.pulumi.com/docs/iac/concepts/resources/options/hooks/#error-hooks). The hook here
retries only an error whose text matches a documented transient conflict below, at most
`MAX_RETRIES` times, waiting longer each time; every other error fails the deployment as before.
"""
from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi


@dataclass(frozen=True)
class TransientConflict:
    code: str
    pattern: re.Pattern[str]  # matched against the error text the provider reports
    source: str  # where Azure says: wait for the other operation, then retry


TRANSIENT_CONFLICTS = (
    # Network: one operation at a time on a VNet and its subnets. "Another operation on this or
    # dependent resource is in progress." Mitigation: "Wait for concurrent operation to complete."
    TransientConflict(
        "AnotherOperationInProgress",
        re.compile(r"\bAnotherOperationInProgress\b"),
        "https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors",
    ),
    # AKS: OperationNotAllowed "Another operation (<name>) is in progress", "Another agentpool
    # operation (<name>) is in progress" or "... is in progress on agent pool (<pool>)": "wait until
    # the blocking operation finishes". The same code also means a real refusal (a quota, a cluster
    # already stopped, a pool being deleted), so only this message is retried, never the code alone.
    TransientConflict(
        "OperationNotAllowed (another operation in progress)",
        re.compile(r"Another (?:agentpool )?operation \([^)]*\) is in progress"),
        "https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/create-upgrade-delete/operationnotallowed",
    ),
    # AKS: "This operation has been preempted by another operation": retry once the other finishes.
    # AKSOperationPreemptedByDelete is not retried: the cluster or pool is being deleted.
    TransientConflict(
        "AKSOperationPreempted",
        re.compile(r"\bAKSOperationPreempted\b(?!ByDelete)"),
        "https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/create-upgrade-delete/error-code-operationpreempted",
    ),
)

# Our choice, not an Azure figure: five retries waiting 30 s, 1, 2, 4 and 8 min (about 15 min in
# all), long enough for an agent pool operation to finish, short enough that a stuck one still fails.
MAX_RETRIES = 5
FIRST_DELAY_SECONDS = 30


def transient_conflict(error: str) -> TransientConflict | None:
    """The documented transient conflict this error text reports, if any."""
    return next((c for c in TRANSIENT_CONFLICTS if c.pattern.search(error)), None)


def retry_delay(errors: Sequence[str]) -> float | None:
    """Seconds to wait before retrying an operation that failed with `errors` (newest first), or
    None when it must not be retried: the newest error is not a transient conflict, or the
    operation has already been retried `MAX_RETRIES` times."""
    if not errors or len(errors) > MAX_RETRIES or transient_conflict(errors[0]) is None:
        return None
    return FIRST_DELAY_SECONDS * 2 ** (len(errors) - 1)


async def _retry_transient_conflict(args: pulumi.ErrorHookArgs) -> bool:
    delay = retry_delay(args.errors)
    if delay is None:
        return False
    conflict = transient_conflict(args.errors[0])
    pulumi.log.info(
        f"{args.name}: Azure reports {conflict.code} (another operation is still running); retrying the "
        f"{args.failed_operation} in {delay:g} s, retry {len(args.errors)} of {MAX_RETRIES} ({conflict.source})"
    )
    await asyncio.sleep(delay)
    return True


def retry_transient_conflicts(resource_name: str) -> pulumi.ResourceHookBinding:
    """Hooks for one resource that retry its documented transient conflicts. Hook names must be unique
    in a program, so each resource gets its own hook, named after the resource's logical name."""
    hook = pulumi.ErrorHook(f"{resource_name}-retry-transient-conflicts", _retry_transient_conflict)
    return pulumi.ResourceHookBinding(on_error=[hook])
