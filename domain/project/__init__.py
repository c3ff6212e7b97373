"""The Project aggregate and everything it holds."""
