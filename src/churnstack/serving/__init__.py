"""Publishing tested marts as read-only snapshots, and reading the current one."""
