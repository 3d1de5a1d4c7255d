"""churnstack."""
