"""The in-cluster layer (pulumi-kubernetes): team namespaces, network isolation, Key Vault secrets in pods."""
from .layer import InCluster, InClusterArgs

__all__ = ["InCluster", "InClusterArgs"]
