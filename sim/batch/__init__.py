"""Running many replications: one code path for one process or many."""
