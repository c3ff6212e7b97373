"""Jobs: one run of a model, each its own aggregate so progress never contends with edits."""
