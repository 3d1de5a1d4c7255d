"""Reports read from the published marts (never from the working warehouse)."""
