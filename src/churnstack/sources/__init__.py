"""Extraction: read each source for a run date into typed Arrow tables plus quarantine."""
