"""Milimo's entry points: the `milimo` command line."""
