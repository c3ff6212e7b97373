"""The generation engine: resolving requests, running jobs, and the ports backends plug into."""
