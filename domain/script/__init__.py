"""Screenplays: parsing Fountain and plain text into a plan of scenes and shots (pure)."""
