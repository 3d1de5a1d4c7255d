"""Loading the lake into the warehouse ``raw`` schema."""
