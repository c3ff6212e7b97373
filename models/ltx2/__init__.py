"""The LTX-2 video backend, served by diffusers from a local folder in diffusers layout."""
