"""Milimo's use cases: commands on projects, queries from read models, and the ports they need."""
