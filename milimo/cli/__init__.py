"""The `milimo` command line."""
