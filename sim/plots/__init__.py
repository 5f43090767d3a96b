"""Figures from a run's table (matplotlib, imported only when a figure is drawn)."""
