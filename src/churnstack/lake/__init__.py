"""The lake: immutable Parquet partitions per table and run date, written atomically."""
