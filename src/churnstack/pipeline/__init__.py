"""The step graph (ingest -> load -> transform -> publish) and the run log."""
