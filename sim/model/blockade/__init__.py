"""Blockade arithmetic: small pure functions a reader can check by hand (issue 13).

Lights Out's three chained modules (csis-lo-three-modules), in counts by ship type and plain
floats, with no SimPy, no randomness of their own and no I/O:

- ``supply``: which ships sail for Taiwan in a week: owners' willingness against the loss rate
  they see (insurance), the requisitioned shuttle fleet and its crews, round trips lengthened
  when Japan's ports are closed, the convoy cap.
- ``transit``: what happens to them on the way: boarding and seizure, submarines and mines,
  missile salvos at convoys (reusing ``combat.salvo``).
- ``power``: a week of Taiwan's electricity from each fuel's stock and inflow, the power mix and
  demand cuts.

The shipping and taiwan_energy processes call these week by week; docs/blockade-arithmetic.md
works the examples that tests/test_blockade_arithmetic.py checks.
"""

SHIP_TYPES = ("lng", "coal", "oil", "container")
"""Ship types, each carrying its own cargo: LNG carriers, bulk coal carriers, crude tankers,
container ships (general cargo, food included)."""
FUELS = ("lng", "coal", "oil")
"""The imported fuels, each carried by the ship type of the same name."""
