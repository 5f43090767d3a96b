"""Experiments over scenarios: parameter sweeps and global sensitivity analysis (issue 5)."""
