"""Milimo's domain: projects, scenes, shots, elements and the timeline — pure, no I/O."""
