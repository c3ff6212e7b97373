"""Adapters behind the application's ports, the settings and the one composition root."""
