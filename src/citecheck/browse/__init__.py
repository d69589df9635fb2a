"""The read-only local web UI over the archive index."""
