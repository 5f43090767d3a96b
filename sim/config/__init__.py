"""Reading, merging and validating scenario files (no simulation here)."""
