"""The fleet hub: an Azure Kubernetes Fleet Manager fleet that upgrades the platform's clusters in order.

Its own Pulumi project (`fleet/Pulumi.yaml`), one stack per team (`Pulumi.hub.yaml`); docs/fleet.md.
"""
