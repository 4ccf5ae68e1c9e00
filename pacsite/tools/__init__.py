"""The commands beside the pipeline: diff, import, init, git history."""
