"""The editor's screens, one per mode (see tui/app.py)."""
