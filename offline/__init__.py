"""Offline rendering of the Pulumi program on Pulumi's mock engine: no Azure account, no Pulumi CLI."""
