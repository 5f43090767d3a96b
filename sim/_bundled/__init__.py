"""Where the bundled data lands in a wheel: ``scenarios/``, ``seeds/`` and ``schema/``.

The folders stay at the top of the repository; pyproject.toml maps them in here as package data.
Find them through :mod:`sim.resources`, never by path.
"""
