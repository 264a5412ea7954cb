"""Reusable Pulumi components of the AKS platform, one concept each."""
