"""Prompt enhancement by a local causal language model (the rules live in the application)."""
