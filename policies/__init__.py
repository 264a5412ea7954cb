"""CrossGuard policy pack for aks-platform.

Policies live in importable modules (one per area) so that tests and the offline plan can use them;
`__main__.py` only assembles the `PolicyPack`, because constructing one starts a gRPC server and blocks.
"""
