"""Data quality: reconciliation between stages and the metrics history."""
