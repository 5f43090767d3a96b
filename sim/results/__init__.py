"""Outcome tables, manifests and summaries (no simulation, no plotting)."""
