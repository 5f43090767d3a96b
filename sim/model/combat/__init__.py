"""Campaign arithmetic: small pure functions a reader can check by hand (issue 12).

Each module holds one kind of arithmetic, in counts by class and plain floats, with no SimPy,
no randomness of its own and no I/O:

- ``salvo``: missiles through launch failure, area interceptors and terminal defence; hits
  spread over the ships of a group.
- ``submarines``: U.S. attack submarines in the strait sinking amphibious ships and escorts, and
  their own losses, turn by turn.
- ``lift``: the PLA's lift by ship class, battalions crossing per turn, sustainment and ports.
- ``ground``: Taiwan's battalions and a documented force-ratio exchange ashore.
- ``lodgment``: the lodgment's front, who attacks, the ground it holds (km²) and the people
  lost ashore and at sea.
- ``losses``: aircraft lost in the air per sortie and aboard lost carriers; casualties per
  unit lost.
- ``air``: air superiority, the allies' share of the air and what it does to salvos, standoff
  launches and losses per sortie.

The invasion_campaign process calls these turn by turn. docs/campaign-arithmetic.md
walks through the worked examples that tests/test_combat_arithmetic.py checks.
"""
